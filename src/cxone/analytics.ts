/** CXone Interaction Analytics through the client's stack: NICE documents one request budget for all its APIs. */
import type { AnalyzedSegmentsPage, AnalyzedSegmentsQuery, SegmentAnalysisModel } from '../models.js';
import { mapAnalyzedSegments, mapAnalyzedTranscript } from './analytics-wire.js';
import type { CxoneHttpClient } from './client.js';
import type { CallScope, CxoneAnalyticsApi } from './ports.js';

/** The gateway's path on the tenant's API host. */
const ROOT = '/interaction-analytics-gateway/v2';

interface AnalyticsClientOptions {
  readonly client: Pick<CxoneHttpClient, 'send'>;
  /** How long an analyzed transcript may be kept (CXONE_TRANSCRIPT_CACHE_SECONDS, in ms). */
  readonly keepMs: number;
}

/** `CxoneAnalyticsApi` over the shared CXone client. One per process; it holds no state. */
export class CxoneAnalyticsClient implements CxoneAnalyticsApi {
  constructor(private readonly options: AnalyticsClientOptions) {}

  getSegmentAnalysis(segmentId: string, scope: CallScope): Promise<SegmentAnalysisModel> {
    const path = `/segments/${encodeURIComponent(segmentId)}/analyzed-transcript`;
    // Utterances are what a reader follows; word level multiplies the answer for no reader here.
    const query = new URLSearchParams({ wordLevel: 'false' });
    return this.options.client.send(
      { endpoint: 'analyzed-transcript', resource: { kind: 'segment-analysis', segmentId }, root: ROOT, path, query },
      scope,
      (body, answeredAt) => mapAnalyzedTranscript(body, segmentId, answeredAt + this.options.keepMs),
    );
  }

  getAnalyzedSegments(query: AnalyzedSegmentsQuery, scope: CallScope): Promise<AnalyzedSegmentsPage> {
    const params = new URLSearchParams({
      dateField: 'startTime',
      beginningDate: query.from,
      endingDate: query.to,
      pageSize: String(query.pageSize),
      order: 'asc',
    });
    if (query.mediaType !== null) params.set('mediaType', query.mediaType);
    if (query.cursor !== null) params.set('cursor', String(query.cursor));
    return this.options.client.send(
      {
        endpoint: 'analyzed-segments',
        resource: { kind: 'analyzed-segments' },
        root: ROOT,
        path: '/segments/analyzed',
        query: params,
        acceptNoContent: true,
      },
      // Analytics listings are bulk work: they yield to contact pages when the tenant's budget is tight.
      { ...scope, priority: 'bulk' },
      (body) => mapAnalyzedSegments(body),
    );
  }
}
