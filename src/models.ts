/** Our domain types (codegen mappers): plain JSON, so a cached value round-trips through Redis; times ISO-8601 UTC. */
import type * as Schema from './__generated__/resolvers-types.js';

/** A GraphQL object type's fields, each nullable one present (null, never left out). */
type Fields<T> = Required<Omit<T, '__typename'>>;

export type MediaTypeName = Schema.CxoneMediaType;
/** A pre-signed media link; `expiresAt` is the earlier of CXone's documented rule and its signed expiry. */
export type MediaUrlModel = Fields<Schema.CxoneMediaUrl>;
export type ParticipantModel = Fields<Schema.CxoneParticipant>;
export type TranscriptMessageModel = Fields<Schema.CxoneTranscriptMessage>;
export type EmailContentModel = Fields<Schema.CxoneEmailContent>;
export type BusinessDataEntryModel = Fields<Schema.CxoneBusinessDataEntry>;
export type SentimentModel = Fields<Schema.CxoneSentiment>;
export type CategoryMatchModel = Fields<Schema.CxoneCategoryMatch>;
export type TranscriptBlockModel = Fields<Schema.CxoneTranscriptBlock>;
export type ChannelSentimentModel = Fields<Schema.CxoneChannelSentiment>;
export type EntityModel = Fields<Schema.CxoneEntity>;
export type RecordingState = Schema.CxoneRecordingState;
export type RecordingStatusModel = Fields<Schema.CxoneRecordingStatus>;
export type AnalyticsState = Schema.CxoneAnalyticsState;
export type AnalyticsStatusModel = Fields<Schema.CxoneAnalyticsStatus>;
export type ReportingMediaTypeName = Schema.CxoneReportingMediaType;

export type CompletedContactModel = Omit<Fields<Schema.CxoneCompletedContact>, 'direction'> & {
  readonly direction: 'INBOUND' | 'OUTBOUND' | null;
  readonly mediaTypeId: number | null;
};

export interface TranscriptModel {
  readonly kind: 'CHAT' | 'EMAIL' | 'VOICE';
  readonly messages: readonly TranscriptMessageModel[];
  readonly email: EmailContentModel | null;
  /** Voice only (Interaction Analytics); absent for chat and email. */
  readonly blocks?: readonly TranscriptBlockModel[];
}

/** `kind` is CXone's `@type` lower-cased, `unknown` when absent. */
export type InteractionModel = Omit<Fields<Schema.CxoneInteraction>, 'mediaUrl' | 'participants' | 'businessData'> & {
  readonly mediaUrl: MediaUrlModel | null;
  readonly participants: readonly ParticipantModel[];
  readonly businessData: readonly BusinessDataEntryModel[];
};

/** A segment's metadata; `mediaUrl` is present only when it came from the segments endpoint. */
export type SegmentModel = Omit<
  Fields<Schema.CxoneSegment>,
  'agents' | 'analytics' | 'analyticsStatus' | 'mediaType' | 'mediaUrl'
> & {
  /** The media type the segment was asked for; its own mediaUrl is loaded with the same one. */
  readonly requestedMediaType: MediaTypeName;
  /** The agents on this segment; optional, since a shared Redis entry written by an older replica may lack it. */
  readonly agents?: readonly ParticipantModel[];
  /** undefined: not loaded yet (costs an upstream call); null: loaded, no media. */
  readonly mediaUrl?: MediaUrlModel | null;
};

export interface RecordingModel {
  readonly acdContactId: string;
  readonly contactId: string | null;
  readonly requestedMediaType: MediaTypeName;
  readonly startTime: string | null;
  readonly endTime: string | null;
  readonly durationSeconds: number | null;
  readonly mediaUrl: MediaUrlModel | null;
  readonly screenUrl: MediaUrlModel | null;
  readonly transcript: TranscriptModel | null;
  readonly segments: readonly SegmentModel[];
  readonly interactions: readonly InteractionModel[];
  readonly agents: readonly ParticipantModel[];
  /** null: CXone sent none (the caller lacks "View sentiments and categories"). */
  readonly sentiments: readonly SentimentModel[] | null;
  readonly categories: readonly CategoryMatchModel[] | null;
  readonly tags: readonly string[];
}

export interface StatementMediaModel {
  readonly acdContactId: string;
  readonly statementId: string;
  readonly mediaUrl: MediaUrlModel | null;
}

/** What Statement resolvers start from: ids only; media is loaded when selected. */
export type StatementRef = Pick<StatementMediaModel, 'acdContactId' | 'statementId'>;

export interface ContactRef {
  readonly acdContactId: string;
  /** A node of `completedContacts`: its recording is bulk work, yielding to contact pages in the budget. */
  readonly reporting?: true;
}

export interface CompletedContactsPage {
  /** CXone's total for the whole window and filters (it may grow while contacts complete). */
  readonly totalRecords: number;
  readonly contacts: readonly CompletedContactModel[];
  /** Each contact's position among the rows CXone sent (rows without an id or start are dropped). */
  readonly positions: readonly number[];
  /** How many rows CXone sent, usable or not: what the next `skip` moves on by. */
  readonly rows: number;
}

export interface CompletedContactsQuery {
  /** Inclusive; `to` exclusive. */
  readonly from: string;
  readonly to: string;
  readonly agentId: string | null;
  readonly skillId: string | null;
  /** Our name; the reporting client maps it to CXone's `mediaTypeId`. */
  readonly mediaType: ReportingMediaTypeName | null;
  readonly skip: number;
  readonly top: number;
}

interface EdgeModel<Row> {
  readonly cursor: string;
  readonly row: Row;
}

interface ConnectionModel<Row> {
  readonly edges: readonly EdgeModel<Row>[];
  readonly hasNextPage: boolean;
  readonly endCursor: string | null;
  readonly totalCount: number;
}

export type CompletedContactEdgeModel = EdgeModel<CompletedContactModel>;
export type CompletedContactConnectionModel = ConnectionModel<CompletedContactModel>;
export type AnalyzedSegmentEdgeModel = EdgeModel<AnalyzedSegmentModel>;
export type AnalyzedSegmentConnectionModel = ConnectionModel<AnalyzedSegmentModel>;

/** Interaction Analytics' findings for a segment, or rolled up over a contact's segments. */
export type AnalyticsModel = Omit<Fields<Schema.CxoneAnalytics>, 'sentiment' | 'channels' | 'entities' | 'categories'> & {
  readonly channels: readonly ChannelSentimentModel[];
  readonly entities: readonly EntityModel[];
  readonly categories: readonly CategoryMatchModel[];
};

/** One segment's analyzed transcript as cached: times from the segment's start; kept until `keepUntil` (no links). */
export interface SegmentAnalysisModel {
  readonly kind: 'segment-analysis';
  readonly segmentId: string;
  /** False: Interaction Analytics answered without blocks or summary (not analyzed yet). */
  readonly analyzed: boolean;
  readonly blocks: ReadonlyArray<Omit<TranscriptBlockModel, 'segmentId'>>;
  readonly analytics: AnalyticsModel;
  readonly keepUntil: number;
}

export type AnalyzedSegmentModel = Fields<Schema.CxoneAnalyzedSegment> & { readonly analytics: AnalyticsModel };

export interface AnalyzedSegmentsQuery {
  readonly from: string;
  readonly to: string;
  /** CXone's `mediaType` parameter value, or null for all. */
  readonly mediaType: string | null;
  readonly pageSize: number;
  /** CXone's numeric cursor; null for the first page. */
  readonly cursor: number | null;
}

export interface AnalyzedSegmentsPage {
  readonly totalRecords: number;
  readonly segments: readonly AnalyzedSegmentModel[];
  /** CXone's cursor for the next page, from `links.next`; null on the last page. */
  readonly nextCursor: number | null;
}
