import type { CxoneSegmentResolvers } from '../__generated__/resolvers-types.js';
import { SCOPE } from '../callers/identity.js';
import { isBulkRequest } from './priority.js';
import { loadSegmentOutcome, scopeRefusal } from './interaction-analytics.js';

export const Segment: CxoneSegmentResolvers = {
  mediaType: (segment) => segment.requestedMediaType,
  agents: (segment) => segment.agents ?? [],
  // A recording's segments carry no file: their link costs one /segments call, made only when selected.
  // refresh: true is a forced, bounded reload, even for a segment that arrived with its link.
  mediaUrl: async (segment, { refresh }, ctx) => {
    if (segment.mediaUrl !== undefined && refresh !== true) return segment.mediaUrl;
    const key = { segmentId: segment.segmentId, mediaType: segment.requestedMediaType };
    const loaded = await (refresh === true ? ctx.loaders.segmentRefresh.load(key) : ctx.loaders.segment.load({ ...key, bulk: isBulkRequest(ctx) }));
    return loaded.mediaUrl ?? null;
  },
  // One Interaction Analytics call per segment, shared with the recording's transcript and roll-up.
  analytics: async (segment, _args, ctx) => (await loadSegmentOutcome(segment, ctx)).analysis?.analytics ?? null,
  analyticsStatus: async (segment, _args, ctx) =>
    scopeRefusal(ctx, SCOPE.analytics) ?? (await loadSegmentOutcome(segment, ctx)).status,
};
