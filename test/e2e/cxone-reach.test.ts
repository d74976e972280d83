/**
 * Reaching a real tenant: the access-key login without an app registration (JSON to
 * /authentication/v1/token/access-key, refreshed at /public/user/refresh), tenant discovery when
 * only CXONE_TENANT_ID is given, and player links from the discovered UI host. Over real HTTP
 * against the simulator, which serves every endpoint involved.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { startApp } from '../../src/app.js';
import { DEFAULT_SIM_CREDENTIALS, DEFAULT_TENANT_ID, SEEDED, SIMULATOR_VARIANTS, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { configProblems } from '../helpers/config.js';
import { codesByPath, gql } from '../helpers/graphql.js';
import { accessKeyLoginEnv, startStack, type Stack } from '../helpers/stack.js';

const LOGIN_PATH = '/authentication/v1/token/access-key';
const REFRESH_PATH = '/public/user/refresh';

/** The simulator's token calls, by path. */
function tokenPaths(simulator: RunningSimulator): string[] {
  return simulator.calls().filter((call) => call.endpoint === 'token').map((call) => call.path);
}

describe.each(SIMULATOR_VARIANTS)('access-key login without an app registration (%s simulator)', (variant) => {
  let simulator: RunningSimulator;
  let stack: Stack;
  const clock = new ManualClock();

  beforeAll(async () => {
    simulator = await startSimulator({ clock, variant, accessTokenTtlSeconds: 3600 });
    stack = await startStack({
      clock,
      sharedSimulator: simulator,
      // No client id or secret: the login is inferred as `access-key`.
      env: accessKeyLoginEnv(simulator.url),
    });
  });
  afterAll(async () => {
    await stack.close();
    await simulator.close();
  });

  it('logs in once with JSON {accessKeyId, accessKeySecret}, no OpenID discovery, for concurrent requests', async () => {
    const responses = await Promise.all(
      [SEEDED.voice, SEEDED.chat, SEEDED.longCall].map((id) =>
        gql(stack.app.url, `{ recording(acdContactId: "${id}") { acdContactId } }`, { token: null }),
      ),
    );
    for (const response of responses) expect(response.errors).toBeUndefined();
    expect(tokenPaths(simulator)).toEqual([LOGIN_PATH]);
    expect(simulator.count('discovery')).toBe(0);
    expect(simulator.calls().filter((call) => call.endpoint === 'contacts').every((call) => call.authorized)).toBe(true);
  });

  it('refreshes with the refresh token before expiry, then pages the report with the service token', async () => {
    simulator.resetCalls();
    clock.advance(3600_000 - 30_000);
    const response = await gql<{ completedContacts: { totalCount: number } }>(
      stack.app.url,
      '{ completedContacts(from: "2024-03-01T00:00:00Z", to: "2024-03-02T00:00:00Z", first: 5) { totalCount } }',
      { token: null },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?.completedContacts.totalCount).toBeGreaterThan(0);
    expect(tokenPaths(simulator)).toEqual([REFRESH_PATH]);
    expect(simulator.calls().find((call) => call.endpoint === 'completed-contacts')?.authorized).toBe(true);
  });

  it('a rejected token (simulator reset) means one new login, not a refresh of the rejected session', async () => {
    simulator.reset();
    const response = await gql(stack.app.url, `{ recording(acdContactId: "${SEEDED.transferred}") { acdContactId } }`, { token: null });
    expect(codesByPath(response)).toEqual({});
    expect(tokenPaths(simulator)).toEqual([LOGIN_PATH]);
    expect(simulator.count('contacts', SEEDED.transferred)).toBe(2);
  });

  it('a wrong secret is an operator problem: UPSTREAM_UNAVAILABLE, the secret nowhere in the answer', async () => {
    const wrong = await startStack({
      sharedSimulator: simulator,
      env: {
        CXONE_AUTH: 'access-key',
        CXONE_ACCESS_KEY_ID: DEFAULT_SIM_CREDENTIALS.accessKeyId,
        CXONE_ACCESS_KEY_SECRET: 'not-the-secret+/==',
        CXONE_AUTH_URL: simulator.url,
      },
    });
    try {
      simulator.resetCalls();
      const response = await gql(wrong.app.url, `{ recording(acdContactId: "${SEEDED.voice}") { acdContactId } }`, { token: null });
      expect(codesByPath(response)).toEqual({ recording: 'UPSTREAM_UNAVAILABLE' });
      expect(JSON.stringify(response)).not.toContain('not-the-secret');
      expect(simulator.count('contacts')).toBe(0);
    } finally {
      await wrong.close();
    }
  });
});

describe('tenant discovery (CXONE_TENANT_ID without CXONE_API_URL)', () => {
  let simulator: RunningSimulator;
  let stack: Stack | undefined;

  beforeAll(async () => {
    simulator = await startSimulator({ clock: new ManualClock() });
  });
  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });
  afterAll(async () => {
    await simulator.close();
  });

  it("reads the API and UI hosts from {issuer}/.well-known/cxone-configuration and links to the tenant's UI", async () => {
    simulator.resetCalls();
    stack = await startStack({
      sharedSimulator: simulator,
      env: { CXONE_API_URL: '', CXONE_UI_URL: '', CXONE_TENANT_ID: DEFAULT_TENANT_ID, CXONE_ISSUER: simulator.url },
    });
    const discovery = simulator.calls().filter((call) => call.endpoint === 'discovery');
    expect(discovery.map((call) => [call.path, call.query['tenantId']])).toEqual([
      ['/.well-known/cxone-configuration', DEFAULT_TENANT_ID],
    ]);
    const response = await gql<{ recording: { playerUrl: string; mediaUrl: { url: string } } }>(
      stack.app.url,
      `{ recording(acdContactId: "${SEEDED.voice}") { playerUrl mediaUrl { url } } }`,
    );
    expect(response.errors).toBeUndefined();
    // The simulator's discovery document names itself as ui_endpoint: no na1 guess.
    expect(response.data?.recording.playerUrl).toBe(`${simulator.url}/player/#/cxone-player/acd-contacts/${SEEDED.voice}`);
    expect(simulator.count('contacts', SEEDED.voice)).toBe(1);
  });

  it('with the access-key login, signs in at the discovered auth_endpoint', async () => {
    simulator.resetCalls();
    stack = await startStack({
      sharedSimulator: simulator,
      env: {
        CXONE_API_URL: '',
        CXONE_UI_URL: '',
        CXONE_TENANT_ID: DEFAULT_TENANT_ID,
        CXONE_ISSUER: simulator.url,
        CXONE_AUTH: 'access-key',
        CXONE_ACCESS_KEY_ID: DEFAULT_SIM_CREDENTIALS.accessKeyId,
        CXONE_ACCESS_KEY_SECRET: DEFAULT_SIM_CREDENTIALS.accessKeySecret,
      },
    });
    const response = await gql(stack.app.url, `{ recording(acdContactId: "${SEEDED.voice}") { acdContactId } }`, { token: null });
    expect(response.errors).toBeUndefined();
    expect(tokenPaths(simulator)).toEqual([LOGIN_PATH]);
  });

  it('a discovery that fails stops the start with a message naming the issuer and tenant', async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      CXONE_TENANT_ID: 'no-such-tenant',
      // Nothing listens on port 9 of loopback.
      CXONE_ISSUER: 'http://127.0.0.1:9',
    });
    await expect(startApp(config)).rejects.toThrow(/CXone discovery \(http:\/\/127\.0\.0\.1:9\/\.well-known\/cxone-configuration, tenant no-such-tenant\)/);
  });
});

describe('configuration of the reach', () => {
  const problems = (env: Record<string, string>): string => configProblems(env).join('\n');

  it('an API host with no CXone area needs CXONE_UI_URL (no silent na1 links)', () => {
    expect(problems({ CXONE_API_URL: 'https://cxone-proxy.example.com' })).toMatch(/CXONE_UI_URL is required/);
    expect(problems({ CXONE_API_URL: 'https://cxone-proxy.example.com', CXONE_UI_URL: 'https://eu1.nice-incontact.com' })).toBe('');
    expect(problems({ CXONE_API_URL: 'https://api-eu1.niceincontact.com' })).toBe('');
  });

  it('the login is inferred from whether an app registration is given, or chosen', () => {
    const base = { CXONE_API_URL: 'https://api-na1.niceincontact.com', CXONE_AUTH: 'access-key', CXONE_ACCESS_KEY_ID: 'k', CXONE_ACCESS_KEY_SECRET: 's' };
    const inferred = loadConfig(base).cxone.auth;
    expect(inferred).toMatchObject({ mode: 'access-key', login: 'access-key' });
    const withClient = loadConfig({ ...base, CXONE_CLIENT_ID: 'c', CXONE_CLIENT_SECRET: 'cs' }).cxone.auth;
    expect(withClient).toMatchObject({ login: 'password-grant' });
    expect(problems({ ...base, CXONE_ACCESS_KEY_LOGIN: 'password-grant' })).toMatch(/CXONE_CLIENT_ID is required when CXONE_AUTH=access-key \(password-grant login\)/);
    expect(problems({ ...base, CXONE_ACCESS_KEY_LOGIN: 'magic' })).toMatch(/CXONE_ACCESS_KEY_LOGIN must be access-key or password-grant/);
  });
});
