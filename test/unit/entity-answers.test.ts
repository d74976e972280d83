/**
 * Entity answers in two halves: the pipeline decides which answer is an entity fetch and which of
 * its parts may be kept (`entityPartsOf`, src/answers/plugin.ts: one operation selecting only
 * `_entities(representations: $variable)`, no directive, no extensions, no error outside the
 * slots); src/http/entity-answers.ts only keys requests of a shape the pipeline named.
 */
import { describe, expect, it } from 'vitest';
import { parse, type FormattedExecutionResult, type OperationDefinitionNode } from 'graphql';
import { entityPartsOf } from '../../src/answers/plugin.js';
import { entitiesAnswerText } from '../../src/answers/policy.js';
import { entityRequestOf, jsonRequestOf } from '../../src/http/entity-answers.js';

const QUERY = 'query E($representations: [_Any!]!) { _entities(representations: $representations) { ... on Contact { recording { acdContactId } } } }';
const reps = [{ __typename: 'Contact', acdContactId: '1' }, { __typename: 'Contact', acdContactId: '2' }];
const SHAPE = { responseKey: '_entities', variable: 'representations' };
const ENTITIES = { data: { _entities: [{ recording: { acdContactId: '1' } }, { recording: { acdContactId: '2' } }] } };

function parts(query: string, result: FormattedExecutionResult = ENTITIES, operationName?: string) {
  const document = parse(query);
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
  const operation = operationName === undefined ? operations[0] : operations.find((o) => o.name?.value === operationName);
  return entityPartsOf(document, operation, { errors: result.errors, data: result.data, extensions: result.extensions }, (_variable, slot) => 1_000 + slot);
}

describe('entityPartsOf: what the pipeline calls an entity fetch', () => {
  it('splits a router entity fetch into one JSON text per slot, as Apollo serialises it', () => {
    const found = parts(QUERY);
    expect(found?.responseKey).toBe('_entities');
    expect(found?.variable).toBe('representations');
    expect(found?.parts).toEqual(ENTITIES.data._entities.map((entity, slot) => ({ body: JSON.stringify(entity), expiresAt: 1_000 + slot })));
    expect(entitiesAnswerText('_entities', found?.parts.map((part) => part?.body ?? '') ?? [], [])).toBe(JSON.stringify(ENTITIES));
  });

  it('keeps an alias as the response key', () => {
    const aliased = QUERY.replace('_entities(', 'found: _entities(');
    expect(parts(aliased, { data: { found: [{ a: 1 }] } })?.responseKey).toBe('found');
  });

  it('leaves out the slot of an entity with an error, and everything for an error outside the slots', () => {
    const slotError = { ...ENTITIES, errors: [{ message: 'x', path: ['_entities', 1, 'recording'] }] };
    expect(parts(QUERY, slotError)?.parts[1]).toBeNull();
    expect(parts(QUERY, slotError)?.parts[0]).not.toBeNull();
    expect(parts(QUERY, { ...ENTITIES, errors: [{ message: 'too large' }] })).toBeNull();
  });

  it.each<[string, string]>([
    ['a mutation', QUERY.replace('query E', 'mutation E')],
    ['another root field beside it', QUERY.replace('} } } }', '} } } _service { sdl } }')],
    ['another root field', 'query { _service { sdl } }'],
    ['an inline representations list', '{ _entities(representations: [{__typename: "Contact", acdContactId: "1"}]) { __typename } }'],
    ['a directive anywhere', QUERY.replace('recording {', 'recording @skip(if: false) {')],
    ['@defer', QUERY.replace('... on Contact', '... on Contact @defer')],
  ])('is not %s', (_name, query) => {
    expect(parts(query)).toBeNull();
  });

  it('is nothing with extensions in the answer (an inline trace)', () => {
    expect(parts(QUERY, { ...ENTITIES, extensions: { ftv1: 'x' } })).toBeNull();
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
