/**
 * The cache's rules over real HTTP, with the Redis store: single-flight for concurrent misses,
 * expiry never stretched (and Cache-Control never promising more than the links have left), a short
 * configurable negative cache for 404, and no caching of 202, 425 or 5xx.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_TOKENS, SEEDED } from '../../src/simulator/index.js';
import { codesByPath, gql, maxAge } from '../helpers/graphql.js';
import { scrape } from '../helpers/metrics.js';
import { REDIS_URL } from '../helpers/replicas.js';
import { startStack, type Stack } from '../helpers/stack.js';

const MINUTE = 60_000;
const MARGIN_MS = 60_000;
const NEGATIVE_SECONDS = 5;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    env: { CACHE_URL: REDIS_URL, NEGATIVE_CACHE_SECONDS: String(NEGATIVE_SECONDS) },
    simulator: { lockHoldMs: 100 },
  });
});
afterAll(async () => {
  await stack.close();
});
beforeEach(() => {
  stack.simulator.resetCalls();
});

describe('single-flight', () => {
  it('makes one upstream call for 50 concurrent requests for one contact', async () => {
    const before = await scrape(stack.app.url);
    // 50 different operation names: 50 different bodies, so the whole-response cache in front
    // answers none of them and every one reaches the recording cache this test is about.
    const query = (n: number) => `query Q${String(n)} { recording(acdContactId: "${SEEDED.transferred}") { acdContactId mediaUrl { url } } }`;
    const responses = await Promise.all(Array.from({ length: 50 }, (_, n) => gql(stack.app.url, query(n))));

    for (const response of responses) expect(response.errors).toBeUndefined();
    expect(new Set(responses.map((r) => JSON.stringify(r.data))).size).toBe(1);
    expect(stack.simulator.count('contacts', SEEDED.transferred)).toBe(1);

    const after = await scrape(stack.app.url);
    const joins =
      (after.value('recording_single_flight_joins_total') ?? 0) - (before.value('recording_single_flight_joins_total') ?? 0);
    const hits =
      (after.value('recording_cache_events_total', { event: 'hit' }) ?? 0) -
      (before.value('recording_cache_events_total', { event: 'hit' }) ?? 0);
    // Every request but the first either joined the call in flight or, arriving after it, hit the cache.
    expect(joins).toBeGreaterThan(0);
    expect(joins + hits).toBe(49);
  });
});

describe('expiry is never stretched', () => {
  it("sets max-age to the smallest remaining link lifetime, which reads only shrink, and refetches at the earliest link's deadline", async () => {
    const { clock, simulator } = stack;
    const t0 = clock.now();
    const query = /* GraphQL */ `{
      sigv4: recording(acdContactId: "${SEEDED.voiceAndScreen}") { mediaUrl { url expiresAt } }
      voice: recording(acdContactId: "${SEEDED.voice}") { mediaUrl { url expiresAt } }
    }`;
    type Both = Record<'sigv4' | 'voice', { mediaUrl: { url: string; expiresAt: string } }>;
    const cold = await gql<Both>(stack.app.url, query);
    expect(cold.errors).toBeUndefined();
    const sigv4Expiry = Date.parse(cold.data!.sigv4.mediaUrl.expiresAt);
    const voiceExpiry = Date.parse(cold.data!.voice.mediaUrl.expiresAt);
    expect(sigv4Expiry).toBe(t0 + 15 * MINUTE);
    expect(voiceExpiry).toBe(t0 + 30 * MINUTE);
    // The 15-minute SigV4 link decides, less the margin kept for the client to use it.
    expect(maxAge(cold.headers)).toBe((15 * MINUTE - MARGIN_MS) / 1000);

    // Five minutes on: a warm read, the same links, and five minutes less to cache, not a fresh 14.
    clock.set(t0 + 5 * MINUTE);
    const warm = await gql<Both>(stack.app.url, query);
    expect(simulator.count('contacts')).toBe(2);
    expect(warm.data).toEqual(cold.data);
    expect(maxAge(warm.headers)).toBe((10 * MINUTE - MARGIN_MS) / 1000);

    // One second before the SigV4 link's deadline: still served, for one second.
    clock.set(sigv4Expiry - MARGIN_MS - 1_000);
    const last = await gql<Both>(stack.app.url, query);
    expect(simulator.count('contacts')).toBe(2);
    expect(maxAge(last.headers)).toBe(1);

    // At the deadline (the read at +5 min did not extend it) the SigV4 contact is refetched; the
    // 30-minute one is still served from the cache.
    clock.set(sigv4Expiry - MARGIN_MS);
    const refreshed = await gql<Both>(stack.app.url, query);
    expect(simulator.count('contacts', SEEDED.voiceAndScreen)).toBe(2);
    expect(simulator.count('contacts', SEEDED.voice)).toBe(1);
    expect(refreshed.data?.sigv4.mediaUrl.url).not.toBe(cold.data?.sigv4.mediaUrl.url);
    expect(refreshed.data?.voice).toEqual(cold.data?.voice);
    const remaining = Math.min(
      Date.parse(refreshed.data!.sigv4.mediaUrl.expiresAt),
      Date.parse(refreshed.data!.voice.mediaUrl.expiresAt),
    ) - MARGIN_MS - clock.now();
    expect(maxAge(refreshed.headers)).toBe(Math.floor(remaining / 1000));
  });
});

describe('negative cache', () => {
  it(`remembers a 404 for NEGATIVE_CACHE_SECONDS (${String(NEGATIVE_SECONDS)} s here), then asks again`, async () => {
    const { clock, simulator } = stack;
    const query = `{ recording(acdContactId: "${SEEDED.notFound}") { acdContactId } }`;
    const first = await gql(stack.app.url, query);
    expect(codesByPath(first)).toEqual({ recording: 'RECORDING_NOT_FOUND' });
    clock.advance(NEGATIVE_SECONDS * 1000 - 1);
    const remembered = await gql(stack.app.url, query);
    expect(codesByPath(remembered)).toEqual({ recording: 'RECORDING_NOT_FOUND' });
    expect(simulator.count('contacts', SEEDED.notFound)).toBe(1);

    clock.advance(1);
    await gql(stack.app.url, query);
    expect(simulator.count('contacts', SEEDED.notFound)).toBe(2);
  });

  it('never caches a 5xx or a 504: each repeat calls CXone again', async () => {
    for (const [id, code] of [
      [SEEDED.serverError, 'UPSTREAM_UNAVAILABLE'],
      [SEEDED.timeout, 'UPSTREAM_TIMEOUT'],
    ] as const) {
      const query = `{ recording(acdContactId: "${id}") { acdContactId } }`;
      expect(codesByPath(await gql(stack.app.url, query))).toEqual({ recording: code });
      const afterFirst = stack.simulator.count('contacts', id);
      expect(afterFirst).toBeGreaterThan(0);
      expect(codesByPath(await gql(stack.app.url, query))).toEqual({ recording: code });
      expect(stack.simulator.count('contacts', id)).toBe(2 * afterFirst);
    }
  });

  it('never caches a 202: a contact still processing is asked again next time', async () => {
    const { simulator } = stack;
    simulator.configure({ processingPolls: 1_000 });
    try {
      const query = `{ recording(acdContactId: "${SEEDED.processing}") { acdContactId } }`;
      expect(codesByPath(await gql(stack.app.url, query))).toEqual({ recording: 'RECORDING_PROCESSING' });
      const afterFirst = simulator.count('contacts', SEEDED.processing);
      expect(codesByPath(await gql(stack.app.url, query))).toEqual({ recording: 'RECORDING_PROCESSING' });
      expect(simulator.count('contacts', SEEDED.processing)).toBe(2 * afterFirst);
    } finally {
      simulator.configure({ processingPolls: 2 });
      simulator.reset();
    }
  });

  it('never caches a 425: the caller that met a busy contact gets it from CXone next time', async () => {
    const { simulator } = stack;
    simulator.configure({ lockHoldMs: 1_000 });
    try {
      // Two callers, two cache keys, two upstream calls at once: one meets CXone's 425.
      const query = `{ recording(acdContactId: "${SEEDED.locked}") { acdContactId } }`;
      const tokens = [DEMO_TOKENS.full, DEMO_TOKENS.noAnalytics] as const;
      const first = await Promise.all(tokens.map((token) => gql(stack.app.url, query, { token })));
      const lockedIndex = first.findIndex((response) => codesByPath(response)['recording'] === 'RECORDING_LOCKED');
      expect(lockedIndex).toBeGreaterThanOrEqual(0);
      const calls = simulator.count('contacts', SEEDED.locked);

      simulator.configure({ lockHoldMs: 10 });
      const again = await gql(stack.app.url, query, { token: tokens[lockedIndex] });
      expect(again.errors).toBeUndefined();
      expect(simulator.count('contacts', SEEDED.locked)).toBe(calls + 1);
    } finally {
      simulator.configure({ lockHoldMs: 100 });
    }
  });
});
