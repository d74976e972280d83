/**
 * The subgraph against a CXone shaped the way NICE publishes its API, and against the legacy
 * variant: the access-key session's life (one login, then refreshes, whatever shape the refresh
 * answers in), forwarded tokens carrying the tenant's auth host as `iss` and no `kid`, the issuers
 * an operator pins, and CXone's `icStatusDescription` on errors. Real HTTP against the simulator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { SEEDED, SIMULATOR_ISSUER, SIMULATOR_VARIANTS, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { codesByPath, gql } from '../helpers/graphql.js';
import { accessKeyLoginEnv, startStack, type Stack } from '../helpers/stack.js';

const LOGIN_PATH = '/authentication/v1/token/access-key';
const REFRESH_PATH = '/public/user/refresh';
const HOUR = 3600_000;

describe.each(SIMULATOR_VARIANTS)('against the %s simulator', (variant) => {
  describe('the access-key session over six hours of one-hour tokens', () => {
    let simulator: RunningSimulator;
    let stack: Stack;
    const clock = new ManualClock();

    beforeAll(async () => {
      simulator = await startSimulator({ clock, variant, accessTokenTtlSeconds: 3600 });
      stack = await startStack({
        clock,
        sharedSimulator: simulator,
        env: accessKeyLoginEnv(simulator.url),
      });
    });
    afterAll(async () => {
      await stack.close();
      await simulator.close();
    });

    it('logs in once for the session and refreshes each token shortly before it lapses', async () => {
      const answers: Array<Record<string, unknown>> = [];
      for (let hour = 0; hour < 6; hour += 1) {
        const response = await gql(stack.app.url, `{ recording(acdContactId: "${SEEDED.voice}", refresh: true) { acdContactId } }`, { token: null });
        expect(response.errors).toBeUndefined();
        answers.push(response.data as Record<string, unknown>);
        // Inside the 60 s refresh margin of the token in hand.
        clock.advance(HOUR - 30_000);
      }
      const tokenCalls = simulator.calls().filter((call) => call.endpoint === 'token');
      const logins = tokenCalls.filter((call) => call.path === LOGIN_PATH).length;
      const refreshes = tokenCalls.filter((call) => call.path === REFRESH_PATH && call.status === 200).length;
      expect({ logins, refreshes, refused: tokenCalls.filter((call) => call.status !== 200).length }).toEqual({ logins: 1, refreshes: 5, refused: 0 });
      // Every API call went out with a token CXone accepted.
      expect(simulator.calls().filter((call) => call.endpoint === 'contacts').every((call) => call.authorized)).toBe(true);
      expect(answers).toHaveLength(6);
    });
  });

  describe('forward mode: the issuers a tenant really uses', () => {
    let stack: Stack;

    beforeAll(async () => {
      stack = await startStack({ simulator: { variant } });
    });
    afterAll(async () => {
      await stack.close();
    });

    it("a token with the tenant's auth host as iss and no kid is accepted, after one look at cxone-configuration", async () => {
      const token = await stack.simulator.mintToken({ sub: 'user:auth-host-issuer' });
      const [header, payload] = token.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>);
      expect(header?.['kid']).toBeUndefined();
      expect(payload?.['iss']).toBe(stack.simulator.url);
      expect(payload?.['iss']).not.toBe(SIMULATOR_ISSUER);
      stack.simulator.resetCalls();
      for (let i = 0; i < 3; i += 1) {
        const response = await gql(stack.app.url, `{ recording(acdContactId: "${SEEDED.voice}") { acdContactId } }`, { token });
        expect(response.errors).toBeUndefined();
      }
      const tenantDocuments = stack.simulator.calls().filter((call) => call.path === '/.well-known/cxone-configuration');
      expect(tenantDocuments.map((call) => call.query['tenantId'])).toEqual(['sim-tenant-0001']);
    });

    it('the discovery issuer still works (the demo tokens carry it)', async () => {
      const response = await gql(stack.app.url, `{ recording(acdContactId: "${SEEDED.voice}") { acdContactId } }`);
      expect(response.errors).toBeUndefined();
    });

    it('any other issuer, even signed with the tenant key, is UNAUTHENTICATED before any API call', async () => {
      const token = await stack.simulator.mintToken({ claims: { iss: 'https://auth.elsewhere.invalid' } });
      stack.simulator.resetCalls();
      const response = await gql(stack.app.url, `{ recording(acdContactId: "${SEEDED.chat}") { acdContactId } }`, { token });
      expect(codesByPath(response)).toEqual({ recording: 'UNAUTHENTICATED' });
      expect(stack.simulator.count('contacts')).toBe(0);
    });
  });

  describe('CXONE_TOKEN_ISSUERS pins the accepted issuers', () => {
    let stack: Stack;

    beforeAll(async () => {
      stack = await startStack({ simulator: { variant }, env: { CXONE_TOKEN_ISSUERS: `${SIMULATOR_ISSUER}, https://auth.pinned.invalid` } });
    });
    afterAll(async () => {
      await stack.close();
    });

    it('a listed issuer is accepted; the auth host, not listed, is refused with no API call', async () => {
      const pinned = await stack.simulator.mintToken({ claims: { iss: 'https://auth.pinned.invalid' } });
      expect((await gql(stack.app.url, `{ recording(acdContactId: "${SEEDED.voice}") { acdContactId } }`, { token: pinned })).errors).toBeUndefined();
      const authHost = await stack.simulator.mintToken({ sub: 'user:not-pinned' });
      stack.simulator.resetCalls();
      const refused = await gql(stack.app.url, `{ recording(acdContactId: "${SEEDED.chat}") { acdContactId } }`, { token: authHost });
      expect(codesByPath(refused)).toEqual({ recording: 'UNAUTHENTICATED' });
      expect(stack.simulator.count('contacts')).toBe(0);
    });
  });

  describe('errors carry icStatusDescription', () => {
    let simulator: RunningSimulator;

    beforeAll(async () => {
      simulator = await startSimulator({ variant });
    });
    afterAll(async () => {
      await simulator.close();
    });

    it('a 404 says why in the header as in the body', async () => {
      const response = await fetch(`${simulator.url}/media-playback/v1/contacts?acd-call-id=100000000099999`, {
        headers: { authorization: `Bearer ${await simulator.mintToken()}` },
      });
      const body = (await response.json()) as { message: string };
      expect(response.status).toBe(404);
      expect(response.headers.get('icstatusdescription')).toBe(body.message);
    });
  });
});
