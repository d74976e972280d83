/**
 * Fair use over real HTTP: one caller cannot spend the tenant's window (across two
 * replicas sharing Redis), a refused caller spends nothing, a large router batch is bulk, and the
 * README's federated example (with the always-504 and always-500 seeds among its first 20
 * contacts) and quick reloads of it never shut the tenant out.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SEEDED, bulkContactId } from '../../src/simulator/index.js';
import { DEMO_TOKENS } from '../../src/simulator/grants.js';
import { codesByPath, gql } from '../helpers/graphql.js';
import { startReplicas } from '../helpers/replicas.js';
import { bulkIds, startStack } from '../helpers/stack.js';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

let next = 3000;
const freshId = (): string => bulkContactId(next++);
const one = (id: string) => `{ recording(acdContactId: "${id}") { acdContactId } }`;

describe("a caller's share of the tenant budget", () => {
  it('across two replicas: past its share one caller gets RATE_LIMITED while another goes on', async () => {
    const replicas = await startReplicas({ env: { CXONE_RATE_LIMIT: '10', CXONE_CALLER_SHARE: '0.5' } });
    cleanup = () => replicas.close();
    const greedy = DEMO_TOKENS.full;
    const other = DEMO_TOKENS.noAnalytics;

    // 5 points (half of 10), spent on both replicas.
    for (const url of [replicas.a.app.url, replicas.b.app.url, replicas.a.app.url, replicas.b.app.url, replicas.a.app.url]) {
      expect((await gql(url, one(freshId()), { token: greedy })).errors).toBeUndefined();
    }
    for (const url of [replicas.a.app.url, replicas.b.app.url]) {
      const refused = await gql(url, one(freshId()), { token: greedy });
      expect(codesByPath(refused)).toEqual({ recording: 'RATE_LIMITED' });
      expect(refused.errors?.[0]?.extensions?.['retryAfterSeconds']).toEqual(expect.any(Number));
    }
    // The other caller still has the rest of the tenant's window.
    for (const url of [replicas.b.app.url, replicas.a.app.url, replicas.b.app.url]) {
      expect((await gql(url, one(freshId()), { token: other })).errors).toBeUndefined();
    }
    expect(replicas.simulator.count('contacts')).toBe(8);
  });

  it('a caller CXone refuses (403) spends no shared budget', async () => {
    const stack = await startStack({ env: { CXONE_RATE_LIMIT: '4', CXONE_CALLER_SHARE: '1' } });
    cleanup = () => stack.close();
    for (let i = 0; i < 10; i += 1) {
      const refused = await gql(stack.app.url, one(freshId()), { token: DEMO_TOKENS.noPlayback });
      expect(codesByPath(refused)).toEqual({ recording: 'FORBIDDEN' });
    }
    for (let i = 0; i < 4; i += 1) expect((await gql(stack.app.url, one(freshId()))).errors).toBeUndefined();
    expect(codesByPath(await gql(stack.app.url, one(freshId())))).toEqual({ recording: 'RATE_LIMITED' });
  });

  it("a router's large _entities batch is bulk: it leaves the interactive reserve to contact pages", async () => {
    const stack = await startStack({ env: { CXONE_RATE_LIMIT: '60', CXONE_CALLER_SHARE: '1' } });
    cleanup = () => stack.close();
    const representations = bulkIds(60, 4000).map((acdContactId) => ({ __typename: 'Contact', acdContactId }));
    const batch = await gql<{ _entities: Array<{ recording: unknown }> }>(
      stack.app.url,
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Contact { recording { acdContactId } } } }`,
      { variables: { representations } },
    );
    // 20% of 60 is kept for interactive lookups: the batch got 48.
    const refused = (batch.errors ?? []).filter((error) => error.extensions?.['code'] === 'RATE_LIMITED');
    expect(refused).toHaveLength(12);
    expect(stack.simulator.count('contacts')).toBe(48);
    // A contact page still gets its lookups.
    expect((await gql(stack.app.url, one(freshId()))).errors).toBeUndefined();
  });
});

describe("the README's federated example never shuts the tenant out", () => {
  it('first 20 contacts (with the always-504 and always-500 seeds), reloaded quickly, then a healthy lookup', async () => {
    const seeded = Object.values(SEEDED).filter((value): value is string => typeof value === 'string' && /^1\d{11}$/.test(value));
    const ids = [...new Set([...seeded, ...bulkIds(50)])];
    // Production's breaker (no test override), the production rate limit.
    const stack = await startStack({
      crmIds: ids,
      env: { CXONE_RATE_LIMIT: '150', CXONE_TIMEOUT_MS: '1000' },
      resilience: { breaker: {} },
    });
    cleanup = () => stack.close();
    expect(ids.slice(0, 20)).toEqual(expect.arrayContaining([SEEDED.timeout, SEEDED.serverError]));
    const page = `{ contacts(first: 20) { acdContactId customerName recording { durationSeconds mediaUrl { url expiresAt fileName } transcript { kind text } segments { segmentId closeReason } } } }`;

    const messages: string[] = [];
    const failingCalls: number[] = [];
    // The page, and two quick reloads of it (the demo page does the same).
    for (let load = 0; load < 3; load += 1) {
      const response = await gql<{ contacts: Array<{ acdContactId: string; recording: unknown }> }>(stack.gateway!.url, page);
      expect(response.data?.contacts).toHaveLength(20);
      messages.push(...(response.errors ?? []).map((error) => error.message));
      failingCalls.push(stack.simulator.count('contacts', SEEDED.serverError));
      console.info(`[calls] federated page load ${String(load + 1)}: ${String(stack.simulator.count('contacts'))} contact calls so far, errors ${String(response.errors?.length ?? 0)}`);
    }
    // Only the two broken contacts fail; nothing is refused because "calls are paused".
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.filter((message) => /paused/.test(message))).toEqual([]);
    const metrics = await (await fetch(stack.app.url.replace('/graphql', '/metrics'))).text();
    expect(metrics).not.toMatch(/^cxone_circuit_open\{[^}]*\} 1/m);

    // A healthy lookup right after: answered, not "paused".
    const healthy = await gql<{ recording: { acdContactId: string } }>(stack.app.url, one(freshId()));
    expect(healthy.errors).toBeUndefined();
    expect(healthy.data?.recording.acdContactId).toBeDefined();
    // The always-500 contact was asked on the first two loads, then remembered briefly: the third
    // reload made no call for it.
    const [first = 0, second = 0, third = 0] = failingCalls;
    expect(first).toBeGreaterThan(0);
    expect(second).toBe(2 * first);
    expect(third).toBe(second);
  });
});
