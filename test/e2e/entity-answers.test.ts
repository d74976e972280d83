/**
 * Entity answers (src/http/entity-answers.ts): a router's `_entities` fetch that is not a repeat
 * is answered before Apollo when every entity in it was kept from earlier executions of the same
 * operation in the same cache scope (an entity is kept from its second offer: a page asked twice).
 * The answer is the bytes Apollo would send; nothing crosses a scope; nothing outlives the earliest
 * link of the request that kept it; an entity with an error, a passing state, or a forced refresh of
 * its scope is never answered this way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TOKENS } from '../../src/simulator/demo-tokens.js';
import { SEEDED, bulkContactId } from '../../src/simulator/index.js';
import { codesByPath, gql, maxAge, type GraphQLResponse } from '../helpers/graphql.js';
import { responseCacheEvents, type ResponseCacheEvent } from '../helpers/metrics.js';
import { startStack, type Stack } from '../helpers/stack.js';

/** A router's entity fetch, as @apollo/gateway writes it. */
const ENTITIES = `query Entities($representations: [_Any!]!) { _entities(representations: $representations) { ... on Contact { recording { acdContactId mediaUrl { url expiresAt } agents { name } } } } }`;

interface Entities {
  _entities: Array<{ recording: { acdContactId: string; mediaUrl: { url: string; expiresAt: string } | null } | null } | null>;
}

const representations = (ids: readonly string[]) => ids.map((acdContactId) => ({ __typename: 'Contact', acdContactId }));

async function delta(stack: Stack, run: () => Promise<unknown>): Promise<Record<ResponseCacheEvent, number>> {
  const before = await responseCacheEvents(stack.app.url);
  await run();
  const after = await responseCacheEvents(stack.app.url);
  return {
    hit: after.hit - before.hit,
    assembled: after.assembled - before.assembled,
    partial: after.partial - before.partial,
    miss: after.miss - before.miss,
    store: after.store - before.store,
    expired: after.expired - before.expired,
    bypass: after.bypass - before.bypass,
  };
}

async function raw(stack: Stack, query: string, ids: readonly string[], token = DEMO_TOKENS.full): Promise<{ text: string; headers: Headers }> {
  const response = await fetch(stack.app.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables: { representations: representations(ids) } }),
  });
  return { text: await response.text(), headers: response.headers };
}

const entities = (stack: Stack, ids: readonly string[], token: string | null = DEMO_TOKENS.full, query = ENTITIES): Promise<GraphQLResponse<Entities>> =>
  gql<Entities>(stack.app.url, query, { token, variables: { representations: representations(ids) } });

/** The page twice: its entities, offered a second time, are kept. */
async function keep(stack: Stack, ids: readonly string[], token: string | null = DEMO_TOKENS.full, query = ENTITIES): Promise<GraphQLResponse<Entities>> {
  await entities(stack, ids, token, query);
  return entities(stack, ids, token, query);
}

describe('entity answers', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  it('answers a new combination of kept entities before the pipeline: the bytes Apollo sends, no upstream call', async () => {
    const ids = [bulkContactId(11), bulkContactId(12), bulkContactId(13), bulkContactId(14)];
    await entities(stack, ids);
    // Offered once: nothing is kept yet, so the next page with these contacts runs the pipeline.
    expect(await delta(stack, () => entities(stack, ids.slice(1)))).toMatchObject({ assembled: 0, miss: 1 });
    // Offered a second time (the last three just now, the first here): every entity is kept.
    const first = await entities(stack, ids);
    expect(first.errors).toBeUndefined();
    const calls = stack.simulator.count('contacts');
    const reordered = [ids[2]!, ids[0]!, ids[3]!];
    let assembled = { text: '', headers: new Headers() };
    const counted = await delta(stack, async () => {
      assembled = await raw(stack, ENTITIES, reordered);
    });
    expect(counted).toMatchObject({ assembled: 1, miss: 0, hit: 0 });
    expect(stack.simulator.count('contacts')).toBe(calls);
    // The same request through the pipeline: the query text differs by a trailing space (another
    // operation, never executed), the data is the same recording cache's.
    const piped = await delta(stack, async () => {
      const pipeline = await raw(stack, `${ENTITIES} `, reordered);
      expect(assembled.text).toBe(pipeline.text);
      expect(assembled.headers.get('content-type')).toBe(pipeline.headers.get('content-type'));
      expect(maxAge(assembled.headers)).toBe(maxAge(pipeline.headers));
    });
    expect(piped).toMatchObject({ assembled: 0, miss: 1 });
    const parsed = JSON.parse(assembled.text) as { data: Entities };
    expect(parsed.data._entities.map((entity) => entity?.recording?.acdContactId)).toEqual(reordered);
  });

  it('the same assembled body asked again becomes a whole-response hit', async () => {
    const ids = [bulkContactId(21), bulkContactId(22), bulkContactId(23)];
    await keep(stack, ids);
    const body = [ids[1]!, ids[2]!];
    const counted = await delta(stack, async () => {
      for (let time = 0; time < 3; time++) expect((await entities(stack, body)).errors).toBeUndefined();
    });
    // First: assembled, and remembered; second: assembled and kept whole; third: a hit.
    expect(counted).toMatchObject({ assembled: 2, hit: 1, miss: 0 });
  });

  it('never answers one user with entities kept for another (per-user cache scope)', async () => {
    const ids = [bulkContactId(31), bulkContactId(32)];
    await keep(stack, ids, DEMO_TOKENS.full);
    // Kept for this user: its own next page is assembled.
    expect(await delta(stack, () => entities(stack, [ids[0]!], DEMO_TOKENS.full))).toMatchObject({ assembled: 1, miss: 0 });
    const calls = stack.simulator.count('contacts');
    const other = await delta(stack, async () => {
      const answer = await entities(stack, [ids[1]!], DEMO_TOKENS.noAnalytics);
      expect(answer.errors).toBeUndefined();
    });
    expect(other).toMatchObject({ assembled: 0, miss: 1 });
    // The other user's own loaders and cache: one upstream call of its own.
    expect(stack.simulator.count('contacts')).toBe(calls + 1);
    // A caller without a valid token never reaches a kept entity: UNAUTHENTICATED from the pipeline.
    const refused = await delta(stack, async () => {
      const answer = await entities(stack, [ids[0]!], null);
      expect(codesByPath(answer)).toEqual({ '_entities.0.recording': 'UNAUTHENTICATED' });
    });
    expect(refused).toMatchObject({ assembled: 0, bypass: 1 });
  });

  it('keeps the entities without an error, never the one with an error in its slot', async () => {
    const good = bulkContactId(41);
    const first = await keep(stack, [good, SEEDED.notFound]);
    expect(codesByPath(first)).toEqual({ '_entities.1.recording': 'RECORDING_NOT_FOUND' });
    expect((await delta(stack, () => entities(stack, [good])))).toMatchObject({ assembled: 1, miss: 0 });
    const again = await delta(stack, async () => {
      expect(codesByPath(await entities(stack, [SEEDED.notFound]))).toEqual({ '_entities.0.recording': 'RECORDING_NOT_FOUND' });
    });
    expect(again).toMatchObject({ assembled: 0, miss: 1 });
  });

  it('never keeps a passing state (recordingStatus other than AVAILABLE) nor anything answered beside it', async () => {
    const query = `query Status($representations: [_Any!]!) { _entities(representations: $representations) { ... on Contact { recordingStatus { state } } } }`;
    const good = bulkContactId(45);
    await keep(stack, [good, SEEDED.notFound], DEMO_TOKENS.full, query);
    const later = await delta(stack, async () => {
      await entities(stack, [good], DEMO_TOKENS.full, query);
    });
    expect(later).toMatchObject({ assembled: 0, miss: 1 });
  });

  it('runs the pipeline for more representations than any execution of the operation had (its limits are per count)', async () => {
    // An operation of its own: the others were executed with more representations.
    const query = ENTITIES.replace('query Entities', 'query Counted');
    const ids = [bulkContactId(51), bulkContactId(52), bulkContactId(53)];
    await keep(stack, [ids[0]!, ids[1]!], DEMO_TOKENS.full, query);
    await keep(stack, [ids[2]!], DEMO_TOKENS.full, query);
    expect(await delta(stack, () => entities(stack, [ids[1]!, ids[2]!], DEMO_TOKENS.full, query))).toMatchObject({ assembled: 1, miss: 0 });
    const three = await delta(stack, async () => {
      expect((await entities(stack, [ids[2]!, ids[1]!, ids[0]!], DEMO_TOKENS.full, query)).errors).toBeUndefined();
    });
    expect(three).toMatchObject({ assembled: 0, miss: 1 });
    // That execution passed with three: now any three of them are assembled.
    expect(await delta(stack, () => entities(stack, [ids[1]!, ids[0]!, ids[2]!], DEMO_TOKENS.full, query))).toMatchObject({ assembled: 1, miss: 0 });
  });

  it('ends with the earliest link of the request that kept it, minus the margin', async () => {
    const early = bulkContactId(61);
    const late = bulkContactId(62);
    const first = await entities(stack, [early]);
    stack.clock.advance(120_000);
    // Asked together with `early`: its own links are two minutes younger.
    await keep(stack, [early, late]);
    const expiresAt = Date.parse(first.data!._entities[0]!.recording!.mediaUrl!.expiresAt);
    stack.clock.set(expiresAt - 61_000);
    const warm = await delta(stack, async () => {
      const answer = await raw(stack, ENTITIES, [late, early]);
      expect(maxAge(answer.headers)).toBe(1);
    });
    expect(warm).toMatchObject({ assembled: 1 });
    stack.clock.set(expiresAt - 60_000);
    const expired = await delta(stack, async () => {
      const answer = await entities(stack, [late, early]);
      expect(answer.errors).toBeUndefined();
      expect(answer.data?._entities[1]?.recording?.mediaUrl?.url).not.toBe(first.data?._entities[0]?.recording?.mediaUrl?.url);
    });
    // `late` is still kept: only `early` runs through the pipeline.
    expect(expired).toMatchObject({ assembled: 0, partial: 1, miss: 0 });
    expect(expired.expired).toBeGreaterThan(0);
  });

  it('a forced refresh supersedes the entities its caller kept', async () => {
    const contact = bulkContactId(71);
    const first = await keep(stack, [contact, bulkContactId(72)]);
    const dead = first.data?._entities[0]?.recording?.mediaUrl?.url;
    expect(await delta(stack, () => entities(stack, [contact]))).toMatchObject({ assembled: 1 });
    stack.simulator.revokeLinks();
    const refreshed = await gql<{ recording: { mediaUrl: { url: string } } }>(
      stack.app.url,
      `{ recording(acdContactId: "${contact}", refresh: true) { mediaUrl { url } } }`,
    );
    const fresh = refreshed.data?.recording.mediaUrl.url;
    expect(fresh).toBeTruthy();
    expect(fresh).not.toBe(dead);
    const after = await delta(stack, async () => {
      const answer = await entities(stack, [contact]);
      expect(answer.data?._entities[0]?.recording?.mediaUrl?.url).toBe(fresh);
    });
    expect(after).toMatchObject({ assembled: 0, miss: 1 });
  });

  it('takes only plain entity fetches: directives or other root fields run the pipeline (more shapes: test/unit/entity-answers.test.ts)', async () => {
    const id = bulkContactId(81);
    const withDirective = `query ($representations: [_Any!]!, $on: Boolean!) { _entities(representations: $representations) { ... on Contact { recording @include(if: $on) { acdContactId mediaUrl { url } } } } }`;
    // Each shape twice with two contacts, then once with one of them: a plain entity fetch would now be assembled.
    for (const ids of [[id, bulkContactId(82)], [id, bulkContactId(82)], [id]]) {
      const counted = await delta(stack, async () => {
        const answer = await gql<Entities>(stack.app.url, withDirective, { variables: { representations: representations(ids), on: true } });
        expect(answer.errors).toBeUndefined();
      });
      expect(counted).toMatchObject({ assembled: 0, miss: 1 });
    }
    const twoFields = `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Contact { recording { acdContactId mediaUrl { url } } } } _service { sdl } }`;
    for (const ids of [[id, bulkContactId(82)], [id, bulkContactId(82)], [id]]) {
      const counted = await delta(stack, () => gql(stack.app.url, twoFields, { variables: { representations: representations(ids) } }));
      expect(counted).toMatchObject({ assembled: 0, miss: 1 });
    }
  });
});

describe('a sweep of one-off entities', () => {
  let stack: Stack;
  beforeAll(async () => {
    // Room for about 25 entities: a sweep of 60 would evict everything kept before it, were it stored.
    stack = await startStack({ env: { RESPONSE_CACHE_MAX_BYTES: '16384' } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('evicts no entity that recurs: entities answered once are never stored', async () => {
    const recurring = [bulkContactId(401), bulkContactId(402)];
    await keep(stack, recurring);
    for (let sweep = 0; sweep < 3; sweep++) {
      const ids = Array.from({ length: 20 }, (_, index) => bulkContactId(410 + sweep * 20 + index));
      expect((await entities(stack, ids)).errors).toBeUndefined();
    }
    const calls = stack.simulator.count('contacts');
    const counted = await delta(stack, async () => {
      expect((await entities(stack, [recurring[1]!, recurring[0]!])).errors).toBeUndefined();
    });
    expect(counted).toMatchObject({ assembled: 1, miss: 0 });
    expect(stack.simulator.count('contacts')).toBe(calls);
  });
});

describe('through the gateway', () => {
  let stack: Stack;
  const crmIds = Array.from({ length: 6 }, (_, index) => bulkContactId(100 + index));
  beforeAll(async () => {
    stack = await startStack({ crmIds });
  });
  afterAll(async () => {
    await stack.close();
  });

  it("a page overlapping earlier pages is answered from kept entities: the router's own entity fetch", async () => {
    const page = (first: number, offset: number) =>
      gql<{ contacts: Array<{ acdContactId: string; recording: { acdContactId: string; mediaUrl: { url: string } } | null }> }>(
        stack.gateway!.url,
        `query Page($first: Int!, $offset: Int!) { contacts(first: $first, offset: $offset) { acdContactId recording { acdContactId mediaUrl { url } } } }`,
        { variables: { first, offset } },
      );
    // Each page twice: its entities are kept from their second offer.
    for (const offset of [0, 0, 3, 3]) await page(3, offset);
    const calls = stack.simulator.count('contacts');
    const counted = await delta(stack, async () => {
      const overlapping = await page(3, 2);
      expect(overlapping.errors).toBeUndefined();
      expect(overlapping.data?.contacts.map((contact) => contact.recording?.acdContactId)).toEqual(crmIds.slice(2, 5));
    });
    expect(counted).toMatchObject({ assembled: 1, miss: 0 });
    expect(stack.simulator.count('contacts')).toBe(calls);
  });
});
