/**
 * How often a caller may force a fresh upstream answer for one contact (`recording(refresh: true)`).
 * A player whose link died needs one new link, not a way to spend the tenant's CXone budget: the
 * first forced refresh per key and interval goes upstream, later ones within the interval are
 * served from the cache (which that refresh just replaced). Per process: with N replicas a caller
 * gets at most N refreshes per interval, still bounded.
 */
import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock.js';

export interface RefreshGateOptions {
  readonly clock: Clock;
  /** LINK_REFRESH_INTERVAL_SECONDS in ms: one forced refresh per key per this long. */
  readonly intervalMs: number;
  /** Keys remembered at once; the least recently refreshed are forgotten first. */
  readonly maxKeys?: number;
}

export class RefreshGate {
  private readonly recent: LRUCache<string, true>;

  constructor(options: RefreshGateOptions) {
    this.recent = new LRUCache<string, true>({
      max: options.maxKeys ?? 10_000,
      ttl: options.intervalMs,
      // Time comes from the injected clock; no memoised "now" (tests move a ManualClock).
      perf: { now: () => options.clock.now() },
      ttlResolution: 0,
    });
  }

  /**
   * True, and the key's interval starts, when `key` (tenant, caller and contact) had no forced
   * refresh within the interval; false otherwise.
   */
  tryAcquire(key: string): boolean {
    if (this.recent.has(key)) return false;
    this.recent.set(key, true);
    return true;
  }
}
