/**
 * Forced refreshes have their own small allowance per tenant and per caller and never spend the
 * interactive reserve; a request is bulk by what it asks for (its estimated CXone calls), not only
 * by how many representations it sends.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { bulkContactId } from '../../src/simulator/index.js';
import { DEMO_TOKENS } from '../../src/simulator/grants.js';
import { gql } from '../helpers/graphql.js';
import { bulkIds, startStack, type Stack } from '../helpers/stack.js';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

let next = 8000;
const freshId = (): string => bulkContactId(next++);
const one = (id: string) => `{ recording(acdContactId: "${id}") { acdContactId } }`;
const refreshOf = (id: string) => `{ recording(acdContactId: "${id}", refresh: true) { acdContactId mediaUrl { url } } }`;

describe('forced refreshes', () => {
  it("two users looping on refresh: true spend only the refresh allowance, not the tenant's window", async () => {
    // 40 per window: refreshes may use 4 of them (10%), one caller 2 (5%); each caller's share is 20.
    stack = await startStack({ env: { CXONE_RATE_LIMIT: '40', CXONE_CALLER_SHARE: '0.5', LINK_REFRESH_INTERVAL_SECONDS: '1' } });
    const looping = [
      { token: DEMO_TOKENS.full, id: freshId() },
      { token: DEMO_TOKENS.noAnalytics, id: freshId() },
    ];
    for (const { token, id } of looping) expect((await gql(stack.app.url, one(id), { token })).errors).toBeUndefined();
    for (let round = 0; round < 15; round += 1) {
      stack.clock.advance(1_100);
      for (const { token, id } of looping) await gql(stack.app.url, refreshOf(id), { token });
    }
    const upstream = stack.simulator.count('contacts');
    console.info(`[refresh] 2 users x 15 refreshes: ${String(upstream)} upstream calls`);
    // 2 first lookups + at most 2 refreshes per caller (4 for the tenant).
    expect(upstream).toBeLessThanOrEqual(2 + 4);
    // The loopers' own lookups and everyone else's still go through.
    for (const { token } of looping) {
      for (let i = 0; i < 5; i += 1) expect((await gql(stack.app.url, one(freshId()), { token })).errors).toBeUndefined();
    }
  });
});

describe('bulk by what a request asks for', () => {
  it("40 contacts asking for every segment's link are bulk: the interactive reserve is left to contact pages", async () => {
    stack = await startStack({ env: { CXONE_RATE_LIMIT: '60', CXONE_CALLER_SHARE: '1' } });
    const representations = bulkIds(40, 8500).map((acdContactId) => ({ __typename: 'Contact', acdContactId }));
    const batch = await gql(
      stack.app.url,
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Contact { recording { acdContactId segments { segmentId mediaUrl { url } } } } } }`,
      { variables: { representations } },
    );
    const upstream = stack.simulator.count('contacts') + stack.simulator.count('segments');
    console.info(`[bulk] 40 contacts x every segment's link: ${String(upstream)} upstream calls, ${String(batch.errors?.length ?? 0)} errors`);
    // 20% of 60 stays for interactive lookups.
    expect(upstream).toBeLessThanOrEqual(48);
    expect((await gql(stack.app.url, one(freshId()))).errors).toBeUndefined();
  });
});
