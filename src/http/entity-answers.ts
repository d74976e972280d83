/**
 * Entity answers: a router's `_entities` fetch answered from the kept answers of each entity, so
 * a page of contacts seen before in any combination (a router's varied pages, a dashboard of
 * overlapping lists) is answered before Apollo runs, like the whole-response cache answers an
 * identical body. Apollo Router's entity cache does the same per subgraph entity; here it sits
 * in the subgraph, so every router and gateway gets it.
 *
 * Nothing here reads GraphQL. The pipeline's policy (src/answers/) says which answer was an entity
 * fetch, which variable held its representations and which parts may be kept; this module only
 * keys them. A request's shape is its body without `variables` (with the path and `accept`); the
 * operation is the shape plus the other variables; each representation's JSON text is its
 * entity's key within the operation.
 *
 * What is answered: a request whose operation was executed before with at least as many
 * representations (demand control and the representation limit grow with the count, so every
 * limit passed still holds) and every representation kept: `{"data":{"_entities":[...kept...]}}`,
 * the bytes Apollo would have built (a test compares them).
 */
import { hash } from 'node:crypto';

/** What the pipeline found a request shape to be: an entity fetch, and where its representations are. */
export interface EntityShape {
  readonly responseKey: string;
  readonly variable: string;
}

/** One request recognised as an entity fetch: what its answer is assembled from. */
export interface EntityRequest {
  /** The operation as executed: its shape and the other variables. */
  readonly operationKey: string;
  readonly responseKey: string;
  /** Each representation as JSON text: the entity's key within the operation. */
  readonly representationKeys: readonly string[];
}

/** Larger batches always run the pipeline (its limits, its bulk priority). */
const MAX_REPRESENTATIONS = 1_000;

/** A JSON request body: an object with an object of variables (anything else has no shape). */
export interface JsonRequest {
  readonly variables: Readonly<Record<string, unknown>>;
  /** The shape: a hash of everything but the variables, the path and `accept`. */
  readonly shape: string;
}

export function jsonRequestOf(body: unknown, url: string, accept: string): JsonRequest | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const { variables, ...rest } = body as Record<string, unknown>;
  if (typeof variables !== 'object' || variables === null || Array.isArray(variables)) return null;
  const shape = hash('sha256', `${url}\n${accept}\n${JSON.stringify(rest)}`, 'base64');
  return { variables: variables as Record<string, unknown>, shape };
}

/** The request as an entity fetch of `shape`, or null when its representations are not a list of objects. */
export function entityRequestOf(request: JsonRequest, shape: EntityShape): EntityRequest | null {
  const { [shape.variable]: representations, ...otherVariables } = request.variables;
  if (!Array.isArray(representations) || representations.length === 0 || representations.length > MAX_REPRESENTATIONS) return null;
  const representationKeys: string[] = [];
  for (const representation of representations) {
    if (typeof representation !== 'object' || representation === null || Array.isArray(representation)) return null;
    representationKeys.push(JSON.stringify(representation));
  }
  const operationKey = hash('sha256', `${request.shape}\n${JSON.stringify(otherVariables)}`, 'base64');
  return { operationKey, responseKey: shape.responseKey, representationKeys };
}
