/**
 * Forward mode verifies every bearer token as a CXone JWT before anything else. Over
 * real HTTP, straight to the subgraph and through the gateway: a forged signature, `alg: none`, an
 * expired token, a wrong issuer, another tenant, an unknown `kid`, no token: each UNAUTHENTICATED,
 * with no call to the Media Playback API and no budget spent. A flood of unknown kids re-reads the
 * key set once. The cache scope is the verified user: one user's two tokens share one upstream call;
 * two users never share. With CXONE_VERIFY_TOKENS=false no claim reaches a budget or a label.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TOKENS, SEEDED, SIMULATOR_ISSUER, bulkContactId } from '../../src/simulator/index.js';
import { codesByPath, gql, type GraphQLResponse } from '../helpers/graphql.js';
import { scrape } from '../helpers/metrics.js';
import { startStack, type Stack } from '../helpers/stack.js';

const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const claimsOf = (token: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;

const IDS = [SEEDED.voice, SEEDED.chat];
const DIRECT = `{ recording(acdContactId: "${SEEDED.voice}") { acdContactId mediaUrl { url } } }`;
const THROUGH_GATEWAY = `{ contacts(first: 2) { acdContactId recording { acdContactId mediaUrl { url } } } }`;

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    crmIds: IDS,
    // A real budget, so a spent point would show; the tenant is pinned, so a token must match it.
    env: { CXONE_RATE_LIMIT: '150', CXONE_TENANT_ID: 'sim-tenant-0001' },
  });
});
afterAll(async () => {
  await stack.close();
});

/** No Media Playback call reached the simulator and no budget point was taken. */
async function expectNothingSpent(): Promise<void> {
  const api = ['contacts', 'segments', 'statements', 'token'] as const;
  expect(api.map((endpoint) => stack.simulator.count(endpoint))).toEqual([0, 0, 0, 0]);
  const metrics = await scrape(stack.app.url);
  expect(metrics.sum('cxone_upstream_calls_total')).toBe(0);
  // The gauge appears the first time a tenant spends; it must not exist at all.
  expect(metrics.text).not.toMatch(/^cxone_budget_remaining\{/m);
}

function expectRefused(response: GraphQLResponse<unknown>, path: string): void {
  expect(codesByPath(response)).toEqual(
    path === 'contacts' ? { 'contacts.0.recording': 'UNAUTHENTICATED', 'contacts.1.recording': 'UNAUTHENTICATED' } : { [path]: 'UNAUTHENTICATED' },
  );
}

describe('refused before anything else: UNAUTHENTICATED, zero upstream calls, zero budget', () => {
  it('a flood of unknown kids re-reads the key set once (bounded, single-flight)', async () => {
    // Runs first: the subgraph has not read the key set yet.
    stack.simulator.resetCalls();
    const forged = (): string =>
      `${b64({ alg: 'RS256', typ: 'JWT', kid: `unknown-${randomUUID()}` })}.${b64({ ...claimsOf(DEMO_TOKENS.full), jti: randomUUID() })}.c2ln`;
    const concurrent = await Promise.all(Array.from({ length: 40 }, () => gql(stack.app.url, DIRECT, { token: forged() })));
    for (const response of concurrent) expectRefused(response, 'recording');
    for (let i = 0; i < 20; i += 1) expectRefused(await gql(stack.app.url, DIRECT, { token: forged() }), 'recording');
    expect(stack.simulator.count('discovery')).toBe(1);
    expect(stack.simulator.count('jwks')).toBe(1);
    await expectNothingSpent();
  });

  const cases: Array<[string, () => Promise<string | null>]> = [
    ['no token', () => Promise.resolve(null)],
    [
      'a forged signature (the demo token with its claims changed)',
      () => {
        const [header, , signature] = DEMO_TOKENS.full.split('.');
        return Promise.resolve(`${header}.${b64({ ...claimsOf(DEMO_TOKENS.full), sub: 'user:someone-else' })}.${signature}`);
      },
    ],
    [
      'alg: none',
      () => Promise.resolve(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(claimsOf(DEMO_TOKENS.full))}.`),
    ],
    [
      'HS256 signed with the public key (algorithm confusion)',
      () => Promise.resolve(`${b64({ alg: 'HS256', typ: 'JWT', kid: 'sim-demo-key-2026' })}.${b64(claimsOf(DEMO_TOKENS.full))}.c2ln`),
    ],
    ['a wrong issuer', () => stack.simulator.mintToken({ claims: { iss: 'https://evil.example' } })],
    ['another tenant', () => stack.simulator.mintToken({ tenantId: 'victim-tenant' })],
    [
      'an expired token (past the leeway, on the injected clock)',
      async () => {
        const token = await stack.simulator.mintToken({ expiresInSeconds: 60 });
        stack.clock.advance(60_000 + 31_000);
        return token;
      },
    ],
    ['not a JWT', () => Promise.resolve('opaque-bearer-string')],
  ];

  it.each(cases)('%s: direct and through the gateway', async (_name, makeToken) => {
    const token = await makeToken();
    stack.simulator.resetCalls();
    expectRefused(await gql(stack.app.url, DIRECT, { token }), 'recording');
    expectRefused(await gql(stack.gateway!.url, THROUGH_GATEWAY, { token }), 'contacts');
    // Fields that need no upstream call refuse too.
    const statement = await gql(stack.app.url, `{ statement(acdContactId: "${SEEDED.voice}", statementId: "5001") { playerUrl } }`, { token });
    expectRefused(statement, 'statement');
    expect(stack.simulator.count('jwks')).toBe(0);
    await expectNothingSpent();
  });

  it('an expired token says so', async () => {
    const token = await stack.simulator.mintToken({ expiresInSeconds: 10 });
    stack.clock.advance(10_000 + 31_000);
    const response = await gql(stack.app.url, DIRECT, { token });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'expired' });
  });

  it('a token accepted once (and remembered) is refused once it expires', async () => {
    const token = await stack.simulator.mintToken({ expiresInSeconds: 120, sub: 'user:remembered' });
    const statement = `{ statement(acdContactId: "${SEEDED.voice}", statementId: "5001") { playerUrl } }`;
    expect((await gql(stack.app.url, statement, { token })).errors).toBeUndefined();
    expect((await gql(stack.app.url, statement, { token })).errors).toBeUndefined();
    stack.clock.advance(120_000 + 31_000);
    const response = await gql(stack.app.url, statement, { token });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'expired' });
  });

  it('a token within the leeway past exp is accepted (the clock skew allowance)', async () => {
    const token = await stack.simulator.mintToken({ expiresInSeconds: 10, sub: 'user:skewed' });
    // 20 s past exp, inside the 30 s leeway: verification accepts it. Checked on a field with no
    // upstream call, since the simulator (like CXone) itself allows no skew.
    stack.clock.advance(10_000 + 20_000);
    const response = await gql(stack.app.url, `{ statement(acdContactId: "${SEEDED.voice}", statementId: "5001") { playerUrl } }`, { token });
    expect(response.errors).toBeUndefined();
  });
});

describe('cache scope: the verified user', () => {
  it('one user with two tokens (a refresh): one upstream call', async () => {
    const id = bulkContactId(901);
    const first = await stack.simulator.mintToken({ sub: 'user:carol' });
    const refreshed = await stack.simulator.mintToken({ sub: 'user:carol' });
    expect(refreshed).not.toBe(first);
    const query = `{ recording(acdContactId: "${id}") { acdContactId mediaUrl { url } } }`;
    const a = await gql(stack.app.url, query, { token: first });
    const b = await gql(stack.gateway!.url, `{ contacts(first: 2) { acdContactId } }`, { token: refreshed });
    const c = await gql(stack.app.url, query, { token: refreshed });
    for (const response of [a, b, c]) expect(response.errors).toBeUndefined();
    expect(c.data).toEqual(a.data);
    expect(stack.simulator.count('contacts', id)).toBe(1);
  });

  it('two users: two upstream calls, never each other\'s answer', async () => {
    const id = bulkContactId(902);
    const query = `{ recording(acdContactId: "${id}") { acdContactId } }`;
    for (const sub of ['user:dave', 'user:erin']) {
      const response = await gql(stack.app.url, query, { token: await stack.simulator.mintToken({ sub }) });
      expect(response.errors).toBeUndefined();
    }
    expect(stack.simulator.count('contacts', id)).toBe(2);
  });

  it('the budget is the verified tenant\'s', async () => {
    const metrics = await scrape(stack.app.url);
    expect(metrics.value('cxone_budget_remaining', { tenant: 'sim-tenant-0001' })).toBeLessThan(150);
    expect(metrics.text).not.toContain('victim-tenant');
  });
});

describe('key rotation', () => {
  let rotating: Stack;
  beforeAll(async () => {
    // No cooldown here, so the re-read after the rotation happens without waiting 30 s of real
    // time; the flood test above runs with jose's default cooldown.
    rotating = await startStack({ jwksCooldownMs: 0 });
  });
  afterAll(async () => {
    await rotating.close();
  });

  it('an unknown kid is refused until the issuer publishes it, then accepted without a restart', async () => {
    const query = `{ recording(acdContactId: "${SEEDED.email}", mediaType: EMAIL) { acdContactId } }`;
    expect((await gql(rotating.app.url, query)).errors).toBeUndefined();
    const fromNextKey = await rotating.simulator.mintToken({ unpublishedKey: true, sub: 'user:frank' });
    rotating.simulator.resetCalls();
    expect(codesByPath(await gql(rotating.app.url, query, { token: fromNextKey }))).toEqual({ recording: 'UNAUTHENTICATED' });
    expect(rotating.simulator.count('jwks')).toBe(1);
    expect(rotating.simulator.count('contacts')).toBe(0);

    await rotating.simulator.rotateKeys();
    const accepted = await gql(rotating.app.url, query, { token: fromNextKey });
    expect(accepted.errors).toBeUndefined();
    expect(rotating.simulator.count('jwks')).toBe(2);
    // Tokens signed by the old key still verify (it stays published).
    expect((await gql(rotating.app.url, query)).errors).toBeUndefined();
    expect(rotating.simulator.count('jwks')).toBe(2);
  });
});

describe('CXONE_VERIFY_TOKENS=false: opaque tokens, no claim trusted', () => {
  let opaque: Stack;
  beforeAll(async () => {
    opaque = await startStack({ env: { CXONE_VERIFY_TOKENS: 'false', CXONE_RATE_LIMIT: '150', CXONE_TENANT_ID: 'configured-tenant' } });
  });
  afterAll(async () => {
    await opaque.close();
  });

  it('passes tokens through to CXone, keys the budget by the configured tenant, never by a claim', async () => {
    const unsigned = `${b64({ alg: 'none' })}.${b64({ tenantId: 'victim-tenant', sub: 'x', iss: SIMULATOR_ISSUER })}.`;
    const refused = await gql(opaque.app.url, DIRECT, { token: unsigned });
    // CXone itself refuses it (401); the subgraph did not verify.
    expect(codesByPath(refused)).toEqual({ recording: 'UNAUTHENTICATED' });
    expect(opaque.simulator.count('contacts')).toBe(1);
    expect(opaque.simulator.count('jwks')).toBe(0);
    expect((await gql(opaque.app.url, DIRECT)).errors).toBeUndefined();
    const metrics = await scrape(opaque.app.url);
    expect(metrics.text).not.toContain('victim-tenant');
    expect(metrics.value('cxone_budget_remaining', { tenant: 'configured-tenant' })).toBeDefined();
  });
});

describe('CXONE_TOKEN_ISSUER: an operator-fixed `iss`', () => {
  let fixed: Stack;
  beforeAll(async () => {
    fixed = await startStack({ env: { CXONE_TOKEN_ISSUER: 'https://tokens.cxone.example' } });
  });
  afterAll(async () => {
    await fixed.close();
  });

  it('requires that issuer instead of the discovery document\'s, with the same key set', async () => {
    expect(codesByPath(await gql(fixed.app.url, DIRECT))).toEqual({ recording: 'UNAUTHENTICATED' });
    const token = await fixed.simulator.mintToken({ claims: { iss: 'https://tokens.cxone.example' } });
    expect((await gql(fixed.app.url, DIRECT, { token })).errors).toBeUndefined();
  });
});
