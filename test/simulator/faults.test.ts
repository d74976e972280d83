/**
 * The simulator's fault injection over real HTTP: each fault as a client sees it, rates that are
 * honoured, a seeded sequence that replays, and the `/__sim/config` control. Off by default.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { DEMO_TOKENS, SEEDED, startSimulator, type FaultOptions, type RunningSimulator } from '../../src/simulator/index.js';

const API = '/media-playback/v1';
let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ clock: new ManualClock() });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.configure({ faults: null });
  sim.reset();
});

function contact(id: string = SEEDED.voice, signal?: AbortSignal): Promise<Response> {
  return fetch(`${sim.url}${API}/contacts?acd-call-id=${id}&exclude-waveforms=true`, {
    headers: { authorization: `Bearer ${DEMO_TOKENS.full}` },
    ...(signal === undefined ? {} : { signal }),
  });
}

async function statuses(count: number): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const response = await contact();
    await response.arrayBuffer();
    seen.push(response.status);
  }
  return seen;
}

describe('fault injection', () => {
  it('is off by default', async () => {
    expect(new Set(await statuses(30))).toEqual(new Set([200]));
    expect(sim.calls().every((call) => call.fault === undefined)).toBe(true);
  });

  it.each([
    [202, 'application/json', true],
    [425, 'application/json', true],
    [429, 'application/json', true],
    [500, 'application/json', false],
    [502, 'text/html', false],
    [503, 'text/html', true],
    [504, 'application/json', false],
  ] as const)('answers %i at rate 1 (%s, Retry-After: %s), before auth', async (status, type, retryAfter) => {
    sim.configure({ faults: { rates: { [status]: 1 }, retryAfterSeconds: 3 } });
    const response = await fetch(`${sim.url}${API}/contacts?acd-call-id=${SEEDED.voice}`);
    await response.text();
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toContain(type);
    expect(response.headers.get('retry-after')).toBe(retryAfter ? '3' : null);
    expect(sim.calls()[0]).toMatchObject({ endpoint: 'contacts', key: SEEDED.voice, status, fault: 'status' });
  });

  it('leaves media, token and discovery alone', async () => {
    sim.configure({ faults: { rates: { 500: 1 } } });
    expect((await fetch(`${sim.url}/.well-known/openid-configuration`)).status).toBe(200);
  });

  it('answers malformed JSON with a JSON content type', async () => {
    sim.configure({ faults: { malformedJsonRate: 1 } });
    const response = await contact();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    const text = await response.text();
    expect(() => JSON.parse(text) as unknown).toThrow();
  });

  it('answers an HTML page with status 200 for the wrong content type', async () => {
    sim.configure({ faults: { wrongContentTypeRate: 1 } });
    const response = await contact();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(await response.text()).toContain('<html>');
  });

  it('drops the connection mid-answer', async () => {
    sim.configure({ faults: { dropRate: 1 } });
    await expect(contact().then((response) => response.text())).rejects.toThrow();
    expect(sim.calls()[0]).toMatchObject({ status: 0, fault: 'drop' });
  });

  it('accepts a request and never answers it on a stall', async () => {
    sim.configure({ faults: { stallRate: 1 } });
    await expect(contact(SEEDED.voice, AbortSignal.timeout(300))).rejects.toThrow();
    expect(sim.calls()[0]).toMatchObject({ status: 0, fault: 'stall' });
  });

  it('honours the rates roughly and replays the same sequence for the same seed', async () => {
    const faults: FaultOptions = { seed: 42, rates: { 500: 0.2, 503: 0.1 }, malformedJsonRate: 0.1 };
    sim.configure({ faults });
    const first = await statuses(300);
    const errors = first.filter((status) => status === 500).length;
    expect(errors).toBeGreaterThan(30);
    expect(errors).toBeLessThan(90);
    expect(first.filter((status) => status === 503).length).toBeGreaterThan(10);
    // configure restarts the PRNG from the seed: the same requests meet the same faults.
    sim.configure({ faults });
    expect(await statuses(300)).toEqual(first);
    // So does reset.
    sim.reset();
    expect(await statuses(300)).toEqual(first);
    sim.configure({ faults: { ...faults, seed: 43 } });
    expect(await statuses(300)).not.toEqual(first);
  });

  it('is configurable over /__sim/config and rejects nonsense', async () => {
    const post = (body: unknown): Promise<Response> =>
      fetch(`${sim.url}/__sim/config`, { method: 'POST', body: JSON.stringify(body) });
    expect((await post({ faults: { rates: { 504: 1 }, latencyMs: 5 } })).status).toBe(200);
    const shown = (await (await fetch(`${sim.url}/__sim/config`)).json()) as { settings: { faults: { rates: Record<string, number> } } };
    expect(shown.settings.faults.rates['504']).toBe(1);
    expect((await contact()).status).toBe(504);
    for (const bad of [
      { faults: { rates: { 418: 0.5 } } },
      { faults: { rates: { 500: 0.8, 502: 0.3 } } },
      { faults: { stallRate: -1 } },
      { faults: { nope: 1 } },
      { faults: 'all' },
    ]) {
      expect((await post(bad)).status, JSON.stringify(bad)).toBe(400);
    }
    expect(() => sim.configure({ faults: { dropRate: 2 } })).toThrow(/dropRate/);
    expect((await post({ faults: null })).status).toBe(200);
    expect((await contact()).status).toBe(200);
  });
});
