/**
 * Which requests entity answers may take (src/http/entity-answers.ts): only a plain entity fetch,
 * one operation selecting only `_entities(representations: $variable)`, no directive, no
 * `extensions`, object representations. Everything else runs Apollo's pipeline.
 */
import { describe, expect, it } from 'vitest';
import { entitiesBody, entityRequestOf } from '../../src/http/entity-answers.js';

const QUERY = 'query E($representations: [_Any!]!) { _entities(representations: $representations) { ... on Contact { recording { acdContactId } } } }';
const reps = [{ __typename: 'Contact', acdContactId: '1' }, { __typename: 'Contact', acdContactId: '2' }];
const request = (body: unknown, url = '/graphql', accept = '') => entityRequestOf(body, url, accept);

describe('entityRequestOf', () => {
  it('takes a router entity fetch: one key per representation, as sent', () => {
    const taken = request({ query: QUERY, variables: { representations: reps }, operationName: 'E' });
    expect(taken?.responseKey).toBe('_entities');
    expect(taken?.representationKeys).toEqual(reps.map((rep) => JSON.stringify(rep)));
  });

  it('names the operation by query text, other variables, path and accept', () => {
    const key = (body: Record<string, unknown>, url?: string, accept?: string) =>
      request({ query: QUERY, variables: { representations: reps }, ...body }, url, accept)?.operationKey;
    const base = key({});
    expect(base).toBeDefined();
    // Naming the document's only operation or not: the same operation.
    expect(key({ operationName: 'E' })).toBe(base);
    expect(request({ query: QUERY.replace('query E', 'query F'), variables: { representations: reps } })?.operationKey).not.toBe(base);
    expect(key({ variables: { representations: reps, mediaType: 'VOICE' } })).not.toBe(base);
    expect(key({}, '/graphql?x=1')).not.toBe(base);
    expect(key({}, '/graphql', 'application/graphql-response+json')).not.toBe(base);
    // Not the representations: they are the entities' own keys.
    expect(key({ variables: { representations: [reps[1]] } })).toBe(base);
  });

  it('keeps an alias as the response key', () => {
    const aliased = QUERY.replace('_entities(', 'found: _entities(');
    expect(request({ query: aliased, variables: { representations: reps } })?.responseKey).toBe('found');
    expect(entitiesBody('found', ['{"a":1}', 'null'])).toBe(JSON.stringify({ data: { found: [{ a: 1 }, null] } }));
  });

  it.each<[string, unknown]>([
    ['not an object', [QUERY]],
    ['extensions (persisted queries and the like)', { query: QUERY, variables: { representations: reps }, extensions: {} }],
    ['no variables', { query: QUERY }],
    ['another operation name', { query: QUERY, variables: { representations: reps }, operationName: 'Other' }],
    ['no representations', { query: QUERY, variables: { representations: [] } }],
    ['a representation that is not an object', { query: QUERY, variables: { representations: [...reps, 'x'] } }],
    ['a representation that is a list', { query: QUERY, variables: { representations: [[1]] } }],
    ['unparseable query', { query: '{ _entities(', variables: { representations: reps } }],
    ['a mutation', { query: QUERY.replace('query E', 'mutation E'), variables: { representations: reps } }],
    ['two operations', { query: `${QUERY} query F { _service { sdl } }`, variables: { representations: reps }, operationName: 'E' }],
    ['another root field beside it', { query: QUERY.replace('} } } }', '} } } _service { sdl } }'), variables: { representations: reps } }],
    ['another root field', { query: 'query { _service { sdl } }', variables: {} }],
    ['an inline representations list', { query: '{ _entities(representations: [{__typename: "Contact", acdContactId: "1"}]) { __typename } }', variables: {} }],
    ['a directive anywhere', { query: QUERY.replace('recording {', 'recording @skip(if: false) {'), variables: { representations: reps } }],
    ['@defer', { query: QUERY.replace('... on Contact', '... on Contact @defer'), variables: { representations: reps } }],
  ])('refuses %s', (_name, body) => {
    expect(request(body)).toBeNull();
  });

  it('refuses more than 1,000 representations (the pipeline and its limits take them)', () => {
    const many = Array.from({ length: 1_001 }, (_, index) => ({ __typename: 'Contact', acdContactId: String(index) }));
    expect(request({ query: QUERY, variables: { representations: many } })).toBeNull();
  });
});
