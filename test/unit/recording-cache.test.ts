/**
 * RecordingCache alone, over the in-memory LruStore and a ManualClock: deadlines from link expiry minus
 * the margin that reads never extend, single-flight, the negative cache, errors never cached, and a
 * failing store that degrades to pass-through.
 */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { RecordingCache } from '../../src/cache/recording-cache.js';
import { LruStore, type Store } from '../../src/cache/store.js';
import { ManualClock } from '../../src/clock.js';
import { CxoneError, cxoneFailureRules } from '../../src/cxone/errors.js';
import { createMetrics, type Metrics } from '../../src/metrics.js';
import type { StatementMediaModel } from '../../src/models.js';

const MINUTE = 60_000;
const MARGIN = MINUTE;
const NEGATIVE = 30_000;

function setup(options: { store?: Store; negativeTtlMs?: number; storeTimeoutMs?: number } = {}) {
  const clock = new ManualClock();
  const metrics = createMetrics({ collectDefaults: false });
  const cache = new RecordingCache({
    store: options.store ?? new LruStore({ maxEntries: 1_000 }),
    clock,
    marginMs: MARGIN,
    negativeTtlMs: options.negativeTtlMs ?? NEGATIVE,
    metrics,
    logger: pino({ level: 'silent' }),
    failures: cxoneFailureRules,
    ...(options.storeTimeoutMs === undefined ? {} : { storeTimeoutMs: options.storeTimeoutMs }),
  });
  return { clock, metrics, cache };
}

/** A statement answer whose link expires `lifetimeMs` from now. */
function answer(clock: ManualClock, lifetimeMs: number, tag = 'a'): StatementMediaModel {
  return {
    acdContactId: '100000000001',
    statementId: '5001',
    mediaUrl: {
      url: `https://media.example/${tag}.mp4`,
      expiresAt: new Date(clock.now() + lifetimeMs).toISOString(),
      fileName: null,
      mediaType: 'voice-only',
    },
  };
}

/** A load function that counts its calls. */
function counting<T>(make: () => T | Promise<T>) {
  const load = Object.assign(
    async (): Promise<T> => {
      load.calls += 1;
      return make();
    },
    { calls: 0 },
  );
  return load;
}

async function counter(metrics: Metrics, event?: string): Promise<number> {
  const metric = event === undefined ? metrics.singleFlightJoins : metrics.cacheEvents;
  const values = (await metric.get()).values;
  return values.find((v) => event === undefined || v.labels['event'] === event)?.value ?? 0;
}

function upstream(status: number): CxoneError {
  return new CxoneError(`status ${String(status)}`, {
    kind: 'http',
    status,
    resource: { kind: 'statement', acdContactId: '100000000001', statementId: '5001' },
  });
}

describe('deadlines', () => {
  it('serves an entry until its link expiry minus the margin, with the time left shrinking, and never longer', async () => {
    const { clock, cache } = setup();
    const load = counting(() => answer(clock, 30 * MINUTE));
    const first = await cache.getOrLoad('k', load);
    expect(first.remainingMs).toBe(29 * MINUTE);

    clock.advance(10 * MINUTE);
    const read = await cache.getOrLoad('k', load);
    expect(read.value).toEqual(first.value);
    expect(read.remainingMs).toBe(19 * MINUTE);

    clock.advance(19 * MINUTE - 1);
    expect((await cache.getOrLoad('k', load)).remainingMs).toBe(1);
    expect(load.calls).toBe(1);

    // At expiry minus the margin the reads above have not moved the deadline.
    clock.advance(1);
    await cache.getOrLoad('k', load);
    expect(load.calls).toBe(2);
  });

  it('serves but does not keep an answer whose link expires within the margin', async () => {
    const { clock, cache } = setup();
    const load = counting(() => answer(clock, MARGIN - 1_000));
    const read = await cache.getOrLoad('k', load);
    expect(read.remainingMs).toBe(0);
    await cache.getOrLoad('k', load);
    expect(load.calls).toBe(2);
  });

  it("gives a link-less answer CXone's 30-minute minimum", async () => {
    const { clock, cache } = setup();
    const linkless: StatementMediaModel = { acdContactId: '1', statementId: '2', mediaUrl: null };
    const load = counting(() => linkless);
    expect((await cache.getOrLoad('k', load)).remainingMs).toBe(29 * MINUTE);
    clock.advance(29 * MINUTE);
    await cache.getOrLoad('k', load);
    expect(load.calls).toBe(2);
  });

  it('treats an unreadable stored entry as a miss', async () => {
    const store = new LruStore({ maxEntries: 10 });
    const { clock, cache } = setup({ store });
    await store.set('k', { kind: 'something-else' }, 60_000);
    const load = counting(() => answer(clock, 30 * MINUTE));
    await cache.getOrLoad('k', load);
    expect(load.calls).toBe(1);
  });
});

describe('single-flight', () => {
  it('shares one load among concurrent callers of one key, and counts the joins', async () => {
    const { clock, cache, metrics } = setup();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const load = counting(async () => {
      await gate;
      return answer(clock, 30 * MINUTE);
    });
    const pending = Array.from({ length: 50 }, () => cache.getOrLoad('k', load));
    const other = cache.getOrLoad('other', counting(() => answer(clock, 30 * MINUTE, 'b')));
    release();
    const reads = await Promise.all(pending);
    expect(load.calls).toBe(1);
    expect(new Set(reads.map((r) => r.value.mediaUrl?.url))).toEqual(new Set(['https://media.example/a.mp4']));
    expect((await other).value.mediaUrl?.url).toBe('https://media.example/b.mp4');
    expect(await counter(metrics)).toBe(49);
    expect(await counter(metrics, 'miss')).toBe(2);
  });

  it('gives every joined caller the failure, and does not keep it', async () => {
    const { clock, cache } = setup();
    let fail = true;
    const load = counting(() => {
      if (fail) throw upstream(500);
      return answer(clock, 30 * MINUTE);
    });
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => cache.getOrLoad('k', load)));
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(load.calls).toBe(1);
    fail = false;
    await cache.getOrLoad('k', load);
    expect(load.calls).toBe(2);
  });
});

describe('negative cache', () => {
  it('remembers a 404 for negativeTtlMs and answers it as a 404', async () => {
    const { clock, cache } = setup();
    const load = counting((): StatementMediaModel => {
      throw upstream(404);
    });
    await expect(cache.getOrLoad('k', load)).rejects.toMatchObject({ kind: 'http', status: 404 });
    clock.advance(NEGATIVE - 1);
    await expect(cache.getOrLoad('k', load)).rejects.toMatchObject({ kind: 'http', status: 404 });
    expect(load.calls).toBe(1);
    clock.advance(1);
    await expect(cache.getOrLoad('k', load)).rejects.toMatchObject({ status: 404 });
    expect(load.calls).toBe(2);
  });

  it('is off with a TTL of 0', async () => {
    const { cache } = setup({ negativeTtlMs: 0 });
    const load = counting((): StatementMediaModel => {
      throw upstream(404);
    });
    await expect(cache.getOrLoad('k', load)).rejects.toBeInstanceOf(CxoneError);
    await expect(cache.getOrLoad('k', load)).rejects.toBeInstanceOf(CxoneError);
    expect(load.calls).toBe(2);
  });

  it.each([202, 425, 429, 500, 503, 504])('never keeps a %i', async (status) => {
    const { cache } = setup();
    const load = counting((): StatementMediaModel => {
      throw upstream(status);
    });
    await expect(cache.getOrLoad('k', load)).rejects.toMatchObject({ status });
    await expect(cache.getOrLoad('k', load)).rejects.toMatchObject({ status });
    expect(load.calls).toBe(2);
  });
});

describe('a failing store', () => {
  it('passes through to the load and counts the errors', async () => {
    const broken: Store = {
      peek: () => undefined,
      get: () => Promise.reject(new Error('store down')),
      set: () => Promise.reject(new Error('store down')),
      disconnect: () => Promise.resolve(),
    };
    const { clock, cache, metrics } = setup({ store: broken });
    const load = counting(() => answer(clock, 30 * MINUTE));
    const read = await cache.getOrLoad('k', load);
    expect(read.value.mediaUrl?.url).toBe('https://media.example/a.mp4');
    await cache.getOrLoad('k', load);
    expect(load.calls).toBe(2);
    expect(await counter(metrics, 'error')).toBeGreaterThanOrEqual(2);
  });

  it('gives up on a store that never answers, after storeTimeoutMs', async () => {
    const silent: Store = {
      peek: () => undefined,
      get: () => new Promise<never>(() => undefined),
      set: () => new Promise<never>(() => undefined),
      disconnect: () => Promise.resolve(),
    };
    const { clock, cache, metrics } = setup({ store: silent, storeTimeoutMs: 20 });
    const load = counting(() => answer(clock, 30 * MINUTE));
    const started = performance.now();
    const read = await cache.getOrLoad('k', load);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(read.value.mediaUrl?.url).toBe('https://media.example/a.mp4');
    expect(await counter(metrics, 'error')).toBe(2);
  });
});

describe('reload (recording(refresh: true))', () => {
  it('skips a live entry, loads once and stores the new answer in its place', async () => {
    const { clock, cache, metrics } = setup();
    let tag = 0;
    const load = counting(() => answer(clock, 30 * MINUTE, `v${String((tag += 1))}`));
    const cached = await cache.getOrLoad('k', load);
    const reloaded = await cache.reload('k', load);
    expect(load.calls).toBe(2);
    expect(reloaded.value.mediaUrl?.url).not.toBe(cached.value.mediaUrl?.url);
    // The next ordinary read gets the reloaded answer, with no load.
    expect((await cache.getOrLoad('k', load)).value.mediaUrl?.url).toBe(reloaded.value.mediaUrl?.url);
    expect(load.calls).toBe(2);
    expect(await counter(metrics, 'reload')).toBe(1);
  });

  it('joins a load already running for the key instead of starting another', async () => {
    const { clock, cache } = setup();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const load = counting(async () => {
      await gate;
      return answer(clock, 30 * MINUTE);
    });
    const first = cache.getOrLoad('k', load);
    const forced = cache.reload('k', load);
    release();
    expect((await forced).value).toEqual((await first).value);
    expect(load.calls).toBe(1);
  });

  it('keeps the old entry when the reload fails', async () => {
    const { clock, cache } = setup();
    const good = counting(() => answer(clock, 30 * MINUTE, 'old'));
    await cache.getOrLoad('k', good);
    await expect(cache.reload('k', () => Promise.reject(upstream(500)))).rejects.toThrow('status 500');
    expect((await cache.getOrLoad('k', good)).value.mediaUrl?.url).toBe('https://media.example/old.mp4');
    expect(good.calls).toBe(1);
  });
});
