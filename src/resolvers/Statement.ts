import type { CxoneStatementResolvers } from '../__generated__/resolvers-types.js';
import { isBulkRequest } from './priority.js';
import { statementDownloadUrl, statementPlayerUrl } from '../ui-links.js';

export const Statement: CxoneStatementResolvers = {
  // refresh: true (a player's statement link failed) is a forced, bounded reload; see loaders/index.ts.
  mediaUrl: async (statement, { refresh }, ctx) => {
    const key = { acdContactId: statement.acdContactId, statementId: statement.statementId };
    const loaded = await (refresh === true ? ctx.loaders.statementRefresh.load(key) : ctx.loaders.statement.load({ ...key, bulk: isBulkRequest(ctx) }));
    return loaded.mediaUrl;
  },
  playerUrl: (statement, _args, ctx) =>
    statementPlayerUrl(ctx.uiBaseUrl, statement.acdContactId, statement.statementId),
  downloadUrl: (statement, _args, ctx) =>
    statementDownloadUrl(ctx.uiBaseUrl, statement.acdContactId, statement.statementId),
};
