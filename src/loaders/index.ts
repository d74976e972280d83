/**
 * Per-request DataLoaders over the shared cache and the CXone client. Created for every GraphQL
 * request by the context factory (never at module scope), so one caller's answers never reach
 * another through a loader. CXone has no batch endpoint: a batch fans out one call per key, capped
 * by a per-request concurrency limit.
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

interface RecordingKey {
  readonly acdContactId: string;
  readonly mediaType: MediaTypeName;
}
interface SegmentKey {
  readonly segmentId: string;
  readonly mediaType: MediaTypeName;
  /** The request is bulk reporting (resolvers/priority.ts); not part of the cache key. */
  readonly bulk?: boolean;
}
interface StatementKey {
  readonly acdContactId: string;
  readonly statementId: string;
  /** The request is bulk reporting (resolvers/priority.ts); not part of the cache key. */
  readonly bulk?: boolean;
}

export interface Loaders {
  /** Interactive lookups (a contact page, an entity reference). */
  readonly recording: DataLoader<RecordingKey, RecordingModel, string>;
  /** Bulk reporting (`recordings(acdContactIds:)`): yields to interactive lookups when the budget is tight. */
  readonly recordingBulk: DataLoader<RecordingKey, RecordingModel, string>;
  /**
   * `recording(refresh: true)`: a new upstream answer replacing the cached one, at most once per
   * caller, contact and refresh interval; within the interval, the cached (just refreshed) answer.
   */
  readonly recordingRefresh: DataLoader<RecordingKey, RecordingModel, string>;
  readonly segment: DataLoader<SegmentKey, SegmentModel, string>;
  /** `CxoneSegment.mediaUrl(refresh: true)`: the segment's link refreshed under the same rule as recordings. */
  readonly segmentRefresh: DataLoader<SegmentKey, SegmentModel, string>;
  readonly statement: DataLoader<StatementKey, StatementMediaModel, string>;
  /** `CxoneStatement.mediaUrl(refresh: true)`: the statement's link refreshed under the same rule as recordings. */
  readonly statementRefresh: DataLoader<StatementKey, StatementMediaModel, string>;
  /**
   * One page of CXone's completed contacts report: one upstream call at bulk priority. Not cached
   * (the report grows while contacts complete) and not batched (each page depends on the last).
   */
  completedContacts(query: CompletedContactsQuery): Promise<CompletedContactsPage>;
  /**
   * A segment's Interaction Analytics (transcript, summary, sentiment): one upstream call per
   * segment, kept in the shared cache under this caller's scope for CXONE_TRANSCRIPT_CACHE_SECONDS.
   */
  readonly segmentAnalysis: DataLoader<string, SegmentAnalysisModel, string>;
  /** One page of Interaction Analytics' analyzed segments: one upstream call at bulk priority, not cached. */
  analyzedSegments(query: AnalyzedSegmentsQuery): Promise<AnalyzedSegmentsPage>;
  /**
   * The recording from the in-process cache right now, or undefined (then use `recording.load`):
   * a warm contact resolves synchronously, without a loader promise.
   */
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
  /** Told when a load asks for new links (`recordingRefresh`), gated or not: its answer is a refresh. */
  readonly onRefresh?: (() => void) | undefined;
  /** Told after a forced refresh stored new links, so answers kept with the old ones are dropped. */
  readonly onLinksRefreshed?: (() => void) | undefined;
  /** Who asks, without priority (set per loader). */
  readonly scope: Omit<CallScope, 'priority'>;
  /** Stable, non-reversible identity of the caller for cache keys (a hash of the full token). */
  readonly callerKey: string;
  /** Upstream calls of one request in flight at once, at most. */
  readonly concurrency: number;
  /**
   * Told how long each answer read may still be cached, and for which contact (null when the key
   * names none, as a segment's), for the response's policy.
   */
  readonly onLifetime: (remainingMs: number, acdContactId: string | null) => void;
  /** When set (tracing on), every batch runs through it. */
  readonly runBatch?: BatchRunner | undefined;
}

/** Builds a fresh set of loaders for one GraphQL request. */
export function createLoaders(deps: LoaderDependencies): Loaders {
  // Made on first use: a warm request answered from `cachedRecording` builds no loader at all.
  const limit = once(() => pLimit(deps.concurrency));
  const { runBatch } = deps;
  const batch = <K, V>(loader: string, keys: readonly K[], run: (key: K) => Promise<V>): Promise<Array<V | Error>> =>
    runBatch === undefined ? settleEach(keys, run) : runBatch(loader, keys.length, () => settleEach(keys, run));
  const prefix = `v1:${encodeURIComponent(deps.scope.tenantId)}:${deps.callerKey}`;
  const interactive: CallScope = { ...deps.scope, priority: 'interactive' };
  const bulk: CallScope = { ...deps.scope, priority: 'bulk' };
  const refresh: CallScope = { ...deps.scope, priority: 'refresh' };

  const fetchThroughCache = async <T extends CachedModel>(cacheKey: string, contact: string | null, load: () => Promise<T>): Promise<T> => {
    const read: CacheRead<T> = await deps.cache.getOrLoad(cacheKey, () => limit()(load));
    deps.onLifetime(read.remainingMs, contact);
    return read.value;
  };

  const reloadThroughCache = async <T extends CachedModel>(cacheKey: string, contact: string | null, load: () => Promise<T>): Promise<T> => {
    const read: CacheRead<T> = await deps.cache.reload(cacheKey, () => limit()(load));
    deps.onLinksRefreshed?.();
    deps.onLifetime(read.remainingMs, contact);
    return read.value;
  };

  /**
   * The one refresh rule for every link (`refresh: true`): the first forced refresh of a cached
   * answer per interval, across replicas, replaces it with a new upstream one, drawn on the refresh
   * allowance; later ones within the interval get the answer that refresh stored. Keyed like the
   * cached entry (media type included): each media type's links are their own, so a refresh of one
   * must not spend the refresh of another. Either way the answer holds a refresh: never replayed.
   */
  const refreshThroughGate = async <T extends CachedModel>(
    cacheKey: string,
    contact: string | null,
    load: (scope: CallScope) => Promise<T>,
  ): Promise<T> => {
    deps.onRefresh?.();
    return (await deps.refreshGate.tryAcquire(cacheKey))
      ? reloadThroughCache(cacheKey, contact, () => load(refresh))
      : fetchThroughCache(cacheKey, contact, () => load(interactive));
  };

  const recordingKey = (key: RecordingKey): string => `${prefix}:contact:${key.acdContactId}:${key.mediaType}`;
  const segmentKey = (key: SegmentKey): string => `${prefix}:segment:${encodeURIComponent(key.segmentId)}:${key.mediaType}`;
  const statementKey = (key: StatementKey): string => `${prefix}:statement:${key.acdContactId}:${key.statementId}`;
  const loadSegment = (key: SegmentKey) => (scope: CallScope) => deps.api.getSegment(key.segmentId, key.mediaType, scope);
  const loadStatement = (key: StatementKey) => (scope: CallScope) => deps.api.getStatement(key.acdContactId, key.statementId, scope);

  const recordingLoader = (scope: CallScope) =>
    new DataLoader<RecordingKey, RecordingModel, string>(
      (keys) =>
        batch('recording', keys, (key) =>
          fetchThroughCache(recordingKey(key), key.acdContactId, () =>
            deps.api.getContact(key.acdContactId, key.mediaType, scope),
          ),
        ),
      { cacheKeyFn: (key) => `${key.acdContactId}:${key.mediaType}` },
    );

  const recording = once(() => recordingLoader(interactive));
  const recordingBulk = once(() => recordingLoader(bulk));
  const recordingRefresh = once(
    () =>
      new DataLoader<RecordingKey, RecordingModel, string>(
        (keys) =>
          batch('recordingRefresh', keys, (key) =>
            refreshThroughGate(recordingKey(key), key.acdContactId, (scope) => deps.api.getContact(key.acdContactId, key.mediaType, scope)),
          ),
        { cacheKeyFn: (key) => `${key.acdContactId}:${key.mediaType}` },
      ),
  );
  const segment = once(
    () =>
      new DataLoader<SegmentKey, SegmentModel, string>(
        (keys) =>
          batch('segment', keys, (key) => fetchThroughCache(segmentKey(key), null, () => loadSegment(key)(key.bulk === true ? bulk : interactive))),
        { cacheKeyFn: (key) => `${key.segmentId}:${key.mediaType}` },
      ),
  );
  const segmentRefresh = once(
    () =>
      new DataLoader<SegmentKey, SegmentModel, string>(
        (keys) =>
          batch('segmentRefresh', keys, (key) =>
            refreshThroughGate(segmentKey(key), null, loadSegment(key)),
          ),
        { cacheKeyFn: (key) => `${key.segmentId}:${key.mediaType}` },
      ),
  );
  const statement = once(
    () =>
      new DataLoader<StatementKey, StatementMediaModel, string>(
        (keys) =>
          batch('statement', keys, (key) =>
            fetchThroughCache(statementKey(key), key.acdContactId, () => loadStatement(key)(key.bulk === true ? bulk : interactive)),
          ),
        { cacheKeyFn: (key) => `${key.acdContactId}:${key.statementId}` },
      ),
  );
  const statementRefresh = once(
    () =>
      new DataLoader<StatementKey, StatementMediaModel, string>(
        (keys) =>
          batch('statementRefresh', keys, (key) => refreshThroughGate(statementKey(key), key.acdContactId, loadStatement(key))),
        { cacheKeyFn: (key) => `${key.acdContactId}:${key.statementId}` },
      ),
  );

  const segmentAnalysis = once(
    () =>
      new DataLoader<string, SegmentAnalysisModel, string>((segmentIds) =>
        batch('segmentAnalysis', segmentIds, (segmentId) =>
          fetchThroughCache(`${prefix}:analysis:${encodeURIComponent(segmentId)}`, null, () =>
            deps.analytics.getSegmentAnalysis(segmentId, interactive),
          ),
        ),
      ),
  );

  return {
    cachedRecording: (key) => {
      const read = deps.cache.peek<RecordingModel>(recordingKey(key));
      if (read === undefined) return undefined;
      deps.onLifetime(read.remainingMs, key.acdContactId);
      return read.value;
    },
    get recording() {
      return recording();
    },
    get recordingBulk() {
      return recordingBulk();
    },
    get recordingRefresh() {
      return recordingRefresh();
    },
    get segment() {
      return segment();
    },
    get segmentRefresh() {
      return segmentRefresh();
    },
    get statement() {
      return statement();
    },
    get statementRefresh() {
      return statementRefresh();
    },
    completedContacts: (query) => limit()(() => deps.reporting.getCompletedContacts(query, bulk)),
    get segmentAnalysis() {
      return segmentAnalysis();
    },
    analyzedSegments: (query) => limit()(() => deps.analytics.getAnalyzedSegments(query, bulk)),
  };
}

/**
 * Loaders for a refused caller (no token, or one that failed verification): every load fails with
 * `error`, before any cache read or upstream call.
 */
export function createRefusingLoaders(error: Error): Loaders {
  const refuse = <K, V>() => new DataLoader<K, V, string>((keys) => Promise.resolve(keys.map(() => error)), { cache: false });
  return {
    recording: refuse<RecordingKey, RecordingModel>(),
    recordingBulk: refuse<RecordingKey, RecordingModel>(),
    recordingRefresh: refuse<RecordingKey, RecordingModel>(),
    segment: refuse<SegmentKey, SegmentModel>(),
    segmentRefresh: refuse<SegmentKey, SegmentModel>(),
    statement: refuse<StatementKey, StatementMediaModel>(),
    statementRefresh: refuse<StatementKey, StatementMediaModel>(),
    completedContacts: () => Promise.reject(error),
    segmentAnalysis: refuse<string, SegmentAnalysisModel>(),
    analyzedSegments: () => Promise.reject(error),
    // Nothing from the cache for a refused caller: every load fails with its refusal.
    cachedRecording: () => undefined,
  };
}

/** `make()` on the first call, the same value after. */
function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

/** One result per key, in key order, with the Error in the slot of a key that failed (DataLoader's contract). */
async function settleEach<K, V>(keys: readonly K[], run: (key: K) => Promise<V>): Promise<Array<V | Error>> {
  const settled = await Promise.allSettled(keys.map(run));
  return settled.map((result) =>
    result.status === 'fulfilled'
      ? result.value
      : result.reason instanceof Error
        ? result.reason
        : new Error(String(result.reason)),
  );
}
