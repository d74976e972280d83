/**
 * Partial entity answers: a router's `_entities` page whose entities are partly kept runs only the
 * missing representations through the pipeline and is put together from both. Two subgraphs on one
 * simulator and one ManualClock, identical but for RESPONSE_CACHE_MAX_BYTES: every page from the one
 * with caches on must equal, byte for byte with its Cache-Control, the other's, while only the missing
 * contacts reach Apollo's resolvers and CXone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { DEMO_TOKENS } from '../../src/simulator/demo-tokens.js';
import { SEEDED, bulkContactId, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { codesByPath, gql, maxAge, type GraphQLResponse } from '../helpers/graphql.js';
import { responseCacheEvents, scrape } from '../helpers/metrics.js';
import { startStack, type Stack } from '../helpers/stack.js';

const ENTITIES = `query Entities($representations: [_Any!]!) { _entities(representations: $representations) { ... on Contact { recording { acdContactId mediaUrl { url expiresAt } agents { name } } } } }`;

const representations = (ids: readonly string[]) => ids.map((acdContactId) => ({ __typename: 'Contact', acdContactId }));

interface Page {
  readonly status: number;
  readonly text: string;
  readonly headers: Headers;
}

async function page(stack: Stack, ids: readonly string[], query = ENTITIES): Promise<Page> {
  const response = await fetch(stack.app.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${DEMO_TOKENS.full}` },
    body: JSON.stringify({ query, variables: { representations: representations(ids) } }),
  });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

/** How many times `Contact.recording` executed in the subgraph (its resolver histogram). */
async function recordingResolves(stack: Stack): Promise<number> {
  const metrics = await scrape(stack.app.url);
  return metrics.value('graphql_resolver_duration_seconds_count', { field: 'Contact.recording' }) ?? 0;
}

describe('partial entity answers', () => {
  const clock = new ManualClock();
  let simulator: RunningSimulator;
  let cached: Stack;
  let uncached: Stack;
  beforeAll(async () => {
    simulator = await startSimulator({ clock, rateLimit: null });
    const common = { sharedSimulator: simulator, clock, env: { NODE_ENV: 'production' } };
    cached = await startStack(common);
    uncached = await startStack({ ...common, env: { ...common.env, RESPONSE_CACHE_MAX_BYTES: '0' } });
    // Pages are put together only for an operation that passed its limits with as many
    // representations (entity-answers.ts): one clean execution of six.
    const six = Array.from({ length: 6 }, (_, index) => bulkContactId(290 + index));
    await page(cached, six);
    await page(uncached, six);
  });
  afterAll(async () => {
    await cached.close();
    await uncached.close();
    await simulator.close();
  });

  /** The same page from both, in turn: the one with caches on first (its upstream calls counted). */
  async function both(ids: readonly string[], query = ENTITIES) {
    const resolvesBefore = await recordingResolves(cached);
    const eventsBefore = await responseCacheEvents(cached.app.url);
    const callsBefore = simulator.count('contacts');
    const on = await page(cached, ids, query);
    const calls = simulator.count('contacts') - callsBefore;
    const resolves = (await recordingResolves(cached)) - resolvesBefore;
    const eventsAfter = await responseCacheEvents(cached.app.url);
    const off = await page(uncached, ids, query);
    return { on, off, calls, resolves, partial: eventsAfter.partial - eventsBefore.partial, miss: eventsAfter.miss - eventsBefore.miss };
  }

  /** The page twice: its entities, offered a second time, are kept. */
  async function keep(ids: readonly string[], query = ENTITIES) {
    await both(ids, query);
    return both(ids, query);
  }

  it('runs only the missing representations and answers the bytes the pipeline gives the whole page', async () => {
    const kept = [bulkContactId(301), bulkContactId(302)];
    await keep(kept);
    const fresh = [bulkContactId(303), bulkContactId(304)];
    const result = await both([fresh[0]!, kept[0]!, fresh[1]!, kept[1]!]);
    expect(result.on.status).toBe(200);
    expect(result.on.text).toBe(result.off.text);
    expect(result.on.headers.get('cache-control')).toBe(result.off.headers.get('cache-control'));
    expect(result.on.headers.get('content-type')).toBe(result.off.headers.get('content-type'));
    expect(result).toMatchObject({ partial: 1, miss: 0, resolves: 2, calls: 2 });
    const answer = JSON.parse(result.on.text) as GraphQLResponse<{ _entities: Array<{ recording: { acdContactId: string } | null }> }>;
    expect(answer.data?._entities.map((entity) => entity.recording?.acdContactId)).toEqual([fresh[0], kept[0], fresh[1], kept[1]]);
  });

  it('keeps an error of the executed part in its own slot of the page', async () => {
    const kept = [bulkContactId(311), bulkContactId(312)];
    await keep(kept);
    const ids = [kept[0]!, SEEDED.notFound, bulkContactId(313), kept[1]!, SEEDED.archivedContact];
    const result = await both(ids);
    expect(result.on.text).toBe(result.off.text);
    expect(result.on.headers.get('cache-control')).toBe(result.off.headers.get('cache-control'));
    expect(result).toMatchObject({ partial: 1, miss: 0, resolves: 3 });
    const answer = JSON.parse(result.on.text) as GraphQLResponse<unknown>;
    expect(codesByPath(answer)).toMatchObject({ '_entities.1.recording': 'RECORDING_NOT_FOUND' });
    expect(Object.keys(codesByPath(answer)).every((path) => path.startsWith('_entities.1.') || path.startsWith('_entities.4.'))).toBe(true);
  });

  it("ends with the earliest expiry: a kept entity's or the executed part's", async () => {
    // Kept first: its link is two minutes older than the contact executed with it.
    const older = bulkContactId(321);
    await keep([older]);
    clock.advance(120_000);
    const newer = bulkContactId(322);
    const keptFirst = await both([newer, older]);
    expect(keptFirst.partial).toBe(1);
    expect(keptFirst.on.text).toBe(keptFirst.off.text);
    expect(maxAge(keptFirst.on.headers)).toBe(maxAge(keptFirst.off.headers));
    // The executed part holds the older link: a contact read before by another query, kept with a
    // fresh entity read two minutes later.
    const readEarly = bulkContactId(323);
    await gql(cached.app.url, `query One($id: ID!) { recording(acdContactId: $id) { mediaUrl { url } } }`, { token: DEMO_TOKENS.full, variables: { id: readEarly } });
    await gql(uncached.app.url, `query One($id: ID!) { recording(acdContactId: $id) { mediaUrl { url } } }`, { token: DEMO_TOKENS.full, variables: { id: readEarly } });
    clock.advance(120_000);
    const keptLate = bulkContactId(324);
    await keep([keptLate]);
    const executedFirst = await both([keptLate, readEarly]);
    expect(executedFirst).toMatchObject({ partial: 1, calls: 0 });
    expect(executedFirst.on.text).toBe(executedFirst.off.text);
    expect(maxAge(executedFirst.on.headers)).toBe(maxAge(executedFirst.off.headers));
    const keptOnly = await both([keptLate]);
    expect(maxAge(executedFirst.on.headers)).toBeLessThan(maxAge(keptOnly.on.headers) - 100);
  });

  it("the whole page runs through the pipeline when the part's answer cannot stand for it (a passing state)", async () => {
    const query = `query Status($representations: [_Any!]!) { _entities(representations: $representations) { ... on Contact { recording { acdContactId } recordingStatus { state } } } }`;
    const kept = bulkContactId(331);
    await keep([kept, bulkContactId(332)], query);
    // Kept: without the passing state beside it, the page is put together from it.
    expect(await both([kept], query)).toMatchObject({ miss: 0 });
    const result = await both([kept, SEEDED.notFound], query);
    expect(result).toMatchObject({ partial: 0, miss: 1 });
    expect(result.on.text).toBe(result.off.text);
    expect(result.on.headers.get('cache-control')).toBe('no-store');
    expect(result.off.headers.get('cache-control')).toBe('no-store');
  });
});
