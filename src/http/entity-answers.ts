/**
 * Keys of entity answers (Apollo Router's entity cache, in the subgraph): a request's shape is its
 * body without `variables`, its operation the shape plus the other variables, and each
 * representation's JSON its entity's key. Which answer is an entity fetch is the policy's call.
 */
import { hash } from 'node:crypto';
import { isRecord } from '../json.js';

/** Where an entity fetch's representations and answer are. */
export interface EntityShape {
  readonly responseKey: string;
  readonly variable: string;
}

export interface EntityRequest {
  readonly operationKey: string;
  readonly representationKeys: readonly string[];
}

/** Larger batches always run the pipeline (its limits, its bulk priority). */
const MAX_REPRESENTATIONS = 1_000;

/** A JSON body with an object of variables (anything else has no shape). */
export interface JsonRequest {
  readonly variables: Readonly<Record<string, unknown>>;
  readonly shape: string;
}

export function jsonRequestOf(body: unknown, url: string, accept: string): JsonRequest | null {
  if (!isRecord(body)) return null;
  const { variables, ...rest } = body;
  if (!isRecord(variables)) return null;
  const shape = hash('sha256', `${url}\n${accept}\n${JSON.stringify(rest)}`, 'base64');
  return { variables, shape };
}

/** The request as an entity fetch of `shape`, or null when its representations are not a list of objects. */
export function entityRequestOf(request: JsonRequest, shape: EntityShape): EntityRequest | null {
  const { [shape.variable]: representations, ...otherVariables } = request.variables;
  if (!Array.isArray(representations) || representations.length === 0 || representations.length > MAX_REPRESENTATIONS) return null;
  const representationKeys: string[] = [];
  for (const representation of representations) {
    if (!isRecord(representation)) return null;
    representationKeys.push(JSON.stringify(representation));
  }
  const operationKey = hash('sha256', `${request.shape}\n${JSON.stringify(otherVariables)}`, 'base64');
  return { operationKey, representationKeys };
}
