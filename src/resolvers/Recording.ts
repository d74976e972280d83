import type { CxoneRecordingResolvers } from '../__generated__/resolvers-types.js';
import type { StatementRef } from '../models.js';
import { downloadUrl, playerUrl } from '../ui-links.js';
import { checkAcdId, requireAcdId, requireListSize } from './validate.js';
import { SCOPE } from '../callers/identity.js';
import { AVAILABLE, joinTranscript, loadRecordingAnalysis, rollUp, scopeRefusal } from './interaction-analytics.js';

export const Recording: CxoneRecordingResolvers = {
  mediaType: (recording) => recording.requestedMediaType,
  playerUrl: (recording, _args, ctx) => playerUrl(ctx.uiBaseUrl, recording.acdContactId),
  downloadUrl: (recording, { voiceOnly }, ctx) =>
    downloadUrl(ctx.uiBaseUrl, recording.acdContactId, voiceOnly ?? false),
  // Chat and email carry their transcript; a voice call's comes from Interaction Analytics, one call
  // per segment, made only when selected (null with its state in transcriptStatus when there is none).
  transcript: async (recording, _args, ctx) =>
    recording.transcript ?? joinTranscript(await loadRecordingAnalysis(recording, ctx)),
  transcriptStatus: async (recording, _args, ctx) => {
    if (recording.transcript !== null) return AVAILABLE;
    return scopeRefusal(ctx, SCOPE.transcripts) ?? (await loadRecordingAnalysis(recording, ctx)).status;
  },
  analytics: async (recording, _args, ctx) => rollUp(await loadRecordingAnalysis(recording, ctx)),
  // The scope is checked before any upstream call: a caller who may not see analytics spends nothing.
  analyticsStatus: async (recording, _args, ctx) =>
    scopeRefusal(ctx, SCOPE.analytics) ?? (await loadRecordingAnalysis(recording, ctx)).status,
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
