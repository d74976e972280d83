import type { CxoneContactConnectionResolvers, CxoneContactEdgeResolvers } from '../__generated__/resolvers-types.js';

export const CxoneContactConnection: CxoneContactConnectionResolvers = {
  pageInfo: (connection) => ({ hasNextPage: connection.hasNextPage, endCursor: connection.endCursor }),
};

export const CxoneContactEdge: CxoneContactEdgeResolvers = {
  // The node is the entity reference: the router fetches CRM fields for it; its `recording` is
  // loaded as everywhere else, at bulk priority (a report's rows must not starve contact pages).
  node: (edge) => ({ acdContactId: edge.row.acdContactId, reporting: true }),
  cxoneContact: (edge) => edge.row,
};
