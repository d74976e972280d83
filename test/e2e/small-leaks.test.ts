/**
 * Small findings, each over real HTTP: an APQ hash that does not match its query is a 400 with its
 * own code; no URL ever becomes a metric label (access-key mode without CXONE_TENANT_ID).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEEDED } from '../../src/simulator/index.js';
import { gql } from '../helpers/graphql.js';
import { ACCESS_KEY_ENV, startStack, type Stack } from '../helpers/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { ...ACCESS_KEY_ENV, CXONE_RATE_LIMIT: '150' } });
});
afterAll(async () => {
  await stack.close();
});

const QUERY = `{ recording(acdContactId: "${SEEDED.voice}") { acdContactId } }`;

async function post(body: unknown): Promise<{ status: number; code: unknown }> {
  const response = await fetch(stack.app.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const answer = (await response.json()) as { errors?: Array<{ extensions?: Record<string, unknown> }> };
  return { status: response.status, code: answer.errors?.[0]?.extensions?.['code'] };
}

describe('automatic persisted queries', () => {
  it('a hash that does not match its query is a 400 PERSISTED_QUERY_HASH_MISMATCH', async () => {
    const wrong = createHash('sha256').update('something else').digest('hex');
    expect(await post({ query: QUERY, extensions: { persistedQuery: { version: 1, sha256Hash: wrong } } })).toEqual({
      status: 400,
      code: 'PERSISTED_QUERY_HASH_MISMATCH',
    });
    const right = createHash('sha256').update(QUERY).digest('hex');
    expect((await post({ query: QUERY, extensions: { persistedQuery: { version: 1, sha256Hash: right } } })).code).toBeUndefined();
  });
});

describe('metric labels', () => {
  it('never carry a URL, whatever the tenant id is configured as', async () => {
    expect((await gql(stack.app.url, QUERY)).errors).toBeUndefined();
    const text = await (await fetch(stack.app.url.replace(/\/graphql$/, '/metrics'))).text();
    const tenants = [...text.matchAll(/tenant="([^"]*)"/g)].map((match) => match[1]);
    expect(tenants.length).toBeGreaterThan(0);
    for (const tenant of tenants) expect(tenant).not.toMatch(/[:/]/);
  });
});
