/** The contracts loaders and the cache depend on; client.ts, reporting.ts and analytics.ts implement them over HTTP. */
import type {
  AnalyzedSegmentsPage,
  AnalyzedSegmentsQuery,
  SegmentAnalysisModel,
  CompletedContactsPage,
  CompletedContactsQuery,
  MediaTypeName,
  RecordingModel,
  SegmentModel,
  StatementMediaModel,
} from '../models.js';

export type { Caller } from '../credential.js';
import type { Caller } from '../credential.js';

/** Who a call is for: the tenant (budget, cache keys) and how loud it may be. */
export interface CallScope {
  readonly caller: Caller;
  readonly tenantId: string;
  /** Who is asking, for the caller's share of the tenant budget: a stable, non-reversible id, never a token. */
  readonly callerId: string;
  /** Interactive lookups go before bulk reporting when the budget is tight; forced refreshes have their own allowance. */
  readonly priority: 'interactive' | 'bulk' | 'refresh';
  /** Absolute deadline (ms since epoch) for all upstream work of this GraphQL request. */
  readonly deadline?: number;
  readonly requestId?: string;
}

/** Supplies the bearer token for an upstream call. */
export interface AuthProvider {
  /** The bearer token to send for this caller; rejects with CxoneError kind `no-credentials` when there is none. */
  tokenFor(caller: Caller): Promise<string>;
  /** Called once after CXone answered 401 with `token`: true when a retry with a fresh token makes sense. */
  invalidate(caller: Caller, token: string): Promise<boolean>;
}

/** The three Media Playback endpoints, mapped to our models. Each call is one upstream request (plus retries). */
export interface CxoneApi {
  /** `GET /contacts?acd-call-id={id}&media-type=..&exclude-waveforms=true` */
  getContact(acdContactId: string, mediaType: MediaTypeName, scope: CallScope): Promise<RecordingModel>;
  /** `GET /segments/{segmentId}?media-type=..&exclude-waveforms=true` */
  getSegment(segmentId: string, mediaType: MediaTypeName, scope: CallScope): Promise<SegmentModel>;
  /** `GET /acd-contacts/{acdContactId}/statements/{statementId}` */
  getStatement(acdContactId: string, statementId: string, scope: CallScope): Promise<StatementMediaModel>;
}

/** CXone's Reporting API: one page of the completed contacts report per call (plus retries). */
export interface CxoneReportingApi {
  /** `GET /incontactapi/services/v{N}/contacts/completed?startDate=..&endDate=..&top=..&skip=..` */
  getCompletedContacts(query: CompletedContactsQuery, scope: CallScope): Promise<CompletedContactsPage>;
}

/** CXone Interaction Analytics: one call per segment's analyzed transcript, one per listing page (plus retries). */
export interface CxoneAnalyticsApi {
  /** `GET /interaction-analytics-gateway/v2/segments/{segmentId}/analyzed-transcript` */
  getSegmentAnalysis(segmentId: string, scope: CallScope): Promise<SegmentAnalysisModel>;
  /** `GET /interaction-analytics-gateway/v2/segments/analyzed?beginningDate=..&endingDate=..&pageSize=..&cursor=..` */
  getAnalyzedSegments(query: AnalyzedSegmentsQuery, scope: CallScope): Promise<AnalyzedSegmentsPage>;
}
