/**
 * Two replicas sharing the real Redis (127.0.0.1:6379, one namespace per run): what one fetched the
 * other serves with zero upstream calls and the same expiry, no entry outlives its links, and a Redis
 * outage (a redis-server of the test's own, killed and restarted) degrades to straight-to-CXone
 * without hanging, then the cache comes back.
 */
import { createClient } from '@redis/client';
import { hashToken } from '../../src/credential.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEMO_TOKENS, bulkContactId, SEEDED } from '../../src/simulator/index.js';
import { gql, maxAge } from '../helpers/graphql.js';
import { scrape } from '../helpers/metrics.js';
import { startOwnRedis, type OwnRedis } from '../helpers/redis-server.js';
import { REDIS_URL, startReplicas, type Replicas } from '../helpers/replicas.js';
import { startStack, type Stack } from '../helpers/stack.js';

const MARGIN_MS = 60_000;
const QUERY = /* GraphQL */ `
  query One($id: ID!) {
    recording(acdContactId: $id) { acdContactId mediaUrl { url expiresAt } sentiments { overallSentiment } }
  }
`;
interface One {
  recording: null | {
    acdContactId: string;
    mediaUrl: { url: string; expiresAt: string } | null;
    sentiments: Array<{ overallSentiment: string }> | null;
  };
}

describe('two replicas on one Redis', () => {
  let replicas: Replicas;
  beforeAll(async () => {
    replicas = await startReplicas();
  });
  afterAll(async () => {
    await replicas.close();
  });
  beforeEach(() => {
    replicas.simulator.resetCalls();
  });

  it('replica B serves what replica A fetched: zero upstream calls, same link, same expiry', async () => {
    const { a, b, simulator } = replicas;
    const fromA = await gql<One>(a.app.url, QUERY, { variables: { id: SEEDED.voice } });
    expect(fromA.errors).toBeUndefined();
    expect(simulator.count('contacts', SEEDED.voice)).toBe(1);

    const fromB = await gql<One>(b.app.url, QUERY, { variables: { id: SEEDED.voice } });
    expect(fromB.errors).toBeUndefined();
    expect(simulator.count('contacts', SEEDED.voice)).toBe(1);
    expect(fromB.data).toEqual(fromA.data);
    expect(fromB.headers.get('cache-control')).toBe(fromA.headers.get('cache-control'));
  });

  it('keeps the same deadline on both replicas: served until expiry minus the margin, then refetched', async () => {
    const { a, b, simulator, clock } = replicas;
    const first = await gql<One>(a.app.url, QUERY, { variables: { id: SEEDED.email } });
    const expiresAt = Date.parse(first.data!.recording!.mediaUrl!.expiresAt);
    const usableUntil = expiresAt - MARGIN_MS;
    expect(maxAge(first.headers)).toBe(Math.floor((usableUntil - clock.now()) / 1000));

    // One second before the deadline: still served by B from Redis, with one second left to cache.
    clock.set(usableUntil - 1_000);
    const late = await gql<One>(b.app.url, QUERY, { variables: { id: SEEDED.email } });
    expect(simulator.count('contacts', SEEDED.email)).toBe(1);
    expect(late.data).toEqual(first.data);
    expect(maxAge(late.headers)).toBe(1);

    // At the deadline neither replica serves it: B refetches, and A then gets B's fresh link.
    clock.set(usableUntil);
    const fresh = await gql<One>(b.app.url, QUERY, { variables: { id: SEEDED.email } });
    expect(simulator.count('contacts', SEEDED.email)).toBe(2);
    expect(fresh.data?.recording?.mediaUrl?.url).not.toBe(first.data?.recording?.mediaUrl?.url);
    const fromA = await gql<One>(a.app.url, QUERY, { variables: { id: SEEDED.email } });
    expect(simulator.count('contacts', SEEDED.email)).toBe(2);
    expect(fromA.data).toEqual(fresh.data);
  });

  it("stores each entry in Redis with a TTL that ends by its links' expiry minus the margin", async () => {
    const { a, clock, namespace } = replicas;
    const redis = createClient({ url: REDIS_URL });
    await redis.connect();
    try {
      const before = new Set(await redis.keys(`${namespace}*`));
      const response = await gql<One>(a.app.url, QUERY, { variables: { id: SEEDED.voiceAndScreen } });
      const usableUntil = Date.parse(response.data!.recording!.mediaUrl!.expiresAt) - MARGIN_MS;
      // Keys are HMACs of the logical key (src/cache/recording-cache.ts): the new one is this entry's.
      const added = (await redis.keys(`${namespace}*`)).filter((key) => !before.has(key));
      expect(added).toHaveLength(1);
      const key = added[0]!;
      // No token in the key, nor its hash, nor the contact id.
      expect(key).not.toContain(DEMO_TOKENS.full);
      expect(key).not.toContain(hashToken(DEMO_TOKENS.full));
      expect(key).not.toContain(SEEDED.voiceAndScreen);
      const ttl = await redis.pTTL(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(usableUntil - clock.now());
    } finally {
      redis.destroy();
    }
  });
});

describe('a Redis outage', () => {
  let redis: OwnRedis;
  let stack: Stack;
  beforeAll(async () => {
    redis = await startOwnRedis();
    // The whole-response cache off: its repeats must reach the Redis-backed cache under test.
    stack = await startStack({ env: { CACHE_URL: redis.url, CXONE_RATE_LIMIT: '1000', RESPONSE_CACHE_MAX_BYTES: '0' } });
  });
  afterAll(async () => {
    await stack.close();
    await redis.kill();
  });
  afterEach(() => {
    stack.simulator.resetCalls();
  });

  async function timed(id: string): Promise<{ response: Awaited<ReturnType<typeof gql<One>>>; ms: number }> {
    const started = performance.now();
    const response = await gql<One>(stack.app.url, QUERY, { variables: { id } });
    return { response, ms: performance.now() - started };
  }

  /** Polls with a contact never asked before each time (a key stored late must not read as a miss). */
  let probe = 9_000;
  async function untilCachingAgain(): Promise<void> {
    await vi.waitFor(
      async () => {
        const id = bulkContactId(probe);
        probe += 1;
        await timed(id);
        await timed(id);
        expect(stack.simulator.count('contacts', id)).toBe(1);
      },
      { timeout: 15_000, interval: 200 },
    );
  }

  it('serves straight from CXone while Redis is down (fast, counted), and caches again once it is back', async () => {
    const { simulator } = stack;
    await timed(SEEDED.voice);
    await timed(SEEDED.voice);
    expect(simulator.count('contacts', SEEDED.voice)).toBe(1);
    const errorsBefore = (await scrape(stack.app.url)).value('recording_cache_events_total', { event: 'error' }) ?? 0;

    await redis.kill();
    for (let i = 0; i < 3; i += 1) {
      const { response, ms } = await timed(SEEDED.voice);
      expect(response.errors).toBeUndefined();
      expect(response.data?.recording?.mediaUrl?.url).toBeTruthy();
      // Never waits on the dead Redis: no offline queue, bounded connects.
      expect(ms).toBeLessThan(1_000);
    }
    // Every request went to CXone: the cache is gone, the service is not.
    expect(simulator.count('contacts', SEEDED.voice)).toBe(4);
    const during = await scrape(stack.app.url);
    expect(during.value('recording_cache_events_total', { event: 'error' }) ?? 0).toBeGreaterThan(errorsBefore);

    await redis.restart();
    // The client reconnects on its own (backoff capped at 1 s): wait until a repeat is a hit.
    await untilCachingAgain();
    simulator.resetCalls();
    await timed(SEEDED.chat);
    await timed(SEEDED.chat);
    expect(simulator.count('contacts', SEEDED.chat)).toBe(1);
  });

  it('bounds every request while Redis hangs (connected, silent), and recovers when it answers again', async () => {
    const { simulator } = stack;
    await timed(SEEDED.longCall);
    redis.pause();
    try {
      for (let i = 0; i < 2; i += 1) {
        const { response, ms } = await timed(SEEDED.longCall);
        expect(response.errors).toBeUndefined();
        // Cache read, budget and cache write each give up after 500 ms: slow, but never stuck.
        expect(ms).toBeLessThan(3_000);
      }
      expect(simulator.count('contacts', SEEDED.longCall)).toBe(3);
    } finally {
      redis.resume();
    }
    await untilCachingAgain();
  });

  it('starts and serves with Redis down from the beginning, without hanging', async () => {
    await redis.kill();
    const started = performance.now();
    const cold = await startStack({ env: { CACHE_URL: redis.url, CXONE_RATE_LIMIT: '1000' } });
    try {
      // Start-up waits a bounded time for Redis, then serves without it.
      expect(performance.now() - started).toBeLessThan(5_000);
      const { response, ms } = await (async () => {
        const t = performance.now();
        const r = await gql<One>(cold.app.url, QUERY, { variables: { id: SEEDED.voice } });
        return { response: r, ms: performance.now() - t };
      })();
      expect(response.errors).toBeUndefined();
      expect(response.data?.recording?.acdContactId).toBe(SEEDED.voice);
      expect(ms).toBeLessThan(1_000);
    } finally {
      await cold.close();
      await redis.restart();
    }
  });
});
