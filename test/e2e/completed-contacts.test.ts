/**
 * `completedContacts`: a time window to recordings, paged, over real HTTP against the simulator's
 * completed contacts report. Counts upstream calls on the simulator and budget points on /metrics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { DEMO_TOKENS, LIVE_PER_DAY, SIMULATOR_VARIANTS, SIM_SKILLS, liveContactId, simAgentId } from '../../src/simulator/index.js';
import { codesByPath, gql } from '../helpers/graphql.js';
import { scrape } from '../helpers/metrics.js';
import { startStack, type Stack } from '../helpers/stack.js';

const PAGE = /* GraphQL */ `
  query Page($from: DateTime!, $to: DateTime!, $agentId: ID, $skillId: ID, $mediaType: CxoneReportingMediaType, $first: Int, $after: String) {
    completedContacts(from: $from, to: $to, agentId: $agentId, skillId: $skillId, mediaType: $mediaType, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        cursor
        node { acdContactId }
        cxoneContact { acdContactId contactId startTime endTime durationSeconds agentId agentName skillId skillName direction mediaType mediaTypeName }
      }
    }
  }
`;

interface Row {
  readonly acdContactId: string;
  readonly contactId: string;
  readonly startTime: string;
  readonly endTime: string | null;
  readonly durationSeconds: number | null;
  readonly agentId: string | null;
  readonly agentName: string | null;
  readonly skillId: string | null;
  readonly skillName: string | null;
  readonly direction: string | null;
  readonly mediaType: string | null;
  readonly mediaTypeName: string | null;
}
interface Page {
  readonly completedContacts: {
    readonly totalCount: number;
    readonly pageInfo: { readonly hasNextPage: boolean; readonly endCursor: string | null };
    readonly edges: ReadonlyArray<{ readonly cursor: string; readonly node: { readonly acdContactId: string }; readonly cxoneContact: Row }>;
  };
}

const DAY = 86_400_000;
let stack: Stack;

/** The UTC day before the stack's clock (ManualClock starts 2026-01-15T12:00Z). */
function yesterday(): { from: string; to: string; dayNumber: number } {
  const today = Math.floor(stack.clock.now() / DAY);
  return { from: new Date((today - 1) * DAY).toISOString(), to: new Date(today * DAY).toISOString(), dayNumber: today - 1 };
}

async function page(variables: Record<string, unknown>, url = stack.app.url): Promise<Page['completedContacts']> {
  const response = await gql<Page>(url, PAGE, { variables });
  expect(response.errors).toBeUndefined();
  return response.data!.completedContacts;
}

/** Every row of a window, page by page; also the number of pages. */
async function pageToTheEnd(variables: Record<string, unknown>): Promise<{ rows: Row[]; pages: number; totals: number[] }> {
  const rows: Row[] = [];
  const totals: number[] = [];
  let after = (variables['after'] as string | undefined) ?? null;
  for (let pages = 1; ; pages += 1) {
    const current = await page({ ...variables, after });
    rows.push(...current.edges.map((edge) => edge.cxoneContact));
    totals.push(current.totalCount);
    if (!current.pageInfo.hasNextPage) return { rows, pages, totals };
    after = current.pageInfo.endCursor;
    expect(pages).toBeLessThan(1000);
  }
}

// Every suite here runs against both generations of the report (published names and legacy ones).
describe.each(SIMULATOR_VARIANTS)('against the %s simulator', (variant) => {
  beforeAll(async () => {
    stack = await startStack({ simulator: { variant } });
  });
  afterAll(async () => {
    await stack.close();
  });

  describe('paging a window', () => {
    it("pages through yesterday's live contacts to the end, one upstream call per page, without gaps or repeats", async () => {
      const { from, to, dayNumber } = yesterday();
      stack.simulator.resetCalls();
      const { rows, pages, totals } = await pageToTheEnd({ from, to, first: 7 });
      expect(pages).toBe(Math.ceil(LIVE_PER_DAY / 7));
      expect(stack.simulator.count('completed-contacts')).toBe(pages);
      expect(totals.every((total) => total === LIVE_PER_DAY)).toBe(true);
      const expected = Array.from({ length: LIVE_PER_DAY }, (_, index) => liveContactId(dayNumber, index + 1));
      expect(rows.map((row) => row.contactId)).toEqual(expected);
      // Oldest first, and every row inside the window.
      const starts = rows.map((row) => Date.parse(row.startTime));
      expect(starts).toEqual([...starts].sort((a, b) => a - b));
      expect(starts.every((start) => start >= Date.parse(from) && start < Date.parse(to))).toBe(true);
      // What CXone sent each upstream call: the window, top = first, skip moving on by the page.
      const calls = stack.simulator.calls().filter((call) => call.endpoint === 'completed-contacts');
      expect(calls.map((call) => call.query['skip'])).toEqual(Array.from({ length: pages }, (_, i) => String(i * 7)));
      expect(calls.every((call) => call.query['top'] === '7' && call.query['startDate'] === from && call.query['endDate'] === to)).toBe(true);
      // A sort field both generations name alike.
      expect(calls.every((call) => call.query['orderBy'] === 'contactId asc')).toBe(true);
    });

    it('the start field is spelled differently per generation: sorting by either one is refused by the other', async () => {
      const { from, to } = yesterday();
      const status = async (orderBy: string) =>
        (
          await fetch(`${stack.simulator.url}/incontactapi/services/v30.0/contacts/completed?${new URLSearchParams({ startDate: from, endDate: to, orderBy })}`, {
            headers: { authorization: `Bearer ${DEMO_TOKENS.full}` },
          })
        ).status;
      expect(await status('contactStartDate asc')).toBe(variant === 'published' ? 200 : 400);
      expect(await status('contactStart asc')).toBe(variant === 'legacy' ? 200 : 400);
      expect(await status('contactId asc')).toBe(200);
    });

    it('pages a busy 2024 week of bulk calls (transfer legs share the master id) the same as one big page', async () => {
      const window = { from: '2024-03-04T00:00:00.000Z', to: '2024-03-11T00:00:00.000Z' };
      const whole = await page({ ...window, first: 500 });
      expect(whole.pageInfo.hasNextPage).toBe(false);
      expect(whole.totalCount).toBeGreaterThan(150);
      const { rows } = await pageToTheEnd({ ...window, first: 40 });
      expect(rows.map((row) => row.contactId)).toEqual(whole.edges.map((edge) => edge.cxoneContact.contactId));
      expect(new Set(rows.map((row) => row.contactId)).size).toBe(rows.length);
      // A transferred call has one row per leg; each row's node is the master contact (the playback id).
      const legs = rows.filter((row) => row.contactId !== row.acdContactId);
      expect(legs.length).toBeGreaterThan(0);
      for (const leg of legs) expect(rows.some((row) => row.contactId === leg.acdContactId)).toBe(true);
    });

    it('maps what the report says about each contact', async () => {
      const { from, to } = yesterday();
      const first = (await page({ from, to, first: 1 })).edges[0]!;
      expect(first.node.acdContactId).toBe(first.cxoneContact.acdContactId);
      const row = first.cxoneContact;
      expect(row.agentName).toMatch(/^[A-Z][a-z]+ Example$/);
      expect(row.agentId).toBe(String(simAgentId(row.agentName!)));
      expect(row.mediaType).toBe('PHONE_CALL');
      expect(row.mediaTypeName).toBe('Call');
      expect(['INBOUND', 'OUTBOUND']).toContain(row.direction);
      expect(Date.parse(row.endTime!) - Date.parse(row.startTime)).toBe(row.durationSeconds! * 1000);
    });

    it('an empty window is an empty connection (CXone answers 204)', async () => {
      const empty = await page({ from: '2023-01-01T00:00:00.000Z', to: '2023-01-02T00:00:00.000Z' });
      expect(empty).toMatchObject({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false } });
      expect(stack.simulator.calls().at(-1)).toMatchObject({ endpoint: 'completed-contacts', status: 204 });
    });
  });

  describe('filters', () => {
    const window = { from: '2024-05-01T00:00:00.000Z', to: '2024-05-15T00:00:00.000Z' };

    it('agentId, skillId and mediaType reach CXone and narrow the rows', async () => {
      const all = (await pageToTheEnd({ ...window, first: 500 })).rows;
      const alice = String(simAgentId('Alice Example'));
      const byAgent = (await pageToTheEnd({ ...window, agentId: alice, first: 25 })).rows;
      expect(byAgent.length).toBeGreaterThan(0);
      expect(byAgent.every((row) => row.agentId === alice)).toBe(true);
      expect(byAgent.map((row) => row.contactId)).toEqual(all.filter((row) => row.agentId === alice).map((row) => row.contactId));

      const sales = String(SIM_SKILLS.sales.id);
      const bySkill = (await pageToTheEnd({ ...window, skillId: sales, first: 25 })).rows;
      expect(bySkill.length).toBeGreaterThan(0);
      expect(bySkill.every((row) => row.skillId === sales && row.direction === 'OUTBOUND')).toBe(true);

      const chats = (await pageToTheEnd({ ...window, mediaType: 'CHAT' })).rows;
      // The seeded legacy and digital-first chats of 2024-05-06/07.
      expect(chats.map((row) => row.acdContactId)).toEqual(['100000000003', '100000000004']);
      const last = stack.simulator.calls().filter((call) => call.endpoint === 'completed-contacts').at(-1);
      expect(last?.query).toMatchObject({ mediaTypeId: '3' });
    });
  });

  describe('a window that keeps growing while it is paged', () => {
    it('a contact completing before the offset pushes a read row onto the next page: the cursor drops the repeat and skips nothing', async () => {
      const window = { from: '2023-06-01T00:00:00.000Z', to: '2023-06-02T00:00:00.000Z' };
      const at = (hour: number) => new Date(Date.parse(window.from) + hour * 3_600_000).toISOString();
      stack.simulator.reset();
      stack.simulator.addCompletedContacts(
        [1, 2, 3, 4, 5, 6, 7, 8].map((hour) => ({ acdContactId: `40000000000${String(hour)}`, startTime: at(hour), durationSeconds: 120 })),
      );
      const first = await page({ ...window, first: 3 });
      expect(first.edges.map((edge) => edge.node.acdContactId)).toEqual(['400000000001', '400000000002', '400000000003']);
      // Completes now but has a lower contact id (CXone numbers contacts as they start): position 0.
      stack.simulator.addCompletedContacts([{ acdContactId: '400000000000', startTime: at(0.5), durationSeconds: 60 }]);
      const second = await page({ ...window, first: 3, after: first.pageInfo.endCursor });
      // Upstream sent ...003 (pushed down), ...004, ...005; ...003 was already returned.
      expect(second.edges.map((edge) => edge.node.acdContactId)).toEqual(['400000000004', '400000000005']);
      expect(second.totalCount).toBe(9);
      // One with a higher id, completing after the offset, is simply met further on.
      stack.simulator.addCompletedContacts([{ acdContactId: '400000000091', startTime: at(7.5), durationSeconds: 60 }]);
      const rest = await pageToTheEnd({ ...window, first: 3, after: second.pageInfo.endCursor });
      expect(rest.rows.map((row) => row.acdContactId)).toEqual(['400000000006', '400000000007', '400000000008', '400000000091']);
      stack.simulator.reset();
    });

    it('paging "now" while the clock moves: every contact that had ended at the start comes exactly once', async () => {
      const now = stack.clock.now();
      const window = { from: new Date(now - 6 * 3_600_000).toISOString(), to: new Date(now + 6 * 3_600_000).toISOString() };
      const before = await page({ ...window, first: 500 });
      const endedAtStart = before.edges.map((edge) => edge.cxoneContact.contactId);
      expect(endedAtStart.length).toBeGreaterThan(5);
      const seen: string[] = [];
      let after: string | null = null;
      for (let pages = 0; pages < 100; pages += 1) {
        const current: Page['completedContacts'] = await page({ ...window, first: 2, after });
        seen.push(...current.edges.map((edge) => edge.cxoneContact.contactId));
        // Twenty minutes per page: long calls that started hours ago end mid-way through.
        stack.clock.advance(20 * 60_000);
        if (!current.pageInfo.hasNextPage) break;
        after = current.pageInfo.endCursor;
      }
      expect(new Set(seen).size).toBe(seen.length);
      for (const id of endedAtStart) expect(seen).toContain(id);
      const after6h = await page({ ...window, first: 500 });
      expect(after6h.totalCount).toBeGreaterThan(before.totalCount);
    });
  });

  describe('a long call ending after a later short one (the report grows before the offset)', () => {
    it('while the clock moves past its end mid-paging, the cursor drops the repeat it causes', async () => {
      const restore = stack.clock.now();
      // Days that have fully ended by now: find a long call L and two later calls S and R that both
      // ended before L did (live contacts: every eighth is a 45-75 min call).
      const end = (row: Row) => Date.parse(row.endTime!);
      let found: { long: Row; short: Row; next: Row } | undefined;
      for (let back = 2; back < 40 && found === undefined; back += 1) {
        const day = {
          from: new Date((Math.floor(restore / DAY) - back) * DAY).toISOString(),
          to: new Date((Math.floor(restore / DAY) - back + 1) * DAY).toISOString(),
        };
        const all = (await page({ ...day, first: 100 })).edges.map((edge) => edge.cxoneContact);
        for (const long of all.filter((row) => row.durationSeconds! > 2700)) {
          const earlier = all.filter((row) => row.startTime > long.startTime && end(row) < end(long));
          if (earlier.length >= 2) {
            found = { long, short: earlier[0]!, next: earlier[1]! };
            break;
          }
        }
      }
      expect(found).toBeDefined();
      const { long, short, next } = found!;
      const window = {
        from: new Date(Date.parse(long.startTime) - 3_600_000).toISOString(),
        to: new Date(Date.parse(next.startTime) + 1000).toISOString(),
      };
      try {
        // S and R have ended, L has not: L is not in the report yet.
        stack.clock.set(Math.max(end(short), end(next)) + 1000);
        const endedAtStart = (await page({ ...window, first: 100 })).edges.map((edge) => edge.cxoneContact.contactId);
        expect(endedAtStart).toContain(short.contactId);
        expect(endedAtStart).not.toContain(long.contactId);
        const seen: string[] = [];
        let after: string | null = null;
        let movedPast = false;
        for (let pages = 0; pages < 100; pages += 1) {
          const current: Page['completedContacts'] = await page({ ...window, first: 1, after });
          seen.push(...current.edges.map((edge) => edge.cxoneContact.contactId));
          if (!movedPast && seen.includes(short.contactId)) {
            // L ends now: it lands before the offset and pushes S onto the next page.
            stack.clock.set(end(long) + 1000);
            movedPast = true;
          }
          if (!current.pageInfo.hasNextPage) break;
          after = current.pageInfo.endCursor;
        }
        expect(movedPast).toBe(true);
        // No repeat, and every contact that had ended at the start, in order (later ones may follow).
        expect(new Set(seen).size).toBe(seen.length);
        expect(seen.filter((id) => endedAtStart.includes(id))).toEqual(endedAtStart);
        // L completed behind the reading position: a fresh query finds it.
        expect((await page({ ...window, first: 100 })).edges.map((edge) => edge.cxoneContact.contactId)).toContain(long.contactId);
      } finally {
        stack.clock.set(restore);
      }
    });
  });

  describe('refused before any upstream call', () => {
    it.each([
      ['a window longer than CXone allows', { from: '2024-01-01T00:00:00.000Z', to: '2024-02-02T00:00:00.000Z' }, /longer than CXone's reporting allows \(31 days\)/],
      ['to before from', { from: '2024-01-02T00:00:00.000Z', to: '2024-01-01T00:00:00.000Z' }, /before/],
      ['first too large', { from: '2024-01-01T00:00:00.000Z', to: '2024-01-02T00:00:00.000Z', first: 501 }, /first/],
      ['first zero', { from: '2024-01-01T00:00:00.000Z', to: '2024-01-02T00:00:00.000Z', first: 0 }, /first/],
      ['a bad agent id', { from: '2024-01-01T00:00:00.000Z', to: '2024-01-02T00:00:00.000Z', agentId: 'x1' }, /agentId/],
      ['a cursor that is not ours', { from: '2024-01-01T00:00:00.000Z', to: '2024-01-02T00:00:00.000Z', after: 'bm90LWEtY3Vyc29y' }, /not a cursor/],
    ])('%s is BAD_USER_INPUT', async (_name, variables, message) => {
      stack.simulator.resetCalls();
      const response = await gql(stack.app.url, PAGE, { variables });
      expect(codesByPath(response)).toEqual({ completedContacts: 'BAD_USER_INPUT' });
      expect(response.errors?.[0]?.message).toMatch(message);
      expect(stack.simulator.count('completed-contacts')).toBe(0);
    });

    it('a cursor of another window, or an edited one, is refused', async () => {
      const { from, to } = yesterday();
      const cursor = (await page({ from, to, first: 5 })).pageInfo.endCursor!;
      stack.simulator.resetCalls();
      const other = await gql(stack.app.url, PAGE, { variables: { from, to, first: 5, agentId: '7000001', after: cursor } });
      expect(codesByPath(other)).toEqual({ completedContacts: 'BAD_USER_INPUT' });
      const state = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
      const edited = Buffer.from(JSON.stringify({ ...state, skip: -5 })).toString('base64url');
      const tampered = await gql(stack.app.url, PAGE, { variables: { from, to, first: 5, after: edited } });
      expect(codesByPath(tampered)).toEqual({ completedContacts: 'BAD_USER_INPUT' });
      expect(stack.simulator.count('completed-contacts')).toBe(0);
    });

    it('no bearer token: UNAUTHENTICATED, no upstream call', async () => {
      const { from, to } = yesterday();
      stack.simulator.resetCalls();
      const response = await gql(stack.app.url, PAGE, { variables: { from, to }, token: null });
      expect(codesByPath(response)).toEqual({ completedContacts: 'UNAUTHENTICATED' });
      expect(stack.simulator.count('completed-contacts')).toBe(0);
    });
  });
});

describe('through the gateway, with the CRM', () => {
  let federated: Stack;
  let ids: string[];

  beforeAll(async () => {
    const clock = new ManualClock();
    const today = Math.floor(clock.now() / DAY);
    ids = Array.from({ length: LIVE_PER_DAY }, (_, index) => liveContactId(today - 1, index + 1));
    federated = await startStack({ clock, crmIds: ids });
  });
  afterAll(async () => {
    await federated.close();
  });

  it("yesterday's voice calls with the CRM's fields and their recording links, in one query", async () => {
    const today = Math.floor(federated.clock.now() / DAY);
    const response = await gql<{
      completedContacts: {
        edges: Array<{
          node: { acdContactId: string; customerName: string; recording: { mediaUrl: { url: string } | null; playerUrl: string } | null };
          cxoneContact: { agentName: string; mediaType: string };
        }>;
      };
    }>(
      federated.gateway!.url,
      /* GraphQL */ `
        query Yesterday($from: DateTime!, $to: DateTime!) {
          completedContacts(from: $from, to: $to, mediaType: PHONE_CALL, first: 20) {
            edges {
              node { acdContactId customerName recording(mediaType: VOICE_ONLY) { mediaUrl { url } playerUrl } }
              cxoneContact { agentName mediaType }
            }
          }
        }
      `,
      { variables: { from: new Date((today - 1) * DAY).toISOString(), to: new Date(today * DAY).toISOString() } },
    );
    expect(response.errors).toBeUndefined();
    const edges = response.data!.completedContacts.edges;
    expect(edges.length).toBe(20);
    for (const edge of edges) {
      expect(edge.cxoneContact.mediaType).toBe('PHONE_CALL');
      expect(ids).toContain(edge.node.acdContactId);
      // The CRM's field, joined by the gateway on acdContactId.
      expect(edge.node.customerName).toMatch(/\w+ \w+/);
      expect(edge.node.recording?.mediaUrl?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/media\//);
    }
    // One report page, then one /contacts call per contact: the recordings batch as everywhere else.
    expect(federated.simulator.count('completed-contacts')).toBe(1);
    expect(federated.simulator.count('contacts')).toBe(20);
  });
});

describe('budget: one bulk point and one upstream call per page', () => {
  let budgeted: Stack;
  const LIMIT = 10;

  beforeAll(async () => {
    // One caller spends the tenant's budget here: its share (CXONE_CALLER_SHARE) is the whole window.
    budgeted = await startStack({ env: { CXONE_RATE_LIMIT: String(LIMIT), CXONE_RATE_WINDOW_SECONDS: '300', CXONE_CALLER_SHARE: '1' } });
  });
  afterAll(async () => {
    await budgeted.close();
  });

  it('each page takes one point; bulk pages stop at the interactive reserve with RATE_LIMITED and no upstream call', async () => {
    const window = { from: '2024-03-04T00:00:00.000Z', to: '2024-03-11T00:00:00.000Z', first: 5 };
    let after: string | null = null;
    // 20% of 10 is kept for interactive lookups: bulk work may take 8.
    for (let pageNo = 1; pageNo <= 8; pageNo += 1) {
      const current = await page({ ...window, after }, budgeted.app.url);
      after = current.pageInfo.endCursor;
      expect(budgeted.simulator.count('completed-contacts')).toBe(pageNo);
      expect((await scrape(budgeted.app.url)).sum('cxone_budget_remaining')).toBe(LIMIT - pageNo);
    }
    const refused = await gql(budgeted.app.url, PAGE, { variables: { ...window, after } });
    expect(codesByPath(refused)).toEqual({ completedContacts: 'RATE_LIMITED' });
    expect(refused.errors?.[0]?.extensions?.['retryAfterSeconds']).toBeGreaterThan(0);
    expect(budgeted.simulator.count('completed-contacts')).toBe(8);
    // The reserve still serves a contact page.
    const interactive = await gql(budgeted.app.url, '{ recording(acdContactId: "100000000001") { acdContactId } }');
    expect(interactive.errors).toBeUndefined();
  });
});
