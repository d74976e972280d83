import type { QueryResolvers } from '../__generated__/resolvers-types.js';
import type { RecordingModel } from '../models.js';
import { checkAcdId, requireAcdId, requireCaller, requireListSize, requireSegmentId } from './validate.js';
import { recordingResolver } from './recording-field.js';

export const Query: QueryResolvers = {
  recording: (_parent, { acdContactId, mediaType, refresh }, ctx, info) =>
    recordingResolver(ctx, info, { mediaType, refresh, bulk: () => false })(requireAcdId(acdContactId, 'acdContactId')),

  // One slot per id, in order, loaded in one tick (one DataLoader batch); a bad id or a failed contact
  // keeps its Error in its slot (null plus a located error), and the rest of the page stands.
  recordings: async (_parent, { acdContactIds, mediaType }, ctx, info) => {
    requireListSize(acdContactIds, ctx.maxListIds, 'acdContactIds');
    const resolve = recordingResolver(ctx, info, { mediaType, bulk: () => true });
    const slots = await Promise.all(
      acdContactIds.map((acdContactId): RecordingModel | Error | Promise<RecordingModel | Error> => {
        const invalid = checkAcdId(acdContactId, 'acdContactIds');
        if (invalid !== null) return invalid;
        const slot = resolve(acdContactId);
        return slot instanceof Promise ? slot.catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))) : slot;
      }),
    );
    return slots as RecordingModel[];
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
