/**
 * Reporting example: exports recording metadata of many contacts to CSV through
 * `recordings(acdContactIds:)`, in pages of at most 500 ids (MAX_LIST_IDS).
 *
 *   npm run export:csv -- --from 200000000001 --count 2000 --out recordings.csv
 *   npm run export:csv -- --ids ids.txt --out recordings.csv --url http://127.0.0.1:4000/graphql
 *   npm run export:csv -- --from-time 2026-01-14T00:00:00Z --to-time 2026-01-15T00:00:00Z --agent 7000001
 *
 * With a time window it pages through `completedContacts` (CXone's completed contacts report),
 * one page per request, and prints each page's cursor: `--after <cursor>` resumes there, appending
 * to `--out`.
 *
 * It selects only fields the subgraph answers from the one `/contacts` call per contact (no segment
 * or statement media links, which cost one more CXone call each). A failed contact is a row with
 * its error code; ids refused with RATE_LIMITED (the tenant's request budget is spent) are asked
 * again after `retryAfterSeconds`, so a long export spreads itself over the budget's windows.
 */
import { createWriteStream, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DEMO_TOKENS } from '../src/simulator/demo-tokens.js';
import { ANALYTICS_CSV_COLUMNS, EMPTY_ANALYTICS, analyticsForPage } from './export-analytics.js';

/** Only /contacts fields: no Segment.mediaUrl, no statements, no extra upstream calls. */
const EXPORT_FIELDS = /* GraphQL */ `
  fragment ExportFields on CxoneRecording {
    acdContactId
    startTime
    endTime
    durationSeconds
    agents { name }
    tags
    mediaUrl { mediaType }
    interactions { mediaType }
  }
`;

const EXPORT_QUERY = /* GraphQL */ `
  query ExportRecordings($ids: [ID!]!) {
    recordings(acdContactIds: $ids) { ...ExportFields }
  }
  ${EXPORT_FIELDS}
`;

export const CSV_COLUMNS = [
  'acdContactId',
  'startTime',
  'endTime',
  'durationSeconds',
  'agents',
  'tags',
  'mediaType',
  'errorCode',
  'errorMessage',
] as const;

/** The subgraph's default (and largest sensible) page: MAX_LIST_IDS. */
export const MAX_PAGE = 500;

interface ExportRecording {
  readonly acdContactId: string;
  readonly startTime: string | null;
  readonly endTime: string | null;
  readonly durationSeconds: number | null;
  readonly agents: ReadonlyArray<{ readonly name: string | null }>;
  readonly tags: readonly string[];
  readonly mediaUrl: { readonly mediaType: string | null } | null;
  readonly interactions: ReadonlyArray<{ readonly mediaType: string | null }>;
}

interface GraphQLError {
  readonly message: string;
  readonly path?: ReadonlyArray<string | number>;
  readonly extensions?: { readonly code?: unknown; readonly retryAfterSeconds?: unknown };
}

interface ExportResponse {
  readonly data?: { readonly recordings: ReadonlyArray<ExportRecording | null> } | null;
  readonly errors?: readonly GraphQLError[];
}

export interface ExportOptions {
  /** The subgraph's (or the gateway's) GraphQL endpoint. */
  readonly url: string;
  /** Sent as `Authorization: Bearer <token>` (forward mode); omit in access-key mode. */
  readonly token?: string;
  readonly ids: readonly string[];
  /** Ids per request, 1 to 500. */
  readonly pageSize?: number;
  /** Receives the CSV, one line at a time (header first), each ending in \n. */
  readonly write: (line: string) => void | Promise<void>;
  /** How many RATE_LIMITED waits one page may take before its ids are written as errors. Default 50. */
  readonly maxWaitsPerPage?: number;
  /** Injectable for tests; default setTimeout. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Injectable for tests; default Date.now. Only progress (the ETA) reads it. */
  readonly now?: () => number;
  /** While waiting for the budget, progress is reported at least this often. Default 15. */
  readonly progressEverySeconds?: number;
  /** Progress: called after each request. */
  readonly onProgress?: (progress: ExportProgress) => void;
  readonly fetch?: typeof fetch;
}

export interface ExportProgress {
  readonly requests: number;
  readonly rowsWritten: number;
  readonly total: number;
  /** Set while the export waits for the budget: seconds of this wait still to go. */
  readonly waitingSeconds?: number;
  /**
   * Seconds until the export should be done, at the pace so far (waits included); set once a row
   * was written and rows are left.
   */
  readonly etaSeconds?: number;
}

export interface ExportSummary {
  readonly rows: number;
  readonly requests: number;
  /** Rows by error code (successful rows are not counted). */
  readonly errors: Readonly<Record<string, number>>;
  /** RATE_LIMITED waits taken, and their total length. */
  readonly waits: number;
  readonly waitedSeconds: number;
}

/** Exports `ids` as CSV rows in input order; resolves when every row is written. */
export async function exportRecordingsCsv(options: ExportOptions): Promise<ExportSummary> {
  const pageSize = checkedPageSize(options.pageSize ?? MAX_PAGE);
  const maxWaits = options.maxWaitsPerPage ?? 50;
  const now = options.now ?? Date.now;
  const started = now();
  const errors: Record<string, number> = {};
  let requests = 0;
  let rows = 0;
  let waits = 0;
  let waitedSeconds = 0;

  const total = options.ids.length;
  /** Rows left at the pace so far: elapsed time (plus the wait ahead) per row written. */
  const progress = (waitingSeconds?: number): ExportProgress => {
    const spentSeconds = (now() - started) / 1000 + (waitingSeconds ?? 0);
    const etaSeconds = rows > 0 && rows < total ? Math.round(((total - rows) * spentSeconds) / rows + (waitingSeconds ?? 0)) : undefined;
    return {
      requests,
      rowsWritten: rows,
      total,
      ...(waitingSeconds === undefined ? {} : { waitingSeconds }),
      ...(etaSeconds === undefined ? {} : { etaSeconds }),
    };
  };

  await options.write(`${CSV_COLUMNS.join(',')}\n`);
  for (let start = 0; start < options.ids.length; start += pageSize) {
    const page = options.ids.slice(start, start + pageSize);
    const results = new Map<number, Row>();
    // Rows go out as soon as they and every row before them are known (input order), so an export
    // stopped during a long budget wait keeps what it already has.
    let flushed = 0;
    const flush = async (): Promise<void> => {
      for (let row = results.get(flushed); row !== undefined; row = results.get(flushed)) {
        if (row.errorCode !== '') errors[row.errorCode] = (errors[row.errorCode] ?? 0) + 1;
        await options.write(`${toCsvLine(row)}\n`);
        rows += 1;
        flushed += 1;
      }
    };
    // Indexes (into `page`) still to ask for; rate-limited ones go round again after the wait.
    let pending = page.map((_, index) => index);
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      const response = await post(options, pending.map((index) => page[index]!));
      requests += 1;
      const retry: number[] = [];
      let retryAfterSeconds = 0;
      pending.forEach((pageIndex, slot) => {
        const recording = response.data?.recordings[slot] ?? null;
        const error = errorAt(response, slot);
        if (recording !== null) {
          results.set(pageIndex, recordingRow(recording));
        } else if (error?.code === 'RATE_LIMITED' && attempt < maxWaits) {
          retry.push(pageIndex);
          retryAfterSeconds = Math.max(retryAfterSeconds, error.retryAfterSeconds);
        } else {
          results.set(pageIndex, errorRow(page[pageIndex]!, error ?? { code: 'NO_DATA', message: 'No recording and no error.', retryAfterSeconds: 0 }));
        }
      });
      pending = retry;
      await flush();
      if (pending.length > 0) {
        // The budget says when points come back; asking earlier would only be refused again.
        const seconds = Math.max(retryAfterSeconds, 1);
        waits += 1;
        waitedSeconds += seconds;
        await waitInSteps(options, seconds, (left) => options.onProgress?.(progress(left)));
      }
    }
    options.onProgress?.(progress());
  }
  return { rows, requests, errors, waits, waitedSeconds };
}

/** A page size both exports accept: 1 to MAX_LIST_IDS. */
function checkedPageSize(pageSize: number): number {
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE) {
    throw new Error(`pageSize must be 1 to ${MAX_PAGE}, got ${pageSize}`);
  }
  return pageSize;
}

/**
 * Sleeps out a budget wait in steps of at most `progressEverySeconds` (default 15), telling
 * `report` the seconds left before each, so a long wait shows a countdown instead of one line and
 * minutes of silence.
 */
async function waitInSteps(
  options: Pick<ExportOptions, 'sleep' | 'progressEverySeconds'>,
  seconds: number,
  report: (secondsLeft: number) => void,
): Promise<void> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const tick = Math.max(1, options.progressEverySeconds ?? 15);
  for (let left = seconds; left > 0; left -= tick) {
    report(left);
    await sleep(Math.min(left, tick) * 1000);
  }
}

type Row = Record<(typeof CSV_COLUMNS)[number], string>;

function recordingRow(recording: ExportRecording): Row {
  const agents = [...new Set(recording.agents.map((agent) => agent.name).filter((name): name is string => name !== null))];
  return {
    acdContactId: recording.acdContactId,
    startTime: recording.startTime ?? '',
    endTime: recording.endTime ?? '',
    durationSeconds: recording.durationSeconds === null ? '' : String(recording.durationSeconds),
    agents: agents.join('; '),
    tags: recording.tags.join('; '),
    mediaType: recording.mediaUrl?.mediaType ?? recording.interactions.find((i) => i.mediaType !== null)?.mediaType ?? '',
    errorCode: '',
    errorMessage: '',
  };
}

interface ItemError {
  readonly code: string;
  readonly message: string;
  readonly retryAfterSeconds: number;
}

function errorRow(acdContactId: string, error: ItemError): Row {
  return {
    acdContactId,
    startTime: '',
    endTime: '',
    durationSeconds: '',
    agents: '',
    tags: '',
    mediaType: '',
    errorCode: error.code,
    errorMessage: error.message,
  };
}

/** The error of list slot `slot` (path ['recordings', slot]), or a request-wide one. */
function errorAt(response: ExportResponse, slot: number): ItemError | undefined {
  const error =
    response.errors?.find((e) => e.path?.[0] === 'recordings' && e.path[1] === slot) ??
    response.errors?.find((e) => e.path === undefined || e.path.length <= 1);
  if (error === undefined) return undefined;
  const code = typeof error.extensions?.code === 'string' ? error.extensions.code : 'ERROR';
  const retryAfter = error.extensions?.retryAfterSeconds;
  return { code, message: error.message, retryAfterSeconds: typeof retryAfter === 'number' ? retryAfter : 1 };
}

async function post(options: ExportOptions, ids: readonly string[]): Promise<ExportResponse> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(options.url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query: EXPORT_QUERY, variables: { ids } }),
    });
  } catch (error: unknown) {
    throw new Error(unreachableMessage(options.url, error));
  }
  const body = (await response.json().catch(() => null)) as ExportResponse | null;
  if (body === null || (body.data === undefined && body.errors === undefined)) {
    throw new Error(`${options.url} answered ${response.status} without a GraphQL body`);
  }
  if ((body.data === null || body.data === undefined) && body.errors?.every((e) => e.path === undefined)) {
    // The whole request was refused (bad input, limits): nothing per contact to write.
    const first = body.errors[0];
    throw new Error(`${options.url} refused the page: ${String(first?.extensions?.code ?? response.status)} ${first?.message ?? ''}`);
  }
  return body;
}

/** What to say when the endpoint cannot be reached at all: which URL, why, and what to start. */
function unreachableMessage(url: string, error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause ? String(cause.code) : undefined;
  const why = code ?? (cause instanceof Error ? cause.message : String(cause));
  return (
    `could not reach ${url} (${why}). Start the subgraph first (\`npm start\`, or \`npm run federated\` ` +
    `for the gateway on :4000), or point --url at a running one.`
  );
}

/** RFC 4180 quoting; text cells that a spreadsheet would run as a formula get a leading '. */
function toCsvLine(row: Row): string {
  return CSV_COLUMNS.map((column) => {
    let value = row[column];
    if ((column === 'agents' || column === 'tags' || column === 'errorMessage') && /^[=+\-@\t\r]/.test(value)) {
      value = `'${value}`;
    }
    return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
  }).join(',');
}

/** `count` consecutive ids from `from` (digits; BigInt so 20-digit ids stay exact). */
function idRange(from: string, count: number): string[] {
  if (!/^\d{1,20}$/.test(from)) throw new Error(`--from must be an ACD contact id (digits), got "${from}"`);
  const first = BigInt(from);
  return Array.from({ length: count }, (_, index) => String(first + BigInt(index)));
}

/** Ids from a file: one per line, or separated by commas or whitespace; `#` starts a comment. */
function readIds(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, ''))
    .flatMap((line) => line.split(/[\s,]+/))
    .filter((id) => id !== '');
}


/** A time window to export instead of an id list: pages of `completedContacts` with their recordings. */
const WINDOW_EXPORT_QUERY = /* GraphQL */ `
  query ExportWindow($from: DateTime!, $to: DateTime!, $agentId: ID, $skillId: ID, $mediaType: CxoneReportingMediaType, $first: Int, $after: String) {
    completedContacts(from: $from, to: $to, agentId: $agentId, skillId: $skillId, mediaType: $mediaType, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        cxoneContact { acdContactId contactId startTime endTime durationSeconds agentName skillName direction mediaType }
        node {
          recording { ...ExportFields }
        }
      }
    }
  }
  ${EXPORT_FIELDS}
`;

/** A window page's default size: each row costs a recording call, and a page is one request. */
const WINDOW_PAGE = 50;

/** The window export's columns: the report's own, then the recording's, then the error. */
export const WINDOW_CSV_COLUMNS = [
  'acdContactId',
  'contactId',
  'startTime',
  'endTime',
  'durationSeconds',
  'agent',
  'skill',
  'direction',
  'reportMediaType',
  'recordingAgents',
  'tags',
  'mediaType',
  'errorCode',
  'errorMessage',
  // Interaction Analytics (scripts/export-analytics.ts): about one more request per page.
  ...ANALYTICS_CSV_COLUMNS,
] as const;

export interface WindowExportOptions extends Omit<ExportOptions, 'ids' | 'write'> {
  readonly from: string;
  readonly to: string;
  readonly agentId?: string;
  readonly skillId?: string;
  /** CxoneReportingMediaType, e.g. PHONE_CALL. */
  readonly mediaType?: string;
  /** Resume after this cursor (a previous run's last printed one); the header is then not written again. */
  readonly after?: string;
  readonly write: (line: string) => void | Promise<void>;
  /** Called after each page's rows are written, with the cursor that resumes after them. */
  readonly onCursor?: (cursor: string) => void;
  /** Fill `summary` too: one CXone call per analyzed segment (intent, outcome, end sentiment cost ~one request per page). */
  readonly summaries?: boolean;
  /** false: leave the analytics columns empty and make no analytics request. */
  readonly analytics?: boolean;
}

interface WindowEdge {
  readonly cxoneContact: {
    readonly acdContactId: string;
    readonly contactId: string;
    readonly startTime: string;
    readonly endTime: string | null;
    readonly durationSeconds: number | null;
    readonly agentName: string | null;
    readonly skillName: string | null;
    readonly direction: string | null;
    readonly mediaType: string | null;
  };
  readonly node: { readonly recording: ExportRecording | null };
}

interface WindowResponse {
  readonly data?: {
    readonly completedContacts: {
      readonly totalCount: number;
      readonly pageInfo: { readonly hasNextPage: boolean; readonly endCursor: string | null };
      readonly edges: readonly WindowEdge[];
    };
  } | null;
  readonly errors?: readonly GraphQLError[];
}

type WindowRow = Record<(typeof WINDOW_CSV_COLUMNS)[number], string>;

/**
 * Exports a time window page by page, in the report's order. A page refused with RATE_LIMITED is
 * asked again after `retryAfterSeconds` (same cursor); recordings refused with RATE_LIMITED are
 * asked again by id (`recordings(acdContactIds:)`) after the wait, so every row ends up with its
 * recording or a lasting error.
 */
export async function exportWindowCsv(options: WindowExportOptions): Promise<ExportSummary> {
  const pageSize = checkedPageSize(options.pageSize ?? WINDOW_PAGE);
  const maxWaits = options.maxWaitsPerPage ?? 50;
  const counters = { requests: 0, rows: 0, waits: 0, waitedSeconds: 0 };
  const errors: Record<string, number> = {};
  const wait = async (seconds: number, total: number): Promise<void> => {
    const s = Math.max(seconds, 1);
    counters.waits += 1;
    counters.waitedSeconds += s;
    await waitInSteps(options, s, (left) =>
      options.onProgress?.({ requests: counters.requests, rowsWritten: counters.rows, total, waitingSeconds: left }),
    );
  };

  if (options.after === undefined) await options.write(`${WINDOW_CSV_COLUMNS.join(',')}\n`);
  let after = options.after ?? null;
  let total = 0;
  for (;;) {
    let page: NonNullable<WindowResponse['data']>['completedContacts'] | undefined;
    let pageErrors: readonly GraphQLError[] = [];
    for (let attempt = 0; page === undefined; attempt += 1) {
      const response = await postWindow(options, { first: pageSize, after });
      counters.requests += 1;
      const refused = response.errors?.find((e) => e.path?.length === 1 && e.path[0] === 'completedContacts');
      if (response.data?.completedContacts != null) {
        page = response.data.completedContacts;
        pageErrors = response.errors ?? [];
      } else if (refused?.extensions?.code === 'RATE_LIMITED' && attempt < maxWaits) {
        // The report page itself was refused: the budget says when to ask again.
        await wait(numberOr(refused.extensions.retryAfterSeconds, 1), total);
      } else {
        const first = refused ?? response.errors?.[0];
        throw new Error(`${options.url} refused the page: ${String(first?.extensions?.code ?? 'ERROR')} ${first?.message ?? ''}`);
      }
    }
    total = page.totalCount;
    const rows: WindowRow[] = [];
    const retry = new Map<number, string>();
    let retryAfterSeconds = 0;
    page.edges.forEach((edge, index) => {
      const error = edgeError(pageErrors, index);
      rows.push(windowRow(edge, edge.node.recording, error));
      if (edge.node.recording === null && error?.code === 'RATE_LIMITED') {
        retry.set(index, edge.cxoneContact.acdContactId);
        retryAfterSeconds = Math.max(retryAfterSeconds, error.retryAfterSeconds);
      }
    });
    // Recordings refused for the budget: wait, then ask for just those ids until they come.
    for (let attempt = 0; retry.size > 0 && attempt < maxWaits; attempt += 1) {
      await wait(retryAfterSeconds, total);
      const indexes = [...retry.keys()];
      const response = await post({ ...options, ids: [] }, indexes.map((index) => retry.get(index)!));
      counters.requests += 1;
      retryAfterSeconds = 0;
      indexes.forEach((index, slot) => {
        const recording = response.data?.recordings[slot] ?? null;
        const error = errorAt(response, slot);
        const edge = page.edges[index]!;
        if (recording === null && error?.code === 'RATE_LIMITED') {
          retryAfterSeconds = Math.max(retryAfterSeconds, error.retryAfterSeconds);
          return;
        }
        rows[index] = windowRow(edge, recording, error);
        retry.delete(index);
      });
    }
    if (options.analytics !== false) {
      const reportRows = page.edges.map((edge) => edge.cxoneContact);
      let analytics = await analyticsForPage(options, reportRows);
      counters.requests += analytics.requests;
      // The listing refused for the budget: wait as for recordings, then ask again for this page.
      for (let attempt = 0; analytics.retryAfterSeconds !== undefined && attempt < maxWaits; attempt += 1) {
        await wait(analytics.retryAfterSeconds, total);
        analytics = await analyticsForPage(options, reportRows);
        counters.requests += analytics.requests;
      }
      rows.forEach((row, index) => Object.assign(row, analytics.cells.get(rows[index]!.acdContactId) ?? EMPTY_ANALYTICS));
    }
    for (const row of rows) {
      if (row.errorCode !== '') errors[row.errorCode] = (errors[row.errorCode] ?? 0) + 1;
      await options.write(`${toWindowCsvLine(row)}\n`);
      counters.rows += 1;
    }
    if (page.pageInfo.endCursor !== null) options.onCursor?.(page.pageInfo.endCursor);
    options.onProgress?.({ requests: counters.requests, rowsWritten: counters.rows, total });
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  return { rows: counters.rows, requests: counters.requests, errors, waits: counters.waits, waitedSeconds: counters.waitedSeconds };
}

/** The recording error of edge `index` (path completedContacts.edges.index.node.recording). */
function edgeError(errors: readonly GraphQLError[], index: number): ItemError | undefined {
  const error = errors.find((e) => e.path?.[0] === 'completedContacts' && e.path[1] === 'edges' && e.path[2] === index);
  if (error === undefined) return undefined;
  const code = typeof error.extensions?.code === 'string' ? error.extensions.code : 'ERROR';
  return { code, message: error.message, retryAfterSeconds: numberOr(error.extensions?.retryAfterSeconds, 1) };
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function windowRow(edge: WindowEdge, recording: ExportRecording | null, error: ItemError | undefined): WindowRow {
  const report = edge.cxoneContact;
  const fromRecording = recording === null ? null : recordingRow(recording);
  return {
    acdContactId: report.acdContactId,
    contactId: report.contactId,
    startTime: report.startTime,
    endTime: report.endTime ?? '',
    durationSeconds: report.durationSeconds === null ? '' : String(report.durationSeconds),
    agent: report.agentName ?? '',
    skill: report.skillName ?? '',
    direction: report.direction ?? '',
    reportMediaType: report.mediaType ?? '',
    recordingAgents: fromRecording?.agents ?? '',
    tags: fromRecording?.tags ?? '',
    mediaType: fromRecording?.mediaType ?? '',
    errorCode: recording === null ? (error?.code ?? 'NO_DATA') : '',
    errorMessage: recording === null ? (error?.message ?? 'No recording and no error.') : '',
    ...EMPTY_ANALYTICS,
  };
}

async function postWindow(options: WindowExportOptions, page: { first: number; after: string | null }): Promise<WindowResponse> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
  const variables = {
    from: options.from,
    to: options.to,
    agentId: options.agentId ?? null,
    skillId: options.skillId ?? null,
    mediaType: options.mediaType ?? null,
    ...page,
  };
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(options.url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query: WINDOW_EXPORT_QUERY, variables }),
    });
  } catch (error: unknown) {
    throw new Error(unreachableMessage(options.url, error));
  }
  const body = (await response.json().catch(() => null)) as WindowResponse | null;
  if (body === null || (body.data === undefined && body.errors === undefined)) {
    throw new Error(`${options.url} answered ${response.status} without a GraphQL body`);
  }
  return body;
}

function toWindowCsvLine(row: WindowRow): string {
  return WINDOW_CSV_COLUMNS.map((column) => csvCell(row[column], column === 'agent' || column === 'recordingAgents' || column === 'skill' || column === 'tags' || column === 'errorMessage' || column === 'summary' || column === 'intent' || column === 'outcome')).join(',');
}

/** RFC 4180 quoting; a text cell a spreadsheet would run as a formula gets a leading '. */
function csvCell(raw: string, text: boolean): string {
  const value = text && /^[=+\-@\t\r]/.test(raw) ? `'${raw}` : raw;
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const USAGE = `usage: npm run export:csv -- (--from <id> --count <n> | --ids <file>) [--out <file>]
       [--url http://127.0.0.1:4001/graphql] [--token <bearer token>] [--page-size 500]
   or: npm run export:csv -- --from-time <ISO> --to-time <ISO> [--agent <agentId>] [--skill <skillId>]
       [--media-type PHONE_CALL] [--after <cursor>] [--out <file>] [--url ...] [--token ...] [--page-size 50]
       [--summaries] [--no-analytics]
A window pages through completedContacts; each page's cursor is printed, and --after resumes there
(appending to --out). Its intent, outcome and endSentiment columns come from analyzedSegments (about
one more request per page); --summaries also fills summary (one CXone call per analyzed segment);
--no-analytics leaves them empty.
The token (default: the simulator's full demo token, see npm run demo-tokens) also comes from
CXONE_TOKEN; --token '' sends no Authorization header (a subgraph in access-key mode).`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      from: { type: 'string' },
      count: { type: 'string', default: '1000' },
      ids: { type: 'string' },
      out: { type: 'string' },
      url: { type: 'string', default: 'http://127.0.0.1:4001/graphql' },
      token: { type: 'string' },
      'page-size': { type: 'string' },
      'from-time': { type: 'string' },
      'to-time': { type: 'string' },
      agent: { type: 'string' },
      skill: { type: 'string' },
      'media-type': { type: 'string' },
      summaries: { type: 'boolean' },
      'no-analytics': { type: 'boolean' },
      after: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  const windowMode = values['from-time'] !== undefined || values['to-time'] !== undefined;
  const modes = [values.from !== undefined, values.ids !== undefined, windowMode].filter(Boolean).length;
  if (values.help || modes !== 1 || (windowMode && (values['from-time'] === undefined || values['to-time'] === undefined))) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(values.help ? 0 : 2);
  }
  if (windowMode) {
    await windowMain(values);
    return;
  }
  const count = Number(values.count);
  if (!Number.isInteger(count) || count < 1) throw new Error(`--count must be a positive whole number, got "${values.count}"`);
  const ids = values.ids === undefined ? idRange(values.from!, count) : readIds(values.ids);
  const { out, write } = csvOutput(values.out, 'w');
  const started = Date.now();
  const summary = await exportRecordingsCsv({
    url: values.url,
    ...tokenOption(values.token),
    ids,
    pageSize: Number(values['page-size'] ?? MAX_PAGE),
    write,
    onProgress: (progress) => {
      const percent = Math.floor((100 * progress.rowsWritten) / Math.max(1, progress.total));
      const waiting =
        progress.waitingSeconds === undefined ? '' : `, CXone budget spent: next request in ${progress.waitingSeconds} s`;
      const eta = progress.etaSeconds === undefined ? '' : `, done in about ${formatDuration(progress.etaSeconds)}`;
      process.stderr.write(`${progress.rowsWritten}/${progress.total} rows (${percent}%), ${progress.requests} requests${waiting}${eta}\n`);
    },
  });
  await finishExport(out, summary, started);
}

/** The token to send: --token, else CXONE_TOKEN, else the demo token; an empty one sends no Authorization header (a subgraph in access-key mode). */
function tokenOption(given: string | undefined): { token?: string } {
  const token = given ?? process.env['CXONE_TOKEN'] ?? DEMO_TOKENS.full;
  return token === '' ? {} : { token };
}

/** Where rows go (stdout, or the file: 'a' appends), and a write that waits for the stream to drain. */
function csvOutput(path: string | undefined, flags: 'w' | 'a'): { out: NodeJS.WritableStream; write: (line: string) => Promise<void> } {
  const out = path === undefined ? process.stdout : createWriteStream(path, { flags });
  const write = async (line: string) => {
    if (!out.write(line)) await once(out, 'drain');
  };
  return { out, write };
}

/** Closes a file (every row on disk before the summary) and prints what the export did. */
async function finishExport(out: NodeJS.WritableStream, summary: ExportSummary, started: number): Promise<void> {
  if (out !== process.stdout) {
    out.end();
    await once(out, 'finish');
  }
  process.stderr.write(
    `${summary.rows} rows in ${((Date.now() - started) / 1000).toFixed(1)} s, ${summary.requests} requests, ` +
      `${summary.waits} budget waits (${summary.waitedSeconds} s); errors: ${JSON.stringify(summary.errors)}\n`,
  );
}

function formatDuration(seconds: number): string {
  if (seconds < 90) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 90 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** The window mode of the command line: pages, prints each cursor, resumes with --after. */
async function windowMain(values: {
  'from-time'?: string | undefined;
  'to-time'?: string | undefined;
  agent?: string | undefined;
  skill?: string | undefined;
  'media-type'?: string | undefined;
  summaries?: boolean | undefined;
  'no-analytics'?: boolean | undefined;
  after?: string | undefined;
  out?: string | undefined;
  url: string;
  token?: string | undefined;
  'page-size'?: string | undefined;
}): Promise<void> {
  // Resuming appends to the file the first run wrote.
  const { out, write } = csvOutput(values.out, values.after === undefined ? 'w' : 'a');
  const started = Date.now();
  const summary = await exportWindowCsv({
    url: values.url,
    ...tokenOption(values.token),
    from: values['from-time']!,
    to: values['to-time']!,
    ...(values.agent === undefined ? {} : { agentId: values.agent }),
    ...(values.skill === undefined ? {} : { skillId: values.skill }),
    ...(values['media-type'] === undefined ? {} : { mediaType: values['media-type'] }),
    ...(values.after === undefined ? {} : { after: values.after }),
    summaries: values.summaries === true,
    analytics: values['no-analytics'] !== true,
    pageSize: Number(values['page-size'] ?? WINDOW_PAGE),
    write,
    onCursor: (cursor) => process.stderr.write(`resume with: --after ${cursor}\n`),
    onProgress: (progress) => {
      const waiting = progress.waitingSeconds === undefined ? '' : `, budget spent: waiting ${progress.waitingSeconds} s`;
      process.stderr.write(`${progress.rowsWritten}/${progress.total} rows, ${progress.requests} requests${waiting}\n`);
    },
  });
  await finishExport(out, summary, started);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`export failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
