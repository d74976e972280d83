import type { QueryResolvers } from '../__generated__/resolvers-types.js';
import type { RecordingModel } from '../models.js';
import { checkAcdId, requireAcdId, requireListSize, requireSegmentId } from './validate.js';
import { requireCaller } from './auth.js';

export const Query: QueryResolvers = {
  recording: (_parent, { acdContactId, mediaType }, ctx) =>
    ctx.loaders.recording.load({ acdContactId: requireAcdId(acdContactId, 'acdContactId'), mediaType }),

  // Reporting: one slot per id, in order; a bad id or a failed contact is null with its own error,
  // the rest of the page stands.
  recordings: async (_parent, { acdContactIds, mediaType }, ctx) => {
    requireListSize(acdContactIds, ctx.maxListIds, 'acdContactIds');
    const valid = acdContactIds.filter((id) => checkAcdId(id, 'acdContactIds') === null);
    const loaded = await ctx.loaders.recordingBulk.loadMany(valid.map((acdContactId) => ({ acdContactId, mediaType })));
    const byId = new Map<string, RecordingModel | Error>();
    valid.forEach((id, index) => byId.set(id, loaded[index] ?? new Error('missing loader result')));
    // graphql-js turns an Error in a list slot into null plus a located error for that index.
    return acdContactIds.map((id) => checkAcdId(id, 'acdContactIds') ?? byId.get(id) ?? null) as RecordingModel[];
  },

  segment: (_parent, { segmentId, mediaType }, ctx) =>
    ctx.loaders.segment.load({ segmentId: requireSegmentId(segmentId, 'segmentId'), mediaType }),

  // A statement's links need no upstream call; its mediaUrl is loaded only when selected.
  statement: (_parent, { acdContactId, statementId }, ctx) => {
    requireCaller(ctx);
    return {
      acdContactId: requireAcdId(acdContactId, 'acdContactId'),
      statementId: requireAcdId(statementId, 'statementId'),
    };
  },
};
