/**
 * The resolver maps, one file per parent type. Listed explicitly (no object spread of maps), so a
 * type can only be defined once. `reportingResolvers` goes with reporting.graphql (src/schema.ts).
 */
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { Analytics } from './Analytics.js';
import { Contact } from './Contact.js';
import { DateTime } from './DateTime.js';
import { Query } from './Query.js';
import { Recording } from './Recording.js';
import { Segment } from './Segment.js';
import { Statement } from './Statement.js';
import { Transcript } from './Transcript.js';

export { reportingResolvers } from './Reporting.js';

export const resolvers: Resolvers = {
  Contact,
  CxoneAnalytics: Analytics,
  DateTime,
  Query,
  CxoneRecording: Recording,
  CxoneSegment: Segment,
  CxoneStatement: Statement,
  CxoneTranscript: Transcript,
};
