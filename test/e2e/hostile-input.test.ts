/**
 * Hostile input over real HTTP: query limits (depth, aliases, directives, tokens, cost), body size,
 * list size, introspection and field suggestions, stack traces, and the router's shared secret.
 * Every refusal has a clear message and a stable code, and none costs an upstream call; what a
 * router legitimately sends (an `_entities` batch of 500 contacts) still goes through.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_TOKENS, SEEDED } from '../../src/simulator/index.js';
import { codesByPath, gql, type GraphQLResponse } from '../helpers/graphql.js';
import { bulkIds, startStack, type Stack } from '../helpers/stack.js';
import { RECORDING_FIELDS } from '../helpers/selections.js';


/** What a router sends for `Contact.recording`: one `_entities` fetch with every representation. */
const ENTITIES = /* GraphQL */ `
  query Page__recordings__1($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Contact { __typename acdContactId recording { ${RECORDING_FIELDS} } }
    }
  }
`;

const BATCH = bulkIds(500);
const MAX_BODY_BYTES = 64 * 1024;
const SECRET = 'router-secret-0123456789abcdef';

/** A POST with any body, for what the GraphQL helper cannot send. */
async function rawPost(
  url: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string; json: unknown }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${DEMO_TOKENS.full}`, ...headers },
    body,
  });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // Left null: the assertions say what was expected.
  }
  return { status: response.status, text, json };
}

function limitError(response: GraphQLResponse<unknown>): { code: unknown; limit: unknown; message: string } | undefined {
  const error = response.errors?.find((e) => e.extensions?.['limit'] !== undefined);
  return error === undefined ? undefined : { code: error.extensions?.['code'], limit: error.extensions?.['limit'], message: error.message };
}

describe('limits (development defaults, MAX_BODY_BYTES=64 KiB)', () => {
  let stack: Stack;
  let url: string;

  beforeAll(async () => {
    stack = await startStack({ env: { MAX_BODY_BYTES: String(MAX_BODY_BYTES) }, crmIds: BATCH });
    url = stack.app.url;
  });
  afterAll(async () => {
    await stack.close();
  });
  beforeEach(() => {
    stack.simulator.resetCalls();
  });

  it("lets a router's _entities batch of 500 contacts with every recording field through", async () => {
    const representations = BATCH.map((acdContactId) => ({ __typename: 'Contact', acdContactId }));
    const response = await gql<{ _entities: Array<{ acdContactId: string; recording: { acdContactId: string } | null }> }>(
      url,
      ENTITIES,
      { variables: { representations } },
    );
    expect(response.status).toBe(200);
    expect(response.errors).toBeUndefined();
    expect(response.data?._entities).toHaveLength(500);
    expect(response.data?._entities.map((entity) => entity.recording?.acdContactId)).toEqual(BATCH);
    expect(stack.simulator.count('contacts')).toBe(500);
  });

  it('and the same 500 through a gateway composing the CRM subgraph with ours', async () => {
    const response = await gql<{ contacts: Array<{ acdContactId: string; recording: { acdContactId: string } | null }> }>(
      stack.gateway!.url,
      `query Page { contacts(first: 500) { acdContactId customerName recording { ${RECORDING_FIELDS} } } }`,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?.contacts.map((contact) => contact.recording?.acdContactId)).toEqual(BATCH);
  });

  it.each([
    [
      'depth',
      `{ recording(acdContactId: "${SEEDED.voice}") { segments { mediaUrl { url { a { b { c { d { e { f { g } } } } } } } } } } }`,
      'maxDepth',
      /depth limit of 10/,
    ],
    [
      'aliases',
      `{ ${Array.from({ length: 31 }, (_, i) => `r${String(i)}: recording(acdContactId: "${SEEDED.voice}") { acdContactId }`).join(' ')} }`,
      'maxAliases',
      /Aliases limit of 30/,
    ],
    [
      'directives',
      `{ recording(acdContactId: "${SEEDED.voice}") { acdContactId ${'@include(if: true) '.repeat(51)} } }`,
      'maxDirectives',
      /Directives limit of 50/,
    ],
    [
      'cost',
      // 30 aliases (allowed) of every field: about 5,700 against the limit of 5,000.
      `{ ${Array.from({ length: 30 }, (_, i) => `r${String(i)}: recording(acdContactId: "${SEEDED.voice}") { ${RECORDING_FIELDS} }`).join(' ')} }`,
      'maxCost',
      /Cost limit of 5000/,
    ],
    ['tokens', `{ ${'__typename '.repeat(5001)}}`, 'maxTokens', /more than 5000 tokens/],
  ])('refuses a query over the %s limit: 400, GRAPHQL_VALIDATION_FAILED, no upstream call', async (_name, query, limit, message) => {
    const response = await gql(url, query);
    expect(response.status).toBe(400);
    const error = limitError(response);
    expect(error).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED', limit, message: expect.stringMatching(message) });
    expect(error?.message).toMatch(/^Query rejected: .*\(limit set by GRAPHQL_MAX_[A-Z]+\)\.$/);
    expect(response.data).toBeUndefined();
    expect(stack.simulator.calls()).toHaveLength(0);
  });

  it('answers a body over MAX_BODY_BYTES with 413 and a clear JSON error, and keeps serving', async () => {
    const query = `{ recordings(acdContactIds: [${BATCH.map((id) => `"${id}"`).join(',')}]) { acdContactId } }`;
    const body = JSON.stringify({ query, variables: { padding: 'x'.repeat(MAX_BODY_BYTES) } });
    const tooLarge = await rawPost(url, body);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.json).toEqual({
      errors: [
        {
          message: `The request body is larger than ${String(MAX_BODY_BYTES)} bytes (limit set by MAX_BODY_BYTES).`,
          extensions: { code: 'PAYLOAD_TOO_LARGE' },
        },
      ],
    });
    const notJson = await rawPost(url, '{"query": "{ __typename }"');
    expect(notJson.status).toBe(400);
    expect(notJson.json).toEqual({ errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }] });
    expect(notJson.text).not.toMatch(/\n\s+at /);
    expect(stack.simulator.calls()).toHaveLength(0);
    expect((await gql(url, '{ __typename }')).data).toEqual({ __typename: 'Query' });
    expect((await fetch(url.replace('/graphql', '/health'))).status).toBe(200);
  });

  it('caps recordings(acdContactIds:) at MAX_LIST_IDS (500) with BAD_USER_INPUT before any upstream call', async () => {
    const ids = bulkIds(501, 1000);
    const response = await gql(url, `query($ids: [ID!]!) { recordings(acdContactIds: $ids) { acdContactId } }`, {
      variables: { ids },
    });
    expect(codesByPath(response)).toEqual({ recordings: 'BAD_USER_INPUT' });
    expect(response.errors?.[0]?.message).toMatch(/500/);
    expect(stack.simulator.calls()).toHaveLength(0);
  });

  it('offers introspection and field suggestions outside production', async () => {
    const introspection = await gql<{ __schema: { queryType: { name: string } } }>(url, '{ __schema { queryType { name } } }');
    expect(introspection.data?.__schema.queryType.name).toBe('Query');
    const typo = await gql(url, `{ recordng(acdContactId: "${SEEDED.voice}") { acdContactId } }`);
    expect(typo.errors?.[0]?.message).toMatch(/Did you mean "recording"/);
  });
});

describe('production (NODE_ENV=production, ROUTER_SECRET set)', () => {
  let stack: Stack;
  let url: string;
  const routed = { 'x-router-secret': SECRET };

  beforeAll(async () => {
    stack = await startStack({ env: { NODE_ENV: 'production', ROUTER_SECRET: SECRET } });
    url = stack.app.url;
  });
  afterAll(async () => {
    await stack.close();
  });
  beforeEach(() => {
    stack.simulator.resetCalls();
  });

  it.each([
    ['no header', {}],
    ['a wrong secret', { 'x-router-secret': 'router-secret-0123456789abcdeX' }],
    ['a prefix of the secret', { 'x-router-secret': SECRET.slice(0, -1) }],
    ['an empty header', { 'x-router-secret': '' }],
  ])('answers nothing with %s: 401 JSON for queries, _service and _entities', async (_name, headers: Record<string, string>) => {
    for (const query of [
      `{ recording(acdContactId: "${SEEDED.voice}") { acdContactId } }`,
      '{ _service { sdl } }',
      `{ _entities(representations: [{ __typename: "Contact", acdContactId: "${SEEDED.voice}" }]) { ... on Contact { recording { acdContactId } } } }`,
    ]) {
      const response = await rawPost(url, JSON.stringify({ query }), headers);
      expect(response.status, query).toBe(401);
      expect(response.json).toEqual({
        errors: [
          {
            message: 'This subgraph answers only its router: the x-router-secret header is missing or wrong.',
            extensions: { code: 'UNAUTHENTICATED' },
          },
        ],
      });
      expect(response.text).not.toContain('sdl');
    }
    const viaGet = await fetch(`${url}?query=${encodeURIComponent('{ _service { sdl } }')}`, { headers: { 'apollo-require-preflight': 'true', ...headers } });
    expect(viaGet.status).toBe(401);
    expect(stack.simulator.calls()).toHaveLength(0);
  });

  it('answers the router, keeps /health and /metrics open', async () => {
    const sdl = await gql<{ _service: { sdl: string } }>(url, '{ _service { sdl } }', { headers: routed });
    expect(sdl.data?._service.sdl).toContain('type CxoneRecording');
    const recording = await gql<{ recording: { acdContactId: string } }>(
      url,
      `{ recording(acdContactId: "${SEEDED.voice}") { acdContactId } }`,
      { headers: routed },
    );
    expect(recording.data?.recording.acdContactId).toBe(SEEDED.voice);
    expect((await fetch(url.replace('/graphql', '/health'))).status).toBe(200);
    expect((await fetch(url.replace('/graphql', '/metrics'))).status).toBe(200);
  });

  it('turns off introspection and field suggestions', async () => {
    const introspection = await gql(url, '{ __schema { queryType { name } } }', { headers: routed });
    expect(introspection.status).toBe(400);
    expect(introspection.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(introspection.errors?.[0]?.message).toMatch(/introspection/i);
    const typo = await gql(url, `{ recordng(acdContactId: "${SEEDED.voice}") { acdContactId } }`, { headers: routed });
    expect(typo.errors?.[0]?.message).toMatch(/Cannot query field "recordng"/);
    expect(typo.errors?.[0]?.message).not.toMatch(/Did you mean/);
  });

  it('never sends a stack trace', async () => {
    const responses = await Promise.all([
      gql(url, '{ nope }', { headers: routed }),
      gql(url, `{ recording(acdContactId: "${SEEDED.serverError}") { acdContactId } }`, { headers: routed }),
      gql(url, '{ recording(acdContactId: "x") { acdContactId } }', { headers: routed }),
      gql(url, `{ ${'__typename '.repeat(5001)}}`, { headers: routed }),
    ]);
    const broken = await rawPost(url, '{"query":', routed);
    for (const text of [...responses.map((r) => JSON.stringify(r.errors)), broken.text]) {
      expect(text).not.toContain('stacktrace');
      expect(text).not.toMatch(/\s+at .+:\d+:\d+/);
    }
    expect(responses.map((r) => r.errors?.[0]?.extensions?.['code'])).toEqual([
      'GRAPHQL_VALIDATION_FAILED',
      'UPSTREAM_UNAVAILABLE',
      'BAD_USER_INPUT',
      'GRAPHQL_VALIDATION_FAILED',
    ]);
  });
});
