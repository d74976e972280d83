/**
 * reporting.graphql's time-window reports: nodes are Contact entities, loaded at bulk priority (a
 * report's rows must not starve contact pages); one page is one upstream call.
 */
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { pageRequest, toConnection } from './completed-contacts.js';
import { analyzedPageRequest, toAnalyzedConnection } from './analyzed-segments.js';

export const reportingResolvers: Resolvers = {
  Query: {
    completedContacts: async (_parent, args, ctx) => {
      const request = pageRequest(args, { maxPageSize: ctx.maxListIds, maxWindowDays: ctx.reportingMaxWindowDays });
      return toConnection(request, await ctx.loaders.completedContacts(request.query));
    },
    analyzedSegments: async (_parent, args, ctx) => {
      const request = analyzedPageRequest(args, { maxPageSize: ctx.maxListIds, maxWindowDays: ctx.reportingMaxWindowDays });
      return toAnalyzedConnection(request, await ctx.loaders.analyzedSegments(request.query));
    },
  },
  // A connection carries its page info's hasNextPage and endCursor itself.
  CxoneContactConnection: { pageInfo: (connection) => connection },
  // The node is the entity reference: the router fetches CRM fields for it.
  CxoneContactEdge: {
    node: (edge) => ({ acdContactId: edge.row.acdContactId, reporting: true }),
    cxoneContact: (edge) => edge.row,
  },
  CxoneAnalyzedSegmentConnection: { pageInfo: (connection) => connection },
  CxoneAnalyzedSegmentEdge: {
    node: (edge) => ({ acdContactId: edge.row.acdContactId, reporting: true }),
    segment: (edge) => edge.row,
    analytics: (edge) => edge.row.analytics,
  },
};
