/**
 * `npm run export:csv` with a time window: pages through `completedContacts` with each row's
 * recording, inside a tenant budget small enough to run out mid-export (the export waits out
 * RATE_LIMITED and carries on), and resumes from a printed cursor. Real HTTP against the simulator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WINDOW_CSV_COLUMNS, exportWindowCsv } from '../../scripts/export-csv.js';
import { DEMO_TOKENS, SIMULATOR_VARIANTS, simAgentId } from '../../src/simulator/index.js';
import { gql } from '../helpers/graphql.js';
import { startStack, type Stack } from '../helpers/stack.js';

const DAY = 86_400_000;
let stack: Stack;

// Both generations of the report: NICE's published names, and the legacy ones.
describe.each(SIMULATOR_VARIANTS)('against the %s simulator', (variant) => {
  beforeAll(async () => {
    // Five upstream calls per second, one kept for interactive lookups: bulk work gets four, so a
    // page (one report call) and its four recordings never fit in one window.
    stack = await startStack({ simulator: { variant }, env: { CXONE_RATE_LIMIT: '5', CXONE_RATE_WINDOW_SECONDS: '1' } });
  });
  afterAll(async () => {
    await stack.close();
  });

  function yesterday(): { from: string; to: string } {
    const today = Math.floor(stack.clock.now() / DAY);
    return { from: new Date((today - 1) * DAY).toISOString(), to: new Date(today * DAY).toISOString() };
  }

  /** The report's own answer for the window, to compare the CSV with (one big page, bulk budget permitting). */
  async function reportIds(variables: Record<string, unknown>): Promise<string[]> {
    for (;;) {
      const response = await gql<{ completedContacts: { edges: Array<{ cxoneContact: { contactId: string } }> } }>(
        stack.app.url,
        'query ($from: DateTime!, $to: DateTime!, $agentId: ID, $first: Int) { completedContacts(from: $from, to: $to, agentId: $agentId, first: $first) { edges { cxoneContact { contactId } } } }',
        { variables: { ...variables, first: 500 } },
      );
      if (response.data?.completedContacts) return response.data.completedContacts.edges.map((edge) => edge.cxoneContact.contactId);
      expect(response.errors?.[0]?.extensions?.['code']).toBe('RATE_LIMITED');
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  describe('export:csv with a time window', () => {
    const agentId = String(simAgentId('Bob Example'));

    it('pages the window with recordings, waits out the budget, and resumes from a cursor', async () => {
      const window = yesterday();
      const expected = await reportIds({ ...window, agentId });
      expect(expected.length).toBeGreaterThan(4);

      const lines: string[] = [];
      const cursors: string[] = [];
      const summary = await exportWindowCsv({
        url: stack.app.url,
        token: DEMO_TOKENS.full,
        ...window,
        agentId,
        pageSize: 4,
        write: (line) => void lines.push(line),
        onCursor: (cursor) => void cursors.push(cursor),
      });
      expect(lines[0]).toBe(`${WINDOW_CSV_COLUMNS.join(',')}\n`);
      const rows = lines.slice(1).map((line) => line.trimEnd().split(','));
      const column = (name: (typeof WINDOW_CSV_COLUMNS)[number]) => WINDOW_CSV_COLUMNS.indexOf(name);
      expect(rows.map((row) => row[column('contactId')])).toEqual(expected);
      // Every row got its recording in the end: no RATE_LIMITED left in the file.
      expect(summary.errors).toEqual({});
      expect(rows.every((row) => row[column('mediaType')] !== '' && row[column('agent')] === 'Bob Example')).toBe(true);
      expect(summary.waits).toBeGreaterThan(0);
      // More requests than pages: recordings refused for the budget were asked again by id.
      expect(summary.requests).toBeGreaterThan(Math.ceil(expected.length / 4));
      expect(cursors.length).toBe(Math.ceil(expected.length / 4));

      // Resume after the first page: exactly the rest, no header.
      const resumed: string[] = [];
      await exportWindowCsv({
        url: stack.app.url,
        token: DEMO_TOKENS.full,
        ...window,
        agentId,
        pageSize: 4,
        after: cursors[0]!,
        write: (line) => void resumed.push(line),
      });
      expect(resumed).toEqual(lines.slice(1 + 4));
    });
  });
});
