/**
 * How often a caller may force a fresh upstream answer for one link (`refresh: true`): a player whose
 * link died needs one new link, not a way to spend the tenant's budget. With Redis one `SET NX PX`
 * decides for every replica; when Redis does not answer, each replica's own gate: still bounded.
 */
import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock.js';
import type { RedisClient } from '../redis.js';

export interface RefreshGate {
  /** True (its interval starts) when `key` (tenant, caller, link) had no forced refresh within it; never rejects. */
  tryAcquire(key: string): Promise<boolean>;
}

interface RefreshGateOptions {
  readonly clock: Clock;
  /** LINK_REFRESH_INTERVAL_SECONDS in ms: one forced refresh per key per this long. */
  readonly intervalMs: number;
  /** The replica's Redis connection (CACHE_URL): the gate is then shared across replicas. */
  readonly redis?: RedisClient | undefined;
  /** Prefix of the gate's Redis keys (the cache namespace). */
  readonly namespace: string;
}

/** The gate for this process: shared through Redis when there is one, in process otherwise. */
export function createRefreshGate(options: RefreshGateOptions): RefreshGate {
  // The in-process gate: the keys refreshed within the interval, the least recently refreshed forgotten first.
  const recent = new LRUCache<string, true>({
    max: 10_000,
    ttl: options.intervalMs,
    // Time comes from the injected clock; no memoised "now" (tests move a ManualClock).
    perf: { now: () => options.clock.now() },
    ttlResolution: 0,
  });
  const local = (key: string): Promise<boolean> => {
    if (recent.has(key)) return Promise.resolve(false);
    recent.set(key, true);
    return Promise.resolve(true);
  };
  const client = options.redis;
  if (client === undefined) return { tryAcquire: local };
  const prefix = `${options.namespace}:refresh-gate:`;
  return {
    // Timed by Redis (`PX`), not by the injected clock: replicas' clocks need not agree, and the key expires by itself.
    async tryAcquire(key) {
      if (!client.isReady) return local(key);
      try {
        const reply = await client.set(`${prefix}${key}`, '1', {
          condition: 'NX',
          expiration: { type: 'PX', value: Math.max(1, Math.round(options.intervalMs)) },
        });
        return reply === 'OK';
      } catch {
        // A timeout or a dropped connection: decide in process rather than refuse or allow unbounded.
        return local(key);
      }
    },
  };
}
