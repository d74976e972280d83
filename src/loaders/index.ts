/**
 * Per-request DataLoaders over the shared cache and the CXone client, made by the context factory
 * so one caller's answers never reach another through a loader. CXone has no batch endpoint: a
 * batch fans out one call per key, capped by a per-request concurrency limit.
 */
import DataLoader from 'dataloader';
import pLimit from 'p-limit';
import type { CallScope, CxoneAnalyticsApi, CxoneApi, CxoneReportingApi } from '../cxone/ports.js';
import type { CacheRead, CachedModel, RecordingCache } from '../cache/recording-cache.js';
import type { RefreshGate } from '../cache/refresh-gate.js';
import type {
  AnalyzedSegmentsPage,
  AnalyzedSegmentsQuery,
  SegmentAnalysisModel,
  CompletedContactsPage,
  CompletedContactsQuery,
  MediaTypeName,
  RecordingModel,
  SegmentModel,
  StatementMediaModel,
} from '../models.js';

interface Priority {
  /** Bulk reporting (resolvers/priority.ts) yields to interactive lookups; not part of the cache key. */
  readonly bulk?: boolean;
}
interface RecordingKey extends Priority {
  readonly acdContactId: string;
  readonly mediaType: MediaTypeName;
}
interface SegmentKey extends Priority {
  readonly segmentId: string;
  readonly mediaType: MediaTypeName;
}
interface StatementKey extends Priority {
  readonly acdContactId: string;
  readonly statementId: string;
}

export interface Loaders {
  readonly recording: DataLoader<RecordingKey, RecordingModel, string>;
  readonly segment: DataLoader<SegmentKey, SegmentModel, string>;
  readonly statement: DataLoader<StatementKey, StatementMediaModel, string>;
  /** The `*Refresh` loaders answer `refresh: true`: a new upstream answer, bounded by the refresh rule (`refreshed`). */
  readonly recordingRefresh: DataLoader<RecordingKey, RecordingModel, string>;
  readonly segmentRefresh: DataLoader<SegmentKey, SegmentModel, string>;
  readonly statementRefresh: DataLoader<StatementKey, StatementMediaModel, string>;
  /** One report page, one call at bulk priority; not cached (the report grows), not batched (pages chain). */
  completedContacts(query: CompletedContactsQuery): Promise<CompletedContactsPage>;
  /** A segment's Interaction Analytics, kept in the shared cache for CXONE_TRANSCRIPT_CACHE_SECONDS. */
  readonly segmentAnalysis: DataLoader<string, SegmentAnalysisModel, string>;
  /** One page of Interaction Analytics' analyzed segments: one upstream call at bulk priority, not cached. */
  analyzedSegments(query: AnalyzedSegmentsQuery): Promise<AnalyzedSegmentsPage>;
  /** The recording from the in-process cache right now, without a promise; undefined: use `recording.load`. */
  cachedRecording(key: RecordingKey): RecordingModel | undefined;
}

/** Runs one loader batch (e.g. inside a tracing span); `loader` names it, `size` is its key count. */
export type BatchRunner = <T>(loader: string, size: number, work: () => Promise<T>) => Promise<T>;

export interface LoaderDependencies {
  readonly api: CxoneApi;
  readonly reporting: CxoneReportingApi;
  readonly analytics: CxoneAnalyticsApi;
  readonly cache: RecordingCache;
  /** Bounds the forced refreshes (recordingRefresh, segmentRefresh, statementRefresh) per caller and link. */
  readonly refreshGate: RefreshGate;
  /** Told when a load asks for new links, gated or not: its answer is a refresh. */
  readonly onRefresh?: (() => void) | undefined;
  /** Told after a forced refresh stored new links, so answers kept with the old ones are dropped. */
  readonly onLinksRefreshed?: (() => void) | undefined;
  /** Who asks, without priority (set per key). */
  readonly scope: Omit<CallScope, 'priority'>;
  /** Stable, non-reversible identity of the caller for cache keys (a hash of the full token). */
  readonly callerKey: string;
  /** Upstream calls of one request in flight at once, at most. */
  readonly concurrency: number;
  /** Told how long each answer read may still be kept, and for which contact (null: none, as a segment's). */
  readonly onLifetime: (remainingMs: number, acdContactId: string | null) => void;
  /** When set (tracing on), every batch runs through it. */
  readonly runBatch?: BatchRunner | undefined;
}

/** Builds a fresh set of loaders for one GraphQL request. */
export function createLoaders(deps: LoaderDependencies): Loaders {
  // Made on first use: a warm request answered from `cachedRecording` builds no loader at all.
  const limit = once(() => pLimit(deps.concurrency));
  const prefix = `v1:${encodeURIComponent(deps.scope.tenantId)}:${deps.callerKey}`;
  const interactive: CallScope = { ...deps.scope, priority: 'interactive' };
  const bulk: CallScope = { ...deps.scope, priority: 'bulk' };
  const refresh: CallScope = { ...deps.scope, priority: 'refresh' };

  /** A loader over `run`, one call per key (DataLoader de-duplicates by `id`), built on first use. */
  const loader = <K, V>(name: string, id: (key: K) => string, run: (key: K) => Promise<V>) =>
    once(
      () =>
        new DataLoader<K, V, string>(
          (keys) =>
            deps.runBatch === undefined ? settleEach(keys, run) : deps.runBatch(name, keys.length, () => settleEach(keys, run)),
          { cacheKeyFn: id },
        ),
    );

  const told = <T>(read: CacheRead<T>, contact: string | null): T => {
    deps.onLifetime(read.remainingMs, contact);
    return read.value;
  };
  const throughCache = async <T extends CachedModel>(cacheKey: string, contact: string | null, load: () => Promise<T>): Promise<T> =>
    told(await deps.cache.getOrLoad(cacheKey, () => limit()(load)), contact);

  /**
   * The one refresh rule for every link (`refresh: true`): the first forced refresh of a cached answer
   * per interval, across replicas, replaces it from upstream, on the refresh allowance; later ones get
   * what it stored. Keyed like the cached entry, media type included: each media type's links are their own.
   */
  const refreshed = async <T extends CachedModel>(
    cacheKey: string,
    contact: string | null,
    load: (scope: CallScope) => Promise<T>,
  ): Promise<T> => {
    deps.onRefresh?.();
    if (!(await deps.refreshGate.tryAcquire(cacheKey))) return throughCache(cacheKey, contact, () => load(interactive));
    const read = await deps.cache.reload(cacheKey, () => limit()(() => load(refresh)));
    deps.onLinksRefreshed?.();
    return told(read, contact);
  };

  const recordingId = (key: RecordingKey): string => `${key.acdContactId}:${key.mediaType}`;
  const segmentId = (key: SegmentKey): string => `${key.segmentId}:${key.mediaType}`;
  const statementId = (key: StatementKey): string => `${key.acdContactId}:${key.statementId}`;
  const recordingKey = (key: RecordingKey): string => `${prefix}:contact:${recordingId(key)}`;
  const segmentKey = (key: SegmentKey): string => `${prefix}:segment:${encodeURIComponent(key.segmentId)}:${key.mediaType}`;
  const statementKey = (key: StatementKey): string => `${prefix}:statement:${statementId(key)}`;
  const getContact = (key: RecordingKey) => (scope: CallScope) => deps.api.getContact(key.acdContactId, key.mediaType, scope);
  const getSegment = (key: SegmentKey) => (scope: CallScope) => deps.api.getSegment(key.segmentId, key.mediaType, scope);
  const getStatement = (key: StatementKey) => (scope: CallScope) => deps.api.getStatement(key.acdContactId, key.statementId, scope);
  const priority = (key: Priority): CallScope => (key.bulk === true ? bulk : interactive);

  const recording = loader('recording', recordingId, (key: RecordingKey) =>
    throughCache(recordingKey(key), key.acdContactId, () => getContact(key)(priority(key))),
  );
  const recordingRefresh = loader('recordingRefresh', recordingId, (key: RecordingKey) =>
    refreshed(recordingKey(key), key.acdContactId, getContact(key)),
  );
  const segment = loader('segment', segmentId, (key: SegmentKey) =>
    throughCache(segmentKey(key), null, () => getSegment(key)(priority(key))),
  );
  const segmentRefresh = loader('segmentRefresh', segmentId, (key: SegmentKey) => refreshed(segmentKey(key), null, getSegment(key)));
  const statement = loader('statement', statementId, (key: StatementKey) =>
    throughCache(statementKey(key), key.acdContactId, () => getStatement(key)(priority(key))),
  );
  const statementRefresh = loader('statementRefresh', statementId, (key: StatementKey) =>
    refreshed(statementKey(key), key.acdContactId, getStatement(key)),
  );
  const segmentAnalysis = loader('segmentAnalysis', (id: string) => id, (id: string) =>
    throughCache(`${prefix}:analysis:${encodeURIComponent(id)}`, null, () => deps.analytics.getSegmentAnalysis(id, interactive)),
  );

  return {
    cachedRecording: (key) => {
      const read = deps.cache.peek<RecordingModel>(recordingKey(key));
      return read === undefined ? undefined : told(read, key.acdContactId);
    },
    get recording() { return recording(); },
    get recordingRefresh() { return recordingRefresh(); },
    get segment() { return segment(); },
    get segmentRefresh() { return segmentRefresh(); },
    get statement() { return statement(); },
    get statementRefresh() { return statementRefresh(); },
    get segmentAnalysis() { return segmentAnalysis(); },
    completedContacts: (query) => limit()(() => deps.reporting.getCompletedContacts(query, bulk)),
    analyzedSegments: (query) => limit()(() => deps.analytics.getAnalyzedSegments(query, bulk)),
  };
}

/**
 * Loaders for a refused caller (no token, or one that failed verification): every load fails with
 * `error`, before any cache read or upstream call; nothing comes from the cache.
 */
export function createRefusingLoaders(error: Error): Loaders {
  const refused = new DataLoader<never, never, string>((keys) => Promise.resolve(keys.map(() => error)), { cache: false });
  const rejected = () => Promise.reject(error);
  return {
    recording: refused,
    recordingRefresh: refused,
    segment: refused,
    segmentRefresh: refused,
    statement: refused,
    statementRefresh: refused,
    segmentAnalysis: refused,
    completedContacts: rejected,
    analyzedSegments: rejected,
    cachedRecording: () => undefined,
  };
}

function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

/** One result per key, in key order, with the Error in the slot of a key that failed (DataLoader's contract). */
async function settleEach<K, V>(keys: readonly K[], run: (key: K) => Promise<V>): Promise<Array<V | Error>> {
  const settled = await Promise.allSettled(keys.map(run));
  return settled.map((result) =>
    result.status === 'fulfilled' ? result.value : result.reason instanceof Error ? result.reason : new Error(String(result.reason)),
  );
}
