/**
 * The whole-response cache (src/http/response-cache.ts, on by default): a repeated identical
 * request in the same cache scope is answered from stored bytes until the earliest link in it
 * stops being usable; never across scopes, never for an unverified caller, never with errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TOKENS } from '../../src/simulator/demo-tokens.js';
import { SEEDED, bulkContactId } from '../../src/simulator/index.js';
import { codesByPath, gql, maxAge } from '../helpers/graphql.js';
import { responseCacheEvents, scrape } from '../helpers/metrics.js';
import { startStack, type Stack } from '../helpers/stack.js';

const ROUTER_SECRET = 'a-router-secret-long-enough';

interface One {
  recording: null | {
    acdContactId: string;
    mediaUrl: { url: string; expiresAt: string } | null;
    sentiments?: Array<{ overallSentiment: string }> | null;
  };
}

const ONE = `query One($id: ID!) { recording(acdContactId: $id) { acdContactId mediaUrl { url expiresAt } } }`;
const WITH_SENTIMENTS = `query One($id: ID!) {
  recording(acdContactId: $id) { acdContactId mediaUrl { url expiresAt } sentiments { overallSentiment } }
}`;

const events = (stack: Stack) => responseCacheEvents(stack.app.url);

/** Raw bytes of an answer, to compare a hit with the answer it repeats. */
async function raw(url: string, query: string, variables: Record<string, unknown>, token: string): Promise<{ text: string; headers: Headers }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return { text: await response.text(), headers: response.headers };
}

describe('identical requests, one scope', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { ROUTER_SECRET } });
  });
  afterAll(async () => {
    await stack.close();
  });
  const headers = { 'x-router-secret': ROUTER_SECRET };

  it('keeps an answer the second time it is asked for, then repeats its bytes and headers with max-age counting down', async () => {
    const variables = { id: bulkContactId(1) };
    const send = () =>
      fetch(stack.app.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${DEMO_TOKENS.full}`, ...headers },
        body: JSON.stringify({ query: ONE, variables }),
      });
    const before = await events(stack);
    const first = await send();
    const firstText = await first.text();
    // Seen once: only the key is remembered (a body asked for once is never copied in).
    expect((await events(stack)).store - before.store).toBe(0);
    expect(await (await send()).text()).toBe(firstText);
    expect((await events(stack)).store - before.store).toBe(1);
    const calls = stack.simulator.count('contacts');
    stack.clock.advance(10_000);
    const again = await send();
    expect(await again.text()).toBe(firstText);
    expect(again.headers.get('content-type')).toBe(first.headers.get('content-type'));
    const firstAge = Number(/max-age=(\d+)/.exec(first.headers.get('cache-control') ?? '')?.[1]);
    expect(again.headers.get('cache-control')).toBe(`private, max-age=${String(firstAge - 10)}`);
    expect(stack.simulator.count('contacts')).toBe(calls);
    const after = await events(stack);
    expect(after.hit - before.hit).toBe(1);
    expect(after.miss - before.miss).toBe(2);
  });

  it('expires with the earliest link minus the margin: the next repeat is a miss with fresh links', async () => {
    const variables = { id: bulkContactId(2) };
    const first = await gql<One>(stack.app.url, ONE, { variables, headers });
    await gql<One>(stack.app.url, ONE, { variables, headers }); // kept from the second time on
    const expiresAt = Date.parse(first.data!.recording!.mediaUrl!.expiresAt);
    // One second before expiry minus the 60 s margin: still the stored answer.
    stack.clock.set(expiresAt - 61_000);
    const warm = await gql<One>(stack.app.url, ONE, { variables, headers });
    expect(warm.data?.recording?.mediaUrl?.url).toBe(first.data?.recording?.mediaUrl?.url);
    expect(maxAge(warm.headers)).toBe(1);
    const calls = stack.simulator.count('contacts', bulkContactId(2));
    const before = await events(stack);
    stack.clock.set(expiresAt - 60_000);
    const fresh = await gql<One>(stack.app.url, ONE, { variables, headers });
    expect(fresh.errors).toBeUndefined();
    expect(fresh.data?.recording?.mediaUrl?.url).not.toBe(first.data?.recording?.mediaUrl?.url);
    expect(Date.parse(fresh.data!.recording!.mediaUrl!.expiresAt)).toBeGreaterThan(expiresAt);
    expect(stack.simulator.count('contacts', bulkContactId(2))).toBe(calls + 1);
    const after = await events(stack);
    expect(after.hit - before.hit).toBe(0);
    expect(after.expired - before.expired).toBe(1);
  });

  it('never keeps an answer with errors: each repeat runs the pipeline again', async () => {
    const query = `{ recordings(acdContactIds: ["${bulkContactId(3)}", "${SEEDED.serverError}"]) { acdContactId mediaUrl { url } } }`;
    const before = await events(stack);
    const first = await gql(stack.app.url, query, { headers });
    expect(codesByPath(first)).toEqual({ 'recordings.1': 'UPSTREAM_UNAVAILABLE' });
    const calls = stack.simulator.count('contacts', SEEDED.serverError);
    // Three times: a clean answer would have been kept the second time and repeated the third.
    for (let time = 0; time < 2; time++) {
      const again = await gql(stack.app.url, query, { headers });
      expect(codesByPath(again)).toEqual({ 'recordings.1': 'UPSTREAM_UNAVAILABLE' });
    }
    expect(stack.simulator.count('contacts', SEEDED.serverError)).toBeGreaterThan(calls);
    const after = await events(stack);
    expect(after.store - before.store).toBe(0);
    expect(after.hit - before.hit).toBe(0);
    expect(after.miss - before.miss).toBe(3);
  });

  it('never keeps an answer holding a state other than AVAILABLE (here NOT_FOUND, remembered by the recording cache only briefly): each repeat asks again', async () => {
    // One contact with a link (a lifetime), one not found: no error anywhere, yet the NOT_FOUND
    // state must not be repeated for the link's lifetime (the contact may appear any minute).
    const query = `query ($representations: [_Any!]!) { _entities(representations: $representations) {
      ... on Contact { recordingStatus { state } }
    } }`;
    const variables = {
      representations: [
        { __typename: 'Contact', acdContactId: bulkContactId(5) },
        { __typename: 'Contact', acdContactId: SEEDED.notFound },
      ],
    };
    const before = await events(stack);
    for (let time = 0; time < 3; time++) {
      const answer = await gql<{ _entities: Array<{ recordingStatus: { state: string } }> }>(stack.app.url, query, { headers, variables });
      expect(answer.errors).toBeUndefined();
      expect(answer.data?._entities.map((entity) => entity.recordingStatus.state)).toEqual(['AVAILABLE', 'NOT_FOUND']);
      expect(answer.headers.get('cache-control')).not.toMatch(/max-age=[1-9]/);
    }
    const after = await events(stack);
    expect(after.store - before.store).toBe(0);
    expect(after.hit - before.hit).toBe(0);
  });

  it('checks the router secret before any hit', async () => {
    const variables = { id: bulkContactId(4) };
    for (let time = 0; time < 2; time++) {
      const kept = await gql<One>(stack.app.url, ONE, { variables, headers });
      expect(kept.errors).toBeUndefined();
    }
    for (const wrong of [{}, { 'x-router-secret': 'not-the-secret-at-all' }]) {
      const refused = await gql<One>(stack.app.url, ONE, { variables, headers: wrong });
      expect(refused.status).toBe(401);
      expect(refused.data ?? null).toBeNull();
      expect(codesByPath(refused)).toEqual({ '': 'UNAUTHENTICATED' });
    }
  });

  it('never answers a caller without a token from the cache: UNAUTHENTICATED from the pipeline', async () => {
    const variables = { id: bulkContactId(5) };
    await gql<One>(stack.app.url, ONE, { variables, headers });
    await gql<One>(stack.app.url, ONE, { variables, headers });
    const before = await events(stack);
    const anonymous = await gql<One>(stack.app.url, ONE, { variables, headers, token: null });
    expect(anonymous.data?.recording ?? null).toBeNull();
    expect(codesByPath(anonymous)).toEqual({ recording: 'UNAUTHENTICATED' });
    const after = await events(stack);
    expect(after.hit - before.hit).toBe(0);
    expect(after.bypass - before.bypass).toBe(1);
  });

  it("skips the cache when a router asks for a federated trace (ftv1 is Apollo's to build)", async () => {
    const variables = { id: bulkContactId(6) };
    await gql<One>(stack.app.url, ONE, { variables, headers });
    await gql<One>(stack.app.url, ONE, { variables, headers });
    const before = await events(stack);
    const traced = await gql<One>(stack.app.url, ONE, {
      variables,
      headers: { ...headers, 'apollo-federation-include-trace': 'ftv1' },
    });
    expect(traced.data?.recording?.acdContactId).toBe(bulkContactId(6));
    const after = await events(stack);
    expect(after.hit - before.hit).toBe(0);
    expect(after.miss - before.miss).toBe(0);
  });
});

describe('scopes', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  it('never answers one user with what another was granted, warm or cold, in any order', async () => {
    const variables = { id: SEEDED.longCall };
    for (let round = 0; round < 3; round++) {
      for (const token of [DEMO_TOKENS.noAnalytics, DEMO_TOKENS.full, DEMO_TOKENS.noPlayback]) {
        const response = await gql<One>(stack.app.url, WITH_SENTIMENTS, { variables, token });
        if (token === DEMO_TOKENS.noPlayback) {
          expect(codesByPath(response), token).toEqual({ recording: 'FORBIDDEN' });
        } else if (token === DEMO_TOKENS.noAnalytics) {
          expect(response.errors, token).toBeUndefined();
          expect(response.data?.recording?.sentiments, token).toBeNull();
        } else {
          expect(response.errors, token).toBeUndefined();
          expect(response.data?.recording?.sentiments?.length, token).toBeGreaterThan(0);
        }
      }
    }
    // The third round of the two granted callers came from the cache, each from its own entry.
    expect((await events(stack)).hit).toBe(2);
  });

  /** Six requests: a, a (kept), b, b (kept), a, b; how many hits, and whether b ever got a's answer. */
  async function alternate(url: string, a: string, b: string, id: string): Promise<number> {
    const variables = { id };
    const before = await events(stack);
    for (const token of [a, a, b, b, a, b]) {
      const answer = JSON.parse((await raw(url, ONE, variables, token)).text) as { data?: One; errors?: unknown };
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.recording?.acdContactId).toBe(id);
    }
    return (await events(stack)).hit - before.hit;
  }

  it('keeps two tenants apart, even for the same user name', async () => {
    const a = await stack.simulator.mintToken({ tenantId: 'tenant-a', sub: 'user:same-name' });
    const b = await stack.simulator.mintToken({ tenantId: 'tenant-b', sub: 'user:same-name' });
    const before = await events(stack);
    // a is kept on its second request; b's first two are misses, never a's entry.
    expect(await alternate(stack.app.url, a, b, bulkContactId(7))).toBe(2);
    expect((await events(stack)).store - before.store).toBe(2);
  });

  it("shares one verified user's answers across that user's tokens (a refreshed token keeps its cache)", async () => {
    const first = await stack.simulator.mintToken({ sub: 'user:refreshing' });
    const refreshed = await stack.simulator.mintToken({ sub: 'user:refreshing', expiresInSeconds: 7200 });
    expect(first).not.toBe(refreshed);
    const before = await events(stack);
    // a, a (kept), then every later request of either token is a hit: one scope.
    expect(await alternate(stack.app.url, first, refreshed, bulkContactId(8))).toBe(4);
    expect((await events(stack)).store - before.store).toBe(1);
  });
});

describe('scopes of opaque tokens (CXONE_VERIFY_TOKENS=false)', () => {
  let opaque: Stack;
  beforeAll(async () => {
    opaque = await startStack({ env: { CXONE_VERIFY_TOKENS: 'false', CXONE_TENANT_ID: 'configured-tenant' } });
  });
  afterAll(async () => {
    await opaque.close();
  });

  it('keeps two tokens of the same user apart: a token is its own scope', async () => {
    const first = await opaque.simulator.mintToken({ sub: 'user:opaque' });
    const second = await opaque.simulator.mintToken({ sub: 'user:opaque', expiresInSeconds: 7200 });
    const variables = { id: bulkContactId(9) };
    const before = await events(opaque);
    const answers: string[] = [];
    for (const token of [first, first, second, second]) answers.push((await raw(opaque.app.url, ONE, variables, token)).text);
    for (const answer of answers) expect(JSON.parse(answer)).toEqual(JSON.parse(answers[0]!));
    const after = await events(opaque);
    // Each token's second request kept its own copy; neither was answered from the other's.
    expect(after.hit - before.hit).toBe(0);
    expect(after.store - before.store).toBe(2);
  });
});

describe('byte bound', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { RESPONSE_CACHE_MAX_BYTES: '4000' } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('evicts the least recently used answer past RESPONSE_CACHE_MAX_BYTES', async () => {
    const ask = (n: number) => gql<One>(stack.app.url, ONE, { variables: { id: bulkContactId(n) } });
    for (let n = 1; n <= 8; n++) {
      await ask(n);
      await ask(n);
    }
    const metrics = await scrape(stack.app.url);
    const bytes = metrics.value('graphql_response_cache_bytes') ?? NaN;
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThanOrEqual(4000);
    const before = await events(stack);
    await ask(8); // the newest: still kept
    await ask(1); // the oldest: evicted, answered by the pipeline (from the recording cache)
    const after = await events(stack);
    expect(after.hit - before.hit).toBe(1);
    expect(after.miss - before.miss).toBe(1);
    expect(before.store).toBe(8);
  });
});

describe('off', () => {
  it('RESPONSE_CACHE_MAX_BYTES=0 keeps nothing', async () => {
    const stack = await startStack({ env: { RESPONSE_CACHE_MAX_BYTES: '0' } });
    try {
      const variables = { id: bulkContactId(1) };
      await gql<One>(stack.app.url, ONE, { variables });
      const again = await gql<One>(stack.app.url, ONE, { variables });
      expect(again.errors).toBeUndefined();
      const counts = await events(stack);
      expect(counts.hit + counts.store + counts.miss).toBe(0);
    } finally {
      await stack.close();
    }
  });
});
