/**
 * Nothing secret leaks. Four subgraphs on one simulator (forward mode with a real issued token,
 * access-key mode, access-key mode with a wrong secret, access-key mode verifying callers' JWTs)
 * log at trace level into a buffer through
 * the production logger; a run with successes, every upstream failure, injected faults, token
 * expiry, bad input, bad bodies, wrong router secrets and refused caller tokens (forged, unsigned,
 * unknown key, expired, wrong audience) is captured (logs, every response, every /metrics page) and
 * grepped for the tokens, the secrets, any media URL signature, the signing keys' private members
 * and the callers' claims.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { DEMO_SIGNING_KEY, DEMO_TOKENS, SEEDED, type SimulatorCredentials } from '../../src/simulator/index.js';
import { gql } from '../helpers/graphql.js';
import { bulkIds, startStack, type Stack } from '../helpers/stack.js';

const unique = randomUUID().replaceAll('-', '');
const credentials: SimulatorCredentials = {
  clientId: 'leak-client',
  clientSecret: `leak-client-secret-${unique}`,
  accessKeyId: 'LEAKACCESSKEY01',
  // '+', '/' and '=' as in real keys, so a missed URL-encoding would show up as a different string.
  accessKeySecret: `leak-key-secret-${unique}+/x==`,
};
const wrongAccessKeySecret = `wrong-key-secret-${unique}`;
const routerSecret = `router-secret-${unique}`;
const wrongRouterSecret = `wrong-router-secret-${unique}`;
const badToken = `not-a-token-${unique}`;
// Claims that must never be echoed: subjects, a tenant and an e-mail, each unique to this run.
const claimMarkers = {
  sub: `user:leak-sub-${unique}`,
  callerSub: `caller:leak-caller-${unique}`,
  tenantId: `leak-tenant-${unique}`,
  email: `leak-${unique}@example.com`,
};
const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

const lines: string[] = [];
const captureLogger = createLogger({ level: 'trace', destination: { write: (line: string) => void lines.push(line) } });

const responses: string[] = [];
const errorTexts: string[] = [];
const dataTexts: string[] = [];
const metricsPages: string[] = [];

let forward: Stack;
let accessKey: Stack;
let refused: Stack;
let callers: Stack;
let forwardToken: string;
let refreshToken: string;

const routed = { 'x-router-secret': routerSecret };

async function issueToken(simulatorUrl: string): Promise<{ access_token: string; refresh_token: string }> {
  const response = await fetch(`${simulatorUrl}/auth/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'password', username: credentials.accessKeyId, password: credentials.accessKeySecret }).toString(),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { access_token: string; refresh_token: string };
}

/** A GraphQL call whose whole answer is kept for the grep. */
async function run(stack: Stack, query: string, token: string | null, headers: Record<string, string> = routed): Promise<void> {
  const response = await gql(stack.app.url, query, { token, headers });
  responses.push(JSON.stringify(response));
  if (response.errors !== undefined) errorTexts.push(JSON.stringify(response.errors));
  if (response.data !== undefined) dataTexts.push(JSON.stringify(response.data));
}

async function rawPost(stack: Stack, body: string, headers: Record<string, string>): Promise<void> {
  const response = await fetch(stack.app.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${forwardToken}`, ...headers },
    body,
  });
  const text = await response.text();
  responses.push(text);
  errorTexts.push(text);
}

const FULL = (id: string): string => `{ recording(acdContactId: "${id}") {
  acdContactId mediaUrl { url expiresAt } screenUrl { url }
  segments { segmentId mediaUrl { url expiresAt } }
  statement(statementId: "5001") { mediaUrl { url } }
} }`;

async function workload(stack: Stack, token: string | null): Promise<void> {
  for (const id of [SEEDED.voice, SEEDED.voiceAndScreen, SEEDED.chat, SEEDED.transferred, SEEDED.preCutoff, SEEDED.serverError, SEEDED.timeout, SEEDED.processing, '199999999999']) {
    await run(stack, FULL(id), token);
  }
  await run(stack, `{ segment(segmentId: "${SEEDED.archivedSegment}") { mediaUrl { url } } }`, token);
  await run(stack, `{ statement(acdContactId: "${SEEDED.voice}", statementId: "5002") { mediaUrl { url } } }`, token);
  await run(stack, '{ recording(acdContactId: "12ab") { acdContactId } }', token);
  await Promise.all([1, 2, 3].map(() => run(stack, `{ recording(acdContactId: "${SEEDED.locked}", mediaType: VOICE_ONLY) { mediaUrl { url } } }`, token)));
  // Every injected fault, on contacts nobody asked for yet.
  stack.simulator.configure({
    faults: {
      seed: 7,
      rates: { 500: 0.1, 502: 0.1, 503: 0.1, 429: 0.1, 202: 0.05, 425: 0.05 },
      dropRate: 0.1,
      malformedJsonRate: 0.1,
      wrongContentTypeRate: 0.1,
    },
  });
  try {
    const ids = bulkIds(30, 1 + Math.floor(Math.random() * 9000));
    await run(stack, `{ recordings(acdContactIds: [${ids.map((id) => `"${id}"`).join(',')}]) { acdContactId mediaUrl { url } } }`, token);
  } finally {
    stack.simulator.configure({ faults: null });
  }
  await rawPost(stack, JSON.stringify({ query: '{ __typename }', padding: 'x'.repeat(2 * 1024 * 1024) }), routed);
  await rawPost(stack, '{"query": ', routed);
  await rawPost(stack, JSON.stringify({ query: '{ __typename }' }), { 'x-router-secret': wrongRouterSecret });
  await rawPost(stack, JSON.stringify({ query: '{ __typename }' }), {});
  metricsPages.push(await (await fetch(stack.app.url.replace('/graphql', '/metrics'))).text());
}

beforeAll(async () => {
  const env = { ROUTER_SECRET: routerSecret, CXONE_TIMEOUT_MS: '1000' };
  forward = await startStack({
    simulator: { credentials, accessTokenTtlSeconds: 3600, processingPolls: 100, lockHoldMs: 50 },
    env,
    logger: captureLogger,
  });
  const accessKeyEnv = {
    ...env,
    CXONE_AUTH: 'access-key',
    CXONE_ACCESS_KEY_ID: credentials.accessKeyId,
    CXONE_CLIENT_ID: credentials.clientId,
    CXONE_CLIENT_SECRET: credentials.clientSecret,
  };
  accessKey = await startStack({
    sharedSimulator: forward.simulator,
    clock: forward.clock,
    env: { ...accessKeyEnv, CXONE_ACCESS_KEY_SECRET: credentials.accessKeySecret },
    logger: captureLogger,
  });
  refused = await startStack({
    sharedSimulator: forward.simulator,
    clock: forward.clock,
    env: { ...accessKeyEnv, CXONE_ACCESS_KEY_SECRET: wrongAccessKeySecret },
    logger: captureLogger,
  });
  callers = await startStack({
    sharedSimulator: forward.simulator,
    clock: forward.clock,
    env: {
      ...accessKeyEnv,
      CXONE_ACCESS_KEY_SECRET: credentials.accessKeySecret,
      CALLER_JWT_ISSUER: forward.simulator.idpIssuer,
      CALLER_JWT_AUDIENCE: 'crm-graph',
    },
    logger: captureLogger,
  });
  const issued = await issueToken(forward.simulator.url);
  forwardToken = issued.access_token;
  refreshToken = issued.refresh_token;
}, 60_000);

afterAll(async () => {
  await callers.close();
  await refused.close();
  await accessKey.close();
  await forward.close();
});

describe('no token, secret or signature in logs, errors or metrics', () => {
  it('runs successes and failures in every mode, then greps everything captured', async () => {
    await workload(forward, forwardToken);
    await run(forward, FULL(SEEDED.email), badToken);
    await run(forward, FULL(SEEDED.email), DEMO_TOKENS.noPlayback);
    await run(forward, FULL(SEEDED.email), null);
    await workload(accessKey, null);
    await workload(refused, null);
    // Refused and accepted caller tokens, each carrying claims that must not be echoed.
    const sim = forward.simulator;
    const marked = { email: claimMarkers.email };
    const refusedForward = [
      `${b64({ alg: 'none' })}.${b64({ sub: claimMarkers.sub, tenantId: claimMarkers.tenantId, ...marked })}.`,
      await sim.mintToken({ sub: claimMarkers.sub, unpublishedKey: true, claims: marked }),
      await sim.mintToken({ sub: claimMarkers.sub, claims: { ...marked, iss: `https://evil-${unique}.example` } }),
      `${DEMO_TOKENS.full.split('.')[0]}.${b64({ sub: claimMarkers.sub, tenantId: claimMarkers.tenantId, ...marked })}.${DEMO_TOKENS.full.split('.')[2]}`,
    ];
    for (const token of refusedForward) await run(forward, FULL(SEEDED.voice), token);
    const forwardUser = await sim.mintToken({ sub: claimMarkers.sub, claims: marked });
    await run(forward, FULL(SEEDED.voice), forwardUser);
    const callerToken = await sim.mintToken({ issuer: 'idp', sub: claimMarkers.callerSub, aud: 'crm-graph', scope: 'recordings:read', claims: marked });
    await workload(callers, callerToken);
    await run(callers, FULL(SEEDED.voice), null);
    await run(callers, FULL(SEEDED.voice), await sim.mintToken({ issuer: 'idp', sub: claimMarkers.callerSub, aud: 'elsewhere', claims: marked }));
    const shortLived = await sim.mintToken({ issuer: 'idp', sub: claimMarkers.callerSub, aud: 'crm-graph', expiresInSeconds: 1, claims: marked });
    // Both the forwarded token and the service's own expire: 401s, a re-authentication.
    forward.clock.advance(2 * 3600 * 1000);
    await run(callers, FULL(SEEDED.voice), shortLived);
    await run(forward, FULL(SEEDED.longCall), forwardToken);
    await run(accessKey, FULL(SEEDED.longCall), null);
    for (const stack of [forward, accessKey, refused, callers]) {
      metricsPages.push(await (await fetch(stack.app.url.replace('/graphql', '/metrics'))).text());
    }

    // The run was real: links were served, failures and faults were met and logged.
    const logs = lines.join('');
    const data = dataTexts.join('\n');
    expect(data).toMatch(/[?&]Signature=/);
    expect(data).toMatch(/X-Amz-Signature=/);
    expect(lines.length).toBeGreaterThan(100);
    expect(logs).toContain('CXone call');
    const errors = errorTexts.join('\n');
    for (const code of ['RECORDING_NOT_FOUND', 'UPSTREAM_UNAVAILABLE', 'UPSTREAM_TIMEOUT', 'RECORDING_PROCESSING', 'UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'PAYLOAD_TOO_LARGE']) {
      expect(errors, code).toContain(code);
    }
    expect(forward.simulator.calls().some((call) => call.fault !== undefined)).toBe(true);
    expect(forward.simulator.count('token')).toBeGreaterThan(2);

    const signatures = [...data.matchAll(/(?:X-Amz-)?Signature=([^&"\s\\]+)/g)].map((match) => match[1] ?? '');
    expect(signatures.length).toBeGreaterThan(5);
    const secrets = [
      forwardToken,
      refreshToken,
      badToken,
      credentials.accessKeySecret,
      encodeURIComponent(credentials.accessKeySecret),
      credentials.clientSecret,
      wrongAccessKeySecret,
      routerSecret,
      wrongRouterSecret,
      forwardUser,
      callerToken,
      shortLived,
      ...refusedForward,
      ...Object.values(claimMarkers),
      // The signing key's private members (the demo key is public by design, but it is the one
      // key whose private parts the test can know; any key handling bug would show with it).
      ...(['d', 'p', 'q', 'dp', 'dq', 'qi'] as const).map((member) => String(DEMO_SIGNING_KEY[member])),
    ];
    const places = { logs, errors, metrics: metricsPages.join('\n') };
    for (const [where, text] of Object.entries(places)) {
      for (const secret of secrets) expect(text.includes(secret), `${where} contain a secret`).toBe(false);
      for (const signature of signatures) expect(text.includes(signature), `${where} contain a signature`).toBe(false);
      expect(text, where).not.toMatch(/Signature=/i);
      // Any JWT (the service's own access tokens, which the test never sees) or refresh token.
      expect(text, where).not.toMatch(/eyJ[\w-]{10,}\.[\w-]{10,}/);
      expect(text, where).not.toContain('sim-refresh-');
    }
    // Tokens and secrets never reach a response either, data included (signed links do, by design).
    const everything = responses.join('\n');
    for (const secret of secrets) expect(everything.includes(secret)).toBe(false);
  });
});
