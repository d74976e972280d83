/**
 * The Keyv store behind the recording cache: Redis when CACHE_URL is set (shared by replicas),
 * otherwise a bounded in-process LRU so a long reporting run cannot grow memory without limit.
 */
import { Keyv } from 'keyv';
import KeyvRedis from '@keyv/redis';
import { LRUCache } from 'lru-cache';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';

export interface StoreOptions {
  /** `redis://host:port`, or undefined for the in-memory LRU. */
  readonly url: string | undefined;
  /** Entries the in-memory LRU keeps at most. */
  readonly maxEntries: number;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Key prefix; tests give each run its own so they never see each other's entries. */
  readonly namespace?: string;
}

/** Creates the Keyv instance the recording cache reads and writes. Never throws on a Redis outage. */
export function createStore(options: StoreOptions): Keyv {
  const namespace = options.namespace ?? 'cxone-recordings';
  let keyv: Keyv;
  if (options.url === undefined) {
    const lru = new LRUCache<string, unknown>({
      max: options.maxEntries,
      // Keyv passes its TTL as a number; expiry is enforced by Keyv and by our own deadline check.
      dispose: (_value, _key, reason) => {
        if (reason === 'evict') options.metrics.cacheEvents.inc({ event: 'evict' });
      },
    });
    keyv = new Keyv({ store: lru, namespace });
  } else {
    const redis = new KeyvRedis(options.url, {
      // A Redis outage must not fail requests: the cache degrades to pass-through.
      throwOnConnectError: false,
      throwOnErrors: false,
      connectionTimeout: 1_000,
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
