/**
 * The whole-response cache: the bytes of a successful GraphQL answer, kept for identical requests
 * (same cache scope, same body) until the earliest link in the answer stops being usable (its
 * expiry minus URL_EXPIRY_MARGIN_SECONDS, as the recording cache reports it). Answers with errors,
 * or with no link at all, are never kept. Bounded in bytes (RESPONSE_CACHE_MAX_BYTES); 0 turns it
 * off. Hits are served by src/http/graphql-front-door.ts before Apollo runs.
 *
 * The same bound holds the entity answers of src/http/entity-answers.ts (one entity of an
 * `_entities` answer each, under the same expiry and scope rules), so one LRU decides which
 * answers, whole or per entity, stay.
 */
import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock.js';
import type { EntityShape } from './entity-answers.js';
import type { Metrics } from '../metrics.js';

export type StoredHeaders = ReadonlyArray<readonly [string, string]>;

/** What every kept answer holds, whole or one entity, and until when it may be repeated. */
interface KeptAnswer {
  /** The JSON text as sent (a string: written with its headers in one socket write). */
  readonly body: string;
  /** Its length in bytes (UTF-8), for content-length and the byte bound. */
  readonly bytes: number;
  /** ms since the epoch (injected clock): the earliest link's usable-until in the answer. */
  readonly expiresAt: number;
  /** Whose links the answer holds (`AnswerScope.linksScope`), and their generation when the request started. */
  readonly linksScope: string;
  readonly generation: number;
}

/** One kept whole answer, with Apollo's headers without those of one response only. */
export interface StoredResponse extends KeptAnswer {
  readonly kind: 'response';
  readonly headers: StoredHeaders;
}

export interface StoredEntity extends KeptAnswer {
  readonly kind: 'entity';
}

type Kept = StoredResponse | StoredEntity;

/** Headers that belong to one response only, never repeated from a stored one. */
const PER_RESPONSE_HEADERS = new Set(['cache-control', 'x-request-id', 'content-length', 'date', 'connection']);

/** Bookkeeping per stored entry beyond its body: key, headers, object overhead (an estimate). */
const ENTRY_OVERHEAD_BYTES = 256;

/**
 * hit: a whole answer repeated; assembled: an `_entities` answer built from kept entities; partial:
 * an `_entities` answer built from kept entities and the pipeline's answer for the others; miss:
 * the pipeline ran; store: a whole answer kept; expired: a kept answer (whole or entity) found
 * past its lifetime or superseded; bypass: a request the cache does not serve.
 */
const EVENTS = ['hit', 'assembled', 'partial', 'miss', 'store', 'expired', 'bypass'] as const;
export type ResponseCacheEvent = (typeof EVENTS)[number];

export class ResponseCache {
  private readonly lru: LRUCache<string, Kept> | undefined;
  /**
   * Entity operations executed cleanly: the most representations one execution had (the limits
   * passed for any count up to it), and Apollo's headers for it.
   */
  readonly operations = new LRUCache<string, { readonly maxRepresentations: number; readonly headers: StoredHeaders }>({ max: 1_000 });
  /** Request shapes (everything but the variables) the pipeline found to be entity fetches. */
  readonly shapes = new LRUCache<string, EntityShape>({ max: 500 });
  /**
   * Keys asked for once, remembered so the second identical request is kept (nginx's
   * `proxy_cache_min_uses 2`): a body seen once (a varied page, a report paging through thousands of
   * contacts) is never copied into the cache, evicting answers that are asked for again.
   */
  private readonly seenOnce = new LRUCache<string, true>({ max: 10_000 });
  /**
   * Per links scope, how many times its links were force-refreshed (`recording(refresh: true)`): an
   * answer kept under an older generation holds a link the caller just reported dead.
   */
  private readonly generations = new LRUCache<string, number>({ max: 10_000 });
  private readonly clock: Clock;
  private readonly metrics: Metrics;
  // Bound once: a label lookup per request is measurable on the hit path.
  private readonly counters: Readonly<Record<ResponseCacheEvent, { inc(): void }>>;

  /** `maxBytes`: bodies + headers + keys held; 0 turns the cache off. */
  constructor(options: { readonly maxBytes: number; readonly clock: Clock; readonly metrics: Metrics }) {
    this.clock = options.clock;
    this.metrics = options.metrics;
    this.lru =
      options.maxBytes > 0
        ? new LRUCache<string, Kept>({
            maxSize: options.maxBytes,
            sizeCalculation: (entry, key) => sizeOf(entry, key),
            // An answer larger than the whole cache is simply not kept.
            maxEntrySize: options.maxBytes,
          })
        : undefined;
    const events = options.metrics.responseCacheEvents;
    this.counters = Object.fromEntries(EVENTS.map((event) => [event, events.labels(event)])) as Record<ResponseCacheEvent, { inc(): void }>;
  }

  get enabled(): boolean {
    return this.lru !== undefined;
  }

  count(event: ResponseCacheEvent): void {
    this.counters[event].inc();
  }

  /** The generation of `linksScope`'s links now: read when a request starts, stored with its answer. */
  generationOf(linksScope: string): number {
    return this.generations.get(linksScope) ?? 0;
  }

  /** A forced refresh gave `linksScope` new links: every answer kept with the old ones reads as stale. */
  linksRefreshed(linksScope: string): void {
    this.generations.set(linksScope, this.generationOf(linksScope) + 1);
  }

  /** The stored answer for `key` while it is usable; an expired or superseded one is dropped and counted. */
  get(key: string): StoredResponse | undefined {
    const entry = this.usable(key);
    return entry?.kind === 'response' ? entry : undefined;
  }

  getEntity(key: string): StoredEntity | undefined {
    const entry = this.usable(key);
    return entry?.kind === 'entity' ? entry : undefined;
  }

  /** Keeps one entity's answer at once (entities recur across different bodies; whole bodies rarely). */
  setEntity(key: string, entry: StoredEntity): void {
    if (this.lru !== undefined && this.isCurrent(entry)) this.lru.set(key, entry);
  }

  /** After a batch of `setEntity`: the bytes gauge, once. */
  entitiesStored(): void {
    this.updateBytes();
  }

  /** Records a clean execution of an entity operation with `count` representations. */
  operationExecuted(key: string, count: number, headers: StoredHeaders): void {
    const known = this.operations.get(key);
    if (known === undefined || known.maxRepresentations < count) this.operations.set(key, { maxRepresentations: count, headers });
  }

  /**
   * Keeps an answer the second time its key is asked for (the first time only the key is
   * remembered); one already past its lifetime is ignored.
   */
  set(key: string, entry: StoredResponse): void {
    if (this.lru === undefined || !this.isCurrent(entry)) return;
    if (this.seenOnce.get(key) === undefined) {
      this.seenOnce.set(key, true);
      return;
    }
    this.seenOnce.delete(key);
    this.lru.set(key, entry);
    this.count('store');
    this.updateBytes();
  }

  /** Within its lifetime, and built with its scope's current links (no forced refresh since). */
  private isCurrent(entry: Kept): boolean {
    return entry.expiresAt > this.clock.now() && entry.generation === this.generationOf(entry.linksScope);
  }

  private usable(key: string): Kept | undefined {
    const entry = this.lru?.get(key);
    if (entry === undefined || this.isCurrent(entry)) return entry;
    this.lru?.delete(key);
    this.count('expired');
    this.updateBytes();
    return undefined;
  }

  private updateBytes(): void {
    this.metrics.responseCacheBytes.set(this.lru?.calculatedSize ?? 0);
  }
}

/** Stored headers from Apollo's, without those that belong to one response only. */
export function storableHeaders(headers: Iterable<[string, string]>): StoredHeaders {
  const kept: Array<readonly [string, string]> = [];
  for (const [name, value] of headers) if (!PER_RESPONSE_HEADERS.has(name.toLowerCase())) kept.push([name, value]);
  return kept;
}

function sizeOf(entry: Kept, key: string): number {
  let size = entry.bytes + key.length + ENTRY_OVERHEAD_BYTES;
  if (entry.kind === 'response') for (const [name, value] of entry.headers) size += name.length + value.length;
  return size;
}
