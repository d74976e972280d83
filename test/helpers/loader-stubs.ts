/**
 * Stand-ins for the layers below the loaders, for unit tests of pure logic: a CXone API that
 * counts its calls per key (and fails where told), a store that counts every touch, the real
 * RecordingCache over it on a ManualClock, and a refresh gate that says what the test wants.
 */
import { pino } from 'pino';
import { RecordingCache } from '../../src/cache/recording-cache.js';
import type { RefreshGate } from '../../src/cache/refresh-gate.js';
import { LruStore, type Store } from '../../src/cache/store.js';
import type { ManualClock } from '../../src/clock.js';
import { cxoneFailureRules } from '../../src/cxone/errors.js';
import type { CallScope, CxoneAnalyticsApi, CxoneApi, CxoneReportingApi } from '../../src/cxone/ports.js';
import { createMetrics } from '../../src/metrics.js';
import type { MediaTypeName, RecordingModel, SegmentModel, StatementMediaModel } from '../../src/models.js';

const MINUTE = 60_000;

/** A recording whose one link expires 30 minutes after `now`; `tag` tells answers apart. */
function recording(acdContactId: string, mediaType: MediaTypeName, now: number, tag = 'a'): RecordingModel {
  return {
    acdContactId,
    contactId: null,
    requestedMediaType: mediaType,
    startTime: null,
    endTime: null,
    durationSeconds: null,
    mediaUrl: {
      url: `https://media.example/${acdContactId}-${tag}.mp4`,
      expiresAt: new Date(now + 30 * MINUTE).toISOString(),
      fileName: null,
      mediaType: null,
    },
    screenUrl: null,
    transcript: null,
    segments: [],
    interactions: [],
    agents: [],
    sentiments: null,
    categories: null,
    tags: [],
  };
}

export interface FakeApis {
  readonly api: CxoneApi;
  readonly reporting: CxoneReportingApi;
  readonly analytics: CxoneAnalyticsApi;
  /** Every upstream call, in order: endpoint, key and the scope it was made with. */
  readonly calls: Array<{ readonly endpoint: string; readonly key: string; readonly scope: CallScope }>;
  /** Calls of one endpoint and key. */
  count(endpoint: string, key?: string): number;
  /** Contact ids whose lookups fail with this error. */
  readonly failing: Map<string, Error>;
  /** Upstream calls running at this moment, and the most at once so far. */
  readonly inFlight: { now: number; most: number };
  /** Held calls wait for this before answering (set `hold` to a promise). */
  hold: Promise<void> | undefined;
}

export function fakeApis(clock: ManualClock): FakeApis {
  let answers = 0;
  const fake: FakeApis = {
    calls: [],
    failing: new Map(),
    inFlight: { now: 0, most: 0 },
    hold: undefined,
    count: (endpoint, key) => fake.calls.filter((call) => call.endpoint === endpoint && (key === undefined || call.key === key)).length,
    api: {
      getContact: (acdContactId, mediaType, scope) =>
        track('contacts', `${acdContactId}:${mediaType}`, scope, () => {
          const failure = fake.failing.get(acdContactId);
          if (failure !== undefined) throw failure;
          return recording(acdContactId, mediaType, clock.now(), String((answers += 1)));
        }),
      getSegment: (segmentId, mediaType, scope) =>
        track('segments', `${segmentId}:${mediaType}`, scope, (): SegmentModel => ({
          segmentId,
          startTime: null,
          endTime: null,
          openReason: null,
          closeReason: null,
          direction: null,
          channelType: null,
          firstSegment: null,
          requestedMediaType: mediaType,
          mediaUrl: link(`s-${segmentId}-${String((answers += 1))}`),
        })),
      getStatement: (acdContactId, statementId, scope) =>
        track('statements', `${acdContactId}:${statementId}`, scope, (): StatementMediaModel => ({
          acdContactId,
          statementId,
          mediaUrl: link(`st-${statementId}-${String((answers += 1))}`),
        })),
    },
    // Reports and analytics only count here: the tests ask whether they were called, not what they answer.
    reporting: {
      getCompletedContacts: (query, scope) => track('completed', JSON.stringify(query), scope, notStubbed),
    },
    analytics: {
      getSegmentAnalysis: (segmentId, scope) => track('analysis', segmentId, scope, notStubbed),
      getAnalyzedSegments: (query, scope) => track('analyzed', JSON.stringify(query), scope, notStubbed),
    },
  };
  function link(name: string) {
    return { url: `https://media.example/${name}.mp4`, expiresAt: new Date(clock.now() + 30 * MINUTE).toISOString(), fileName: null, mediaType: null };
  }
  async function track<T>(endpoint: string, key: string, scope: CallScope, answer: () => T): Promise<T> {
    fake.calls.push({ endpoint, key, scope });
    fake.inFlight.now += 1;
    fake.inFlight.most = Math.max(fake.inFlight.most, fake.inFlight.now);
    try {
      await (fake.hold ?? Promise.resolve());
      return answer();
    } finally {
      fake.inFlight.now -= 1;
    }
  }
  return fake;
}

function notStubbed(): never {
  throw new Error('not stubbed: this test only counts the call');
}

/** An in-process store that counts every read and write (a refused caller must cause none). */
export function countingStore(): Store & { touches: number } {
  const inner = new LruStore({ maxEntries: 1_000 });
  const store = {
    touches: 0,
    peek: (key: string) => {
      store.touches += 1;
      return inner.peek(key);
    },
    get: (key: string) => {
      store.touches += 1;
      return inner.get(key);
    },
    set: (key: string, value: object, ttlMs: number) => {
      store.touches += 1;
      return inner.set(key, value, ttlMs);
    },
    disconnect: () => inner.disconnect(),
  };
  return store;
}

export function cacheOver(store: Store, clock: ManualClock): RecordingCache {
  return new RecordingCache({
    store,
    clock,
    marginMs: MINUTE,
    negativeTtlMs: 30_000,
    metrics: createMetrics({ collectDefaults: false }),
    logger: pino({ level: 'silent' }),
    failures: cxoneFailureRules,
    storeTimeoutMs: 0,
  });
}

/** A refresh gate that allows the keys in `allowed` (each once) and records every key asked. */
export function scriptedGate(allowed: Iterable<string> = []): RefreshGate & { asked: string[] } {
  const open = new Set(allowed);
  const gate = {
    asked: [] as string[],
    tryAcquire: (key: string) => {
      gate.asked.push(key);
      return Promise.resolve(open.delete(key));
    },
  };
  return gate;
}
