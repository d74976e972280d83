/**
 * The Keyv store behind the recording cache: Redis when CACHE_URL is set (shared by replicas),
 * otherwise a bounded in-process LRU so a long reporting run cannot grow memory without limit.
 */
import { Keyv } from 'keyv';
import KeyvRedis from '@keyv/redis';
import { LRUCache } from 'lru-cache';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { RedisClient } from '../redis.js';
import { deepFreeze } from '../freeze.js';

export interface StoreOptions {
  /** The replica's Redis connection (see redis.ts), or undefined for the in-memory LRU. */
  readonly redis: RedisClient | undefined;
  /** Entries the in-memory LRU keeps at most. */
  readonly maxEntries: number;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Key prefix; tests give each run its own so they never see each other's entries. */
  readonly namespace?: string;
}

/** Synchronous readers of in-process stores, by the Keyv instance createStore made for them. */
const syncReaders = new WeakMap<Keyv, (key: string) => unknown>();

/**
 * A synchronous read of the in-process LRU behind `store` (what `store.get` would resolve to,
 * without Keyv's promise chain, hooks and stats), or undefined for Redis, which can only answer
 * asynchronously. The warm path of a request reads through it (src/cache/recording-cache.ts peek).
 */
export function syncReaderOf(store: Keyv): ((key: string) => unknown) | undefined {
  return syncReaders.get(store);
}

/** Creates the Keyv instance the recording cache reads and writes. Never throws on a Redis outage. */
export function createStore(options: StoreOptions): Keyv {
  const namespace = options.namespace ?? 'cxone-recordings';
  let keyv: Keyv;
  if (options.redis === undefined) {
    const lru = new LRUCache<string, object | string>({
      max: options.maxEntries,
      dispose: (_value, _key, reason) => {
        if (reason === 'evict') options.metrics.cacheEvents.inc({ event: 'evict' });
      },
    });
    keyv = new Keyv({ store: new LruStore(lru), namespace });
    // In process, entries stay the objects they are. Keyv's serializer would make every read a
    // JSON.parse with a reviver (a quarter of a warm query's CPU in `npm run bench`) and hold each
    // entry as a rope of small concatenated strings. Models are plain, readonly JSON; LruStore
    // freezes them, so a mutation would throw rather than leak into another request's answer.
    keyv.serialize = undefined;
    keyv.deserialize = undefined;
    // Keyv keeps `{ value, expires }` under `namespace:key`; its own expiry runs on the wall clock.
    const prefix = `${namespace}:`;
    syncReaders.set(keyv, (key) => {
      const data = lru.get(prefix + key);
      if (typeof data !== 'object' || !('value' in data)) return undefined;
      const expires = (data as { expires?: unknown }).expires;
      return typeof expires === 'number' && Date.now() > expires ? undefined : (data as { value: unknown }).value;
    });
  } else {
    // The client comes connected and tuned (no offline queue, command timeout, endless reconnect),
    // so Keyv never waits on a dead Redis. A Redis outage must not fail requests: the cache
    // degrades to pass-through, errors reach the 'error' listener below.
    const redis = new KeyvRedis(options.redis, {
      throwOnConnectError: false,
      throwOnErrors: false,
    });
    keyv = new Keyv({ store: redis, namespace, useKeyPrefix: false });
  }
  keyv.on('error', (error: unknown) => {
    options.metrics.cacheEvents.inc({ event: 'error' });
    options.logger.warn({ err: describeError(error) }, 'cache store error; serving without cache');
  });
  return keyv;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Keyv's Map-style store contract over an LRU. Keyv passes its TTL (ms) as a third argument, which
 * LRUCache would misread as options; here it becomes the LRU's own per-entry TTL.
 */
class LruStore {
  constructor(private readonly lru: LRUCache<string, object | string>) {}
  get(key: string): object | string | undefined {
    return this.lru.get(key);
  }
  set(key: string, value: object | string, ttl?: number): this {
    this.lru.set(key, deepFreeze(value), ttl === undefined ? {} : { ttl });
    return this;
  }
  delete(key: string): boolean {
    return this.lru.delete(key);
  }
  has(key: string): boolean {
    return this.lru.has(key);
  }
  clear(): void {
    this.lru.clear();
  }
}
