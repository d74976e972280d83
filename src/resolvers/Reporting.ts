import type { QueryResolvers } from '../__generated__/resolvers-types.js';
import { pageRequest, toConnection } from './completed-contacts.js';
import { analyzedPageRequest, toAnalyzedConnection } from './analyzed-segments.js';

/**
 * The reporting root fields (reporting.graphql): time-window reports whose nodes are Contact
 * entities. Served only with the reporting part of the schema (src/schema.ts).
 */
export const ReportingQuery: QueryResolvers = {
  // Reporting by time window: arguments checked before any upstream call, then one page = one call.
  completedContacts: async (_parent, args, ctx) => {
    const request = pageRequest(args, { maxPageSize: ctx.maxListIds, maxWindowDays: ctx.reportingMaxWindowDays });
    return toConnection(request, await ctx.loaders.completedContacts(request.query));
  },

  // Interaction Analytics by window: arguments checked before any upstream call, one page = one call.
  analyzedSegments: async (_parent, args, ctx) => {
    const request = analyzedPageRequest(args, { maxPageSize: ctx.maxListIds, maxWindowDays: ctx.reportingMaxWindowDays });
    return toAnalyzedConnection(request, await ctx.loaders.analyzedSegments(request.query));
  },
};
