/**
 * Interactive or bulk, by what a request asks for (docs/operations.md): counting the estimate's CXone
 * calls, not contacts, keeps a small batch that asks a lot per contact bulk.
 */
import type { DemandEstimate } from '../guards/demand.js';

/** Estimated CXone calls of one request above which its lookups count as bulk reporting. */
const BULK_UPSTREAM_CALLS = 50;

/** From the estimate demand control made of this request before execution. */
export function isBulkRequest(ctx: { readonly demand?: DemandEstimate | undefined }): boolean {
  const estimate = ctx.demand;
  if (estimate === undefined) return false;
  return estimate.upstreamCalls > BULK_UPSTREAM_CALLS || estimate.representations > BULK_UPSTREAM_CALLS;
}
