import type { CxoneSegmentResolvers } from '../__generated__/resolvers-types.js';
import { isBulkRequest } from './priority.js';

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
};
