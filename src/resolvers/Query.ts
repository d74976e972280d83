import type { QueryResolvers } from '../__generated__/resolvers-types.js';
import type { RecordingModel } from '../models.js';
import { checkAcdId, requireAcdId, requireListSize, requireSegmentId } from './validate.js';
import { requireCaller } from './auth.js';
import { pageRequest, toConnection } from './completed-contacts.js';
import { analyzedPageRequest, toAnalyzedConnection } from './analyzed-segments.js';
import { linksOnlyRecording, selectsLinksOnly } from './selection.js';

export const Query: QueryResolvers = {
  // Links only (player and download pages): built from the id, no upstream call (schema.graphql).
  recording: (_parent, { acdContactId, mediaType, refresh }, ctx, info) => {
    const id = requireAcdId(acdContactId, 'acdContactId');
    if (selectsLinksOnly(info)) {
      requireCaller(ctx);
      return linksOnlyRecording(id, mediaType);
    }
    if (refresh === true) return ctx.loaders.recordingRefresh.load({ acdContactId: id, mediaType });
    return ctx.loaders.cachedRecording({ acdContactId: id, mediaType }) ?? ctx.loaders.recording.load({ acdContactId: id, mediaType });
  },

  // Reporting: one slot per id, in order; a bad id or a failed contact is null with its own error,
  // the rest of the page stands.
  recordings: async (_parent, { acdContactIds, mediaType }, ctx, info) => {
    requireListSize(acdContactIds, ctx.maxListIds, 'acdContactIds');
    if (selectsLinksOnly(info)) {
      requireCaller(ctx);
      return acdContactIds.map(
        (acdContactId) => checkAcdId(acdContactId, 'acdContactIds') ?? linksOnlyRecording(acdContactId, mediaType),
      ) as RecordingModel[];
    }
    // One load per id in the same tick: DataLoader batches and de-duplicates them. A bad id or a
    // failed contact keeps its Error in its slot; graphql-js turns that into null plus a located error.
    const slots = await Promise.all(
      acdContactIds.map(
        (acdContactId): RecordingModel | Error | Promise<RecordingModel | Error> =>
          checkAcdId(acdContactId, 'acdContactIds') ??
          ctx.loaders.recordingBulk
            .load({ acdContactId, mediaType })
            .catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))),
      ),
    );
    return slots as RecordingModel[];
  },

  // Reporting by time window: arguments checked before any upstream call, then one page = one call.
  completedContacts: async (_parent, args, ctx) => {
    const request = pageRequest(args, { maxPageSize: ctx.maxListIds, maxWindowDays: ctx.reportingMaxWindowDays });
    return toConnection(request, await ctx.loaders.completedContacts(request.query));
  },

  // Interaction Analytics by window: arguments checked before any upstream call, one page = one call.
  analyzedSegments: async (_parent, args, ctx) => {
    const request = analyzedPageRequest(args, { maxPageSize: ctx.maxListIds, maxWindowDays: ctx.reportingMaxWindowDays });
    return toAnalyzedConnection(request, await ctx.loaders.analyzedSegments(request.query));
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
