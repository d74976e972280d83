/**
 * Access-key mode with CALLER_JWT_ISSUER: CXone sees only the service's key, so the
 * subgraph decides who sees what. Callers bring a JWT from the organisation's identity provider
 * (here the simulator's test IdP) with the audience the subgraph expects; the schema's
 * `@requiresScopes` gate each field: `recordings:read` everything, `recordings:analytics`
 * sentiments and categories, `recordings:transcripts` the transcript. A missing scope nulls that
 * field with FORBIDDEN and the rest stands. The cache scope is the tenant: N users on the same
 * contacts cost one CXone call per contact.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { SEEDED, bulkContactId, startSimulator, type MintOptions, type RunningSimulator } from '../../src/simulator/index.js';
import { codesByPath, gql } from '../helpers/graphql.js';
import { responseCacheEvents, scrape } from '../helpers/metrics.js';
import { ACCESS_KEY_ENV, startStack, type Stack } from '../helpers/stack.js';

const AUDIENCE = 'crm-graph';
const ALL_SCOPES = 'recordings:read recordings:analytics recordings:transcripts';
const CHAT = `{ recording(acdContactId: "${SEEDED.chat}", mediaType: CHAT) {
  acdContactId mediaUrl { url } sentiments { overallSentiment } categories { categoryHierarchy } transcript { text }
} }`;
interface ChatData {
  recording: null | {
    acdContactId: string;
    mediaUrl: { url: string } | null;
    sentiments: unknown[] | null;
    categories: unknown[] | null;
    transcript: { text: string } | null;
  };
}

const clock = new ManualClock();
let simulator: RunningSimulator;
let stack: Stack;

beforeAll(async () => {
  simulator = await startSimulator({ clock });
  stack = await startStack({
    sharedSimulator: simulator,
    clock,
    crmIds: [SEEDED.voice, SEEDED.chat],
    env: {
      ...ACCESS_KEY_ENV,
      CXONE_RATE_LIMIT: '150',
      CALLER_JWT_ISSUER: simulator.idpIssuer,
      CALLER_JWT_AUDIENCE: AUDIENCE,
    },
  });
});
afterAll(async () => {
  await stack.close();
  await simulator.close();
});

const caller = (options: Omit<MintOptions, 'issuer'> = {}): Promise<string> =>
  simulator.mintToken({ issuer: 'idp', aud: AUDIENCE, scope: ALL_SCOPES, ...options });

describe('refused: UNAUTHENTICATED, no CXone call of any kind, no budget', () => {
  it.each<[string, () => Promise<string | null>]>([
    ['no token', () => Promise.resolve(null)],
    ['a wrong audience', () => caller({ aud: 'another-app' })],
    ['no audience', () => simulator.mintToken({ issuer: 'idp', scope: ALL_SCOPES })],
    ['a CXone token (another issuer)', () => simulator.mintToken({ scope: ALL_SCOPES, aud: AUDIENCE })],
    [
      'an expired token',
      async () => {
        const token = await caller({ expiresInSeconds: 5 });
        clock.advance(5_000 + 31_000);
        return token;
      },
    ],
  ])('%s', async (_name, makeToken) => {
    const token = await makeToken();
    simulator.resetCalls();
    const direct = await gql<ChatData>(stack.app.url, CHAT, { token });
    expect(direct.data?.recording ?? null).toBeNull();
    expect(codesByPath(direct)).toEqual({ recording: 'UNAUTHENTICATED' });
    const federated = await gql(stack.gateway!.url, `{ contacts(first: 2) { acdContactId recording { acdContactId } } }`, { token });
    expect(codesByPath(federated)).toEqual({ 'contacts.0.recording': 'UNAUTHENTICATED', 'contacts.1.recording': 'UNAUTHENTICATED' });
    for (const endpoint of ['contacts', 'segments', 'statements', 'token'] as const) expect(simulator.count(endpoint)).toBe(0);
    expect((await scrape(stack.app.url)).text).not.toMatch(/^cxone_budget_remaining\{/m);
  });
});

describe('scopes, per field', () => {
  it('full scopes: every field', async () => {
    const token = await caller();
    const response = await gql<ChatData>(stack.app.url, CHAT, { token });
    expect(response.errors).toBeUndefined();
    expect(response.data?.recording?.transcript?.text).toBeTruthy();
    // The seeded voice call carries the analytics (the chat has none).
    const voice = await gql<ChatData>(
      stack.app.url,
      `{ recording(acdContactId: "${SEEDED.voice}") { acdContactId sentiments { overallSentiment } categories { categoryHierarchy } } }`,
      { token },
    );
    expect(voice.errors).toBeUndefined();
    expect(voice.data?.recording?.sentiments?.length).toBeGreaterThan(0);
    expect(voice.data?.recording?.categories).not.toBeNull();
  });

  it('read-only: analytics and transcript are null with FORBIDDEN, the rest stands (direct and through the gateway)', async () => {
    const token = await caller({ scope: 'recordings:read' });
    const response = await gql<ChatData>(stack.app.url, CHAT, { token });
    expect(codesByPath(response)).toEqual({
      'recording.sentiments': 'FORBIDDEN',
      'recording.categories': 'FORBIDDEN',
      'recording.transcript': 'FORBIDDEN',
    });
    expect(response.data?.recording).toMatchObject({ acdContactId: SEEDED.chat, sentiments: null, categories: null, transcript: null });
    expect(response.data?.recording?.mediaUrl?.url).toBeTruthy();

    const federated = await gql<{ contacts: Array<{ recording: { acdContactId: string; sentiments: unknown } | null }> }>(
      stack.gateway!.url,
      `{ contacts(first: 2) { acdContactId recording { acdContactId sentiments { overallSentiment } } } }`,
      { token },
    );
    expect(codesByPath(federated)).toEqual({ 'contacts.0.recording.sentiments': 'FORBIDDEN', 'contacts.1.recording.sentiments': 'FORBIDDEN' });
    expect(federated.data?.contacts.map((contact) => contact.recording?.acdContactId)).toEqual([SEEDED.voice, SEEDED.chat]);
  });

  it('scopes from an scp list (read + transcripts): the transcript, not the analytics', async () => {
    const token = await simulator.mintToken({ issuer: 'idp', aud: AUDIENCE, scp: ['recordings:read', 'recordings:transcripts'] });
    const response = await gql<ChatData>(stack.app.url, CHAT, { token });
    expect(codesByPath(response)).toEqual({ 'recording.sentiments': 'FORBIDDEN', 'recording.categories': 'FORBIDDEN' });
    expect(response.data?.recording?.transcript?.text).toBeTruthy();
  });

  it('without recordings:read: nothing, and no CXone call', async () => {
    const id = bulkContactId(801);
    const token = await caller({ scope: 'recordings:analytics recordings:transcripts' });
    const response = await gql(stack.app.url, `{ recording(acdContactId: "${id}") { acdContactId } }`, { token });
    expect(codesByPath(response)).toEqual({ recording: 'FORBIDDEN' });
    expect(simulator.count('contacts', id)).toBe(0);
  });
});

describe('cache scope: the tenant', () => {
  it('a kept whole response is never handed to a caller with fewer scopes (same body, same tenant)', async () => {
    const full = await caller({ sub: 'caller:analyst' });
    const readOnly = await caller({ sub: 'caller:clerk', scope: 'recordings:read' });
    const query = `{ recording(acdContactId: "${SEEDED.voice}") { acdContactId mediaUrl { url } sentiments { overallSentiment } transcript { text } } }`;
    // Twice: the whole-response cache keeps an answer from its second identical request on.
    for (let round = 0; round < 3; round++) {
      const answer = await gql<ChatData>(stack.app.url, query, { token: full });
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.recording?.sentiments?.length).toBeGreaterThan(0);
    }
    const refused = await gql<ChatData>(stack.app.url, query, { token: readOnly });
    expect(codesByPath(refused)).toEqual({ 'recording.sentiments': 'FORBIDDEN', 'recording.transcript': 'FORBIDDEN' });
    expect(refused.data?.recording).toMatchObject({ acdContactId: SEEDED.voice, sentiments: null, transcript: null });
    // Another caller with the same scopes shares the kept answer (one tenant, one cache scope).
    const colleague = await caller({ sub: 'caller:analyst-2' });
    const shared = await gql<ChatData>(stack.app.url, query, { token: colleague });
    expect(shared.errors).toBeUndefined();
    expect(shared.headers.get('cache-control')).toMatch(/^private, max-age=\d+$/);
  });
  it('N users on the same contacts: one CXone call per contact', async () => {
    const ids = Array.from({ length: 10 }, (_, index) => bulkContactId(700 + index));
    const query = `query ($ids: [ID!]!) { recordings(acdContactIds: $ids) { acdContactId mediaUrl { url } } }`;
    const users = await Promise.all(Array.from({ length: 5 }, (_, index) => caller({ sub: `caller:user-${String(index)}` })));
    for (const token of users) {
      const response = await gql(stack.app.url, query, { token, variables: { ids } });
      expect(response.errors).toBeUndefined();
    }
    for (const id of ids) expect(simulator.count('contacts', id)).toBe(1);
  });
});

describe('a forced refresh in a shared tenant', () => {
  it('supersedes the kept answers of every caller of the tenant, whatever their scopes', async () => {
    const contact = bulkContactId(811);
    const analyst = await caller({ sub: 'caller:refresher' });
    const clerk = await caller({ sub: 'caller:reader', scope: 'recordings:read' });
    const url = async (token: string, refresh: boolean): Promise<string | undefined> => {
      const response = await gql<ChatData>(
        stack.app.url,
        // Plain queries leave `refresh` out: a body naming it is never served from, nor kept in, the cache.
        `{ recording(acdContactId: "${contact}"${refresh ? ', refresh: true' : ''}) { acdContactId mediaUrl { url } } }`,
        { token },
      );
      expect(response.errors).toBeUndefined();
      return response.data?.recording?.mediaUrl?.url;
    };
    // The clerk's plain answer is kept (asked for twice), as is the analyst's.
    const dead = await url(clerk, false);
    expect(await url(clerk, false)).toBe(dead);
    expect(await url(analyst, false)).toBe(dead);
    expect(await url(analyst, false)).toBe(dead);
    const before = await responseCacheHits();
    expect(await url(clerk, false)).toBe(dead);
    expect(await url(analyst, false)).toBe(dead);
    expect(await responseCacheHits()).toBe(before + 2);
    simulator.revokeLinks();
    const fresh = await url(analyst, true);
    expect(fresh).not.toBe(dead);
    const hits = await responseCacheHits();
    expect(await url(clerk, false)).toBe(fresh);
    expect(await url(analyst, false)).toBe(fresh);
    // Both had kept answers before the refresh: neither was served after it.
    expect(await responseCacheHits()).toBe(hits);
  });
});

async function responseCacheHits(): Promise<number> {
  return (await responseCacheEvents(stack.app.url)).hit;
}

describe('CALLER_JWKS_URL: the key set named directly', () => {
  it('verifies against it without reading the discovery document', async () => {
    const direct = await startStack({
      sharedSimulator: simulator,
      clock,
      env: {
        ...ACCESS_KEY_ENV,
        CALLER_JWT_ISSUER: simulator.idpIssuer,
        CALLER_JWKS_URL: `${simulator.idpIssuer}/jwks.json`,
      },
    });
    try {
      simulator.resetCalls();
      // No CALLER_JWT_AUDIENCE here: any audience, or none, is accepted.
      const token = await simulator.mintToken({ issuer: 'idp', scope: 'recordings:read' });
      const response = await gql(direct.app.url, `{ recording(acdContactId: "${SEEDED.email}", mediaType: EMAIL) { acdContactId } }`, { token });
      expect(response.errors).toBeUndefined();
      const idpPaths = simulator.calls().filter((call) => call.endpoint === 'idp').map((call) => call.path);
      expect(idpPaths).toEqual(['/idp/jwks.json']);
    } finally {
      await direct.close();
    }
  });
});
