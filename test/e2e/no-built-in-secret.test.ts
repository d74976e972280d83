/**
 * No secret is built in: with shared answers (CACHE_URL) production refuses to start without
 * CACHE_SECRET, and without one elsewhere each process seals with its own random key, so no entry
 * sealed by anyone else (a forger reading the source included) is ever trusted.
 */
import { describe, expect, it } from 'vitest';
import { SEEDED } from '../../src/simulator/index.js';
import { configProblems } from '../helpers/config.js';
import { gql } from '../helpers/graphql.js';
import { REDIS_URL } from '../helpers/replicas.js';
import { startStack } from '../helpers/stack.js';

const REAL_CXONE = { CXONE_API_URL: 'https://api-na1.niceincontact.com' };

describe('CACHE_SECRET', () => {
  it('is required in production when answers are shared through Redis', () => {
    const found = configProblems({ NODE_ENV: 'production', ...REAL_CXONE, CACHE_URL: 'redis://127.0.0.1:6379' });
    expect(found.join('\n')).toMatch(/^CACHE_SECRET is required when NODE_ENV=production and CACHE_URL is set/m);
    expect(configProblems({ NODE_ENV: 'production', ...REAL_CXONE, CACHE_URL: 'redis://127.0.0.1:6379', CACHE_SECRET: 'x'.repeat(32) })).toEqual([]);
    expect(configProblems({ NODE_ENV: 'production', ...REAL_CXONE })).toEqual([]);
  });

  it('without it, what one process sealed is never trusted by another', async () => {
    const namespace = `no-secret-${String(process.pid)}-${String(Date.now())}`;
    const query = `{ recording(acdContactId: "${SEEDED.voice}") { acdContactId mediaUrl { url } } }`;
    const first = await startStack({ env: { CACHE_URL: REDIS_URL, RESPONSE_CACHE_MAX_BYTES: '0' }, cacheNamespace: namespace });
    try {
      expect((await gql(first.app.url, query)).errors).toBeUndefined();
      expect((await gql(first.app.url, query)).errors).toBeUndefined();
      expect(first.simulator.count('contacts', SEEDED.voice)).toBe(1);
    } finally {
      await first.close();
    }
    const second = await startStack({ env: { CACHE_URL: REDIS_URL, RESPONSE_CACHE_MAX_BYTES: '0' }, cacheNamespace: namespace });
    try {
      expect((await gql(second.app.url, query)).errors).toBeUndefined();
      // The first process's entry was sealed with its own key: the second asks CXone.
      expect(second.simulator.count('contacts', SEEDED.voice)).toBe(1);
    } finally {
      await second.close();
    }
  });
});
