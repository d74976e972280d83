/**
 * Reporting, as a reporting tool uses it: thousands of ids through `recordings(acdContactIds:)` in
 * pages of 500, inside a tenant budget that runs out mid-export (the export waits for
 * retryAfterSeconds and carries on), per-item errors as CSV rows, and field selection deciding
 * which CXone calls happen. Counts upstream calls on the simulator.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSV_COLUMNS, MAX_PAGE, exportRecordingsCsv } from '../../scripts/export-csv.js';
import { gql } from '../helpers/graphql.js';
import { bulkIds, startStack, type Stack } from '../helpers/stack.js';
import { DEMO_TOKENS } from '../../src/simulator/index.js';

/**
 * 500 upstream calls per 5 s; bulk work may use 400 of them (20% is kept for interactive lookups).
 * The export fetches about 200 contacts a second here, so each window's bulk share runs out well
 * before the window ends (2.5x margin for a busy machine), and 2,000 ids need five windows.
 */
const RATE_LIMIT = 500;
const RATE_WINDOW_SECONDS = 5;

let stack: Stack;
let tmp: string;

beforeAll(async () => {
  stack = await startStack({
    env: {
      CXONE_RATE_LIMIT: String(RATE_LIMIT),
      CXONE_RATE_WINDOW_SECONDS: String(RATE_WINDOW_SECONDS),
      // A reporting deployment: more of a page's calls in flight (the simulator is on loopback).
      CXONE_CONCURRENCY: '32',
    },
  });
  tmp = await mkdtemp(join(tmpdir(), 'cxone-export-'));
});
afterAll(async () => {
  await stack.close();
  await rm(tmp, { recursive: true, force: true });
});

/** Naive CSV parsing, enough for what the export writes (quoted cells may hold commas). */
function parseCsvLine(line: string): string[] {
  const cells: string[] = [];
  const pattern = /("(?:[^"]|"")*"|[^,]*)(,|$)/g;
  for (let match = pattern.exec(line); match !== null && match.index < line.length; match = pattern.exec(line)) {
    const cell = match[1] ?? '';
    cells.push(cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell);
    if (match[2] === '') break;
  }
  return cells;
}

describe('field selection decides the upstream calls', () => {
  const ids = bulkIds(20, 9001);

  it('segments without mediaUrl cost nothing beyond /contacts', async () => {
    stack.simulator.resetCalls();
    const response = await gql<{ recordings: Array<{ acdContactId: string; segments: Array<{ segmentId: string }> }> }>(
      stack.app.url,
      'query ($ids: [ID!]!) { recordings(acdContactIds: $ids) { acdContactId startTime durationSeconds agents { name } tags segments { segmentId closeReason } } }',
      { variables: { ids } },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.recordings.map((recording) => recording.acdContactId)).toEqual(ids);
    expect(stack.simulator.count('contacts')).toBe(20);
    expect(stack.simulator.count('segments')).toBe(0);
    expect(stack.simulator.count('statements')).toBe(0);
  });

  it('selecting segments { mediaUrl } adds one /segments call per segment, and nothing else', async () => {
    stack.simulator.resetCalls();
    const response = await gql<{ recordings: Array<{ segments: Array<{ segmentId: string; mediaUrl: { url: string } | null }> }> }>(
      stack.app.url,
      'query ($ids: [ID!]!) { recordings(acdContactIds: $ids) { acdContactId segments { segmentId mediaUrl { url expiresAt } } } }',
      { variables: { ids } },
    );
    expect(response.errors).toBeUndefined();
    const segments = response.data!.recordings.flatMap((recording) => recording.segments);
    expect(segments.length).toBeGreaterThanOrEqual(20);
    for (const segment of segments) expect(segment.mediaUrl?.url).toContain('/media/');
    // The contacts are cached from the first query; only the segments' own media were asked for.
    expect(stack.simulator.count('contacts')).toBe(0);
    expect(stack.simulator.count('segments')).toBe(segments.length);
    expect(new Set(stack.simulator.calls().map((call) => call.key)).size).toBe(segments.length);
  });

  it('selecting statements { mediaUrl } adds one call per statement', async () => {
    stack.simulator.resetCalls();
    const response = await gql<{ recording: { statements: Array<{ statementId: string; mediaUrl: { url: string } }> } }>(
      stack.app.url,
      '{ recording(acdContactId: "100000000001") { acdContactId statements(statementIds: ["5001", "5002"]) { statementId playerUrl mediaUrl { url } } } }',
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.recording.statements.map((statement) => statement.statementId)).toEqual(['5001', '5002']);
    expect(stack.simulator.count('contacts')).toBe(1);
    expect(stack.simulator.count('statements')).toBe(2);
  });
});

describe('CSV export of thousands of contacts within the budget', () => {
  // 1,996 generated calls, a chat, a pre-2018 contact, an unknown id and an id that is no id.
  const special = ['100000000003', '100000000011', '199999999999', 'not-an-id'];
  const ids = [...bulkIds(1000, 1), ...special, ...bulkIds(996, 1001)];

  it('pages through 2,000 ids, waits out the spent budget, writes one row per id in order', async () => {
    stack.simulator.resetCalls();
    const lines: string[] = [];
    const waits: number[] = [];
    const etas: number[] = [];
    let rowsBeforeFirstWait: number | undefined;
    const started = Date.now();
    const summary = await exportRecordingsCsv({
      url: stack.app.url,
      token: DEMO_TOKENS.full,
      ids,
      write: (line) => {
        lines.push(line);
      },
      onProgress: (progress) => {
        if (progress.waitingSeconds !== undefined) {
          waits.push(progress.waitingSeconds);
          rowsBeforeFirstWait ??= lines.length - 1;
        }
        if (progress.etaSeconds !== undefined) etas.push(progress.etaSeconds);
      },
    });
    const elapsedSeconds = (Date.now() - started) / 1000;

    // The header, then one row per id, in the order asked.
    expect(lines[0]).toBe(`${CSV_COLUMNS.join(',')}\n`);
    const rows = lines.slice(1).map((line) => parseCsvLine(line.trimEnd()));
    expect(rows).toHaveLength(ids.length);
    expect(rows.map((row) => row[0])).toEqual(ids);
    expect(summary.rows).toBe(ids.length);

    // 2,000 calls cannot fit one window of 400 bulk points: the export waited for the budget.
    expect(summary.waits).toBeGreaterThanOrEqual(1);
    expect(waits.every((seconds) => seconds >= 1 && seconds <= RATE_WINDOW_SECONDS)).toBe(true);
    // Rows the budget allowed were written before the export started waiting, not after the page.
    expect(rowsBeforeFirstWait).toBeGreaterThan(0);
    // Progress carries an ETA while rows are left.
    expect(etas.length).toBeGreaterThan(0);
    expect(etas.every((seconds) => Number.isFinite(seconds) && seconds >= 0)).toBe(true);
    // Each wait is followed by one request for the refused ids of that page, nothing more.
    expect(summary.requests).toBe(Math.ceil(ids.length / MAX_PAGE) + summary.waits);
    expect(elapsedSeconds).toBeLessThan(90);

    // Per-item errors are rows with their code; nothing stays RATE_LIMITED.
    const byId = new Map(rows.map((row) => [row[0], Object.fromEntries(CSV_COLUMNS.map((column, index) => [column, row[index] ?? '']))]));
    expect(byId.get('100000000011')!['errorCode']).toBe('RECORDING_NOT_FOUND');
    expect(byId.get('100000000011')!['errorMessage']).toContain('2018-12-13');
    expect(byId.get('199999999999')!['errorCode']).toBe('RECORDING_NOT_FOUND');
    expect(byId.get('not-an-id')!['errorCode']).toBe('BAD_USER_INPUT');
    expect(summary.errors).toEqual({ RECORDING_NOT_FOUND: 2, BAD_USER_INPUT: 1 });

    // Good rows carry the metadata.
    const chat = byId.get('100000000003')!;
    expect(chat['errorCode']).toBe('');
    expect(chat['agents']).toBe('Bob Example');
    expect(chat['mediaType']).toMatch(/chat/);
    const bulk = byId.get('200000000001')!;
    expect(bulk['startTime']).toMatch(/^2024-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Number(bulk['durationSeconds'])).toBeGreaterThanOrEqual(60);
    expect(Number(bulk['durationSeconds'])).toBeLessThanOrEqual(900);
    expect(bulk['agents']).not.toBe('');
    expect(bulk['mediaType']).toBe('voice-only');

    // Upstream: exactly one /contacts call per valid id (refused ids never reached CXone), and the
    // export's selection caused no segment or statement calls.
    expect(stack.simulator.count('contacts')).toBe(ids.length - 1);
    expect(new Set(stack.simulator.calls().map((call) => call.key)).size).toBe(ids.length - 1);
    expect(stack.simulator.count('segments')).toBe(0);
    expect(stack.simulator.count('statements')).toBe(0);
  }, 120_000);

  it('runs as a command: npm run export:csv -- --from <id> --count <n> --out <file>', async () => {
    const out = join(tmp, 'recordings.csv');
    // tsx, as `npm run export:csv` runs it; the contacts are cached from the export above.
    await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'scripts/export-csv.ts', '--from', '200000000001', '--count', '7', '--out', out, '--url', stack.app.url],
      { timeout: 60_000 },
    );
    const lines = (await readFile(out, 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(8);
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual(bulkIds(7, 1));
    expect(lines.slice(1).every((line) => line.endsWith(',,'))).toBe(true);
  }, 60_000);

  it('says which URL it could not reach and what to start', async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
      });
    });
    const url = `http://127.0.0.1:${closed}/graphql`;
    const failure = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'scripts/export-csv.ts', '--from', '200000000001', '--count', '3', '--url', url],
      { timeout: 60_000 },
    ).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain(`could not reach ${url} (ECONNREFUSED)`);
    expect(failure?.stderr).toContain('npm start');
  }, 60_000);
});
