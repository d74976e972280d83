import type { CxoneStatementResolvers } from '../__generated__/resolvers-types.js';
import { isBulkRequest } from './priority.js';
import { statementDownloadUrl, statementPlayerUrl } from '../ui-links.js';

export const Statement: CxoneStatementResolvers = {
  mediaUrl: async (statement, _args, ctx, info) =>
    (await ctx.loaders.statement.load({ acdContactId: statement.acdContactId, statementId: statement.statementId, bulk: isBulkRequest(info) }))
      .mediaUrl,
  playerUrl: (statement, _args, ctx) =>
    statementPlayerUrl(ctx.uiBaseUrl, statement.acdContactId, statement.statementId),
  downloadUrl: (statement, _args, ctx) =>
    statementDownloadUrl(ctx.uiBaseUrl, statement.acdContactId, statement.statementId),
};
