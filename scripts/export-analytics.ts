/**
 * The window export's Interaction Analytics columns: intent, outcome and the customer's end
 * sentiment of each contact, from `analyzedSegments` over the span of one page of the report (one
 * request per 100 analyzed segments, usually one per page, not one per contact), and with
 * `--summaries` the summary, through `recordings(acdContactIds:) { analytics { summary } }` (one
 * CXone call per segment: the listing carries no summary text).
 * A tenant without Interaction Analytics or a refused scope leave the cells empty; a spent budget
 * (RATE_LIMITED) is handed back with its `retryAfterSeconds`, and the export waits and asks again,
 * so a resumed export writes the same rows as an uninterrupted one.
 */

/** The columns this adds, after the window export's own. */
export const ANALYTICS_CSV_COLUMNS = ['summary', 'intent', 'outcome', 'endSentiment'] as const;
export type AnalyticsCells = Record<(typeof ANALYTICS_CSV_COLUMNS)[number], string>;
export const EMPTY_ANALYTICS: AnalyticsCells = Object.freeze({ summary: '', intent: '', outcome: '', endSentiment: '' });

/** Segments per request: as many as the subgraph's default cost limit (GRAPHQL_MAX_COST 5000) lets this selection have. */
const LISTING_PAGE = 100;
/** A contact's later legs start after its own start: the span reaches this far past the page's last end. */
const SPAN_SLACK_MS = 1000;

const LISTING_QUERY = /* GraphQL */ `
  query ExportAnalyzed($from: DateTime!, $to: DateTime!, $after: String) {
    analyzedSegments(from: $from, to: $to, first: ${String(LISTING_PAGE)}, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges { segment { acdContactId startTime } analytics { intent outcomes sentiment { end } } }
    }
  }
`;
const SUMMARY_QUERY = /* GraphQL */ `
  query ExportSummaries($ids: [ID!]!) {
    recordings(acdContactIds: $ids) { acdContactId analytics { summary } }
  }
`;

export interface AnalyticsExportOptions {
  readonly url: string;
  readonly token?: string;
  readonly fetch?: typeof fetch;
  /** Also fill `summary` (one CXone call per analyzed segment). */
  readonly summaries?: boolean;
}

interface ReportRow {
  readonly acdContactId: string;
  readonly startTime: string;
  readonly endTime: string | null;
}

interface ListingResponse {
  readonly errors?: ReadonlyArray<{ readonly extensions?: { readonly code?: unknown; readonly retryAfterSeconds?: unknown } }>;
  readonly data?: {
    readonly analyzedSegments: {
      readonly pageInfo: { readonly hasNextPage: boolean; readonly endCursor: string | null };
      readonly edges: ReadonlyArray<{
        readonly segment: { readonly acdContactId: string; readonly startTime: string | null };
        readonly analytics: { readonly intent: string | null; readonly outcomes: readonly string[]; readonly sentiment: { readonly end: string | null } | null } | null;
      }>;
    };
  } | null;
}
interface SummaryResponse {
  readonly data?: { readonly recordings: ReadonlyArray<{ readonly acdContactId: string; readonly analytics: { readonly summary: string | null } | null } | null> } | null;
}

async function ask<T>(options: AnalyticsExportOptions, query: string, variables: Record<string, unknown>): Promise<T | null> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
  try {
    const response = await (options.fetch ?? fetch)(options.url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    return (await response.json().catch(() => null)) as T | null;
  } catch {
    return null;
  }
}

/**
 * The analytics cells of one report page's contacts, by acdContactId, and how many requests that
 * took. Segments in time order: intent from a contact's first analyzed segment (why they called),
 * outcome and end sentiment from its last (how the call ended).
 */
export async function analyticsForPage(
  options: AnalyticsExportOptions,
  rows: readonly ReportRow[],
): Promise<{ readonly cells: ReadonlyMap<string, AnalyticsCells>; readonly requests: number; readonly retryAfterSeconds?: number }> {
  const wanted = new Set(rows.map((row) => row.acdContactId));
  const cells = new Map<string, AnalyticsCells>();
  if (rows.length === 0) return { cells, requests: 0 };
  const starts = rows.map((row) => Date.parse(row.startTime)).filter((ms) => !Number.isNaN(ms));
  const ends = rows.map((row) => Date.parse(row.endTime ?? row.startTime)).filter((ms) => !Number.isNaN(ms));
  if (starts.length === 0) return { cells, requests: 0 };
  const from = new Date(Math.min(...starts)).toISOString();
  const to = new Date(Math.max(...ends, ...starts) + SPAN_SLACK_MS).toISOString();
  let requests = 0;
  let after: string | null = null;
  do {
    const response: ListingResponse | null = await ask<ListingResponse>(options, LISTING_QUERY, { from, to, after });
    requests += 1;
    const connection: NonNullable<ListingResponse['data']>['analyzedSegments'] | undefined = response?.data?.analyzedSegments;
    const limited = response?.errors?.find((error) => error.extensions?.code === 'RATE_LIMITED');
    if (connection == null && limited !== undefined) {
      const retry = limited.extensions?.retryAfterSeconds;
      return { cells, requests, retryAfterSeconds: typeof retry === 'number' && Number.isFinite(retry) ? retry : 1 };
    }
    if (connection == null) break;
    for (const edge of connection.edges) {
      const id = edge.segment.acdContactId;
      if (!wanted.has(id) || edge.analytics === null) continue;
      const known = cells.get(id);
      cells.set(id, {
        summary: '',
        intent: known?.intent || (edge.analytics.intent ?? ''),
        outcome: edge.analytics.outcomes[edge.analytics.outcomes.length - 1] ?? known?.outcome ?? '',
        endSentiment: edge.analytics.sentiment?.end ?? known?.endSentiment ?? '',
      });
    }
    after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
  } while (after !== null);
  if (options.summaries === true && cells.size > 0) {
    const ids = [...cells.keys()];
    const response = await ask<SummaryResponse>(options, SUMMARY_QUERY, { ids });
    requests += 1;
    for (const recording of response?.data?.recordings ?? []) {
      const summary = recording?.analytics?.summary;
      const known = recording === null ? undefined : cells.get(recording.acdContactId);
      if (known !== undefined && typeof summary === 'string') cells.set(recording!.acdContactId, { ...known, summary });
    }
  }
  return { cells, requests };
}
