/**
 * The simulator's Interaction Analytics answers, checked against the strict form of the schemas
 * the client reads (src/cxone/analytics-wire.ts, from NICE's published types): a key NICE does not
 * publish, or a value of the wrong type, fails here, so the simulator cannot drift unnoticed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { analyticsWire, analyticsWireStrict, mapAnalyzedTranscript } from '../../src/cxone/analytics-wire.js';
import { DEMO_TOKENS, SEEDED, bulkContactId, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { findContact } from '../../src/simulator/seed.js';

let sim: RunningSimulator;
const seeded = async (): Promise<Record<string, unknown>> =>
  ((await (await fetch(`${sim.url}/__sim/seeded`)).json()) as { seeded: Record<string, unknown> }).seeded;

async function get(path: string, token: string = DEMO_TOKENS.full): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${sim.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: await response.json() };
}

function segmentIdsOf(acdContactId: string): Promise<string[]> {
  return Promise.resolve(findContact(acdContactId)?.segments.map((segment) => segment.segmentId) ?? []);
}

beforeAll(async () => {
  sim = await startSimulator({ clock: new ManualClock() });
});
afterAll(async () => {
  await sim.close();
});

describe('analyzed-transcript answers match the published shape', () => {
  it.each([SEEDED.voice, SEEDED.voiceAndScreen, SEEDED.analyzedTransfer, SEEDED.longCall, bulkContactId(7)])('%s', async (id) => {
    const segmentIds = await segmentIdsOf(id);
    expect(segmentIds.length).toBeGreaterThan(0);
    for (const segmentId of segmentIds) {
      const { status, body } = await get(`/interaction-analytics-gateway/v2/segments/${segmentId}/analyzed-transcript?wordLevel=false`);
      expect(status).toBe(200);
      const strict = analyticsWireStrict.analyzedTranscript.safeParse(body);
      expect(strict.error?.issues ?? []).toEqual([]);
      const analysis = mapAnalyzedTranscript(body, segmentId, 0);
      expect(analysis.analyzed).toBe(true);
      expect(new Set(analysis.blocks.map((block) => block.speaker)).has('CUSTOMER')).toBe(true);
    }
  });

  it('the error bodies are the service\'s own ErrorMessage; not analyzed is 404', async () => {
    const [segmentId] = await segmentIdsOf(SEEDED.notAnalyzed);
    expect(segmentId).toBeDefined();
    const { status, body } = await get(`/interaction-analytics-gateway/v2/segments/${segmentId!}/analyzed-transcript`);
    expect(status).toBe(404);
    expect(analyticsWireStrict.errorMessage.safeParse(body).success).toBe(true);
    const refused = await get(`/interaction-analytics-gateway/v2/segments/${segmentId!}/analyzed-transcript`, DEMO_TOKENS.noAnalytics);
    expect(refused.status).toBe(403);
    expect(analyticsWireStrict.errorMessage.safeParse(refused.body).success).toBe(true);
    expect(Object.keys(await seeded())).toEqual(expect.arrayContaining(['analyzedTransfer', 'notAnalyzed']));
  });
});

describe('segments/analyzed pages match the published shape', () => {
  it('every page of a day, strictly, following links.next', async () => {
    let path: string | null =
      '/interaction-analytics-gateway/v2/segments/analyzed?dateField=startTime&beginningDate=2024-11-05T00:00:00.000Z&endingDate=2024-11-06T00:00:00.000Z&pageSize=15&order=asc';
    let rows = 0;
    let total = 0;
    while (path !== null) {
      const { status, body } = await get(path);
      expect(status).toBe(200);
      const strict = analyticsWireStrict.analyzedSegments.safeParse(body);
      expect(strict.error?.issues ?? []).toEqual([]);
      const page = analyticsWire.analyzedSegments.parse(body);
      rows += page.interactions?.length ?? 0;
      total = page.totalRecords ?? 0;
      const next = page.links?.next;
      path = next == null ? null : new URL(next).pathname + new URL(next).search;
    }
    expect(rows).toBe(total);
    expect(total).toBeGreaterThan(15);
  });

  it('a tenant without Interaction Analytics answers 403 on both endpoints', async () => {
    sim.configure({ interactionAnalytics: false });
    try {
      const listing = await get('/interaction-analytics-gateway/v2/segments/analyzed?beginningDate=2024-11-05T00:00:00Z&endingDate=2024-11-06T00:00:00Z');
      expect(listing.status).toBe(403);
      const [segmentId] = await segmentIdsOf(SEEDED.voice);
      expect((await get(`/interaction-analytics-gateway/v2/segments/${segmentId!}/analyzed-transcript`)).status).toBe(403);
    } finally {
      sim.configure({ interactionAnalytics: true });
    }
  });
});
