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
  readonly kind: 'CHAT' | 'EMAIL';
  readonly messages: readonly TranscriptMessageModel[];
  readonly email: EmailContentModel | null;
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
  /** The agents on this segment; absent in entries cached before the field existed. */
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
  readonly mediaTypeId: number | null;
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
