/**
 * `npm run export:csv` by window with Interaction Analytics columns: intent, outcome and end
 * sentiment from analyzedSegments, about one request per report page, against the simulator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WINDOW_CSV_COLUMNS, exportWindowCsv } from '../../scripts/export-csv.js';
import { DEMO_TOKENS, SEEDED } from '../../src/simulator/index.js';
import { startStack, type Stack } from '../helpers/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.close();
});

const parse = (line: string): string[] => line.replace(/\n$/, '').split(',');

describe('window export with Interaction Analytics columns', () => {
  it('fills intent, outcome and end sentiment per contact at about one analytics request per page', async () => {
    stack.simulator.resetCalls();
    const lines: string[] = [];
    const summary = await exportWindowCsv({
      url: stack.app.url,
      token: DEMO_TOKENS.full,
      from: '2024-11-05T00:00:00.000Z',
      to: '2024-11-06T00:00:00.000Z',
      pageSize: 20,
      write: (line) => {
        lines.push(line);
      },
    });
    const column = (name: (typeof WINDOW_CSV_COLUMNS)[number]) => WINDOW_CSV_COLUMNS.indexOf(name);
    expect(parse(lines[0]!)).toEqual([...WINDOW_CSV_COLUMNS]);
    const rows = lines.slice(1).map(parse);
    const transfer = rows.filter((row) => row[column('acdContactId')] === SEEDED.analyzedTransfer);
    expect(transfer.length).toBeGreaterThan(0);
    for (const row of transfer) {
      expect([row[column('intent')], row[column('outcome')], row[column('endSentiment')]]).toEqual(['Fix router connection', 'Resolved', 'POSITIVE']);
      expect(row[column('summary')]).toBe('');
    }
    expect(rows.filter((row) => row[column('intent')] !== '').length).toBeGreaterThan(rows.length / 2);
    const pages = stack.simulator.count('completed-contacts');
    expect(stack.simulator.count('analyzed-segments')).toBe(pages);
    expect(stack.simulator.count('analyzed-transcript')).toBe(0);
    expect(summary.rows).toBe(rows.length);
    console.info(`[calls] export:csv window of ${String(rows.length)} rows: ${String(pages)} report pages + ${String(stack.simulator.count('analyzed-segments'))} analytics calls`);
  });

  it('--summaries adds the summary (one call per analyzed segment); --no-analytics makes no analytics request', async () => {
    const lines: string[] = [];
    await exportWindowCsv({
      url: stack.app.url,
      token: DEMO_TOKENS.full,
      from: '2024-11-05T10:00:00.000Z',
      to: '2024-11-05T10:05:00.000Z',
      summaries: true,
      write: (line) => {
        lines.push(line);
      },
    });
    const joined = lines.join('');
    expect(joined).toContain('transferred to technical support');
    stack.simulator.resetCalls();
    await exportWindowCsv({ url: stack.app.url, token: DEMO_TOKENS.full, from: '2024-11-05T10:00:00.000Z', to: '2024-11-05T10:05:00.000Z', analytics: false, write: () => undefined });
    expect(stack.simulator.count('analyzed-segments')).toBe(0);
  });
});
