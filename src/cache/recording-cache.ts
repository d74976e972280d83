/**
 * The cross-request cache of CXone answers. An entry lives until the earliest media link it holds
 * expires, minus the safety margin, and never longer: reads do not extend it, and an entry with
 * less than the margin left is treated as absent. Concurrent misses for one key share one upstream
 * call (single-flight), which also keeps CXone from answering 425 for a busy contact.
 * Errors are not cached, except a short negative entry for 404.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { RecordingModel, SegmentAnalysisModel, SegmentModel, StatementMediaModel } from '../models.js';
import { earliestLinkExpiry } from '../expiry.js';
import type { Store } from './store.js';

/** What the cache holds: the three Media Playback answers and analyzed transcripts, mapped. */
export type CachedModel = RecordingModel | SegmentModel | StatementMediaModel | SegmentAnalysisModel;

/** Until when a fresh answer may be kept: a transcript says so itself, a media answer until its first link expires. */
function keepUntil(value: CachedModel, now: number): number {
  if (isSegmentAnalysis(value)) return value.keepUntil;
  return earliestLinkExpiry(value) ?? now + LINKLESS_LIFETIME_MS;
}

function isSegmentAnalysis(value: CachedModel): value is SegmentAnalysisModel {
  return 'kind' in value && value.kind === 'segment-analysis';
}

/**
 * A failure worth remembering, as the client's error rules describe it: `not-found` (a 404) or
 * `failing` (a 5xx after every retry); `detail` is whatever those rules need to raise it again (JSON).
 */
interface RememberedFailure {
  readonly kind: 'not-found' | 'failing';
  readonly detail: unknown;
}

/**
 * The upstream's error rules, injected: which errors are remembered, and the error a remembered one
 * is answered with. The cache stores and expires them; it builds no upstream error itself.
 */
export interface FailureRules {
  /** What to remember of an error a load threw; null: nothing. */
  remember(error: unknown): RememberedFailure | null;
  /** The error a remembered failure is answered with; `retryAfterSeconds` until it is forgotten. */
  recall(failure: RememberedFailure, retryAfterSeconds: number): Error;
}

type StoredEntry =
  | { readonly kind: 'value'; readonly value: CachedModel; readonly usableUntil: number }
  | { readonly kind: 'not-found' | 'failing'; readonly detail: unknown; readonly usableUntil: number };

/** A link-less answer (e.g. a chat without files) follows CXone's minimum link lifetime. */
const LINKLESS_LIFETIME_MS = 30 * 60 * 1000;

interface RecordingCacheOptions {
  readonly store: Store;
  readonly clock: Clock;
  /** URL_EXPIRY_MARGIN_SECONDS in ms: an entry is dropped this long before its first link expires. */
  readonly marginMs: number;
  /** How long a 404 is remembered; 0 turns the negative cache off. */
  readonly negativeTtlMs: number;
  /**
   * How long a contact (segment, statement) that CXone answered 5xx for, after every retry, is
   * remembered as failing: its next lookups answer at once without an upstream call, so one broken
   * contact costs neither budget nor breaker health while it stays broken. 0 turns this off.
   */
  readonly failingTtlMs?: number;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** Which upstream errors are remembered (404s, contacts that keep failing), and how they are raised again. */
  readonly failures: FailureRules;
  /**
   * A store read or write taking longer than this counts as failed (default 500 ms): a hung Redis
   * (reachable, not answering) must cost a cache miss, not the request. node-redis bounds a command
   * only until it is written, not while it waits for the reply. 0: unbounded, for a store that
   * cannot hang (the in-process LRU).
   */
  readonly storeTimeoutMs?: number;
  /**
   * For a shared store (Redis): keys become HMAC-SHA256(secret, key), so nobody reading Redis can
   * tell or compute whose entry is whose, and each value is sealed with an HMAC over its key and
   * body, checked on every read. An entry copied under another caller's key, or changed, reads as
   * a miss. Undefined for the in-process LRU, which nobody else can write.
   */
  readonly integrity?: { readonly secret: string };
}

/** What a sealed entry looks like in a shared store. */
interface SealedEntry {
  readonly body: string;
  readonly mac: string;
}

/** The key an entry is stored under: an HMAC of the logical key with the cache secret. */
function cacheStoreKey(secret: string, key: string): string {
  return createHmac('sha256', secret).update(`key\n${key}`).digest('base64url');
}

function seal(secret: string, storeKey: string, body: string): string {
  return createHmac('sha256', secret).update(`value\n${storeKey}\n${body}`).digest('base64url');
}

const DEFAULT_STORE_TIMEOUT_MS = 500;

/** What a read found: the value and how long (ms) it may still be served. */
export interface CacheRead<T> {
  readonly value: T;
  readonly remainingMs: number;
}

/** Failed loads in a row, per key, after which a key is remembered as failing. */
const FAILURES_BEFORE_REMEMBERED = 2;

export class RecordingCache {
  private readonly inFlight = new Map<string, Promise<CacheRead<CachedModel>>>();
  /** Keys whose flight has gone upstream (not only read the store): a reload may join those. */
  private readonly loading = new Set<string>();
  /** Upstream loads started per key while a reload waits out a flight (did that flight load anew?). */
  private readonly loadsStarted = new Map<string, number>();
  /**
   * Keys whose last loads failed with a 5xx, and how many times in a row. In process and bounded:
   * it only decides when a key has failed often enough to be remembered (in the shared store).
   */
  private readonly recentFailures: LRUCache<string, { readonly count: number; readonly at: number }>;

  constructor(private readonly options: RecordingCacheOptions) {
    this.recentFailures = new LRUCache({ max: 10_000 });
  }

  /**
   * The usable cached answer for `key` right now, synchronously, when the store is in process;
   * undefined otherwise (a miss, a remembered 404, an expired entry, or Redis), and the caller goes
   * through `getOrLoad`. A warm request then resolves without a promise per contact.
   */
  peek<T extends CachedModel>(key: string): CacheRead<T> | undefined {
    const entry = this.unseal(key, this.options.store.peek(this.storeKey(key)));
    if (entry === undefined || !isStoredEntry(entry) || entry.kind !== 'value') return undefined;
    const now = this.options.clock.now();
    if (entry.usableUntil <= now) return undefined;
    this.options.metrics.cacheEvents.inc({ event: 'hit' });
    return { value: entry.value as T, remainingMs: entry.usableUntil - now };
  }

  /**
   * The cached answer for `key`, or the result of `load` (shared with concurrent callers of the same
   * key), stored until its links expire minus the margin. `key` must already hold tenant and caller.
   */
  async getOrLoad<T extends CachedModel>(key: string, load: () => Promise<T>): Promise<CacheRead<T>> {
    return this.singleFlight(key, () => this.readOrLoad(key, load));
  }

  /**
   * Skips the stored entry for `key`: one new `load`, stored in its place (a player whose link
   * failed needs a new one, not the cached one). Joins a load already running for `key`, which is
   * just as fresh; a flight that is only reading the store (e.g. `recordingStatus` beside
   * `recording(refresh: true)` in one request) would hand back the very entry to skip, so it is
   * waited out first. Callers bound how often they ask (see RefreshGate).
   */
  async reload<T extends CachedModel>(key: string, load: () => Promise<T>): Promise<CacheRead<T>> {
    const running = this.inFlight.get(key);
    if (running !== undefined && !this.loading.has(key)) {
      const before = this.loadsStarted.get(key) ?? 0;
      this.loadsStarted.set(key, before);
      const outcome = await running.then((read) => read, () => undefined);
      const loadedMeanwhile = (this.loadsStarted.get(key) ?? 0) > before;
      if (!this.inFlight.has(key)) this.loadsStarted.delete(key);
      // The flight went upstream after all (its read missed): its answer is as fresh as a reload's.
      if (loadedMeanwhile && outcome !== undefined) return outcome as CacheRead<T>;
    }
    return this.singleFlight(key, () => {
      this.options.metrics.cacheEvents.inc({ event: 'reload' });
      return this.loadAndStore(key, load);
    });
  }

  private async singleFlight<T extends CachedModel>(
    key: string,
    start: () => Promise<CacheRead<CachedModel>>,
  ): Promise<CacheRead<T>> {
    // Joined before the store is read, not after a miss: a caller whose read missed just before the
    // flight stored its answer (and left) would otherwise start a second upstream call.
    const running = this.inFlight.get(key);
    if (running !== undefined) {
      this.options.metrics.singleFlightJoins.inc();
      return (await running) as CacheRead<T>;
    }
    const flight = start();
    this.inFlight.set(key, flight);
    try {
      return (await flight) as CacheRead<T>;
    } finally {
      this.inFlight.delete(key);
    }
  }

  private async readOrLoad<T extends CachedModel>(key: string, load: () => Promise<T>): Promise<CacheRead<CachedModel>> {
    return (await this.read(key)) ?? (await this.loadAndStore(key, load));
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
    if (entry === undefined || !isStoredEntry(entry)) {
      this.options.metrics.cacheEvents.inc({ event: 'miss' });
      return undefined;
    }
    if (entry.usableUntil <= now) {
      // The store's TTL runs on its own clock; our deadline, on the injected clock, is the one that counts.
      this.options.metrics.cacheEvents.inc({ event: 'expired' });
      return undefined;
    }
    this.options.metrics.cacheEvents.inc({ event: entry.kind === 'value' ? 'hit' : 'negative-hit' });
    if (entry.kind !== 'value') {
      throw this.options.failures.recall(entry, Math.max(1, Math.ceil((entry.usableUntil - now) / 1000)));
    }
    return { value: entry.value, remainingMs: entry.usableUntil - now };
  }

  private async loadAndStore<T extends CachedModel>(key: string, load: () => Promise<T>): Promise<CacheRead<T>> {
    let value: T;
    this.loading.add(key);
    const started = this.loadsStarted.get(key);
    if (started !== undefined) this.loadsStarted.set(key, started + 1);
    try {
      value = await load();
    } catch (error) {
      const failure = this.options.failures.remember(error);
      if (failure?.kind === 'not-found') await this.rememberNotFound(key, failure);
      if (failure?.kind === 'failing') await this.rememberFailing(key, failure);
      throw error;
    } finally {
      this.loading.delete(key);
    }
    this.recentFailures.delete(key);
    const now = this.options.clock.now();
    const usableUntil = keepUntil(value, now) - this.options.marginMs;
    const ttl = usableUntil - now;
    if (ttl > 0) {
      await this.write(key, { kind: 'value', value, usableUntil }, ttl);
    }
    // A fresh answer whose links expire within the margin is still served (it is the best CXone can
    // give right now) but not kept, and it tells HTTP caches not to keep it either.
    return { value, remainingMs: Math.max(0, ttl) };
  }

  private async rememberNotFound(key: string, failure: RememberedFailure): Promise<void> {
    const ttl = this.options.negativeTtlMs;
    if (ttl <= 0) return;
    await this.write(key, { kind: 'not-found', detail: failure.detail, usableUntil: this.options.clock.now() + ttl }, ttl);
  }

  /**
   * A key that failed with a 5xx FAILURES_BEFORE_REMEMBERED times in a row is remembered as failing
   * for `failingTtlMs`: one failure may be a blip (it is retried next time), a contact that keeps
   * failing is not asked again for a while.
   */
  private async rememberFailing(key: string, failure: RememberedFailure): Promise<void> {
    const ttl = this.options.failingTtlMs ?? 0;
    if (ttl <= 0) return;
    const now = this.options.clock.now();
    const last = this.recentFailures.get(key);
    // Failures further apart than a few remembered periods are not "in a row".
    const failures = last === undefined || now - last.at > ttl * 6 ? 1 : last.count + 1;
    this.recentFailures.set(key, { count: failures, at: now });
    if (failures < FAILURES_BEFORE_REMEMBERED) return;
    this.recentFailures.delete(key);
    await this.write(key, { kind: 'failing', detail: failure.detail, usableUntil: this.options.clock.now() + ttl }, ttl);
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
    const integrity = this.options.integrity;
    return integrity === undefined ? key : cacheStoreKey(integrity.secret, key);
  }

  private sealed(key: string, entry: StoredEntry): StoredEntry | SealedEntry {
    const integrity = this.options.integrity;
    if (integrity === undefined) return entry;
    const body = JSON.stringify(entry);
    return { body, mac: seal(integrity.secret, this.storeKey(key), body) };
  }

  /** The entry when its seal checks out (or no sealing is configured); undefined otherwise. */
  private unseal(key: string, stored: unknown): StoredEntry | undefined {
    const integrity = this.options.integrity;
    if (stored === undefined || stored === null) return undefined;
    if (integrity === undefined) return stored as StoredEntry;
    const candidate = stored as Partial<SealedEntry>;
    if (typeof candidate.body !== 'string' || typeof candidate.mac !== 'string') return this.rejected();
    const expected = Buffer.from(seal(integrity.secret, this.storeKey(key), candidate.body));
    const given = Buffer.from(candidate.mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return this.rejected();
    return JSON.parse(candidate.body) as StoredEntry;
  }

  /** A copied or changed entry: counted and logged (without content), then read as a miss. */
  private rejected(): undefined {
    this.options.metrics.cacheEvents.inc({ event: 'rejected' });
    this.options.logger.warn('cache entry failed its integrity check; treated as a miss');
    return undefined;
  }

  private async bounded<T>(operation: Promise<T>): Promise<T> {
    const limitMs = this.options.storeTimeoutMs ?? DEFAULT_STORE_TIMEOUT_MS;
    // 0: a store that cannot hang (the in-process LRU); a timer per read would be pure cost.
    if (limitMs <= 0) return operation;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`cache store did not answer within ${String(limitMs)} ms`)), limitMs);
      // A pending store call must not keep the process alive on its own.
      timer.unref();
    });
    try {
      return await Promise.race([operation, timeout]);
    } finally {
      clearTimeout(timer);
    }
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
