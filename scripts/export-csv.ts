/**
 * Reporting example: exports recording metadata of many contacts to CSV through
 * `recordings(acdContactIds:)`, in pages of at most 500 ids (MAX_LIST_IDS).
 *
 *   npm run export:csv -- --from 200000000001 --count 2000 --out recordings.csv
 *   npm run export:csv -- --ids ids.txt --out recordings.csv --url http://127.0.0.1:4000/graphql
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

/** Only /contacts fields: no Segment.mediaUrl, no statements, no extra upstream calls. */
export const EXPORT_QUERY = /* GraphQL */ `
  query ExportRecordings($ids: [ID!]!) {
    recordings(acdContactIds: $ids) {
      acdContactId
      startTime
      endTime
      durationSeconds
      agents { name }
      tags
      mediaUrl { mediaType }
      interactions { mediaType }
    }
  }
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
  const pageSize = options.pageSize ?? MAX_PAGE;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE) {
    throw new Error(`pageSize must be 1 to ${MAX_PAGE}, got ${pageSize}`);
  }
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const maxWaits = options.maxWaitsPerPage ?? 50;
  const now = options.now ?? Date.now;
  const tick = Math.max(1, options.progressEverySeconds ?? 15);
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
        // In steps, so a long wait shows a countdown instead of one line and minutes of silence.
        for (let left = seconds; left > 0; left -= tick) {
          options.onProgress?.(progress(left));
          await sleep(Math.min(left, tick) * 1000);
        }
      }
    }
    options.onProgress?.(progress());
  }
  return { rows, requests, errors, waits, waitedSeconds };
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
export function unreachableMessage(url: string, error: unknown): string {
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
export function idRange(from: string, count: number): string[] {
  if (!/^\d{1,20}$/.test(from)) throw new Error(`--from must be an ACD contact id (digits), got "${from}"`);
  const first = BigInt(from);
  return Array.from({ length: count }, (_, index) => String(first + BigInt(index)));
}

/** Ids from a file: one per line, or separated by commas or whitespace; `#` starts a comment. */
export function readIds(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, ''))
    .flatMap((line) => line.split(/[\s,]+/))
    .filter((id) => id !== '');
}

const USAGE = `usage: npm run export:csv -- (--from <id> --count <n> | --ids <file>) [--out <file>]
       [--url http://127.0.0.1:4001/graphql] [--token <bearer token>] [--page-size 500]
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
      'page-size': { type: 'string', default: String(MAX_PAGE) },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || (values.from === undefined) === (values.ids === undefined)) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(values.help ? 0 : 2);
  }
  const count = Number(values.count);
  if (!Number.isInteger(count) || count < 1) throw new Error(`--count must be a positive whole number, got "${values.count}"`);
  const ids = values.ids === undefined ? idRange(values.from!, count) : readIds(values.ids);
  // An empty token sends no Authorization header (a subgraph in access-key mode).
  const token = values.token ?? process.env['CXONE_TOKEN'] ?? DEMO_TOKENS.full;

  const out = values.out === undefined ? process.stdout : createWriteStream(values.out);
  const write = async (line: string) => {
    if (!out.write(line)) await once(out, 'drain');
  };
  const started = Date.now();
  const summary = await exportRecordingsCsv({
    url: values.url,
    ...(token === '' ? {} : { token }),
    ids,
    pageSize: Number(values['page-size']),
    write,
    onProgress: (progress) => {
      const percent = Math.floor((100 * progress.rowsWritten) / Math.max(1, progress.total));
      const waiting =
        progress.waitingSeconds === undefined ? '' : `, CXone budget spent: next request in ${progress.waitingSeconds} s`;
      const eta = progress.etaSeconds === undefined ? '' : `, done in about ${formatDuration(progress.etaSeconds)}`;
      process.stderr.write(`${progress.rowsWritten}/${progress.total} rows (${percent}%), ${progress.requests} requests${waiting}${eta}\n`);
    },
  });
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

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`export failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
