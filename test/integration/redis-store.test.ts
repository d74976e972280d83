/**
 * The shared store against real Redis: the one at 127.0.0.1:6379 under a namespace of this run's
 * own, and a throw-away redis-server for outages. Entries round-trip as JSON with a Redis TTL,
 * replicas on one namespace share them, a dead Redis reads as a miss (told to onError), and a hung
 * one costs the recording cache its store timeout, not the request.
 */
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordingCache } from '../../src/cache/recording-cache.js';
import { RedisStore } from '../../src/cache/store.js';
import { ManualClock } from '../../src/clock.js';
import { cxoneFailureRules } from '../../src/cxone/errors.js';
import { createMetrics } from '../../src/metrics.js';
import type { StatementMediaModel } from '../../src/models.js';
import { openRedis, type RedisConnection } from '../../src/redis.js';
import { startOwnRedis, type OwnRedis } from '../helpers/redis-server.js';
import { REDIS_URL } from '../helpers/replicas.js';

const logger = pino({ level: 'silent' });

function storeOn(connection: RedisConnection, namespace: string, errors: unknown[] = []): RedisStore {
  return new RedisStore({ client: connection.client, namespace, onError: (error) => errors.push(error) });
}

describe('RedisStore on the shared Redis', () => {
  const namespace = `redis-store-${randomUUID()}`;
  let first: RedisConnection;
  let second: RedisConnection;

  beforeAll(async () => {
    first = await openRedis({ url: REDIS_URL, logger });
    second = await openRedis({ url: REDIS_URL, logger });
  });
  afterAll(async () => {
    const keys = await first.client.keys(`${namespace}*`);
    if (keys.length > 0) await first.client.del(keys);
    first.close();
    second.close();
  });

  it('round-trips a value as JSON under the namespace, with a Redis TTL of at most ttlMs', async () => {
    const store = storeOn(first, namespace);
    const value = { body: '{"kind":"value"}', mac: 'abc', nested: [1, 2] };
    await store.set('k1', value, 30_000);
    expect(await store.get('k1')).toEqual(value);
    const keys = await first.client.keys(`${namespace}*`);
    expect(keys).toHaveLength(1);
    const ttl = await first.client.pTTL(keys[0]!);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30_000);
    expect(await store.get('absent')).toBeUndefined();
  });

  it('never answers peek: Redis is read through get', async () => {
    const store = storeOn(first, namespace);
    await store.set('k2', { v: 2 }, 30_000);
    expect(store.peek()).toBeUndefined();
    expect(await store.get('k2')).toEqual({ v: 2 });
  });

  it('shares entries between replicas on one namespace, and only there', async () => {
    await storeOn(first, namespace).set('shared', { from: 'a' }, 30_000);
    expect(await storeOn(second, namespace).get('shared')).toEqual({ from: 'a' });
    expect(await storeOn(second, `${namespace}-other`).get('shared')).toBeUndefined();
  });
});

describe('RedisStore on a Redis that fails', () => {
  let redis: OwnRedis;
  let connection: RedisConnection;

  beforeAll(async () => {
    redis = await startOwnRedis();
    connection = await openRedis({ url: redis.url, logger });
  });
  afterAll(async () => {
    connection.close();
    redis.resume();
    await redis.kill();
  });

  it('a hung Redis costs the recording cache its store timeout, then the load answers', async () => {
    const clock = new ManualClock();
    const metrics = createMetrics({ collectDefaults: false });
    const cache = new RecordingCache({
      store: storeOn(connection, `hung-${randomUUID()}`),
      clock,
      marginMs: 60_000,
      negativeTtlMs: 0,
      metrics,
      logger,
      failures: cxoneFailureRules,
      storeTimeoutMs: 100,
    });
    const answer: StatementMediaModel = {
      acdContactId: '100000000001',
      statementId: '5001',
      mediaUrl: { url: 'https://media.example/a.mp4', expiresAt: new Date(clock.now() + 30 * 60_000).toISOString(), fileName: null, mediaType: null },
    };
    redis.pause();
    try {
      const started = performance.now();
      const read = await cache.getOrLoad('k', () => Promise.resolve(answer));
      expect(read.value).toEqual(answer);
      // One read and one write, each given up after 100 ms.
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(performance.now() - started).toBeGreaterThanOrEqual(150);
    } finally {
      redis.resume();
    }
  });

  it('a dead Redis reads as a miss and a write is dropped, each told to onError, nothing thrown', async () => {
    const errors: unknown[] = [];
    const store = storeOn(connection, `dead-${randomUUID()}`, errors);
    await redis.kill();
    await expect(store.set('k', { v: 1 }, 30_000)).resolves.toBeUndefined();
    await expect(store.get('k')).resolves.toBeUndefined();
    expect(errors.length).toBeGreaterThanOrEqual(2);
  });
});
