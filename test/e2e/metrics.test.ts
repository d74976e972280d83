/**
 * /metrics after real traffic: upstream calls by endpoint and status, cache hits, misses and
 * evictions (a tiny in-memory LRU), single-flight joins, budget remaining and resolver latency, with
 * values that match what the simulator saw.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_TOKENS, SEEDED } from '../../src/simulator/index.js';
import { gql } from '../helpers/graphql.js';
import { scrape, type Scrape } from '../helpers/metrics.js';
import { startStack, type Stack } from '../helpers/stack.js';

const LIMIT = 100;
let stack: Stack;
let metrics: Scrape;
let recordingQueries = 0;

const one = (id: string) => `{ recording(acdContactId: "${id}") { acdContactId mediaUrl { url } } }`;
async function ask(query: string) {
  recordingQueries += 1;
  return gql(stack.app.url, query);
}

beforeAll(async () => {
  // The whole-response cache off: these repeats must reach the recording cache whose counts are read.
  stack = await startStack({ env: { CACHE_MAX_ENTRIES: '2', CXONE_RATE_LIMIT: String(LIMIT), RESPONSE_CACHE_MAX_BYTES: '0' } });
  await ask(one(SEEDED.voice)); // miss, 200
  await ask(one(SEEDED.voice)); // hit
  await ask(one(SEEDED.email)); // miss, 200
  await ask(one(SEEDED.chat)); // miss, 200: a third entry in a 2-entry LRU evicts one
  await ask(one(SEEDED.notFound)); // miss, 404 (remembered: another entry, another eviction)
  await ask(one(SEEDED.serverError)); // miss, 500 and its retries
  // Joins: CXone answering slowly keeps the first call in flight while the other nine arrive, even
  // on a loaded machine (without it, a fast answer could turn later arrivals into cache hits).
  stack.simulator.configure({ latencyMs: 400 });
  await Promise.all(Array.from({ length: 10 }, () => ask(one(SEEDED.transferred))));
  stack.simulator.configure({ latencyMs: 0 });
  await gql(stack.app.url, `{ statement(acdContactId: "${SEEDED.voice}", statementId: "${SEEDED.voiceStatement}") { mediaUrl { url } } }`);
  metrics = await scrape(stack.app.url);
});
afterAll(async () => {
  await stack.close();
});

it('counts upstream calls by endpoint and status, as the simulator saw them', () => {
  const calls = stack.simulator.calls();
  const seen = (endpoint: string, status: number) =>
    calls.filter((call) => call.endpoint === endpoint && call.status === status).length;
  expect(seen('contacts', 200)).toBeGreaterThanOrEqual(4);
  for (const [endpoint, status] of [
    ['contacts', 200],
    ['contacts', 404],
    ['contacts', 500],
    ['statements', 200],
  ] as const) {
    expect(metrics.value('cxone_upstream_calls_total', { endpoint, status: String(status) }), `${endpoint} ${String(status)}`).toBe(
      seen(endpoint, status),
    );
  }
  expect(metrics.sum('cxone_upstream_duration_seconds_count')).toBe(metrics.sum('cxone_upstream_calls_total'));
});

it('counts cache hits, misses and evictions of the bounded in-memory store', () => {
  const cache = (event: string) => metrics.value('recording_cache_events_total', { event }) ?? 0;
  expect(cache('hit')).toBeGreaterThanOrEqual(1);
  // voice, email, chat, notFound, serverError, transferred, the statement: seven cold keys.
  expect(cache('miss')).toBe(7);
  expect(cache('evict')).toBeGreaterThanOrEqual(2);
});

it('counts single-flight joins', () => {
  expect(metrics.value('recording_single_flight_joins_total')).toBeGreaterThanOrEqual(1);
  expect(stack.simulator.count('contacts', SEEDED.transferred)).toBe(1);
});

it('shows the budget left: the limit less every upstream attempt', () => {
  const attempts = stack.simulator.calls().filter((call) => ['contacts', 'statements', 'segments'].includes(call.endpoint)).length;
  expect(metrics.sum('cxone_budget_remaining')).toBe(LIMIT - attempts);
});

it('records resolver latency per field', () => {
  expect(metrics.value('graphql_resolver_duration_seconds_count', { field: 'Query.recording' })).toBe(recordingQueries);
  expect(metrics.value('graphql_resolver_duration_seconds_count', { field: 'Query.statement' })).toBe(1);
  const sum = metrics.value('graphql_resolver_duration_seconds_sum', { field: 'Query.recording' }) ?? 0;
  expect(sum).toBeGreaterThan(0);
  expect(sum).toBeLessThan(recordingQueries * 5);
  expect(metrics.value('graphql_resolver_duration_seconds_bucket', { field: 'Query.recording', le: '+Inf' })).toBe(recordingQueries);
});

it('carries no token, id or signed URL in any label', () => {
  expect(metrics.text).not.toContain(DEMO_TOKENS.full);
  expect(metrics.text).not.toContain(SEEDED.voice);
  expect(metrics.text).not.toMatch(/signature|x-amz/i);
});
