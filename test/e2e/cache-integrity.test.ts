/**
 * Redis is not trusted blindly (issue 12): keys are HMACs of the logical key with CACHE_SECRET (no
 * token hash to recognise or compute), values are sealed. An entry copied under another caller's
 * key, or changed in place, reads as a miss: that caller goes to CXone, which decides.
 */
import { createClient } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheStoreKey } from '../../src/cache/recording-cache.js';
import { hashToken } from '../../src/cxone/redact.js';
import { DEMO_TOKENS } from '../../src/simulator/grants.js';
import { SEEDED } from '../../src/simulator/index.js';
import { codesByPath, gql } from '../helpers/graphql.js';
import { REDIS_URL } from '../helpers/replicas.js';
import { startStack, type Stack } from '../helpers/stack.js';

const SECRET = 'test-cache-secret-0123456789abcdefghijkl';
const QUERY = `query($id: ID!) { recording(acdContactId: $id) { acdContactId mediaUrl { url } } }`;

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

  /** The Redis key of a caller's contact entry, as only a holder of the secret can compute it. */
  async function redisKey(token: string, id: string): Promise<string> {
    const logical = `v1:${encodeURIComponent(stack.simulator.url)}:${hashToken(token)}:contact:${id}:ALL`;
    const storeKey = cacheStoreKey(SECRET, logical);
    const keys = await redis.keys(`${namespace}*`);
    return keys.find((key) => key.endsWith(storeKey)) ?? `${namespace}:${storeKey}`;
  }

  it('stores no token hash in any key', async () => {
    await gql(stack.app.url, QUERY, { variables: { id: SEEDED.voice } });
    const keys = await redis.keys(`${namespace}*`);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key).not.toContain(hashToken(DEMO_TOKENS.full));
      expect(key).not.toContain(SEEDED.voice);
    }
    expect(keys).toContain(await redisKey(DEMO_TOKENS.full, SEEDED.voice));
  });

  it("an entry copied under a caller CXone refuses reads as a miss: that caller gets CXone's 403", async () => {
    const id = SEEDED.email;
    const granted = await gql(stack.app.url, QUERY, { variables: { id } });
    expect(granted.errors).toBeUndefined();
    const source = await redisKey(DEMO_TOKENS.full, id);
    const value = await redis.get(source);
    expect(value).not.toBeNull();
    const target = await redisKey(DEMO_TOKENS.noPlayback, id);
    await redis.set(target, value!, { PX: 60_000 });

    stack.simulator.resetCalls();
    const refused = await gql(stack.app.url, QUERY, { variables: { id }, token: DEMO_TOKENS.noPlayback });
    expect(codesByPath(refused)).toEqual({ recording: 'FORBIDDEN' });
    expect(stack.simulator.count('contacts', id)).toBe(1);
  });

  it('a changed entry reads as a miss and is fetched again', async () => {
    const id = SEEDED.chat;
    await gql(stack.app.url, QUERY, { variables: { id } });
    const key = await redisKey(DEMO_TOKENS.full, id);
    const value = await redis.get(key);
    expect(value).not.toBeNull();
    await redis.set(key, value!.replace(/https?:[^"\\]+/, 'https://evil.example/x'), { PX: 60_000 });

    stack.simulator.resetCalls();
    const again = await gql<{ recording: { mediaUrl: { url: string } | null } }>(stack.app.url, QUERY, { variables: { id } });
    expect(JSON.stringify(again.data)).not.toContain('evil.example');
    expect(stack.simulator.count('contacts', id)).toBe(1);
  });
});
