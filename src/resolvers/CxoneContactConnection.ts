import type { CxoneContactConnectionResolvers, CxoneContactEdgeResolvers } from '../__generated__/resolvers-types.js';

export const CxoneContactConnection: CxoneContactConnectionResolvers = {
  pageInfo: (connection) => ({ hasNextPage: connection.hasNextPage, endCursor: connection.endCursor }),
};

export const CxoneContactEdge: CxoneContactEdgeResolvers = {
  // The node is the entity reference: the router fetches CRM fields for it, `recording` loads as usual.
  node: (edge) => ({ acdContactId: edge.row.acdContactId }),
  cxoneContact: (edge) => edge.row,
};
