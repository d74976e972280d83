/**
 * A bounded soak: 2,000 mixed queries, 10 at a time, against a simulator injecting every fault,
 * with the clock moved forward now and then so cached links expire and are fetched again. Every
 * answer must be valid (correct data, or a documented code where that query can fail), the process
 * must not crash or leave a rejection unhandled, /health stays 200, and memory (heap after a full
 * GC) may grow only loosely. The figures are printed for the notes.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEEDED } from '../../src/simulator/index.js';
import { gql } from '../helpers/graphql.js';
import { bulkIds, startStack, type Stack } from '../helpers/stack.js';

const QUERIES = 2000;
const CONCURRENCY = 10;
const MB = 1024 * 1024;

/** The upstream failures a query may end in while CXone is faulty. */
const UPSTREAM_CODES = new Set(['UPSTREAM_UNAVAILABLE', 'UPSTREAM_TIMEOUT', 'RATE_LIMITED', 'RECORDING_PROCESSING', 'RECORDING_LOCKED']);

/** A full GC when the runtime allows one: `--expose-gc`, or switched on here for this process. */
function collector(): (() => void) | undefined {
  const exposed: unknown = (globalThis as { gc?: unknown }).gc;
  if (typeof exposed === 'function') return () => void exposed();
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc: unknown = vm.runInNewContext('gc');
    return typeof gc === 'function' ? () => void gc() : undefined;
  } catch {
    return undefined;
  }
}

interface Sample {
  readonly heapUsedMb: number;
  readonly rssMb: number;
}

function sample(gc: (() => void) | undefined): Sample {
  gc?.();
  gc?.();
  const usage = process.memoryUsage();
  return { heapUsedMb: usage.heapUsed / MB, rssMb: usage.rss / MB };
}

/** One kind of query: how to ask, and what a valid answer is. */
interface Kind {
  readonly name: string;
  readonly weight: number;
  build(n: number): { query: string; variables?: Record<string, unknown>; check: (answer: Answer) => void };
}

interface Answer {
  readonly status: number;
  readonly data?: Record<string, unknown> | null | undefined;
  readonly errors?: ReadonlyArray<{ message: string; path?: ReadonlyArray<string | number>; extensions?: Record<string, unknown> }> | undefined;
}

const codes = new Map<string, number>();
function count(code: string): void {
  codes.set(code, (codes.get(code) ?? 0) + 1);
}

/** The value at a GraphQL response path, e.g. ['recordings', 3, 'mediaUrl']. */
function at(data: unknown, path: ReadonlyArray<string | number>): unknown {
  let value = data;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

/**
 * Every error has one of `allowed` codes and nulls exactly the field it names (a failed segment
 * link nulls that link only); every item is the contact asked for, or null with an error for it.
 */
function checkItems(answer: Answer, field: string, ids: readonly string[], allowed: ReadonlySet<string>): void {
  expect(answer.status).toBe(200);
  const errorPaths: string[] = [];
  for (const error of answer.errors ?? []) {
    const code = String(error.extensions?.['code']);
    count(code);
    expect(allowed.has(code), `${code}: ${error.message}`).toBe(true);
    expect(error.path, error.message).toBeDefined();
    expect(at(answer.data, error.path ?? []), JSON.stringify(error.path)).toBeNull();
    errorPaths.push((error.path ?? []).join('.'));
  }
  const value = answer.data?.[field];
  const list = Array.isArray(value);
  const items = (list ? value : [value]) as Array<{ acdContactId?: string; recording?: { acdContactId: string } | null } | null>;
  expect(items).toHaveLength(ids.length);
  items.forEach((item, index) => {
    const entity = field === '_entities';
    const record = entity ? item?.recording : item;
    const itemPath = [field, ...(list ? [index] : []), ...(entity ? ['recording'] : [])].join('.');
    if (record === null || record === undefined) {
      expect(errorPaths, itemPath).toContain(itemPath);
    } else {
      expect(record.acdContactId).toBe(ids[index]);
    }
  });
  if (errorPaths.length === 0) count('ok');
}

/** A contact id from a pool of 3,000: some repeat (cache hits), most do not. */
const poolId = (n: number): string => bulkIds(1, 1 + ((n * 7919) % 3000))[0] ?? '';

const KINDS: readonly Kind[] = [
  {
    name: 'recording',
    weight: 40,
    build: (n) => {
      const id = poolId(n);
      return {
        query: `query($id: ID!) { recording(acdContactId: $id) { acdContactId durationSeconds mediaUrl { url expiresAt fileName } agents { name } } }`,
        variables: { id },
        check: (answer) => checkItems(answer, 'recording', [id], UPSTREAM_CODES),
      };
    },
  },
  {
    name: 'report',
    weight: 15,
    build: (n) => {
      const ids = [0, 1, 2, 3, 4].map((k) => poolId(n * 5 + k));
      return {
        query: `query($ids: [ID!]!) { recordings(acdContactIds: $ids) { acdContactId startTime tags mediaUrl { url } } }`,
        variables: { ids },
        check: (answer) => checkItems(answer, 'recordings', ids, UPSTREAM_CODES),
      };
    },
  },
  {
    name: 'router _entities',
    weight: 10,
    build: (n) => {
      const ids = Array.from({ length: 10 }, (_, k) => poolId(n * 10 + k));
      return {
        query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Contact { recording { acdContactId segments { segmentId } } } } }`,
        variables: { r: ids.map((acdContactId) => ({ __typename: 'Contact', acdContactId })) },
        check: (answer) => checkItems(answer, '_entities', ids, UPSTREAM_CODES),
      };
    },
  },
  {
    name: 'seeded',
    weight: 10,
    build: (n) => {
      const seeded = [SEEDED.voice, SEEDED.chat, SEEDED.email, SEEDED.transferred, SEEDED.voiceAndScreen, SEEDED.processing, SEEDED.locked, SEEDED.preCutoff];
      const id = seeded[n % seeded.length] ?? SEEDED.voice;
      const allowed = new Set([...UPSTREAM_CODES, 'RECORDING_NOT_FOUND']);
      return {
        query: `query($id: ID!) { recording(acdContactId: $id) { acdContactId transcript { kind text } segments { segmentId mediaUrl { url } } } }`,
        variables: { id },
        check: (answer) => checkItems(answer, 'recording', [id], allowed),
      };
    },
  },
  {
    name: 'segment',
    weight: 10,
    build: (n) => {
      const id = poolId(n);
      const segmentId = `5e600000-0000-4000-8001-${id}`;
      return {
        query: `query($s: ID!) { segment(segmentId: $s) { segmentId mediaUrl { url } } }`,
        variables: { s: segmentId },
        check: (answer) => {
          expect(answer.status).toBe(200);
          const segment = answer.data?.['segment'] as { segmentId: string } | null | undefined;
          if (segment) {
            expect(segment.segmentId).toBe(segmentId);
            count('ok');
          } else {
            const code = String(answer.errors?.[0]?.extensions?.['code']);
            count(code);
            expect(UPSTREAM_CODES.has(code), code).toBe(true);
          }
        },
      };
    },
  },
  {
    name: 'bad id',
    weight: 5,
    build: (n) => ({
      query: `{ recording(acdContactId: "not-${String(n)}") { acdContactId } }`,
      check: (answer) => {
        expect(answer.status).toBe(200);
        expect(answer.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
        count('BAD_USER_INPUT');
      },
    }),
  },
  {
    name: 'over a limit',
    weight: 5,
    build: () => ({
      query: `{ ${Array.from({ length: 31 }, (_, i) => `a${String(i)}: recording(acdContactId: "${SEEDED.voice}") { acdContactId }`).join(' ')} }`,
      check: (answer) => {
        expect(answer.status).toBe(400);
        expect(answer.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_VALIDATION_FAILED');
        count('GRAPHQL_VALIDATION_FAILED');
      },
    }),
  },
  {
    name: 'statement',
    weight: 5,
    build: () => ({
      query: `{ statement(acdContactId: "${SEEDED.voice}", statementId: "5001") { statementId mediaUrl { url } } }`,
      check: (answer) => {
        expect(answer.status).toBe(200);
        const statement = answer.data?.['statement'] as { statementId: string } | null | undefined;
        if (statement) {
          expect(statement.statementId).toBe('5001');
          count('ok');
        } else {
          const code = String(answer.errors?.[0]?.extensions?.['code']);
          count(code);
          expect(UPSTREAM_CODES.has(code), code).toBe(true);
        }
      },
    }),
  },
];

function kindFor(n: number): Kind {
  const total = KINDS.reduce((sum, kind) => sum + kind.weight, 0);
  // A fixed, well-spread order: query n always has the same kind.
  let slot = (n * 37) % total;
  for (const kind of KINDS) {
    if (slot < kind.weight) return kind;
    slot -= kind.weight;
  }
  return KINDS[0] as Kind;
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};

let stack: Stack;

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  stack = await startStack({
    env: { CXONE_TIMEOUT_MS: '500', REQUEST_DEADLINE_MS: '3000' },
    resilience: {
      processingRetries: 2,
      processingDelayMs: 20,
      maxRetryAfterMs: 50,
      transientRetries: 2,
      baseDelayMs: 10,
      maxDelayMs: 50,
      // Production's threshold; an open circuit answers UPSTREAM_UNAVAILABLE, which is allowed.
      breaker: { halfOpenAfterMs: 200 },
    },
  });
  stack.simulator.configure({
    lockHoldMs: 20,
    faults: {
      seed: 2026,
      rates: { 500: 0.03, 502: 0.02, 503: 0.02, 504: 0.02, 429: 0.02, 202: 0.03, 425: 0.02 },
      stallRate: 0.002,
      dropRate: 0.01,
      malformedJsonRate: 0.01,
      wrongContentTypeRate: 0.01,
      latencyMs: 10,
    },
  });
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await stack?.close();
});

async function runQueries(from: number, to: number): Promise<void> {
  let next = from;
  const worker = async (): Promise<void> => {
    while (next < to) {
      const n = next;
      next += 1;
      // Every 250 queries, 10 minutes pass: links expire, the cache refetches and evicts.
      if (n > from && n % 250 === 0) stack.clock.advance(10 * 60 * 1000);
      const { query, variables, check } = kindFor(n).build(n);
      const answer = await gql(stack.app.url, query, variables === undefined ? {} : { variables });
      check(answer);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, () => worker()));
}

describe('soak', () => {
  it(`answers ${String(QUERIES)} mixed queries against a faulty CXone validly, with bounded memory`, async () => {
    const gc = collector();
    // Warm-up: JIT, pools and caches reach their working size before the first measurement.
    await runQueries(QUERIES, QUERIES + 100);
    codes.clear();
    const before = sample(gc);
    const started = performance.now();
    await runQueries(0, QUERIES);
    const seconds = (performance.now() - started) / 1000;
    const after = sample(gc);
    const upstream = stack.simulator.calls();

    const figures = {
      queries: QUERIES,
      concurrency: CONCURRENCY,
      seconds: Number(seconds.toFixed(1)),
      gcAvailable: gc !== undefined,
      heapUsedMb: { start: Number(before.heapUsedMb.toFixed(1)), end: Number(after.heapUsedMb.toFixed(1)) },
      rssMb: { start: Number(before.rssMb.toFixed(1)), end: Number(after.rssMb.toFixed(1)) },
      upstreamCalls: upstream.length,
      injectedFaults: upstream.filter((call) => call.fault !== undefined).length,
      outcomes: Object.fromEntries([...codes.entries()].sort()),
    };
    console.log(`soak: ${JSON.stringify(figures)}`);

    expect(seconds).toBeLessThan(120);
    expect(unhandled).toEqual([]);
    expect((await fetch(stack.app.url.replace('/graphql', '/health'))).status).toBe(200);
    // The faults really happened, and most answers were still good.
    expect(figures.injectedFaults).toBeGreaterThan(50);
    expect(codes.get('ok') ?? 0).toBeGreaterThan(QUERIES / 2);
    // Loose on purpose (a shared, noisy machine): a leak of even a few KB per query would show.
    const growth = gc === undefined ? after.rssMb - before.rssMb : after.heapUsedMb - before.heapUsedMb;
    expect(growth).toBeLessThan(100);
  }, 180_000);
});
