/**
 * Field access from the schema's own `@authenticated` and `@requiresScopes` (the rules a router
 * enforces), a field's own plus those of the type it returns. A refused caller gets its error on every
 * guarded field; a caller missing a scope gets FORBIDDEN on that field only.
 */
import {
  defaultFieldResolver,
  valueFromASTUntyped,
  type ConstDirectiveNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { z } from 'zod';
import { AppError, ErrorCode } from '../errors.js';
import { isObjectType, namedType } from '../guards/demand.js';
import type { CallerCheck } from './identity.js';

/**
 * What a guarded field requires of a verified caller, in Federation's semantics: every group, each
 * by one of its alternatives, each alternative all of its scopes.
 */
interface FieldRule {
  readonly scopeGroups: ReadonlyArray<ReadonlyArray<readonly string[]>>;
}

const scopesSchema = z.array(z.array(z.string()));

interface AccessContext {
  readonly access: CallerCheck;
}

/** Every guarded field with its rule. */
function* guardedFields(schema: GraphQLSchema): Generator<[string, GraphQLField<unknown, AccessContext>, FieldRule]> {
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !isObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      const rule = ruleOf([...(field.astNode?.directives ?? []), ...typeDirectives(namedType(field.type))]);
      if (rule !== null) yield [`${type.name}.${field.name}`, field, rule];
    }
  }
}

/** `Type.field` -> rule, for every field that has one. */
export function readAccessRules(schema: GraphQLSchema): Map<string, FieldRule> {
  return new Map([...guardedFields(schema)].map(([coordinate, , rule]) => [coordinate, rule]));
}

/**
 * Wraps the resolver of every guarded field with its check. Only guarded fields pay for it (the
 * recording entry points, analytics and transcripts), so a warm response's other fields do not.
 */
export function enforceAccessRules(schema: GraphQLSchema): GraphQLSchema {
  for (const [coordinate, field, rule] of guardedFields(schema)) {
    const resolve = field.resolve ?? defaultFieldResolver;
    field.resolve = (source, args, context, info) => {
      const denied = check(context.access, rule, coordinate);
      if (denied !== null) throw denied;
      return resolve(source, args, context, info);
    };
  }
  return schema;
}

/** Null when allowed, else the error for this field. */
export function check(access: CallerCheck, rule: FieldRule, coordinate: string): AppError | null {
  if (!access.accepted) return access.error;
  const scopes = access.caller.scopes;
  if (scopes === null) return null;
  for (const group of rule.scopeGroups) {
    if (!group.some((alternative) => alternative.every((scope) => scopes.has(scope)))) {
      const wanted = group.map((alternative) => alternative.join(' and ')).join(' or ');
      return new AppError(ErrorCode.Forbidden, `${coordinate} needs the scope ${wanted}.`, { requiredScopes: group.map((a) => [...a]) });
    }
  }
  return null;
}

/** The rule of `@authenticated` and `@requiresScopes(scopes: [["a", "b"], ["c"]])`; null for a field without either. */
function ruleOf(directives: readonly ConstDirectiveNode[]): FieldRule | null {
  let authenticated = false;
  const scopeGroups: string[][][] = [];
  for (const directive of directives) {
    if (directive.name.value === 'authenticated') authenticated = true;
    if (directive.name.value === 'requiresScopes') {
      authenticated = true;
      const scopes = directive.arguments?.find((arg) => arg.name.value === 'scopes')?.value;
      scopeGroups.push(scopesSchema.parse(scopes === undefined ? undefined : valueFromASTUntyped(scopes)));
    }
  }
  return authenticated ? { scopeGroups } : null;
}

function typeDirectives(type: GraphQLNamedType): readonly ConstDirectiveNode[] {
  return [type.astNode, ...type.extensionASTNodes].flatMap((node) => node?.directives ?? []);
}
