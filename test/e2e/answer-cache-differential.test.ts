/**
 * Differential test of the answer caches (whole answers and entity answers): two subgraphs on one
 * simulator and one ManualClock, identical but for RESPONSE_CACHE_MAX_BYTES, receive the same
 * generated request sequence. Every answer of the one with caches on must equal, byte for byte
 * with its status and headers, the answer of the one with caches off at the same clock moment.
 *
 * The generator mixes what decides whether an answer may be kept or for whom: callers of different
 * users, tenants and granted scopes, refused and expired tokens, forced refreshes (literal, by
 * variable, JSON-escaped, persisted, and of a contact a kept answer holds), per-contact errors and
 * states, link expiry moved on the clock and links revoked, aliases, `@include`/`@skip`, variables,
 * other whitespace, GET (plain and persisted), batches, `_entities` pages (kept whole, or partly
 * kept with the rest through the pipeline). A rule the caches miss shows up as a difference; the
 * seed and the failing step are printed.
 *
 * Seeded: each mode runs DIFFERENTIAL_SEQUENCES sequences (default 4) of DIFFERENTIAL_STEPS steps
 * (default 500) on the same pair, each with tokens minted at its start, since the clock moves hours
 * in one sequence and tokens expire. DIFFERENTIAL_SEED sets the first sequence's seed; the whole run
 * follows from it, so a failure printed with it replays with it.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { DEMO_TOKENS } from '../../src/simulator/demo-tokens.js';
import { SEEDED, bulkContactId, startSimulator, type MintOptions, type RunningSimulator } from '../../src/simulator/index.js';
import { responseCacheEvents } from '../helpers/metrics.js';
import { ACCESS_KEY_ENV, startStack, type Stack } from '../helpers/stack.js';

/** How long one mode's run may take before it counts as hung. */
const STEP_RUN_TIMEOUT_MS = 240_000;

const SEED = Number(process.env['DIFFERENTIAL_SEED'] ?? 20_261_202);
const STEPS = Number(process.env['DIFFERENTIAL_STEPS'] ?? 500);
const SEQUENCES = Number(process.env['DIFFERENTIAL_SEQUENCES'] ?? 4);
const AUDIENCE = 'crm-graph';

/** mulberry32: small, seeded, reproducible. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Contacts whose simulated answers depend only on the clock and the links' signing key (not on how
 * many times they were asked: the processing and locked contacts answer by call count and timing),
 * so both subgraphs see the same upstream.
 */
const CONTACTS = [
  SEEDED.voice,
  SEEDED.voice,
  bulkContactId(1),
  bulkContactId(2),
  SEEDED.voiceAndScreen,
  SEEDED.chat,
  SEEDED.email,
  SEEDED.notFound,
  SEEDED.preCutoff,
  SEEDED.archivedContact,
  SEEDED.serverError,
  bulkContactId(1),
  bulkContactId(2),
  bulkContactId(3),
];
const MEDIA_TYPES = ['ALL', 'VOICE_ONLY', 'CHAT'] as const;

const SELECTIONS = [
  'acdContactId mediaUrl { url expiresAt }',
  'acdContactId playerUrl',
  'acdContactId mediaUrl { url } sentiments { overallSentiment } categories { categoryHierarchy }',
  'acdContactId transcript { text } segments { segmentId mediaUrl { url } }',
];

/** One generated HTTP request: a POST with the exact body text, or a GET with its query string; the headers. */
interface Request {
  readonly describe: string;
  readonly method: 'POST' | 'GET';
  /** The POST body, or the GET query string (without `?`). */
  readonly body: string;
  readonly token: string | null;
  readonly requestId: string | undefined;
}

/** The contact and media type an answer reads first: a forced refresh of them must supersede it. */
interface Reads {
  readonly id: string;
  readonly mediaType: (typeof MEDIA_TYPES)[number];
}

/** A request of the pool drawn from again and again, with what its answer reads. */
type PooledRequest = Request & { readonly reads: Reads };

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** A generator of GraphQL requests, with the pools below drawn from `random`. */
function requestGenerator(random: () => number, tokens: ReadonlyArray<string | null>) {
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

  const recordingQuery = (): { query: string; variables: Record<string, unknown>; note: string; reads: Reads } => {
    const selection = pick(SELECTIONS);
    const id = pick(CONTACTS);
    const mediaType = pick(MEDIA_TYPES);
    const shape = Math.floor(random() * 6);
    const refresh = random() < 0.3;
    switch (shape) {
      case 0:
        return {
          query: `query One($id: ID!) { recording(acdContactId: $id, mediaType: ${mediaType}${refresh ? ', refresh: true' : ''}) { ${selection} } }`,
          variables: { id },
          note: `literal refresh=${String(refresh)}`,
          reads: { id, mediaType },
        };
      case 1:
        // The refresh comes in a variable whose name says nothing.
        return {
          query: `query One($id: ID!, $r: Boolean, $m: CxoneMediaType) { first: recording(acdContactId: $id, mediaType: $m, refresh: $r) { ${selection} } }`,
          variables: { id, r: refresh, m: mediaType },
          note: `variable refresh=${String(refresh)}`,
          reads: { id, mediaType },
        };
      case 2:
        return {
          query: `query Two($id: ID!, $other: ID!, $inc: Boolean!) { a: recording(acdContactId: $id) { ${selection} } b: recording(acdContactId: $other) @include(if: $inc) { acdContactId mediaUrl { url } } }`,
          variables: { id, other: pick(CONTACTS), inc: random() < 0.5 },
          note: 'aliases + @include',
          reads: { id, mediaType: 'ALL' },
        };
      case 3:
        return {
          query: `query Status($id: ID!, $skip: Boolean!) { recording(acdContactId: $id) @skip(if: $skip) { ${selection} } }`,
          variables: { id, skip: random() < 0.3 },
          note: '@skip',
          reads: { id, mediaType: 'ALL' },
        };
      case 4: {
        const ids = [pick(CONTACTS), pick(CONTACTS)];
        return {
          query: `query Many($ids: [ID!]!) { recordings(acdContactIds: $ids, mediaType: ${mediaType}) { acdContactId mediaUrl { url expiresAt } } }`,
          variables: { ids },
          note: 'recordings',
          reads: { id: ids[0]!, mediaType },
        };
      }
      default: {
        const representations = Array.from({ length: 1 + Math.floor(random() * 4) }, () => ({ __typename: 'Contact', acdContactId: pick(CONTACTS) }));
        return {
          query: `query Page($representations: [_Any!]!) { _entities(representations: $representations) { ... on Contact { recording${refresh ? '(refresh: true)' : ''} { acdContactId mediaUrl { url expiresAt } } recordingStatus { state } } } }`,
          variables: { representations },
          note: `_entities refresh=${String(refresh)}`,
          reads: { id: representations[0]!.acdContactId, mediaType: 'ALL' },
        };
      }
    }
  };

  const one = (): PooledRequest[] => {
    const { query, variables, note, reads } = recordingQuery();
    const token = pick(tokens);
    const requestId = random() < 0.5 ? `req-${String(Math.floor(random() * 1000))}` : undefined;
    const request = (how: string, body: string, method: Request['method'] = 'POST'): PooledRequest => ({ describe: `${note}, ${how}`, method, body, token, requestId, reads });
    const form = random();
    if (form < 0.1) {
      // GET: the query string instead of a body (express, not the front door); persisted or not.
      const persisted = random() < 0.5;
      const extensions = { persistedQuery: { version: 1, sha256Hash: sha256(query) } };
      const search = (withQuery: boolean) =>
        new URLSearchParams({
          ...(withQuery ? { query } : {}),
          variables: JSON.stringify(variables),
          ...(persisted ? { extensions: JSON.stringify(extensions) } : {}),
        }).toString();
      return persisted
        ? [request('GET persisted (registering)', search(true), 'GET'), request('GET persisted (hash only)', search(false), 'GET')]
        : [request('GET', search(true), 'GET')];
    }
    if (form < 0.15) {
      // A batch: refused by this subgraph (one operation per request), on both sides alike.
      return [request('batch', JSON.stringify([{ query, variables }, { query, variables }]))];
    }
    if (form < 0.25) {
      // Other whitespace and line breaks: other bytes, the same operation.
      return [request('whitespace', JSON.stringify({ query: query.replace(/ \{ /g, '\n  {\n    ').replace(/, /g, ',\t'), variables }))];
    }
    if (form < 0.5) {
      // A persisted query: registered with its text, then sent as the hash alone.
      const persistedQuery = { version: 1, sha256Hash: sha256(query) };
      return [
        request('persisted (registering)', JSON.stringify({ query, variables, extensions: { persistedQuery } })),
        request('persisted (hash only)', JSON.stringify({ variables, extensions: { persistedQuery } })),
      ];
    }
    if (form < 0.6) {
      // The same query with some letters JSON-escaped: other bytes, the same request.
      return [request('escaped', JSON.stringify({ query, variables }).replace(/refresh/g, 'r\\u0065fresh').replace(/recording\(/g, 'rec\\u006frding('))];
    }
    return [request('plain', JSON.stringify({ query, variables }))];
  };
  // A small pool, drawn from again and again: answers are kept from the second identical request.
  const pool: PooledRequest[] = [];
  while (pool.length < 24) pool.push(...one());
  // And varied pages of a few contacts: answered from the kept entities once each was seen, or
  // partly (the rest, errors and states included, through the pipeline).
  let pages = 0;
  const page = (): Request => {
    // Every other page among all the contacts, the failing ones included.
    const among = pages++ % 2 === 0 ? CONTACTS.slice(0, 6) : CONTACTS;
    const ids = Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(among));
    const query = `query Page($representations: [_Any!]!) { _entities(representations: $representations) { ... on Contact { recording { acdContactId mediaUrl { url expiresAt } } } } }`;
    const representations = ids.map((acdContactId) => ({ __typename: 'Contact', acdContactId }));
    return { describe: `_entities page ${ids.join(',')}`, method: 'POST', body: JSON.stringify({ query, variables: { representations } }), token: pick(tokens), requestId: undefined };
  };
  // The same caller forcing new links for a contact a kept answer holds: that answer must not come back.
  const refreshOf = ({ reads, token }: PooledRequest): Request => ({
    describe: `refresh of ${reads.id} ${reads.mediaType}`,
    method: 'POST',
    body: JSON.stringify({ query: `{ recording(acdContactId: "${reads.id}", mediaType: ${reads.mediaType}, refresh: true) { acdContactId mediaUrl { url expiresAt } } }` }),
    token,
    requestId: undefined,
  });
  return (): Request => {
    const roll = random();
    if (roll < 0.2) return page();
    const drawn = pick(pool);
    return roll < 0.3 ? refreshOf(drawn) : drawn;
  };
};

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** Headers that belong to the connection or the moment of sending, not to the answer. */
const TRANSPORT_HEADERS = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

async function send(url: string, request: Request): Promise<Answer> {
  // A GET carries no body; Apollo's CSRF prevention wants this header on it instead.
  const headers: Record<string, string> = request.method === 'GET' ? { 'apollo-require-preflight': 'true' } : { 'content-type': 'application/json' };
  if (request.token !== null) headers['authorization'] = `Bearer ${request.token}`;
  if (request.requestId !== undefined) headers['x-request-id'] = request.requestId;
  const response =
    request.method === 'GET'
      ? await fetch(`${url}?${request.body}`, { headers })
      : await fetch(url, { method: 'POST', headers, body: request.body });
  const kept: Record<string, string> = {};
  for (const [name, value] of response.headers) {
    if (TRANSPORT_HEADERS.has(name)) continue;
    // A request id the caller did not send is a fresh UUID on each side: only its presence compares.
    kept[name] = name === 'x-request-id' && request.requestId === undefined ? '<generated>' : value;
  }
  return { status: response.status, headers: kept, body: await response.text() };
}

interface Pair {
  readonly cached: Stack;
  readonly uncached: Stack;
}

/**
 * SEQUENCES generated sequences one after another on the same pair (what one kept, the next finds),
 * seeds `seed`, `seed + 1`...; tokens minted afresh for each. The first difference, described, or null.
 */
async function runSequences(
  pair: Pair,
  clock: ManualClock,
  simulator: RunningSimulator,
  mintTokens: () => Promise<ReadonlyArray<string | null>>,
  seed: number,
): Promise<string | null> {
  for (let sequence = 0; sequence < SEQUENCES; sequence++) {
    const difference = await runSequence(pair, clock, simulator, await mintTokens(), seed + sequence);
    if (difference !== null) return `sequence ${String(sequence + 1)} of ${String(SEQUENCES)} (DIFFERENTIAL_SEED=${String(SEED)} replays the run): ${difference}`;
  }
  return null;
}

/** Runs one generated sequence; returns the first difference, described, or null. */
async function runSequence(pair: Pair, clock: ManualClock, simulator: RunningSimulator, tokens: ReadonlyArray<string | null>, seed: number): Promise<string | null> {
  const random = prng(seed);
  const next = requestGenerator(random, tokens);
  const history: string[] = [];
  for (let step = 0; step < STEPS; step++) {
    const roll = random();
    if (roll < 0.05) {
      // Mostly within a link's life, sometimes past it.
      const ms = Math.floor(random() * (random() < 0.8 ? 3 : 30) * 60_000);
      clock.advance(ms);
      history.push(`#${String(step)} clock +${String(ms)} ms`);
      continue;
    }
    if (roll < 0.07) {
      simulator.revokeLinks();
      history.push(`#${String(step)} links revoked`);
      continue;
    }
    const request = next();
    history.push(`#${String(step)} ${request.describe}`);
    const cached = await send(pair.cached.app.url, request);
    const uncached = await send(pair.uncached.app.url, request);
    if (cached.status !== uncached.status || cached.body !== uncached.body || JSON.stringify(sortKeys(cached.headers)) !== JSON.stringify(sortKeys(uncached.headers))) {
      return [
        `seed ${String(seed)}, step ${String(step)}: the answer with caches on differs from the pipeline's`,
        `request: ${request.describe}; token ${request.token === null ? 'none' : request.token.slice(-12)}; ${request.method} ${request.body}`,
        `caches on:  ${String(cached.status)} ${JSON.stringify(sortKeys(cached.headers))}\n  ${cached.body}`,
        `caches off: ${String(uncached.status)} ${JSON.stringify(sortKeys(uncached.headers))}\n  ${uncached.body}`,
        `the last steps:\n  ${history.slice(-12).join('\n  ')}`,
      ].join('\n');
    }
  }
  return null;
}

function sortKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

async function startPair(simulator: RunningSimulator, clock: ManualClock, env: Record<string, string>): Promise<Pair> {
  const common = { sharedSimulator: simulator, clock, env: { ...env, NODE_ENV: 'production', LINK_REFRESH_INTERVAL_SECONDS: '30' } };
  const cached = await startStack(common);
  const uncached = await startStack({ ...common, env: { ...common.env, RESPONSE_CACHE_MAX_BYTES: '0' } });
  return { cached, uncached };
}

/** The comparison means something only when the caches did serve answers: whole and assembled. */
async function expectRepeatsServed(pair: Pair): Promise<void> {
  const events = await responseCacheEvents(pair.cached.app.url);
  expect(events.hit).toBeGreaterThan(10);
  expect(events.assembled).toBeGreaterThan(0);
  expect(events.partial).toBeGreaterThan(0);
  const off = await responseCacheEvents(pair.uncached.app.url);
  expect(off.hit + off.assembled + off.partial).toBe(0);
}

describe('answer caches agree with the pipeline, byte for byte', () => {
  const clock = new ManualClock();
  let simulator: RunningSimulator;
  const pairs: Pair[] = [];
  beforeAll(async () => {
    simulator = await startSimulator({ clock, rateLimit: null });
  });
  afterAll(async () => {
    for (const pair of pairs) {
      await pair.cached.close();
      await pair.uncached.close();
    }
    await simulator.close();
  });

  // A hang guard, not a speed target: thousands of steps, each two requests or a clock move, take
  // 10 s on a quiet 2-core machine and several times that when it is shared.
  it('forward mode: users, tenants, demo grants, refused and expiring tokens', async () => {
    const pair = await startPair(simulator, clock, {});
    pairs.push(pair);
    const mint = (options: MintOptions) => simulator.mintToken(options);
    const tokens = async (): Promise<Array<string | null>> => [
      null,
      DEMO_TOKENS.full,
      DEMO_TOKENS.full,
      DEMO_TOKENS.noAnalytics,
      DEMO_TOKENS.noPlayback,
      await mint({ sub: 'user:differential-a' }),
      await mint({ sub: 'user:differential-a', tenantId: 'other-tenant' }),
      await mint({ sub: 'user:differential-b', expiresInSeconds: 45 * 60 }),
      await mint({ sub: 'user:differential-c', unpublishedKey: true }),
      'not-a-jwt',
    ];
    const difference = await runSequences(pair, clock, simulator, tokens, SEED);
    expect(difference, difference ?? '').toBeNull();
    await expectRepeatsServed(pair);
  }, STEP_RUN_TIMEOUT_MS);

  it('access-key mode with caller JWTs: granted scopes decide fields', async () => {
    const pair = await startPair(simulator, clock, {
      ...ACCESS_KEY_ENV,
      CALLER_JWT_ISSUER: simulator.idpIssuer,
      CALLER_JWT_AUDIENCE: AUDIENCE,
    });
    pairs.push(pair);
    const caller = (scope: string, options: MintOptions = {}) => simulator.mintToken({ issuer: 'idp', aud: AUDIENCE, scope, ...options });
    const tokens = async (): Promise<string[]> => [
      await caller('recordings:read recordings:analytics recordings:transcripts'),
      await caller('recordings:read recordings:analytics recordings:transcripts', { sub: 'caller:other' }),
      await caller('recordings:read'),
      await caller('recordings:read recordings:analytics'),
      await caller(''),
      await caller('recordings:read', { expiresInSeconds: 30 * 60 }),
      await caller('recordings:read', { aud: 'another-audience' }),
    ];
    // Seeds of their own: not the forward mode's sequences again.
    const difference = await runSequences(pair, clock, simulator, tokens, SEED + SEQUENCES);
    expect(difference, difference ?? '').toBeNull();
    await expectRepeatsServed(pair);
  }, STEP_RUN_TIMEOUT_MS);
});
