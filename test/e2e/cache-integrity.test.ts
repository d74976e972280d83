/**
 * Redis is not trusted blindly: keys are HMACs of the logical key with CACHE_SECRET (no
 * token hash to recognise or compute), values are sealed. An entry copied under another caller's
 * key, or changed in place, reads as a miss: that caller goes to CXone, which decides. Keys cannot
 * be computed without the secret, so the tests find each entry's key as the one its query added.
 */
import { createClient } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/credential.js';
import { DEMO_TOKENS } from '../../src/simulator/grants.js';
import { SEEDED } from '../../src/simulator/index.js';
import { gql } from '../helpers/graphql.js';
import { REDIS_URL } from '../helpers/replicas.js';
import { startStack, type Stack } from '../helpers/stack.js';

const SECRET = 'test-cache-secret-0123456789abcdefghijkl';
const QUERY = `query($id: ID!) { recording(acdContactId: $id) { acdContactId mediaUrl { url } } }`;
const QUERY_ANALYTICS = `query($id: ID!) { recording(acdContactId: $id) { acdContactId sentiments { overallSentiment } } }`;

describe('the shared cache with CACHE_SECRET', () => {
  let stack: Stack;
  let redis: ReturnType<typeof createClient>;
  const namespace = `integrity-${String(process.pid)}-${String(Date.now())}`;

  beforeAll(async () => {
    stack = await startStack({ env: { CACHE_URL: REDIS_URL, CACHE_SECRET: SECRET }, cacheNamespace: namespace });
    redis = createClient({ url: REDIS_URL });
    await redis.connect();
  });
  afterAll(async () => {
    redis.destroy();
    await stack.close();
  });

  /** Runs `query` and returns the one Redis key it added (keys are HMACs: nothing else finds them). */
  async function keyAddedBy(query: () => Promise<unknown>): Promise<string> {
    const before = new Set(await redis.keys(`${namespace}*`));
    await query();
    const added = (await redis.keys(`${namespace}*`)).filter((key) => !before.has(key));
    expect(added).toHaveLength(1);
    return added[0]!;
  }

  it('stores no token, token hash or id in any key', async () => {
    const key = await keyAddedBy(() => gql(stack.app.url, QUERY, { variables: { id: SEEDED.voice } }));
    expect(key).not.toContain(hashToken(DEMO_TOKENS.full));
    expect(key).not.toContain(SEEDED.voice);
    expect(key).not.toContain(DEMO_TOKENS.full);
  });

  it("an entry copied under another caller's key reads as a miss: that caller gets its own answer from CXone", async () => {
    const id = SEEDED.email;
    const full = await keyAddedBy(() => gql(stack.app.url, QUERY_ANALYTICS, { variables: { id } }));
    const limited = await keyAddedBy(() => gql(stack.app.url, QUERY_ANALYTICS, { variables: { id }, token: DEMO_TOKENS.noAnalytics }));
    expect(limited).not.toBe(full);
    const value = await redis.get(full);
    expect(value).not.toBeNull();
    await redis.set(limited, value!, { PX: 60_000 });

    stack.simulator.resetCalls();
    const answer = await gql<{ recording: { sentiments: unknown } }>(stack.app.url, QUERY_ANALYTICS, {
      variables: { id },
      token: DEMO_TOKENS.noAnalytics,
    });
    // Not the copied full answer: CXone was asked again, and answered without analytics.
    expect(stack.simulator.count('contacts', id)).toBe(1);
    expect(answer.data?.recording.sentiments ?? null).toBeNull();
  });

  it('a changed entry reads as a miss and is fetched again', async () => {
    const id = SEEDED.chat;
    const key = await keyAddedBy(() => gql(stack.app.url, QUERY, { variables: { id } }));
    const value = await redis.get(key);
    expect(value).not.toBeNull();
    await redis.set(key, value!.replace(/https?:[^"\\]+/, 'https://evil.example/x'), { PX: 60_000 });

    stack.simulator.resetCalls();
    const again = await gql<{ recording: { mediaUrl: { url: string } | null } }>(stack.app.url, QUERY, { variables: { id } });
    expect(JSON.stringify(again.data)).not.toContain('evil.example');
    expect(stack.simulator.count('contacts', id)).toBe(1);
  });
});
