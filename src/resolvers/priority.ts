/**
 * How loud a request is, decided by what it asks for: a contact page (tens of CXone calls) is
 * someone waiting; anything that may make more than BULK_UPSTREAM_CALLS calls (a 500-contact
 * export, or 50 contacts each asking for every segment's link) is bulk reporting, which yields to
 * interactive lookups when the budget is tight. The count is the demand estimate's upstream calls
 * (the schema's `@cost` weights, list sizes from the request), so a small batch cannot pass for a
 * page by asking for a lot per contact.
 */
import type { GraphQLResolveInfo } from 'graphql';
import { estimateCost } from '../guards/demand.js';
import { DEFAULT_QUERY_LIMITS } from '../guards/limits.js';

/** Estimated CXone calls of one request above which its lookups count as bulk reporting. */
const BULK_UPSTREAM_CALLS = 50;

/** Per request (its variables object): whether it is bulk, decided once. */
const decisions = new WeakMap<object, boolean>();

/** True when the request this field belongs to may make more than BULK_UPSTREAM_CALLS CXone calls. */
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
