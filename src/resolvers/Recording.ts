import type { CxoneRecordingResolvers } from '../__generated__/resolvers-types.js';
import type { StatementRef } from '../models.js';
import { downloadUrl, playerUrl } from '../ui-links.js';
import { checkAcdId, requireAcdId, requireListSize } from './validate.js';

export const Recording: CxoneRecordingResolvers = {
  mediaType: (recording) => recording.requestedMediaType,
  playerUrl: (recording, _args, ctx) => playerUrl(ctx.uiBaseUrl, recording.acdContactId),
  downloadUrl: (recording, { voiceOnly }, ctx) =>
    downloadUrl(ctx.uiBaseUrl, recording.acdContactId, voiceOnly ?? false),
  statement: (recording, { statementId }) => ({
    acdContactId: recording.acdContactId,
    statementId: requireAcdId(statementId, 'statementId'),
  }),
  statements: (recording, { statementIds }, ctx) => {
    requireListSize(statementIds, ctx.maxListIds, 'statementIds');
    return statementIds.map(
      (statementId): StatementRef | Error =>
        checkAcdId(statementId, 'statementIds') ?? { acdContactId: recording.acdContactId, statementId },
    ) as StatementRef[];
  },
};
