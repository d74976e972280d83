/**
 * Entity answers: a router's `_entities` fetch answered from the kept answers of each entity, so
 * a page of contacts seen before in any combination (a router's varied pages, a dashboard of
 * overlapping lists) is answered before Apollo runs, like the whole-response cache answers an
 * identical body. Apollo Router's entity cache does the same per subgraph entity; here it sits
 * in the subgraph, so every router and gateway gets it.
 *
 * What is kept: for one cache scope (the verified caller, src/context.ts) and one operation (the
 * exact query text, operation name, other variables, path and `accept`), each representation's
 * answer as the JSON text Apollo sent for it, until the earliest link of the request that produced
 * it stops being usable (minus the margin) or the scope's links are force-refreshed. An entity
 * with an error in its slot is not kept; neither is anything from an answer with an error outside
 * the entity slots, a passing state (`recordingStatus` other than AVAILABLE), or no link.
 *
 * What is answered: a request whose operation was executed before (so it passed parsing,
 * validation and every limit), with no more representations than that execution had (cost grows
 * with the count), and every representation kept: `{"data":{"_entities":[...kept...]}}`, the bytes
 * Apollo would have built (a test compares them). Anything else runs the pipeline, which keeps
 * what it can for next time.
 */
import { createHash } from 'node:crypto';
import { Kind, parse, visit, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { StoredHeaders } from './response-cache.js';

/** An `_entities` operation, as recognised from its query text (see `entityOperationOf`). */
interface EntityOperation {
  /** The response key of `_entities` (its alias, if any). */
  readonly responseKey: string;
  /** The variable that holds the representations. */
  readonly variable: string;
  /** The operation's name, if any: a body naming another one is not this operation. */
  readonly operationName: string | null;
}

/** One request recognised as an entity fetch: what its answer is assembled from. */
export interface EntityRequest {
  /** The operation as executed: query, operation name, other variables, path and `accept`. */
  readonly operationKey: string;
  readonly responseKey: string;
  /** Each representation as JSON text: the entity's key within the operation. */
  readonly representationKeys: readonly string[];
}

/** What an executed operation leaves for later requests of the same operation. */
export interface OperationRecord {
  /** Most representations one clean execution had: the limits passed for any count up to it. */
  readonly maxRepresentations: number;
  /** Apollo's response headers for it (without per-response ones). */
  readonly headers: StoredHeaders;
}

/** Query texts whose shape was looked at (entity operation or not): each is parsed once. */
const OPERATION_SHAPES = 500;
/** Longer query texts are never looked at (a router's entity fetch is a few hundred bytes). */
const MAX_QUERY_CHARS = 8_192;
/** Larger batches always run the pipeline (its limits, its bulk priority). */
const MAX_REPRESENTATIONS = 1_000;

const shapes = new LRUCache<string, EntityOperation | false>({ max: OPERATION_SHAPES });

/**
 * The request as an entity fetch, or null: a JSON body `{ query, variables, operationName? }`
 * (no `extensions`: persisted queries and the like go through Apollo) whose query is a single
 * operation selecting only `_entities(representations: $variable)`, with no directive anywhere.
 */
export function entityRequestOf(body: unknown, url: string, accept: string): EntityRequest | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const { query, variables, operationName, ...rest } = body as Record<string, unknown>;
  if (Object.keys(rest).length > 0 || typeof query !== 'string' || query.length > MAX_QUERY_CHARS) return null;
  if (typeof variables !== 'object' || variables === null || Array.isArray(variables)) return null;
  const operation = entityOperationOf(query);
  if (operation === null) return null;
  if (operationName !== undefined && operationName !== null && operationName !== operation.operationName) return null;
  const { [operation.variable]: representations, ...otherVariables } = variables as Record<string, unknown>;
  if (!Array.isArray(representations) || representations.length === 0 || representations.length > MAX_REPRESENTATIONS) return null;
  const representationKeys: string[] = [];
  for (const representation of representations) {
    if (typeof representation !== 'object' || representation === null || Array.isArray(representation)) return null;
    representationKeys.push(JSON.stringify(representation));
  }
  const operationKey = createHash('sha256')
    .update(`${url}\n${accept}\n${operation.operationName ?? ''}\n${JSON.stringify(otherVariables)}\n`)
    .update(query)
    .digest('base64');
  return { operationKey, responseKey: operation.responseKey, representationKeys };
}

function entityOperationOf(query: string): EntityOperation | null {
  const known = shapes.get(query);
  if (known !== undefined) return known === false ? null : known;
  const shape = recognise(query);
  shapes.set(query, shape ?? false);
  return shape;
}

function recognise(query: string): EntityOperation | null {
  let document: DocumentNode;
  try {
    document = parse(query, { noLocation: true, maxTokens: 2_000 });
  } catch {
    return null;
  }
  let operation: OperationDefinitionNode | undefined;
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    if (operation !== undefined) return null;
    operation = definition;
  }
  if (operation === undefined || operation.operation !== 'query') return null;
  // Directives decide what is in an answer (@include, @skip) or how it is sent (@defer): none.
  let directives = 0;
  visit(document, {
    Directive: () => {
      directives++;
    },
  });
  if (directives > 0) return null;
  const [field, ...others] = operation.selectionSet.selections;
  if (field === undefined || others.length > 0 || field.kind !== Kind.FIELD || field.name.value !== '_entities') return null;
  const [argument, ...moreArguments] = field.arguments ?? [];
  if (argument === undefined || moreArguments.length > 0 || argument.name.value !== 'representations') return null;
  if (argument.value.kind !== Kind.VARIABLE) return null;
  return {
    responseKey: field.alias?.value ?? field.name.value,
    variable: argument.value.name.value,
    operationName: operation.name?.value ?? null,
  };
}

/** The body Apollo sends for these entity answers (JSON.stringify of `{ data: { key: [...] } }`). */
export function entitiesBody(responseKey: string, entities: readonly string[]): string {
  return `{"data":{${JSON.stringify(responseKey)}:[${entities.join(',')}]}}`;
}
