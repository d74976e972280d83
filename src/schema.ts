/**
 * The subgraph schema as served: schema.graphql (Contact.recording and the lookups), plus the
 * reporting part (reporting.graphql: root fields that return Contact entities) unless turned off.
 * Both files are read once from the package root (same path from src/ and dist/).
 *
 * Why two parts: a reporting field hands Contacts from this subgraph to the router, which can pass
 * them on to the CRM only by a key the CRM resolves from `acdContactId`. A CRM keyed by its own id,
 * with `acdContactId` a plain field, composes with schema.graphql alone (`FEDERATION_REPORTING=false`).
 */
import { readFileSync } from 'node:fs';
import { Kind, parse, print, visit, type DocumentNode, type GraphQLSchema } from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { reportingResolvers, resolvers } from './resolvers/index.js';
import { isRecord } from './json.js';

const read = (file: string): DocumentNode => parse(readFileSync(new URL(`../${file}`, import.meta.url), 'utf8'));

/** schema.graphql: what every CRM shape composes with. */
export const coreTypeDefs = read('schema.graphql');
/** reporting.graphql: the time-window root fields (`completedContacts`, ...). */
const reportingTypeDefs = read('reporting.graphql');
/** Both parts, as the default configuration serves them. */
export const typeDefs: DocumentNode = { kind: Kind.DOCUMENT, definitions: [...coreTypeDefs.definitions, ...reportingTypeDefs.definitions] };

export interface SchemaOptions {
  /** Serve reporting.graphql too. Default true. */
  readonly reporting?: boolean | undefined;
  /** Keep `@authenticated`/`@requiresScopes` in the SDL given to routers (`_service.sdl`). Default true. */
  readonly authDirectives?: boolean | undefined;
}

/** The federation directives only a router enforces; @apollo/gateway refuses their `for: SECURITY` links. */
const AUTHORIZATION_DIRECTIVES: ReadonlySet<string> = new Set(['authenticated', 'requiresScopes']);

/** The SDL without the authorization directives, their imports included (so no `for: SECURITY` link). */
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

/**
 * The executable subgraph schema. The authorization directives always stay in the executable
 * schema (src/callers/access-rules.ts reads the rules from them); `authDirectives: false` only
 * changes the SDL handed to routers.
 */
export function buildRecordingsSchema(options: SchemaOptions = {}): GraphQLSchema {
  const schema = buildSubgraphSchema([
    { typeDefs: coreTypeDefs, resolvers: resolvers as GraphQLResolverMap<unknown> },
    ...(options.reporting === false ? [] : [{ typeDefs: reportingTypeDefs, resolvers: reportingResolvers as GraphQLResolverMap<unknown> }]),
  ]);
  if (options.authDirectives === false) {
    // The SDL @apollo/subgraph serves, read from its own `_service` resolver, served without them.
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
