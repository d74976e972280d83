/**
 * The served schema: schema.graphql, plus reporting.graphql unless turned off. Two parts because a
 * reporting field hands Contacts to the router, which needs a CRM resolving Contact by `acdContactId`.
 */
import { readFileSync } from 'node:fs';
import { Kind, parse, print, visit, type DocumentNode, type GraphQLSchema } from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { reportingResolvers, resolvers } from './resolvers/index.js';
import { isRecord } from './json.js';

const read = (file: string): DocumentNode => parse(readFileSync(new URL(`../${file}`, import.meta.url), 'utf8'));

export const coreTypeDefs = read('schema.graphql');
const reportingTypeDefs = read('reporting.graphql');
export const typeDefs: DocumentNode = { kind: Kind.DOCUMENT, definitions: [...coreTypeDefs.definitions, ...reportingTypeDefs.definitions] };

interface SchemaOptions {
  /** Serve reporting.graphql too. Default true. */
  readonly reporting?: boolean | undefined;
  /** Keep `@authenticated`/`@requiresScopes` in the SDL given to routers (`_service.sdl`). Default true. */
  readonly authDirectives?: boolean | undefined;
}

/** The federation directives only a router enforces; @apollo/gateway refuses their `for: SECURITY` links. */
const AUTHORIZATION_DIRECTIVES: ReadonlySet<string> = new Set(['authenticated', 'requiresScopes']);

/** Without the authorization directives, their imports included (so no `for: SECURITY` link). */
function withoutAuthorizationDirectives(document: DocumentNode): DocumentNode {
  return visit(document, {
    Directive: (node) => (AUTHORIZATION_DIRECTIVES.has(node.name.value) ? null : undefined),
    StringValue: (node, _key, _parent, _path, ancestors) => {
      const inLinkImport = ancestors.some((ancestor) => 'kind' in ancestor && ancestor.kind === Kind.DIRECTIVE && ancestor.name.value === 'link');
      return inLinkImport && AUTHORIZATION_DIRECTIVES.has(node.value.replace(/^@/, '')) ? null : undefined;
    },
  });
}

/** The subgraph SDL a router composes, for these options (what `_service { sdl }` answers). */
export function servedTypeDefs(options: SchemaOptions = {}): DocumentNode {
  const document = options.reporting === false ? coreTypeDefs : typeDefs;
  return options.authDirectives === false ? withoutAuthorizationDirectives(document) : document;
}

/** `authDirectives: false` changes only the SDL handed to routers: access-rules.ts reads the executable schema's. */
export function buildRecordingsSchema(options: SchemaOptions = {}): GraphQLSchema {
  const schema = buildSubgraphSchema([
    { typeDefs: coreTypeDefs, resolvers: resolvers as GraphQLResolverMap<unknown> },
    ...(options.reporting === false ? [] : [{ typeDefs: reportingTypeDefs, resolvers: reportingResolvers as GraphQLResolverMap<unknown> }]),
  ]);
  if (options.authDirectives === false) {
    const service = schema.getQueryType()?.getFields()['_service'];
    const answer: unknown = service?.resolve === undefined ? undefined : (service.resolve as () => unknown)();
    if (service === undefined || !isRecord(answer) || typeof answer['sdl'] !== 'string') {
      throw new Error('Query._service answered no sdl');
    }
    const served = print(withoutAuthorizationDirectives(parse(answer['sdl'])));
    service.resolve = () => ({ sdl: served });
  }
  return schema;
}
