/**
 * The resolver map, one file per parent type. Listed explicitly (no object spread of maps), so a
 * type can only be defined once.
 */
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { Analytics } from './Analytics.js';
import { Contact } from './Contact.js';
import { CxoneAnalyzedSegmentConnection, CxoneAnalyzedSegmentEdge } from './CxoneAnalyzedSegmentConnection.js';
import { CxoneContactConnection, CxoneContactEdge } from './CxoneContactConnection.js';
import { DateTime } from './DateTime.js';
import { Query } from './Query.js';
import { Recording } from './Recording.js';
import { Segment } from './Segment.js';
import { Statement } from './Statement.js';
import { Transcript } from './Transcript.js';

export const resolvers: Resolvers = {
  Contact,
  CxoneAnalytics: Analytics,
  CxoneAnalyzedSegmentConnection,
  CxoneAnalyzedSegmentEdge,
  CxoneContactConnection,
  CxoneContactEdge,
  DateTime,
  Query,
  CxoneRecording: Recording,
  CxoneSegment: Segment,
  CxoneStatement: Statement,
  CxoneTranscript: Transcript,
};
