/**
 * Our domain types: what the CXone mapping produces, what the cache stores and what resolvers read
 * (codegen mappers). Plain JSON only (strings, numbers, arrays), so a cached value round-trips
 * through Redis unchanged. Times are ISO-8601 UTC strings.
 */

/** The `media-type` values CXone accepts, keyed by our GraphQL enum. */
export type MediaTypeName = 'ALL' | 'VOICE_ONLY' | 'VOICE_AND_SCREEN' | 'CHAT' | 'EMAIL';

/** A pre-signed media link and when it stops working. */
export interface MediaUrlModel {
  readonly url: string;
  /** The earlier of CXone's documented rule and the link's own signed expiry. */
  readonly expiresAt: string;
  readonly fileName: string | null;
  readonly mediaType: string | null;
}

export interface ParticipantModel {
  readonly participantType: string;
  readonly name: string | null;
  readonly participantId: string | null;
  readonly userId: string | null;
}

export interface TranscriptMessageModel {
  readonly participantType: string;
  readonly participantName: string | null;
  readonly text: string;
  readonly timestamp: string | null;
}

export interface EmailContentModel {
  readonly from: string | null;
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly bcc: readonly string[];
  readonly subject: string | null;
  readonly body: string | null;
  readonly sentTime: string | null;
}

export interface TranscriptModel {
  readonly kind: 'CHAT' | 'EMAIL' | 'VOICE';
  readonly messages: readonly TranscriptMessageModel[];
  readonly email: EmailContentModel | null;
  /** Voice only (Interaction Analytics); absent for chat and email. */
  readonly blocks?: readonly TranscriptBlockModel[];
}

export interface BusinessDataEntryModel {
  readonly key: string | null;
  readonly value: string | null;
}

export interface InteractionModel {
  /** CXone's `@type` (call, chat, email), lower-cased; `unknown` when absent. */
  readonly kind: string;
  readonly mediaType: string | null;
  readonly channelType: string | null;
  readonly startTime: string | null;
  readonly endTime: string | null;
  readonly mediaUrl: MediaUrlModel | null;
  readonly participants: readonly ParticipantModel[];
  readonly businessData: readonly BusinessDataEntryModel[];
}

export interface SentimentModel {
  readonly overallSentiment: string;
  readonly segmentStartTime: string | null;
  readonly channel: number | null;
}

export interface CategoryMatchModel {
  readonly categoryHierarchy: readonly string[];
  readonly secondsOffsets: readonly number[];
  readonly confidence: number | null;
}

/** A segment's metadata; `mediaUrl` is present only when it came from the segments endpoint. */
export interface SegmentModel {
  readonly segmentId: string;
  readonly startTime: string | null;
  readonly endTime: string | null;
  readonly openReason: string | null;
  readonly closeReason: string | null;
  readonly direction: string | null;
  readonly channelType: string | null;
  readonly firstSegment: boolean | null;
  /** The media type the segment was asked for; its own mediaUrl is loaded with the same one. */
  readonly requestedMediaType: MediaTypeName;
  /** The agents on this segment; optional, since a shared Redis entry written by an older replica may lack it. */
  readonly agents?: readonly ParticipantModel[];
  /** undefined: not loaded yet (costs an upstream call); null: loaded, no media. */
  readonly mediaUrl?: MediaUrlModel | null;
}

/** One contact's recording as CXone returned it, normalised. */
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

/** A recorded statement's media, from the statements endpoint. */
export interface StatementMediaModel {
  readonly acdContactId: string;
  readonly statementId: string;
  readonly mediaUrl: MediaUrlModel | null;
}

/** What Statement resolvers start from: ids only; media is loaded when selected. */
export interface StatementRef {
  readonly acdContactId: string;
  readonly statementId: string;
}

/** The federation reference the router sends for Contact. */
export interface ContactRef {
  readonly acdContactId: string;
  /** A node of `completedContacts`: its recording is bulk work, yielding to contact pages in the budget. */
  readonly reporting?: true;
}

/** CXone reporting's media types (`mediaTypeId` 1, 3, 4, 5, 6, 7, 8, 9), by our enum name. */
export type ReportingMediaTypeName = 'EMAIL' | 'CHAT' | 'PHONE_CALL' | 'VOICE_MAIL' | 'WORK_ITEM' | 'SMS' | 'SOCIAL' | 'DIGITAL';

/** One row of CXone's completed contacts report (one contact leg), normalised. */
export interface CompletedContactModel {
  /** The master contact id: what the Media Playback API calls `acd-call-id`. */
  readonly acdContactId: string;
  /** This leg's own contact id (equal to acdContactId unless the contact was transferred). */
  readonly contactId: string;
  readonly startTime: string;
  readonly endTime: string | null;
  readonly durationSeconds: number | null;
  readonly agentId: string | null;
  readonly agentName: string | null;
  readonly skillId: string | null;
  readonly skillName: string | null;
  readonly direction: 'INBOUND' | 'OUTBOUND' | null;
  readonly mediaTypeId: number | null;
  readonly mediaType: ReportingMediaTypeName | null;
  readonly mediaTypeName: string | null;
  readonly campaignName: string | null;
  readonly teamName: string | null;
}

/** One page of the completed contacts report, as one upstream call returned it. */
export interface CompletedContactsPage {
  /** CXone's total for the whole window and filters (it may grow while contacts complete). */
  readonly totalRecords: number;
  readonly contacts: readonly CompletedContactModel[];
  /** Each contact's position among the rows CXone sent (rows without an id or start are dropped). */
  readonly positions: readonly number[];
  /** How many rows CXone sent, usable or not: what the next `skip` moves on by. */
  readonly rows: number;
}

/** What one upstream call for the completed contacts report asks for. */
export interface CompletedContactsQuery {
  /** ISO-8601 UTC, inclusive. */
  readonly from: string;
  /** ISO-8601 UTC, exclusive. */
  readonly to: string;
  readonly agentId: string | null;
  readonly skillId: string | null;
  /** Our name; the reporting client maps it to CXone's `mediaTypeId`. */
  readonly mediaType: ReportingMediaTypeName | null;
  readonly skip: number;
  readonly top: number;
}

/** An edge of `completedContacts`: the row and the cursor that resumes after it. */
export interface CompletedContactEdgeModel {
  readonly cursor: string;
  readonly row: CompletedContactModel;
}

/** What the `completedContacts` connection resolvers read. */
export interface CompletedContactConnectionModel {
  readonly edges: readonly CompletedContactEdgeModel[];
  readonly hasNextPage: boolean;
  readonly endCursor: string | null;
  readonly totalCount: number;
}

/** What stands between a caller and a contact's recording (`CxoneRecordingState`). */
export type RecordingState =
  | 'AVAILABLE'
  | 'PROCESSING'
  | 'LOCKED'
  | 'NOT_FOUND'
  | 'ARCHIVED'
  | 'FORBIDDEN'
  | 'UNAUTHENTICATED'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE';

/** `Contact.recordingStatus`: the recording's state as data, from the same load as `Contact.recording`. */
export interface RecordingStatusModel {
  readonly acdContactId: string;
  readonly mediaType: MediaTypeName;
  readonly state: RecordingState;
  readonly retryAfterSeconds: number | null;
  readonly message: string | null;
}

/** One utterance of a voice transcript (Interaction Analytics), placed on the recording's time line. */
export interface TranscriptBlockModel {
  readonly segmentId: string;
  /** AGENT, CUSTOMER, or CXone's own value when it names neither. */
  readonly speaker: string;
  readonly text: string;
  /** Seconds from the start of the recording (the contact's first segment). */
  readonly startSeconds: number | null;
  readonly endSeconds: number | null;
  readonly confidence: number | null;
}

/** Sentiment of one channel (speaker) of a segment: overall, at its begin and end, and frustration. */
export interface ChannelSentimentModel {
  readonly channel: string | null;
  readonly overall: string | null;
  readonly begin: string | null;
  readonly end: string | null;
  readonly frustration: string | null;
}

/** An entity Interaction Analytics found (an account number, a product, a date...). */
export interface EntityModel {
  readonly channel: string | null;
  readonly text: string;
  readonly type: string | null;
  readonly sentiment: string | null;
}

/** Interaction Analytics' findings for a segment, or rolled up over a contact's segments. */
export interface AnalyticsModel {
  readonly summary: string | null;
  readonly intent: string | null;
  readonly actions: readonly string[];
  readonly outcomes: readonly string[];
  /** One per channel, in CXone's order. */
  readonly channels: readonly ChannelSentimentModel[];
  readonly entities: readonly EntityModel[];
  readonly categories: readonly CategoryMatchModel[];
}

/**
 * One segment's analyzed transcript, as cached: blocks with times from the segment's own start.
 * `keepUntil` (ms since epoch) is how long the cache may keep it (transcripts carry no links).
 */
export interface SegmentAnalysisModel {
  readonly kind: 'segment-analysis';
  readonly segmentId: string;
  /** False: Interaction Analytics answered without blocks or summary (not analyzed yet). */
  readonly analyzed: boolean;
  readonly blocks: ReadonlyArray<Omit<TranscriptBlockModel, 'segmentId'>>;
  readonly analytics: AnalyticsModel;
  readonly keepUntil: number;
}

/** Why analytics (or a voice transcript) can or cannot be given (`CxoneAnalyticsState`). */
export type AnalyticsState =
  | 'AVAILABLE'
  | 'NOT_ANALYZED'
  | 'NOT_ENABLED'
  | 'NOT_VOICE'
  | 'FORBIDDEN'
  | 'UNAUTHENTICATED'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE';

/** `analyticsStatus`/`transcriptStatus`: the state as data, beside fields that are null for it. */
export interface AnalyticsStatusModel {
  readonly state: AnalyticsState;
  readonly retryAfterSeconds: number | null;
  readonly message: string | null;
}

/** One row of Interaction Analytics' analyzed segments (`segments/analyzed`), normalised. */
export interface AnalyzedSegmentModel {
  readonly segmentId: string;
  readonly acdContactId: string;
  readonly startTime: string | null;
  readonly endTime: string | null;
  readonly mediaType: string | null;
  readonly analytics: AnalyticsModel;
}

/** What one upstream call for analyzed segments asks for. */
export interface AnalyzedSegmentsQuery {
  readonly from: string;
  readonly to: string;
  /** CXone's `mediaType` parameter value, or null for all. */
  readonly mediaType: string | null;
  readonly pageSize: number;
  /** CXone's numeric cursor; null for the first page. */
  readonly cursor: number | null;
}

/** One page of analyzed segments, as one upstream call returned it. */
export interface AnalyzedSegmentsPage {
  readonly totalRecords: number;
  readonly segments: readonly AnalyzedSegmentModel[];
  /** CXone's cursor for the next page, from `links.next`; null on the last page. */
  readonly nextCursor: number | null;
}

/** An edge of `analyzedSegments`. */
export interface AnalyzedSegmentEdgeModel {
  readonly cursor: string;
  readonly row: AnalyzedSegmentModel;
}

/** What the `analyzedSegments` connection resolvers read. */
export interface AnalyzedSegmentConnectionModel {
  readonly edges: readonly AnalyzedSegmentEdgeModel[];
  readonly hasNextPage: boolean;
  readonly endCursor: string | null;
  readonly totalCount: number;
}
