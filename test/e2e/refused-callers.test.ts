/**
 * A caller CXone refuses costs CXone almost nothing: a 403 for a verified caller is remembered for
 * that caller (CXONE_REFUSAL_MEMORY_SECONDS), so their next lookups are refused with no upstream
 * call; opaque tokens (CXONE_VERIFY_TOKENS=false) that CXone answers 401 are remembered per token
 * hash. Neither refusal is given back to the caller's own share of the budget, so a refused caller
 * is bounded by it like everyone else, while the tenant's shared budget stays untouched.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { bulkContactId } from '../../src/simulator/index.js';
import { DEMO_TOKENS } from '../../src/simulator/grants.js';
import { codesByPath, gql, type GraphQLResponse } from '../helpers/graphql.js';
import { bulkIds, startStack, type Stack } from '../helpers/stack.js';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

let next = 5000;
const freshId = (): string => bulkContactId(next++);
const one = (id: string) => `{ recording(acdContactId: "${id}") { acdContactId } }`;
const ENTITIES = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Contact { recording { acdContactId } } } }`;
const representations = (count: number, from: number) => bulkIds(count, from).map((acdContactId) => ({ __typename: 'Contact', acdContactId }));
/** CXONE_CONCURRENCY's default: calls already in flight when the first refusal comes back. */
const CONCURRENCY = 8;

function codes(response: GraphQLResponse<unknown>): Set<unknown> {
  return new Set((response.errors ?? []).map((error) => error.extensions?.['code']));
}

describe('a verified caller without playback permission (403)', () => {
  it("two 200-contact _entities requests make at most one batch's calls, and leave the tenant's budget to others", async () => {
    stack = await startStack({ env: { CXONE_RATE_LIMIT: '150' } });
    for (const from of [1000, 1200]) {
      const refused = await gql(stack.app.url, ENTITIES, { variables: { representations: representations(200, from) }, token: DEMO_TOKENS.noPlayback });
      expect(codes(refused)).toEqual(new Set(['FORBIDDEN']));
    }
    const upstream = stack.simulator.count('contacts');
    console.info(`[refusals] 2 x 200 contacts with the no-playback token: ${String(upstream)} upstream calls`);
    expect(upstream).toBeLessThanOrEqual(CONCURRENCY);
    // Everyone else still has the window.
    for (let i = 0; i < 5; i += 1) expect((await gql(stack.app.url, one(freshId()), { token: DEMO_TOKENS.full })).errors).toBeUndefined();
  });

  it('is asked again once the memory has passed', async () => {
    stack = await startStack({ env: { CXONE_REFUSAL_MEMORY_SECONDS: '30' } });
    expect(codesByPath(await gql(stack.app.url, one(freshId()), { token: DEMO_TOKENS.noPlayback }))).toEqual({ recording: 'FORBIDDEN' });
    expect(codesByPath(await gql(stack.app.url, one(freshId()), { token: DEMO_TOKENS.noPlayback }))).toEqual({ recording: 'FORBIDDEN' });
    expect(stack.simulator.count('contacts')).toBe(1);
    stack.clock.advance(31_000);
    expect(codesByPath(await gql(stack.app.url, one(freshId()), { token: DEMO_TOKENS.noPlayback }))).toEqual({ recording: 'FORBIDDEN' });
    expect(stack.simulator.count('contacts')).toBe(2);
  });

  it("spends the caller's own share (no refund), never the tenant's", async () => {
    // 10 per window, 5 per caller; a memory of 1 s, moved past between requests.
    stack = await startStack({ env: { CXONE_RATE_LIMIT: '10', CXONE_CALLER_SHARE: '0.5', CXONE_REFUSAL_MEMORY_SECONDS: '1' } });
    for (let i = 0; i < 5; i += 1) {
      expect(codesByPath(await gql(stack.app.url, one(freshId()), { token: DEMO_TOKENS.noPlayback }))).toEqual({ recording: 'FORBIDDEN' });
      stack.clock.advance(1_500);
    }
    expect(codesByPath(await gql(stack.app.url, one(freshId()), { token: DEMO_TOKENS.noPlayback }))).toEqual({ recording: 'RATE_LIMITED' });
    expect(stack.simulator.count('contacts')).toBe(5);
    // The tenant's 10 are all still there for the others (two callers of 5 each).
    for (const token of [DEMO_TOKENS.full, DEMO_TOKENS.noAnalytics]) {
      for (let i = 0; i < 5; i += 1) expect((await gql(stack.app.url, one(freshId()), { token })).errors).toBeUndefined();
    }
  });
});

describe('opaque tokens (CXONE_VERIFY_TOKENS=false) CXone refuses (401)', () => {
  it('5 requests of random tokens x 200 contacts make at most one batch of calls each', async () => {
    stack = await startStack({ env: { CXONE_VERIFY_TOKENS: 'false', CXONE_TENANT_ID: 'opaque-tenant', CXONE_RATE_LIMIT: '150' } });
    for (let i = 0; i < 5; i += 1) {
      const token = randomBytes(24).toString('base64url');
      const refused = await gql(stack.app.url, ENTITIES, { variables: { representations: representations(200, 2000 + i * 200) }, token });
      expect(codes(refused)).toEqual(new Set(['UNAUTHENTICATED']));
      // The same token again: refused before any call.
      const before = stack.simulator.count('contacts');
      expect(codesByPath(await gql(stack.app.url, one(freshId()), { token }))).toEqual({ recording: 'UNAUTHENTICATED' });
      expect(stack.simulator.count('contacts')).toBe(before);
    }
    const upstream = stack.simulator.count('contacts');
    console.info(`[refusals] 5 random opaque tokens x 200 contacts: ${String(upstream)} upstream calls`);
    expect(upstream).toBeLessThanOrEqual(5 * CONCURRENCY);
    expect((await gql(stack.app.url, one(freshId()), { token: DEMO_TOKENS.full })).errors).toBeUndefined();
  });
});
