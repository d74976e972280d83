/**
 * The tenant's CXone request budget over real HTTP: spent, a request fails fast with RATE_LIMITED and
 * retryAfterSeconds and no upstream call; with Redis, replicas spend one budget; bulk reporting
 * yields to interactive lookups when it is tight; CXone's own 429 reads the same to the caller.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { bulkContactId } from '../../src/simulator/index.js';
import { codesByPath, gql, type GraphQLResponse } from '../helpers/graphql.js';
import { scrape } from '../helpers/metrics.js';
import { startOwnRedis } from '../helpers/redis-server.js';
import { startReplicas, type Replicas } from '../helpers/replicas.js';
import { startStack, type Stack } from '../helpers/stack.js';

const LIMIT = 10;
let contact = 1;
/** A contact nobody asked for yet: every lookup of it is a real upstream call. */
const freshId = (): string => bulkContactId(contact++);
const one = (id: string) => `{ recording(acdContactId: "${id}") { acdContactId } }`;

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

// These suites are about the tenant's budget, spent by one caller: that caller's share is the whole.
const ONE_CALLER = { CXONE_CALLER_SHARE: '1' };

async function single(env: Record<string, string>): Promise<Stack> {
  const stack = await startStack({ env: { ...ONE_CALLER, ...env } });
  cleanup = () => stack.close();
  return stack;
}
async function pair(env: Record<string, string>): Promise<Replicas> {
  const replicas = await startReplicas({ env: { ...ONE_CALLER, ...env } });
  cleanup = () => replicas.close();
  return replicas;
}

async function spend(url: string, times: number): Promise<void> {
  for (let i = 0; i < times; i += 1) {
    const response = await gql(url, one(freshId()));
    expect(response.errors).toBeUndefined();
  }
}

function expectRateLimited(response: GraphQLResponse<unknown>, path = 'recording'): number {
  expect(codesByPath(response)).toEqual({ [path]: 'RATE_LIMITED' });
  const retryAfter = response.errors?.[0]?.extensions?.['retryAfterSeconds'];
  expect(retryAfter).toEqual(expect.any(Number));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  return retryAfter as number;
}

describe('the budget of one replica', () => {
  it(`refuses the call after ${String(LIMIT)} fast, with retryAfterSeconds, without calling CXone`, async () => {
    const stack = await single({ CXONE_RATE_LIMIT: String(LIMIT), CXONE_RATE_WINDOW_SECONDS: '300' });
    await spend(stack.app.url, LIMIT);
    expect(stack.simulator.count('contacts')).toBe(LIMIT);

    const started = performance.now();
    const refused = await gql(stack.app.url, one(freshId()));
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(expectRateLimited(refused)).toBeLessThanOrEqual(300);
    expect(stack.simulator.count('contacts')).toBe(LIMIT);
  });
});

describe('the budget shared by two replicas through Redis', () => {
  it('is spent by 5 calls on A and 5 on B; then both refuse, and the gauge shows the shared count', async () => {
    const { a, b, simulator } = await pair({ CXONE_RATE_LIMIT: String(LIMIT) });
    await spend(a.app.url, 5);
    await spend(b.app.url, 1);
    // B's first call saw A's five: the gauge reads the shared counter, not B's own.
    expect((await scrape(b.app.url)).sum('cxone_budget_remaining')).toBe(LIMIT - 6);
    await spend(b.app.url, 4);
    expect(simulator.count('contacts')).toBe(LIMIT);

    expectRateLimited(await gql(a.app.url, one(freshId())));
    expectRateLimited(await gql(b.app.url, one(freshId())));
    expect(simulator.count('contacts')).toBe(LIMIT);
    expect((await scrape(a.app.url)).sum('cxone_budget_remaining')).toBe(0);
  });

  it('refuses bulk reporting before interactive lookups when the budget is tight', async () => {
    const { a, b, simulator } = await pair({ CXONE_RATE_LIMIT: String(LIMIT) });
    // 20% of 10 is kept for interactive lookups: after 8 calls, bulk gets nothing.
    await spend(a.app.url, 4);
    await spend(b.app.url, 4);

    const bulk = await gql<{ recordings: unknown[] }>(
      b.app.url,
      `{ recordings(acdContactIds: ["${freshId()}", "${freshId()}"]) { acdContactId } }`,
    );
    expect(codesByPath(bulk)).toEqual({ 'recordings.0': 'RATE_LIMITED', 'recordings.1': 'RATE_LIMITED' });
    expect(bulk.data?.recordings).toEqual([null, null]);
    expect(simulator.count('contacts')).toBe(8);

    // The reserve is there for a contact page.
    await spend(a.app.url, 1);
    await spend(b.app.url, 1);
    expectRateLimited(await gql(a.app.url, one(freshId())));
    expect(simulator.count('contacts')).toBe(LIMIT);
    expect((await scrape(b.app.url)).value('cxone_budget_rejections_total', { priority: 'bulk' })).toBe(2);
  });
});

describe('the budget while Redis is down', () => {
  it('still limits each replica, through its in-memory insurance limiter', async () => {
    const redis = await startOwnRedis();
    const stack = await startStack({ env: { ...ONE_CALLER, CACHE_URL: redis.url, CXONE_RATE_LIMIT: String(LIMIT) } });
    cleanup = async () => {
      await stack.close();
      await redis.kill();
    };
    await spend(stack.app.url, 3);
    await redis.kill();

    // The shared count is out of reach; the replica's own limiter of the same size takes over.
    await spend(stack.app.url, LIMIT);
    const started = performance.now();
    expectRateLimited(await gql(stack.app.url, one(freshId())));
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(stack.simulator.count('contacts')).toBe(3 + LIMIT);
  });
});

describe("CXone's own throttle", () => {
  it('answers a 429 as RATE_LIMITED with CXone\'s Retry-After, without retrying it', async () => {
    // Our budget off, so CXone's throttle is the one that bites.
    const stack = await single({ CXONE_RATE_LIMIT: '0' });
    stack.simulator.configure({ rateLimit: { limit: 2, windowSeconds: 60 } });
    await spend(stack.app.url, 2);

    const id = freshId();
    const throttled = await gql(stack.app.url, one(id));
    expect(expectRateLimited(throttled)).toBe(60);
    expect(stack.simulator.calls().filter((call) => call.status === 429)).toHaveLength(1);

    // Honouring Retry-After works: a minute later the same contact is served.
    stack.clock.advance(60_000);
    const later = await gql(stack.app.url, one(id));
    expect(later.errors).toBeUndefined();
  });
});
