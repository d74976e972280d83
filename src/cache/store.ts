/**
 * The store behind the recording cache: Redis when CACHE_URL is set (shared by replicas),
 * otherwise a bounded in-process LRU so a long reporting run cannot grow memory without limit.
 */
import { Keyv } from 'keyv';
import KeyvRedis from '@keyv/redis';
import { LRUCache } from 'lru-cache';
import { deepFreeze } from '../freeze.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { RedisClient } from '../redis.js';

/** What the recording cache needs of a store; its own deadline decides, the store's TTL frees the space. */
export interface Store {
  /** The live value under `key` right now, without waiting; always undefined for an asynchronous store. */
  peek(key: string): unknown;
  /** The live value under `key`, or undefined. A store that cannot reach its backend answers undefined. */
  get(key: string): Promise<unknown>;
  /** Keeps `value` under `key` for `ttlMs` milliseconds (relative, > 0). */
  set(key: string, value: object, ttlMs: number): Promise<void>;
  /** Releases the backend's connection, if the store has one. */
  disconnect(): Promise<void>;
}

interface StoreOptions {
  /** The replica's Redis connection (see redis.ts), or undefined for the in-memory LRU. */
  readonly redis: RedisClient | undefined;
  /** Entries the in-memory LRU keeps at most. */
  readonly maxEntries: number;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Key prefix in Redis: every replica of a deployment shares one; tests give each run its own. */
  readonly namespace: string;
}

/** Creates the store the recording cache reads and writes. Never throws on a Redis outage. */
export function createStore(options: StoreOptions): Store {
  if (options.redis === undefined) {
    return new LruStore({ maxEntries: options.maxEntries, onEvict: () => options.metrics.cacheEvents.inc({ event: 'evict' }) });
  }
  return new RedisStore({
    client: options.redis,
    namespace: options.namespace,
    onError: (error) => {
      options.metrics.cacheEvents.inc({ event: 'error' });
      options.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'cache store error; serving without cache');
    },
  });
}

/**
 * The in-process store: a bounded LRU of the objects themselves (a JSON round trip per warm read would
 * be most of its CPU), deep-frozen so a request mutating a shared model throws instead.
 */
export class LruStore implements Store {
  private readonly lru: LRUCache<string, object>;

  constructor(options: {
    readonly maxEntries: number;
    /** Called for each entry pushed out by the bound (not for expiry or replacement). */
    readonly onEvict?: () => void;
    /** Times the TTL backstop (default `performance`); tests pass a ManualClock. */
    readonly clock?: { now(): number };
  }) {
    this.lru = new LRUCache<string, object>({
      max: options.maxEntries,
      ...(options.clock === undefined ? {} : { perf: options.clock, ttlResolution: 0 }),
      dispose: (_value, _key, reason) => {
        if (reason === 'evict') options.onEvict?.();
      },
    });
  }

  peek(key: string): unknown {
    return this.lru.get(key);
  }

  get(key: string): Promise<unknown> {
    return Promise.resolve(this.lru.get(key));
  }

  set(key: string, value: object, ttlMs: number): Promise<void> {
    this.lru.set(key, deepFreeze(value), { ttl: ttlMs });
    return Promise.resolve();
  }

  disconnect(): Promise<void> {
    return Promise.resolve();
  }
}

/** The shared store: Keyv over the replica's Redis connection; the recording cache seals its JSON values. */
export class RedisStore implements Store {
  private readonly keyv: Keyv;

  constructor(options: {
    /** Connected and tuned (no offline queue, command timeout, endless reconnect): see redis.ts. */
    readonly client: RedisClient;
    readonly namespace: string;
    /** A failed read or write (Redis down or refusing); the operation then reads as a miss. */
    readonly onError: (error: unknown) => void;
  }) {
    const redis = new KeyvRedis(options.client, { throwOnConnectError: false, throwOnErrors: false });
    this.keyv = new Keyv({ store: redis, namespace: options.namespace, useKeyPrefix: false });
    this.keyv.on('error', options.onError);
  }

  peek(): undefined {
    return undefined;
  }

  async get(key: string): Promise<unknown> {
    return (await this.keyv.get<unknown>(key)) ?? undefined;
  }

  async set(key: string, value: object, ttlMs: number): Promise<void> {
    await this.keyv.set(key, value, ttlMs);
  }

  /** Keyv's hold on the connection only: redis.ts closes the connection. */
  async disconnect(): Promise<void> {
    await this.keyv.disconnect();
  }
}
