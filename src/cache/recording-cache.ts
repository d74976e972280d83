/**
 * The cross-request cache of CXone answers. An entry lives until the earliest media link it holds
 * expires, minus the safety margin: reads do not extend it. Concurrent misses for one key share one
 * upstream call (single-flight), which also spares a busy contact CXone's 425. Errors are not
 * cached, except a 404 and a 5xx that keeps coming back, each for a short while.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { TimeoutStrategy, timeout, type TimeoutPolicy } from 'cockatiel';
import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { RecordingModel, SegmentAnalysisModel, SegmentModel, StatementMediaModel } from '../models.js';
import { earliestLinkExpiry } from '../expiry.js';
import type { Store } from './store.js';

/** What the cache holds: the three Media Playback answers and analyzed transcripts, mapped. */
export type CachedModel = RecordingModel | SegmentModel | StatementMediaModel | SegmentAnalysisModel;

/** A link-less answer (e.g. a chat without files) follows CXone's minimum link lifetime. */
const LINKLESS_LIFETIME_MS = 30 * 60 * 1000;
const DEFAULT_STORE_TIMEOUT_MS = 500;
/** Failed loads in a row, per key, after which a key is remembered as failing. */
const FAILURES_BEFORE_REMEMBERED = 2;

/** Until when a fresh answer may be kept: a transcript says so itself, a media answer until its first link expires. */
function keepUntil(value: CachedModel, now: number): number {
  if ('kind' in value) return value.keepUntil;
  return earliestLinkExpiry(value) ?? now + LINKLESS_LIFETIME_MS;
}

function mac(secret: string, text: string): string {
  return createHmac('sha256', secret).update(text).digest('base64url');
}

/** A failure worth remembering: `not-found` (a 404) or `failing` (a 5xx after all retries); `detail` raises it again. */
interface RememberedFailure {
  readonly kind: 'not-found' | 'failing';
  readonly detail: unknown;
}

/** The upstream's error rules, injected: the cache stores and expires failures, it builds no upstream error. */
interface FailureRules {
  /** What to remember of an error a load threw; null: nothing. */
  remember(error: unknown): RememberedFailure | null;
  /** The error a remembered failure is answered with; `retryAfterSeconds` until it is forgotten. */
  recall(failure: RememberedFailure, retryAfterSeconds: number): Error;
}

type StoredEntry = ({ readonly kind: 'value'; readonly value: CachedModel } | RememberedFailure) & { readonly usableUntil: number };

interface RecordingCacheOptions {
  readonly store: Store;
  readonly clock: Clock;
  /** URL_EXPIRY_MARGIN_SECONDS in ms: an entry is dropped this long before its first link expires. */
  readonly marginMs: number;
  /** How long a 404 is remembered; 0 turns the negative cache off. */
  readonly negativeTtlMs: number;
  /**
   * How long a key CXone answered 5xx for, after every retry, is remembered as failing, so a broken
   * contact costs neither budget nor breaker health while it stays broken. 0 turns this off.
   */
  readonly failingTtlMs?: number;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly failures: FailureRules;
  /**
   * A store read or write taking longer than this fails (default 500 ms): a hung Redis costs a miss,
   * not the request (node-redis bounds a command only until it is written). 0: unbounded (the LRU).
   */
  readonly storeTimeoutMs?: number;
  /**
   * For a shared store (Redis): keys become HMAC-SHA256(secret, key), so Redis does not tell whose
   * entry is whose, and each value is sealed with an HMAC over key and body: an entry copied under
   * another key, or changed, reads as a miss. Undefined for the in-process LRU, which nobody else writes.
   */
  readonly integrity?: { readonly secret: string };
}

/** What a read found: the value and how long (ms) it may still be served. */
export interface CacheRead<T> {
  readonly value: T;
  readonly remainingMs: number;
}

/** One key's work in progress, shared by every concurrent caller of that key. */
class Flight {
  /** The flight has gone upstream (not only read the store): its answer is as fresh as a reload's. */
  upstream = false;
  readonly read: Promise<CacheRead<CachedModel>>;

  constructor(start: (flight: Flight) => Promise<CacheRead<CachedModel>>) {
    this.read = start(this);
  }
}

export class RecordingCache {
  private readonly inFlight = new Map<string, Flight>();
  /** Keys whose last loads failed with a 5xx, and how many times in a row (decides when to remember). */
  private readonly recentFailures = new LRUCache<string, { readonly count: number; readonly at: number }>({ max: 10_000 });

  /** Undefined for a store that cannot hang (`storeTimeoutMs` 0: the LRU), where a timer per read is pure cost. */
  private readonly storeTimeout: TimeoutPolicy | undefined;

  constructor(private readonly options: RecordingCacheOptions) {
    const limitMs = options.storeTimeoutMs ?? DEFAULT_STORE_TIMEOUT_MS;
    // Unref'd: a pending store call must not keep the process alive on its own.
    this.storeTimeout = limitMs > 0 ? timeout(limitMs, TimeoutStrategy.Aggressive).dangerouslyUnref() : undefined;
  }

  /**
   * The usable cached answer for `key` right now, when the store is in process (a warm request then
   * resolves without a promise per contact); undefined otherwise: the caller goes through `getOrLoad`.
   */
  peek<T extends CachedModel>(key: string): CacheRead<T> | undefined {
    const entry = this.unseal(key, this.options.store.peek(this.storeKey(key)));
    const now = this.options.clock.now();
    if (entry?.kind !== 'value' || entry.usableUntil <= now) return undefined;
    this.options.metrics.cacheEvents.inc({ event: 'hit' });
    return { value: entry.value as T, remainingMs: entry.usableUntil - now };
  }

  /**
   * The cached answer for `key`, or the result of `load` (shared with concurrent callers of the same
   * key), stored until its links expire minus the margin. `key` must already hold tenant and caller.
   */
  async getOrLoad<T extends CachedModel>(key: string, load: () => Promise<T>): Promise<CacheRead<T>> {
    return this.singleFlight(key, async (flight) => (await this.read(key)) ?? (await this.loadAndStore(key, load, flight)));
  }

  /**
   * Skips the stored entry for `key`: one new `load`, stored in its place. Joins a load already
   * running for `key`, which is just as fresh; a flight only reading the store would hand back the
   * very entry to skip, so it is waited out first. Callers bound how often they ask (RefreshGate).
   */
  async reload<T extends CachedModel>(key: string, load: () => Promise<T>): Promise<CacheRead<T>> {
    const running = this.inFlight.get(key);
    if (running !== undefined && !running.upstream) {
      const outcome = await running.read.catch(() => undefined);
      // The flight went upstream after all (its read missed).
      if (running.upstream && outcome !== undefined) return outcome as CacheRead<T>;
    }
    return this.singleFlight(key, (flight) => {
      this.options.metrics.cacheEvents.inc({ event: 'reload' });
      return this.loadAndStore(key, load, flight);
    });
  }

  private async singleFlight<T extends CachedModel>(
    key: string,
    start: (flight: Flight) => Promise<CacheRead<CachedModel>>,
  ): Promise<CacheRead<T>> {
    // Joined before the store is read, not after a miss: a caller whose read missed just before the
    // flight stored its answer (and left) would otherwise start a second upstream call.
    const running = this.inFlight.get(key);
    if (running !== undefined) {
      this.options.metrics.singleFlightJoins.inc();
      return (await running.read) as CacheRead<T>;
    }
    const flight = new Flight(start);
    this.inFlight.set(key, flight);
    try {
      return (await flight.read) as CacheRead<T>;
    } finally {
      this.inFlight.delete(key);
    }
  }

  private async read(key: string): Promise<CacheRead<CachedModel> | undefined> {
    let entry: StoredEntry | undefined;
    try {
      entry = this.unseal(key, await this.bounded(this.options.store.get(this.storeKey(key))));
    } catch (error) {
      this.storeFailed('read', error);
      return undefined;
    }
    const now = this.options.clock.now();
    // The store's TTL runs on its own clock; our deadline, on the injected clock, is the one that counts.
    const event =
      entry === undefined ? 'miss' : entry.usableUntil <= now ? 'expired' : entry.kind === 'value' ? 'hit' : 'negative-hit';
    this.options.metrics.cacheEvents.inc({ event });
    if (entry === undefined || event === 'expired') return undefined;
    if (entry.kind !== 'value') {
      throw this.options.failures.recall(entry, Math.max(1, Math.ceil((entry.usableUntil - now) / 1000)));
    }
    return { value: entry.value, remainingMs: entry.usableUntil - now };
  }

  private async loadAndStore<T extends CachedModel>(key: string, load: () => Promise<T>, flight: Flight): Promise<CacheRead<T>> {
    let value: T;
    flight.upstream = true;
    try {
      value = await load();
    } catch (error) {
      const failure = this.options.failures.remember(error);
      if (failure?.kind === 'not-found') await this.remember(key, failure, this.options.negativeTtlMs);
      if (failure?.kind === 'failing' && this.failedInARow(key)) await this.remember(key, failure, this.options.failingTtlMs ?? 0);
      throw error;
    }
    this.recentFailures.delete(key);
    const now = this.options.clock.now();
    const usableUntil = keepUntil(value, now) - this.options.marginMs;
    const ttl = usableUntil - now;
    if (ttl > 0) await this.write(key, { kind: 'value', value, usableUntil }, ttl);
    // A fresh answer whose links expire within the margin is still served (it is the best CXone can
    // give right now) but not kept, and it tells HTTP caches not to keep it either.
    return { value, remainingMs: Math.max(0, ttl) };
  }

  /** Whether a key has failed with a 5xx FAILURES_BEFORE_REMEMBERED times in a row (one may be a blip). */
  private failedInARow(key: string): boolean {
    const ttl = this.options.failingTtlMs ?? 0;
    if (ttl <= 0) return false;
    const now = this.options.clock.now();
    const last = this.recentFailures.get(key);
    // Failures further apart than a few remembered periods are not "in a row".
    const failures = last === undefined || now - last.at > ttl * 6 ? 1 : last.count + 1;
    this.recentFailures.set(key, { count: failures, at: now });
    if (failures < FAILURES_BEFORE_REMEMBERED) return false;
    this.recentFailures.delete(key);
    return true;
  }

  private async remember(key: string, failure: RememberedFailure, ttlMs: number): Promise<void> {
    if (ttlMs <= 0) return;
    await this.write(key, { kind: failure.kind, detail: failure.detail, usableUntil: this.options.clock.now() + ttlMs }, ttlMs);
  }

  private async write(key: string, entry: StoredEntry, ttlMs: number): Promise<void> {
    try {
      await this.bounded(this.options.store.set(this.storeKey(key), this.sealed(key, entry), ttlMs));
      this.options.metrics.cacheEvents.inc({ event: 'store' });
    } catch (error) {
      this.storeFailed('write', error);
    }
  }

  private storeKey(key: string): string {
    const secret = this.options.integrity?.secret;
    return secret === undefined ? key : mac(secret, `key\n${key}`);
  }

  private sealed(key: string, entry: StoredEntry): object {
    const secret = this.options.integrity?.secret;
    if (secret === undefined) return entry;
    const body = JSON.stringify(entry);
    return { body, mac: mac(secret, `value\n${this.storeKey(key)}\n${body}`) };
  }

  /** The entry when it is one and its seal checks out (or no sealing is configured); undefined otherwise. */
  private unseal(key: string, stored: unknown): StoredEntry | undefined {
    const secret = this.options.integrity?.secret;
    if (stored === undefined || stored === null) return undefined;
    if (secret === undefined) return isStoredEntry(stored) ? stored : undefined;
    const candidate = stored as { body?: unknown; mac?: unknown };
    if (typeof candidate.body !== 'string' || typeof candidate.mac !== 'string') return this.rejected();
    const expected = Buffer.from(mac(secret, `value\n${this.storeKey(key)}\n${candidate.body}`));
    const given = Buffer.from(candidate.mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return this.rejected();
    const entry: unknown = JSON.parse(candidate.body);
    return isStoredEntry(entry) ? entry : undefined;
  }

  /** A copied or changed entry: counted and logged (without content), then read as a miss. */
  private rejected(): undefined {
    this.options.metrics.cacheEvents.inc({ event: 'rejected' });
    this.options.logger.warn('cache entry failed its integrity check; treated as a miss');
    return undefined;
  }

  private bounded<T>(operation: Promise<T>): Promise<T> {
    return this.storeTimeout === undefined ? operation : this.storeTimeout.execute(() => operation);
  }

  private storeFailed(operation: 'read' | 'write', error: unknown): void {
    this.options.metrics.cacheEvents.inc({ event: 'error' });
    this.options.logger.warn(
      { operation, err: error instanceof Error ? error.message : String(error) },
      'cache store unavailable; continuing without it',
    );
  }
}

function isStoredEntry(value: unknown): value is StoredEntry {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { kind?: unknown; usableUntil?: unknown };
  return (candidate.kind === 'value' || candidate.kind === 'not-found' || candidate.kind === 'failing') && typeof candidate.usableUntil === 'number';
}
