import type { CxoneAnalyticsResolvers } from '../__generated__/resolvers-types.js';
import { customerChannel } from './interaction-analytics.js';

export const Analytics: CxoneAnalyticsResolvers = {
  // The customer's channel of the segment (the roll-up holds only that one).
  sentiment: (analytics) => customerChannel(analytics.channels),
};
