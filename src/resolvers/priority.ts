/**
 * How loud a request is, decided by what it asks for: a contact page is someone waiting; a request
 * whose demand estimate (the schema's `@cost` weights, list sizes from the request) exceeds
 * BULK_UPSTREAM_CALLS CXone calls is bulk reporting, which yields to interactive lookups when the
 * budget is tight. Counting calls, not contacts, keeps a small batch that asks a lot per contact bulk.
 */
import type { GraphQLResolveInfo } from 'graphql';
import { estimateCost } from '../guards/demand.js';
import { DEFAULT_QUERY_LIMITS } from '../guards/limits.js';

/** Estimated CXone calls of one request above which its lookups count as bulk reporting. */
const BULK_UPSTREAM_CALLS = 50;

/** Per request (its variables object): whether it is bulk, decided once. */
const decisions = new WeakMap<object, boolean>();

export function isBulkRequest(info: GraphQLResolveInfo): boolean {
  const decided = decisions.get(info.variableValues);
  if (decided !== undefined) return decided;
  const fragments = Object.fromEntries(Object.entries(info.fragments));
  const { upstreamCalls, listSizes } = estimateCost(info.schema, info.operation, fragments, info.variableValues, {
    assumedListSize: DEFAULT_QUERY_LIMITS.assumedListSize,
  });
  const bulk = upstreamCalls > BULK_UPSTREAM_CALLS || (listSizes.get('Query._entities') ?? 0) > BULK_UPSTREAM_CALLS;
  decisions.set(info.variableValues, bulk);
  return bulk;
}
