/**
 * How loud a request is, decided by what it asks for: a contact page is someone waiting; a request
 * whose demand estimate (the schema's `@cost` weights, list sizes from the request) exceeds
 * BULK_UPSTREAM_CALLS CXone calls is bulk reporting, which yields to interactive lookups when the
 * budget is tight. Counting calls, not contacts, keeps a small batch that asks a lot per contact bulk.
 */
import { demandOf } from '../guards/demand.js';

/** Estimated CXone calls of one request above which its lookups count as bulk reporting. */
const BULK_UPSTREAM_CALLS = 50;

/** From the estimate demand control made of this request (its context) before execution. */
export function isBulkRequest(ctx: object): boolean {
  const estimate = demandOf(ctx);
  if (estimate === undefined) return false;
  return estimate.upstreamCalls > BULK_UPSTREAM_CALLS || estimate.representations > BULK_UPSTREAM_CALLS;
}
