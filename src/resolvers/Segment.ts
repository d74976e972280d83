import type { CxoneSegmentResolvers } from '../__generated__/resolvers-types.js';
import { isBulkRequest } from './priority.js';
import { ANALYTICS_SCOPE, loadSegmentOutcome, outcomeStatus, scopeRefusal, segmentAnalytics } from './interaction-analytics.js';

export const Segment: CxoneSegmentResolvers = {
  mediaType: (segment) => segment.requestedMediaType,
  agents: (segment) => segment.agents ?? [],
  // Segments listed on a recording carry no file; their own link costs one /segments call, made
  // only when selected (and once per segment per request).
  mediaUrl: async (segment, _args, ctx, info) => {
    if (segment.mediaUrl !== undefined) return segment.mediaUrl;
    const loaded = await ctx.loaders.segment.load({
      segmentId: segment.segmentId,
      mediaType: segment.requestedMediaType,
      bulk: isBulkRequest(info),
    });
    return loaded.mediaUrl ?? null;
  },
  // One Interaction Analytics call per segment, shared with the recording's transcript and roll-up.
  analytics: async (segment, _args, ctx) => segmentAnalytics(await loadSegmentOutcome(segment, ctx)),
  analyticsStatus: async (segment, _args, ctx) =>
    scopeRefusal(ctx, ANALYTICS_SCOPE) ?? outcomeStatus(await loadSegmentOutcome(segment, ctx)),
};
