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

/** What an executed entity operation leaves for later requests of the same operation. */
export interface OperationRecord {
  /** Most representations one clean execution had: the limits passed for any count up to it. */
  readonly maxRepresentations: number;
  /** Apollo's response headers for it (without per-response ones). */
  readonly headers: StoredHeaders;
}

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

/** One kept whole answer, with its headers as first sent. */
export interface StoredResponse extends KeptAnswer {
  readonly kind: 'response';
  /** Apollo's response headers without `cache-control` (recomputed per hit) and `x-request-id`. */
  readonly headers: StoredHeaders;
}

/** One entity of an `_entities` answer: its JSON text, under the same rules as a whole answer. */
export interface StoredEntity extends KeptAnswer {
  readonly kind: 'entity';
}

type Kept = StoredResponse | StoredEntity;

/** Operations executed cleanly, remembered for entity answers (see entity-answers.ts). */
const OPERATIONS = 1_000;
/** Request shapes (everything but the variables) the pipeline found to be entity fetches. */
const ENTITY_SHAPES = 500;

/** Headers that belong to one response only, never repeated from a stored one. */
const PER_RESPONSE_HEADERS = new Set(['cache-control', 'x-request-id', 'content-length', 'date', 'connection']);

/** Bookkeeping per stored entry beyond its body: key, headers, object overhead (an estimate). */
const ENTRY_OVERHEAD_BYTES = 256;

/**
 * Keys asked for once, remembered so the second identical request is kept (nginx's
 * `proxy_cache_min_uses 2`): a body seen once (a varied page, a report paging through thousands of
 * contacts) is never copied into the cache, evicting answers that are asked for again.
 */
const SEEN_ONCE_KEYS = 10_000;

/** Scopes whose links were force-refreshed, remembered (LRU) so their older answers read as stale. */
const REFRESHED_SCOPES = 10_000;

/**
 * hit: a whole answer repeated; assembled: an `_entities` answer built from kept entities; partial:
 * an `_entities` answer built from kept entities and the pipeline's answer for the others; miss:
 * the pipeline ran; store: a whole answer kept; expired: a kept answer (whole or entity) found
 * past its lifetime or superseded; bypass: a request the cache does not serve.
 */
export type ResponseCacheEvent = 'hit' | 'assembled' | 'partial' | 'miss' | 'store' | 'expired' | 'bypass';

export interface ResponseCacheOptions {
  /** Upper bound of bodies + headers + keys held, in bytes; 0 turns the cache off. */
  readonly maxBytes: number;
  readonly clock: Clock;
  readonly metrics: Metrics;
}

export class ResponseCache {
  private readonly lru: LRUCache<string, Kept> | undefined;
  /** Entity operations executed cleanly: how many representations passed the limits, and the headers. */
  private readonly operations = new LRUCache<string, OperationRecord>({ max: OPERATIONS });
  private readonly shapes = new LRUCache<string, EntityShape>({ max: ENTITY_SHAPES });
  private readonly seenOnce = new LRUCache<string, true>({ max: SEEN_ONCE_KEYS });
  /**
   * Per scope, how many times its links were force-refreshed (`recording(refresh: true)`): an answer
   * kept under an older generation holds a link the caller just reported dead, so it is not served.
   */
  private readonly generations = new LRUCache<string, number>({ max: REFRESHED_SCOPES });
  private readonly clock: Clock;
  private readonly metrics: Metrics;
  private readonly counters: Readonly<Record<ResponseCacheEvent, { inc(): void }>>;

  constructor(options: ResponseCacheOptions) {
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
    // Bound once: a label lookup per request is measurable on the hit path.
    const events = options.metrics.responseCacheEvents;
    this.counters = {
      hit: events.labels('hit'),
      miss: events.labels('miss'),
      store: events.labels('store'),
      expired: events.labels('expired'),
      bypass: events.labels('bypass'),
      assembled: events.labels('assembled'),
      partial: events.labels('partial'),
    };
  }

  /** False when RESPONSE_CACHE_MAX_BYTES is 0. */
  get enabled(): boolean {
    return this.lru !== undefined;
  }

  /** Bytes held now (0 when off). */
  get bytes(): number {
    return this.lru?.calculatedSize ?? 0;
  }

  /** Entries held now. */
  get entries(): number {
    return this.lru?.size ?? 0;
  }

  /** Counts an event in the metrics. */
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

  /** The kept answer of one entity while it is usable (the same rules as `get`). */
  getEntity(key: string): StoredEntity | undefined {
    const entry = this.usable(key);
    return entry?.kind === 'entity' ? entry : undefined;
  }

  /** Keeps one entity's answer at once (entities recur across different bodies; whole bodies rarely). */
  setEntity(key: string, entry: StoredEntity): void {
    if (this.lru === undefined || !this.isCurrent(entry)) return;
    this.lru.set(key, entry);
  }

  /** After a batch of `setEntity`: the bytes gauge, once. */
  entitiesStored(): void {
    this.metrics.responseCacheBytes.set(this.bytes);
  }

  /** How a request shape's answer splits into entities, when the pipeline found it to be an entity fetch. */
  entityShape(identity: string): EntityShape | undefined {
    return this.shapes.get(identity);
  }

  /** Remembers what the pipeline found a request shape to be. */
  entityShapeFound(identity: string, shape: EntityShape): void {
    this.shapes.set(identity, shape);
  }

  /** What a clean execution of an entity operation left (see entity-answers.ts). */
  operation(key: string): OperationRecord | undefined {
    return this.operations.get(key);
  }

  /** Records a clean execution of an entity operation with `count` representations. */
  operationExecuted(key: string, count: number, headers: StoredHeaders): void {
    const known = this.operations.get(key);
    if (known === undefined || known.maxRepresentations < count) this.operations.set(key, { maxRepresentations: count, headers });
  }

  /** Within its lifetime, and built with its scope's current links (no forced refresh since). */
  private isCurrent(entry: Kept): boolean {
    return entry.expiresAt > this.clock.now() && entry.generation === this.generationOf(entry.linksScope);
  }

  private usable(key: string): Kept | undefined {
    const entry = this.lru?.get(key);
    if (entry === undefined) return undefined;
    if (!this.isCurrent(entry)) {
      this.lru?.delete(key);
      this.count('expired');
      this.metrics.responseCacheBytes.set(this.bytes);
      return undefined;
    }
    return entry;
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
    this.metrics.responseCacheBytes.set(this.bytes);
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
