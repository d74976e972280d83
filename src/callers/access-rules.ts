/**
 * Field access, read from the schema's own `@authenticated` and `@requiresScopes` directives (the
 * rules a router enforces before the request arrives), so the subgraph enforces the very same rules
 * and there is one source of truth. A field's rules are its own plus those of the type it returns.
 * A refused caller gets the refusal (UNAUTHENTICATED) on every guarded field; a caller missing a
 * scope gets FORBIDDEN on that field only, and the rest of the answer stands.
 */
import {
  defaultFieldResolver,
  Kind,
  type ConstDirectiveNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import { AppError, ErrorCode } from '../errors.js';
import type { CallerCheck } from './identity.js';

/** What one field requires: a verified caller, and (when non-empty) every group of scopes, each satisfied by one of its alternatives. */
interface FieldRule {
  readonly authenticated: boolean;
  /** AND of groups; each group is an OR of alternatives; each alternative an AND of scopes (Federation's semantics). */
  readonly scopeGroups: ReadonlyArray<ReadonlyArray<readonly string[]>>;
}

/** The part of the request context the rules read. */
interface AccessContext {
  readonly access: CallerCheck;
}

/** `Type.field` -> rule, for every field that has one. */
export function readAccessRules(schema: GraphQLSchema): Map<string, FieldRule> {
  const rules = new Map<string, FieldRule>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !isObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      const directives = [...fieldDirectives(field), ...typeDirectives(namedType(field.type))];
      const rule = ruleOf(directives);
      if (rule !== null) rules.set(`${type.name}.${field.name}`, rule);
    }
  }
  return rules;
}

/**
 * Wraps the resolver of every guarded field with its check. Only guarded fields pay for it (the
 * recording entry points, analytics and transcripts), so a warm response's other fields do not.
 */
export function enforceAccessRules(schema: GraphQLSchema): GraphQLSchema {
  const rules = readAccessRules(schema);
  for (const [coordinate, rule] of rules) {
    const [typeName, fieldName] = coordinate.split('.') as [string, string];
    const type = schema.getType(typeName);
    if (type === undefined || !isObjectType(type)) continue;
    const field = type.getFields()[fieldName];
    if (field === undefined) continue;
    const resolve = field.resolve ?? defaultFieldResolver;
    field.resolve = (source, args, context: AccessContext, info) => {
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

function ruleOf(directives: readonly ConstDirectiveNode[]): FieldRule | null {
  let authenticated = false;
  const scopeGroups: string[][][] = [];
  for (const directive of directives) {
    if (directive.name.value === 'authenticated') authenticated = true;
    if (directive.name.value === 'requiresScopes') {
      authenticated = true;
      scopeGroups.push(scopesArgument(directive));
    }
  }
  return authenticated ? { authenticated, scopeGroups } : null;
}

/** `scopes: [["a", "b"], ["c"]]` -> [["a","b"],["c"]]. */
function scopesArgument(directive: ConstDirectiveNode): string[][] {
  const argument = directive.arguments?.find((arg) => arg.name.value === 'scopes');
  if (argument?.value.kind !== Kind.LIST) throw new Error(`@requiresScopes without a scopes list`);
  return argument.value.values.map((alternative) => {
    if (alternative.kind !== Kind.LIST) throw new Error('@requiresScopes scopes must be a list of lists');
    return alternative.values.map((scope) => {
      if (scope.kind !== Kind.STRING) throw new Error('@requiresScopes scopes must be strings');
      return scope.value;
    });
  });
}

function fieldDirectives(field: GraphQLField<unknown, unknown>): readonly ConstDirectiveNode[] {
  return field.astNode?.directives ?? [];
}

function typeDirectives(type: GraphQLNamedType): readonly ConstDirectiveNode[] {
  return [type.astNode, ...type.extensionASTNodes].flatMap((node) => node?.directives ?? []);
}

function namedType(type: GraphQLOutputType): GraphQLNamedType {
  let current: GraphQLOutputType = type;
  while ('ofType' in current) current = current.ofType;
  return current;
}

// Not graphql's isObjectType: @apollo/subgraph builds the schema with graphql's CommonJS build,
// whose types fail the ES module's realm check (see server.ts).
function isObjectType(type: GraphQLNamedType): type is GraphQLObjectType {
  return 'getFields' in type && 'isTypeOf' in type;
}
