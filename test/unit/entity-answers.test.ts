/**
 * Entity answers in two halves: the pipeline decides which answer is an entity fetch and which of
 * its parts may be kept (src/answers/plugin.ts, run here in a real Apollo subgraph: one operation
 * selecting only `_entities(representations: $variable)`, no directive, no extensions, no error
 * outside the slots); src/http/entity-answers.ts only keys requests of a shape the pipeline named.
 */
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginInlineTrace } from '@apollo/server/plugin/inlineTrace';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { answerPolicyPlugin } from '../../src/answers/plugin.js';
import { AnswerRecord, entitiesAnswerText, type EntityParts } from '../../src/answers/policy.js';
import { entityRequestOf, jsonRequestOf } from '../../src/http/entity-answers.js';

const QUERY = 'query E($representations: [_Any!]!) { _entities(representations: $representations) { ... on Contact { recording { acdContactId } } } }';
const reps = [{ __typename: 'Contact', acdContactId: '1' }, { __typename: 'Contact', acdContactId: '2' }];
const SHAPE = { responseKey: '_entities', variable: 'representations' };
const ENTITIES = { data: { _entities: [{ recording: { acdContactId: '1' } }, { recording: { acdContactId: '2' } }] } };
interface Context {
  readonly answer: AnswerRecord;
}

const SCOPE = { scope: 'tenant:user|', linksScope: 'tenant:user' };
const START = 1_000_000;
/** Each contact's link lives 60 s plus its id in ms, so each part's expiry is its own. */
const lifetimeOf = (id: string): number => 60_000 + Number(id);

const subgraph = buildSubgraphSchema({
  typeDefs: parse(`
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
    type Contact @key(fields: "acdContactId") { acdContactId: ID! recording: Recording }
    type Recording { acdContactId: ID! }
    type Query { ping: Boolean }
    scalar Representation
    type Mutation { _entities(representations: [Representation!]!): [Contact]! }
  `),
  resolvers: {
    Contact: {
      recording: (contact: { acdContactId: string }, _args: unknown, context: unknown) => {
        const { answer } = context as Context;
        if (contact.acdContactId === 'fails') {
          // A link read, then an error: only the error keeps the slot out.
          answer.linkRead(60_000, contact.acdContactId);
          throw new Error('upstream failed');
        }
        answer.linkRead(lifetimeOf(contact.acdContactId), contact.acdContactId);
        return { acdContactId: contact.acdContactId };
      },
    },
    Query: { ping: () => true },
    Mutation: { _entities: (_root: unknown, args: { representations: unknown[] }) => args.representations },
  },
});

/** The entity parts the pipeline allows to be kept for `query` (null: not an entity fetch, or nothing kept). */
async function parts(query: string, options: { representations?: unknown[]; variable?: string; maxBytes?: number; trace?: boolean } = {}): Promise<EntityParts | null> {
  const answers = answerPolicyPlugin<Context>({ recordOf: (context) => context.answer, maxResponseBytes: options.maxBytes ?? 10_000 });
  const server = new ApolloServer<Context>({
    schema: subgraph,
    plugins: [...(options.trace === true ? [ApolloServerPluginInlineTrace()] : []), answers.plugin],
    stringifyResult: answers.stringify,
  });
  await server.start();
  const answer = new AnswerRecord(SCOPE, START);
  const headers = new HeaderMap([['content-type', 'application/json']]);
  if (options.trace === true) headers.set('apollo-federation-include-trace', 'ftv1');
  try {
    const response = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: 'POST', headers, search: '', body: { query, variables: { [options.variable ?? 'representations']: options.representations ?? reps } } },
      context: () => Promise.resolve({ answer }),
    });
    expect(response.status ?? 200).toBe(200);
    return answer.policy?.replay?.entities ?? null;
  } finally {
    await server.stop();
  }
}

describe('the answer policy: what the pipeline calls an entity fetch', () => {
  it('splits a router entity fetch into one JSON text per slot, as Apollo serialises it, each with its own expiry', async () => {
    const found = await parts(QUERY);
    expect(found?.responseKey).toBe('_entities');
    expect(found?.variable).toBe('representations');
    expect(found?.parts).toEqual(ENTITIES.data._entities.map((entity) => ({ body: JSON.stringify(entity), expiresAt: START + lifetimeOf(entity.recording.acdContactId) })));
    expect(entitiesAnswerText('_entities', found?.parts.map((part) => part?.body ?? '') ?? [], [])).toBe(JSON.stringify(ENTITIES));
  });

  it('keeps an alias as the response key, and the variable as named', async () => {
    const aliased = QUERY.replace('_entities(', 'found: _entities(').replaceAll('$representations', '$reps');
    const found = await parts(aliased, { variable: 'reps' });
    expect(found?.responseKey).toBe('found');
    expect(found?.variable).toBe('reps');
    expect(found?.parts).toHaveLength(2);
  });

  it('leaves out the slot of an entity with an error, and everything for an answer over the byte bound', async () => {
    const withFailure = await parts(QUERY, { representations: [reps[0], { __typename: 'Contact', acdContactId: 'fails' }] });
    expect(withFailure?.parts[0]).not.toBeNull();
    expect(withFailure?.parts[1]).toBeNull();
    expect(await parts(QUERY, { maxBytes: 20 })).toBeNull();
  });

  it.each<[string, string]>([
    ['a mutation', QUERY.replace('query E', 'mutation E').replace('[_Any!]!', '[Representation!]!')],
    ['another root field beside it', QUERY.replace('} } } }', '} } } ping }')],
    ['an inline representations list', '{ _entities(representations: [{__typename: "Contact", acdContactId: "1"}]) { ... on Contact { recording { acdContactId } } } }'],
    ['a directive anywhere', QUERY.replace('recording {', 'recording @skip(if: false) {')],
  ])('is not %s', async (_name, query) => {
    expect(await parts(query)).toBeNull();
  });

  it('is nothing with extensions in the answer (an inline trace)', async () => {
    expect(await parts(QUERY, { trace: true })).toBeNull();
  });
});

describe('keying a request of a known shape (src/http/entity-answers.ts)', () => {
  const request = (body: unknown, url = '/graphql', accept = '') => {
    const json = jsonRequestOf(body, url, accept);
    return json === null ? null : entityRequestOf(json, SHAPE);
  };

  it('one key per representation, as sent', () => {
    expect(request({ query: QUERY, variables: { representations: reps } })?.representationKeys).toEqual(reps.map((rep) => JSON.stringify(rep)));
  });

  it('names the operation by everything but the representations: body, other variables, path and accept', () => {
    const key = (body: Record<string, unknown>, url?: string, accept?: string) =>
      request({ query: QUERY, variables: { representations: reps }, ...body }, url, accept)?.operationKey;
    const base = key({});
    expect(base).toBeDefined();
    expect(key({ operationName: 'E' })).not.toBe(base);
    expect(key({ extensions: { persistedQuery: { version: 1, sha256Hash: 'a' } } })).not.toBe(base);
    expect(key({ variables: { representations: reps, mediaType: 'VOICE' } })).not.toBe(base);
    expect(key({}, '/graphql?x=1')).not.toBe(base);
    expect(key({}, '/graphql', 'application/graphql-response+json')).not.toBe(base);
    expect(key({ variables: { representations: [reps[1]] } })).toBe(base);
  });

  it.each<[string, unknown]>([
    ['not an object', [QUERY]],
    ['no variables', { query: QUERY }],
    ['no representations', { query: QUERY, variables: { representations: [] } }],
    ['a representation that is not an object', { query: QUERY, variables: { representations: [...reps, 'x'] } }],
    ['a representation that is a list', { query: QUERY, variables: { representations: [[1]] } }],
  ])('refuses %s', (_name, body) => {
    expect(request(body)).toBeNull();
  });

  it('refuses more than 1,000 representations (the pipeline and its limits take them)', () => {
    const many = Array.from({ length: 1_001 }, (_, index) => ({ __typename: 'Contact', acdContactId: String(index) }));
    expect(request({ query: QUERY, variables: { representations: many } })).toBeNull();
  });
});

describe('entitiesAnswerText: a page put together from kept entities and an executed part', () => {
  it('writes what JSON.stringify writes for the whole page, each error re-pointed at its slot', () => {
    const error = (slot: number) => ({ message: 'Recording not found', locations: [{ line: 1, column: 90 }], path: ['found', slot, 'recording'], extensions: { code: 'RECORDING_NOT_FOUND' } });
    const whole = {
      errors: [error(1), error(3)],
      data: { found: [{ recording: { acdContactId: '1' } }, { recording: null }, { recording: { acdContactId: 'é' } }, { recording: null }] },
    };
    const bodies = whole.data.found.map((entity) => JSON.stringify(entity));
    // The executed part held slots 1 and 3 of the page as its slots 0 and 1.
    const errors = [
      { slot: 1, error: error(0) },
      { slot: 3, error: error(1) },
    ];
    expect(entitiesAnswerText('found', bodies, errors)).toBe(JSON.stringify(whole));
    expect(entitiesAnswerText('found', bodies.slice(0, 1), [])).toBe(JSON.stringify({ data: { found: whole.data.found.slice(0, 1) } }));
  });
});
