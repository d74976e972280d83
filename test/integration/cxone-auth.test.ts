/**
 * Auth against a fake CXone issuer on port 0: forward mode, OpenID discovery, the password grant
 * (Basic client credentials, URL-encoded secret), refresh before expiry on a ManualClock (time is
 * moved, never slept), single-flight token calls, and no secret in any error or log line.
 */
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { AccessKeyAuth, ForwardAuth } from '../../src/cxone/auth.js';
import { CxoneError } from '../../src/cxone/errors.js';
import { UndiciTransport } from '../../src/cxone/http.js';
import { FakeCxone, type Reply, type ReplySpec } from '../helpers/fake-cxone.js';
import { everyTextOf, rejectionOf } from '../helpers/cxone-harness.js';

const ACCESS_KEY_ID = 'AKIA-ID-123';
/** Real access key secrets end in `=` and contain `+` and `/`. */
const ACCESS_KEY_SECRET = 'aB3+x/Yz9==';
const CLIENT_ID = 'client-abc';
const CLIENT_SECRET = 'client-SECRET-42';
const DISCOVERY = '/.well-known/openid-configuration';
const TOKEN_PATH = '/auth/token';
const SECRETS = [ACCESS_KEY_SECRET, encodeURIComponent(ACCESS_KEY_SECRET), CLIENT_SECRET, 'tok-SECRET', 'refresh-SECRET'];

const caller = { mode: 'access-key' } as const;

let fake: FakeCxone;
let transport: UndiciTransport;
let clock: ManualClock;
let logs: string[];

beforeEach(async () => {
  fake = await FakeCxone.start();
  transport = new UndiciTransport({ attemptTimeoutMs: 2_000 });
  clock = new ManualClock();
  logs = [];
});

afterEach(async () => {
  try {
    fake.assertDone();
    const text = logs.join('\n');
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  } finally {
    await transport.close();
    await fake.close();
  }
});

function makeAuth(overrides: { issuerUrl?: string } = {}): AccessKeyAuth {
  return new AccessKeyAuth({
    issuerUrl: overrides.issuerUrl ?? `${fake.url}/`,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    accessKeyId: ACCESS_KEY_ID,
    accessKeySecret: ACCESS_KEY_SECRET,
    clock,
    transport,
    logger: pino({ level: 'debug' }, { write: (line: string) => void logs.push(line) }),
  });
}

function discovery(): Reply {
  return (_request, server) => ({ status: 200, json: { issuer: server.url, token_endpoint: `${server.url}${TOKEN_PATH}` } });
}

function tokenReply(accessToken: string, delayMs = 0): ReplySpec {
  return {
    status: 200,
    json: { access_token: accessToken, token_type: 'Bearer', expires_in: 3600, refresh_token: `refresh-SECRET-${accessToken}` },
    delayMs,
  };
}

function grants(): URLSearchParams[] {
  return fake.calls('POST', TOKEN_PATH).map((request) => new URLSearchParams(request.body));
}

function leakFree(error: unknown): CxoneError {
  expect(error).toBeInstanceOf(CxoneError);
  if (!(error instanceof CxoneError)) throw new Error('not a CxoneError');
  const text = everyTextOf(error);
  for (const secret of SECRETS) expect(text).not.toContain(secret);
  return error;
}

describe('ForwardAuth', () => {
  it("returns the caller's token and never re-authenticates", async () => {
    const auth = new ForwardAuth();
    await expect(auth.tokenFor({ mode: 'forward', token: 'opaque-token' })).resolves.toBe('opaque-token');
    await expect(auth.invalidate({ mode: 'forward', token: 'opaque-token' }, 'opaque-token')).resolves.toBe(false);
  });

  it.each([null, '', '  \t'])('a missing or blank token (%j) is no-credentials', async (token) => {
    const error = leakFree(await rejectionOf(new ForwardAuth().tokenFor({ mode: 'forward', token })));
    expect(error).toMatchObject({ kind: 'no-credentials', resource: { kind: 'auth' } });
  });
});

describe('AccessKeyAuth', () => {
  it('discovers the token endpoint and signs in with the password grant', async () => {
    fake.on('GET', DISCOVERY, discovery());
    fake.on('POST', TOKEN_PATH, tokenReply('tok-SECRET-1'));
    const auth = makeAuth();

    await expect(auth.tokenFor(caller)).resolves.toBe('tok-SECRET-1');

    const [request] = fake.calls('POST', TOKEN_PATH);
    expect(request?.headers['authorization']).toBe(`Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`);
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    // Encoded on the wire: `+` `/` `=` would otherwise turn into a space, a path or a new field.
    expect(request?.body).toBe(`grant_type=password&username=${ACCESS_KEY_ID}&password=aB3%2Bx%2FYz9%3D%3D`);
    expect(Object.fromEntries(grants()[0] ?? [])).toEqual({
      grant_type: 'password',
      username: ACCESS_KEY_ID,
      password: ACCESS_KEY_SECRET,
    });
    expect(fake.calls('GET', DISCOVERY)[0]?.headers['accept']).toBe('application/json');
  });

  it('reuses the token until shortly before it expires, then refreshes it', async () => {
    fake.on('GET', DISCOVERY, discovery());
    fake.on('POST', TOKEN_PATH, tokenReply('tok-SECRET-1'), tokenReply('tok-SECRET-2'));
    const auth = makeAuth();

    expect(await auth.tokenFor(caller)).toBe('tok-SECRET-1');
    clock.advance((3600 - 61) * 1000);
    expect(await auth.tokenFor(caller)).toBe('tok-SECRET-1');
    expect(fake.calls('POST', TOKEN_PATH)).toHaveLength(1);

    clock.advance(2_000); // now 59 s before expiry: inside the 60 s margin
    expect(await auth.tokenFor(caller)).toBe('tok-SECRET-2');

    expect(grants().map((grant) => Object.fromEntries(grant))).toEqual([
      { grant_type: 'password', username: ACCESS_KEY_ID, password: ACCESS_KEY_SECRET },
      // client_id is required in the spec's tokenRefreshRequest, Basic auth or not.
      { grant_type: 'refresh_token', refresh_token: 'refresh-SECRET-tok-SECRET-1', client_id: CLIENT_ID },
    ]);
    expect(fake.calls('GET', DISCOVERY)).toHaveLength(1);
  });

  it('falls back to the password grant when the refresh is refused', async () => {
    fake.on('GET', DISCOVERY, discovery());
    fake.on(
      'POST',
      TOKEN_PATH,
      tokenReply('tok-SECRET-1'),
      { status: 400, json: { error: 'invalid_grant', error_description: 'refresh-SECRET expired' } },
      tokenReply('tok-SECRET-3'),
    );
    const auth = makeAuth();

    await auth.tokenFor(caller);
    clock.advance(3600 * 1000);
    expect(await auth.tokenFor(caller)).toBe('tok-SECRET-3');

    expect(grants().map((grant) => grant.get('grant_type'))).toEqual(['password', 'refresh_token', 'password']);
  });

  it('20 concurrent callers share one discovery and one token call', async () => {
    fake.on('GET', DISCOVERY, discovery());
    fake.on('POST', TOKEN_PATH, tokenReply('tok-SECRET-1', 30));
    const auth = makeAuth();

    const tokens = await Promise.all(Array.from({ length: 20 }, () => auth.tokenFor(caller)));

    expect(new Set(tokens)).toEqual(new Set(['tok-SECRET-1']));
    expect(fake.calls('GET', DISCOVERY)).toHaveLength(1);
    expect(fake.calls('POST', TOKEN_PATH)).toHaveLength(1);
  });

  it('concurrent refreshes near expiry also share one token call', async () => {
    fake.on('GET', DISCOVERY, discovery());
    fake.on('POST', TOKEN_PATH, tokenReply('tok-SECRET-1'), tokenReply('tok-SECRET-2', 20));
    const auth = makeAuth();
    await auth.tokenFor(caller);
    clock.advance(3590 * 1000);

    const tokens = await Promise.all(Array.from({ length: 20 }, () => auth.tokenFor(caller)));

    expect(new Set(tokens)).toEqual(new Set(['tok-SECRET-2']));
    expect(fake.calls('POST', TOKEN_PATH)).toHaveLength(2);
  });

  it('invalidate drops the token so the next call signs in again; a stale token is left alone', async () => {
    fake.on('GET', DISCOVERY, discovery());
    fake.on('POST', TOKEN_PATH, tokenReply('tok-SECRET-1'), tokenReply('tok-SECRET-2'));
    const auth = makeAuth();

    const first = await auth.tokenFor(caller);
    await expect(auth.invalidate(caller, first)).resolves.toBe(true);
    expect(await auth.tokenFor(caller)).toBe('tok-SECRET-2');
    // A 401 for a token already replaced does not throw away the new one.
    await expect(auth.invalidate(caller, first)).resolves.toBe(true);
    expect(await auth.tokenFor(caller)).toBe('tok-SECRET-2');

    expect(grants().map((grant) => grant.get('grant_type'))).toEqual(['password', 'password']);
  });

  it.each([401, 403])('a %i from the token endpoint is kind http with that status, without secrets', async (status) => {
    fake.on('GET', DISCOVERY, discovery());
    fake.on('POST', TOKEN_PATH, {
      status,
      json: { error: 'invalid_client', error_description: `bad secret ${ACCESS_KEY_SECRET}` },
    });
    const auth = makeAuth();

    const error = leakFree(await rejectionOf(auth.tokenFor(caller)));

    expect(error).toMatchObject({
      kind: 'http',
      status,
      internalCode: 'invalid_client',
      resource: { kind: 'auth' },
      request: { method: 'POST', endpoint: 'token', path: TOKEN_PATH },
    });
  });

  it('a failed sign-in is not remembered: the next call tries again', async () => {
    fake.on('GET', DISCOVERY, { status: 503 }, discovery());
    fake.on('POST', TOKEN_PATH, tokenReply('tok-SECRET-1'));
    const auth = makeAuth();

    expect(leakFree(await rejectionOf(auth.tokenFor(caller)))).toMatchObject({ kind: 'http', status: 503, request: { endpoint: 'discovery' } });
    expect(await auth.tokenFor(caller)).toBe('tok-SECRET-1');
  });

  it('an unreadable token answer is invalid-response and does not echo it', async () => {
    fake.on('GET', DISCOVERY, discovery());
    fake.on('POST', TOKEN_PATH, { status: 200, text: 'tok-SECRET-raw not json' }, { status: 200, json: { token_type: 'Bearer' } });
    const auth = makeAuth();

    expect(leakFree(await rejectionOf(auth.tokenFor(caller))).kind).toBe('invalid-response');
    expect(leakFree(await rejectionOf(auth.tokenFor(caller))).kind).toBe('invalid-response');
  });

  it('an unreachable issuer is kind network', async () => {
    const auth = makeAuth({ issuerUrl: 'http://127.0.0.1:1' });
    expect(leakFree(await rejectionOf(auth.tokenFor(caller)))).toMatchObject({ kind: 'network', resource: { kind: 'auth' } });
  });
});

describe('AccessKeyAuth as NICE publishes it', () => {
  function postOnlyDiscovery(methods: readonly string[]): Reply {
    return (_request, server) => ({
      status: 200,
      json: { issuer: server.url, token_endpoint: `${server.url}${TOKEN_PATH}`, token_endpoint_auth_methods_supported: methods },
    });
  }

  it('client_secret_post when discovery lists only that method: the client pair in the form, no Authorization header', async () => {
    fake.on('GET', DISCOVERY, postOnlyDiscovery(['client_secret_post']));
    fake.on('POST', TOKEN_PATH, tokenReply('tok-SECRET-1'));
    await expect(makeAuth().tokenFor(caller)).resolves.toBe('tok-SECRET-1');
    const [request] = fake.calls('POST', TOKEN_PATH);
    expect(request?.headers['authorization']).toBeUndefined();
    expect(Object.fromEntries(grants()[0] ?? [])).toEqual({
      grant_type: 'password',
      username: ACCESS_KEY_ID,
      password: ACCESS_KEY_SECRET,
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
  });

  it('Basic when discovery lists both methods', async () => {
    fake.on('GET', DISCOVERY, postOnlyDiscovery(['client_secret_basic', 'client_secret_post']));
    fake.on('POST', TOKEN_PATH, tokenReply('tok-SECRET-1'));
    await makeAuth().tokenFor(caller);
    expect(fake.calls('POST', TOKEN_PATH)[0]?.headers['authorization']).toMatch(/^Basic /);
    expect(grants()[0]?.has('client_secret')).toBe(false);
  });

  it('the access-key session refresh answer {token, tokenExpirationTimeSec, refreshToken} is read: one login, then refreshes', async () => {
    const login = { status: 200, json: { access_token: 'tok-SECRET-1', token_type: 'Bearer', expires_in: 3600, refresh_token: 'refresh-SECRET-1' } };
    // tokenExpirationTimeSec once as a lifetime, once as the epoch second it lapses: both are read.
    const refreshed = (n: number, expiry: (now: number) => number): Reply => () => ({
      status: 200,
      json: { token: `tok-SECRET-${String(n)}`, tokenExpirationTimeSec: expiry(clock.now()), refreshToken: `refresh-SECRET-${String(n)}`, refreshTokenExpirationTimeSec: 43_200 },
    });
    fake.on('POST', '/authentication/v1/token/access-key', login);
    fake.on('POST', '/public/user/refresh', refreshed(2, () => 3600), refreshed(3, (now) => Math.floor(now / 1000) + 3600));
    const auth = new AccessKeyAuth({
      issuerUrl: fake.url,
      login: 'access-key',
      accessKeyId: ACCESS_KEY_ID,
      accessKeySecret: ACCESS_KEY_SECRET,
      clock,
      transport,
      logger: pino({ level: 'debug' }, { write: (line: string) => void logs.push(line) }),
    });
    expect(await auth.tokenFor(caller)).toBe('tok-SECRET-1');
    clock.advance(3600_000 - 30_000);
    expect(await auth.tokenFor(caller)).toBe('tok-SECRET-2');
    clock.advance(3600_000 - 30_000);
    expect(await auth.tokenFor(caller)).toBe('tok-SECRET-3');
    // Still good 30 min later: the epoch form was not taken for a 50-year lifetime nor for "expired".
    clock.advance(1800_000);
    expect(await auth.tokenFor(caller)).toBe('tok-SECRET-3');
    expect(fake.calls('POST', '/authentication/v1/token/access-key')).toHaveLength(1);
    expect(fake.calls('POST', '/public/user/refresh').map((request) => JSON.parse(request.body) as unknown)).toEqual([
      { token: 'refresh-SECRET-1' },
      { token: 'refresh-SECRET-2' },
    ]);
  });
});
