/**
 * The simulator as an issuer: every token it hands out is an RS256 JWT that verifies against the key
 * set its discovery document names (CXone's, and the test identity provider's under /idp), the
 * published demo tokens included; key sets never carry private members; rotation publishes a key
 * that was unknown until then.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { ManualClock } from '../../src/clock.js';
import { signDemoTokens } from '../../src/simulator/keys.js';
import {
  DEFAULT_SIM_CREDENTIALS,
  DEMO_SUBJECTS,
  DEMO_TOKENS,
  SEEDED,
  SIMULATOR_ISSUER,
  startSimulator,
  type RunningSimulator,
} from '../../src/simulator/index.js';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'];
let sim: RunningSimulator;
const clock = new ManualClock();

beforeAll(async () => {
  sim = await startSimulator({ clock });
});
afterAll(async () => {
  await sim.close();
});

async function getJson(url: string): Promise<Record<string, unknown>> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

async function keySet(discoveryBase: string): Promise<{ issuer: string; jwks: JSONWebKeySet }> {
  const discovery = await getJson(`${discoveryBase}/.well-known/openid-configuration`);
  const jwks = (await getJson(String(discovery['jwks_uri']))) as unknown as JSONWebKeySet;
  return { issuer: String(discovery['issuer']), jwks };
}

/** The issuers a tenant's tokens may carry: discovery's `issuer`, and its auth host (cxone-configuration's `auth_endpoint`). */
async function acceptedIssuers(discoveryBase: string, issuer: string): Promise<string[]> {
  if (discoveryBase !== sim.url) return [issuer];
  const tenant = await getJson(`${sim.url}/.well-known/cxone-configuration?tenantId=sim-tenant-0001`);
  return [issuer, String(tenant['auth_endpoint'])];
}

async function verifyWith(discoveryBase: string, token: string) {
  const { issuer, jwks } = await keySet(discoveryBase);
  const issuers = await acceptedIssuers(discoveryBase, issuer);
  return jwtVerify(token, createLocalJWKSet(jwks), { issuer: issuers, algorithms: ['RS256'], currentDate: new Date(clock.now()) });
}

describe('CXone tokens', () => {
  it('publishes public keys only', async () => {
    const { issuer, jwks } = await keySet(sim.url);
    expect(issuer).toBe(SIMULATOR_ISSUER);
    expect(jwks.keys.length).toBeGreaterThan(0);
    for (const key of jwks.keys) {
      expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
      for (const member of PRIVATE_MEMBERS) expect(key).not.toHaveProperty(member);
    }
  });

  it('the demo tokens verify against the published key set, for their demo users and the simulator tenant', async () => {
    for (const [name, token] of Object.entries(DEMO_TOKENS)) {
      const { payload, protectedHeader } = await verifyWith(sim.url, token);
      expect(protectedHeader.alg).toBe('RS256');
      expect(payload.sub).toBe(DEMO_SUBJECTS[name as keyof typeof DEMO_SUBJECTS]);
      expect(payload['tenantId']).toBe('sim-tenant-0001');
      expect(payload.exp).toBeGreaterThan(Date.UTC(2099, 0, 1) / 1000);
    }
  });

  it('the demo tokens are exactly what the demo key signs for the demo users (npm run demo-tokens -- --sign)', async () => {
    expect(await signDemoTokens(DEMO_SUBJECTS)).toEqual({ ...DEMO_TOKENS });
  });

  it('signs the token endpoint answers', async () => {
    const response = await fetch(`${sim.url}/auth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${DEFAULT_SIM_CREDENTIALS.clientId}:${DEFAULT_SIM_CREDENTIALS.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        grant_type: 'password',
        username: DEFAULT_SIM_CREDENTIALS.accessKeyId,
        password: DEFAULT_SIM_CREDENTIALS.accessKeySecret,
      }).toString(),
    });
    const body = (await response.json()) as { access_token: string };
    const { payload, protectedHeader } = await verifyWith(sim.url, body.access_token);
    // As NICE documents an access token: the auth host as `iss` (not discovery's issuer), no `kid`.
    expect(payload).toMatchObject({ iss: sim.url, tenantId: 'sim-tenant-0001' });
    expect(payload.iss).not.toBe(SIMULATOR_ISSUER);
    expect(protectedHeader.kid).toBeUndefined();
  });

  it('mints tokens with chosen claims over HTTP, which the API accepts', async () => {
    const response = await fetch(`${sim.url}/__sim/tokens`, {
      method: 'POST',
      body: JSON.stringify({ sub: 'user:alice', expiresInSeconds: 60 }),
    });
    const { token } = (await response.json()) as { token: string };
    const { payload } = await verifyWith(sim.url, token);
    expect(payload.sub).toBe('user:alice');
    const api = await fetch(`${sim.url}/media-playback/v1/contacts?acd-call-id=${SEEDED.voice}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(api.status).toBe(200);
    clock.advance(61_000);
    const expired = await fetch(`${sim.url}/media-playback/v1/contacts?acd-call-id=${SEEDED.voice}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(expired.status).toBe(401);
  });

  it('rotates: a staged key signs with a kid the key set lacks until rotateKeys publishes it', async () => {
    const staged = await sim.mintToken({ unpublishedKey: true });
    const kid = decodeProtectedHeader(staged).kid;
    expect((await keySet(sim.url)).jwks.keys.map((key) => key.kid)).not.toContain(kid);
    await expect(verifyWith(sim.url, staged)).rejects.toThrow();
    expect(await sim.rotateKeys()).toBe(kid);
    const kids = (await keySet(sim.url)).jwks.keys.map((key) => key.kid);
    expect(kids).toContain(kid);
    expect(kids).toContain(decodeProtectedHeader(DEMO_TOKENS.full).kid);
    await expect(verifyWith(sim.url, staged)).resolves.toBeDefined();
  });
});

describe('the test identity provider', () => {
  it('mints caller tokens with sub, aud, scope and scp under its own issuer and keys', async () => {
    const token = await sim.mintToken({
      issuer: 'idp',
      sub: 'caller:bob',
      aud: 'crm-graph',
      scope: 'recordings:read recordings:analytics',
      scp: ['recordings:transcripts'],
    });
    const { payload } = await verifyWith(sim.idpIssuer, token);
    expect(payload).toMatchObject({
      iss: sim.idpIssuer,
      sub: 'caller:bob',
      aud: 'crm-graph',
      scope: 'recordings:read recordings:analytics',
      scp: ['recordings:transcripts'],
    });
    // Its keys are not CXone's: an IdP token does not verify as a CXone token.
    await expect(verifyWith(sim.url, token)).rejects.toThrow();
    // Nor is it accepted by the Media Playback API.
    const api = await fetch(`${sim.url}/media-playback/v1/contacts?acd-call-id=${SEEDED.voice}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(api.status).toBe(401);
  });
});
