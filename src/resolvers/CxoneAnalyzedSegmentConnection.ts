import type { CxoneAnalyzedSegmentConnectionResolvers, CxoneAnalyzedSegmentEdgeResolvers } from '../__generated__/resolvers-types.js';

export const CxoneAnalyzedSegmentConnection: CxoneAnalyzedSegmentConnectionResolvers = {
  pageInfo: (connection) => ({ hasNextPage: connection.hasNextPage, endCursor: connection.endCursor }),
};

export const CxoneAnalyzedSegmentEdge: CxoneAnalyzedSegmentEdgeResolvers = {
  // The node is the entity reference, as completedContacts' are: a report's row, loaded at bulk priority.
  node: (edge) => ({ acdContactId: edge.row.acdContactId, reporting: true }),
  segment: (edge) => edge.row,
  analytics: (edge) => edge.row.analytics,
};
