/**
 * Kept answers, whole (for an identical request in the same scope) or per `_entities` entity, until
 * their earliest link stops being usable; one LRU bounded by RESPONSE_CACHE_MAX_BYTES (0: off).
 */
import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock.js';
import type { EntityParts } from '../answers/policy.js';
import type { EntityShape } from './entity-answers.js';
import type { Metrics } from '../metrics.js';
import { Doorkeeper } from './doorkeeper.js';

/** Name, value, name, value...: flat, as node's `writeHead` takes them. */
export type StoredHeaders = readonly string[];

interface KeptAnswer {
  /** A string: written with its headers in one socket write. */
  readonly body: string;
  readonly bytes: number;
  readonly expiresAt: number;
  /** Whose links the answer holds, and their generation when the request started. */
  readonly linksScope: string;
  readonly generation: number;
}

export interface StoredResponse extends KeptAnswer {
  readonly kind: 'response';
  readonly headers: StoredHeaders;
}

export interface StoredEntity extends KeptAnswer {
  readonly kind: 'entity';
}

type Kept = StoredResponse | StoredEntity;

const PER_RESPONSE_HEADERS = new Set(['cache-control', 'x-request-id', 'content-length', 'date', 'connection']);

/** An estimate of an entry's bookkeeping beyond body, key and headers. */
const ENTRY_OVERHEAD_BYTES = 256;

/** Recent offers remembered: 2^16 fingerprints in 256 KiB, whatever the keys. */
const DOORKEEPER_SLOTS = 65_536;

/** assembled: all entities kept; partial: some kept, the others executed; expired: past its lifetime or superseded. */
const EVENTS = ['hit', 'assembled', 'partial', 'miss', 'store', 'expired', 'bypass'] as const;
type ResponseCacheEvent = (typeof EVENTS)[number];

export class ResponseCache {
  private readonly lru: LRUCache<string, Kept> | undefined;
  /** Entity operations run cleanly: the most representations one had (limits passed up to it), Apollo's headers. */
  readonly operations = new LRUCache<string, { readonly maxRepresentations: number; readonly headers: StoredHeaders }>({ max: 1_000 });
  /** Request shapes (everything but the variables) the pipeline found to be entity fetches. */
  readonly shapes = new LRUCache<string, EntityShape>({ max: 500 });
  /**
   * Answers, whole or entity, are kept from their second offer on (nginx's `proxy_cache_min_uses 2`):
   * a one-off answer (a report sweeping contacts once) evicts no answer that recurs.
   */
  private readonly doorkeeper = new Doorkeeper(DOORKEEPER_SLOTS);
  /** Forced refreshes per links scope: an answer of an older generation holds a link reported dead. */
  private readonly generations = new LRUCache<string, number>({ max: 10_000 });
  // Bound once: a label lookup per request is measurable on the hit path.
  private readonly counters: Readonly<Record<ResponseCacheEvent, { inc(): void }>>;

  constructor(private readonly options: { readonly maxBytes: number; readonly clock: Clock; readonly metrics: Metrics }) {
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

  get(key: string): StoredResponse | undefined {
    const entry = this.usable(key);
    return entry?.kind === 'response' ? entry : undefined;
  }

  getEntity(key: string): StoredEntity | undefined {
    const entry = this.usable(key);
    return entry?.kind === 'entity' ? entry : undefined;
  }

  /**
   * Keeps each entity the policy allows (`keys` slot by slot), from its second offer, until its own
   * earliest link stops being usable.
   */
  keepEntities(keys: readonly string[], parts: EntityParts, answer: { readonly linksScope: string; readonly generation: number }): void {
    const lru = this.lru;
    if (lru === undefined) return;
    keys.forEach((key, slot) => {
      const part = parts.parts[slot];
      if (part === null || part === undefined || !this.doorkeeper.offeredBefore(key)) return;
      const entry: StoredEntity = {
        kind: 'entity',
        body: part.body,
        bytes: Buffer.byteLength(part.body, 'utf8'),
        expiresAt: part.expiresAt,
        linksScope: answer.linksScope,
        generation: answer.generation,
      };
      if (this.isCurrent(entry)) lru.set(key, entry);
    });
    this.updateBytes();
  }

  operationExecuted(key: string, count: number, headers: StoredHeaders): void {
    const known = this.operations.get(key);
    if (known === undefined || known.maxRepresentations < count) this.operations.set(key, { maxRepresentations: count, headers });
  }

  set(key: string, entry: StoredResponse): void {
    if (this.lru === undefined || !this.isCurrent(entry)) return;
    if (!this.doorkeeper.offeredBefore(key)) return;
    this.lru.set(key, entry);
    this.count('store');
    this.updateBytes();
  }

  private isCurrent(entry: Kept): boolean {
    return entry.expiresAt > this.options.clock.now() && entry.generation === this.generationOf(entry.linksScope);
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
    this.options.metrics.responseCacheBytes.set(this.lru?.calculatedSize ?? 0);
  }
}

export function storableHeaders(headers: Iterable<[string, string]>): StoredHeaders {
  const kept: string[] = [];
  for (const [name, value] of headers) if (!PER_RESPONSE_HEADERS.has(name.toLowerCase())) kept.push(name, value);
  return kept;
}

function sizeOf(entry: Kept, key: string): number {
  let size = entry.bytes + key.length + ENTRY_OVERHEAD_BYTES;
  if (entry.kind === 'response') for (const text of entry.headers) size += text.length;
  return size;
}
