/**
 * Malformed `_entities` representations: each gets BAD_USER_INPUT in its own slot, never
 * INTERNAL_SERVER_ERROR, no upstream call, and a flood of identical errors is one log line with a
 * count. Production never suggests enum values or fields, even through variables.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { SEEDED } from '../../src/simulator/index.js';
import { gql } from '../helpers/graphql.js';
import { bulkIds, startStack, type Stack } from '../helpers/stack.js';

const ENTITIES = /* GraphQL */ `
  query($representations: [_Any!]!) {
    _entities(representations: $representations) { ... on Contact { acdContactId recording { acdContactId } } }
  }
`;

const ONLY_RECORDING = /* GraphQL */ `
  query($representations: [_Any!]!) {
    _entities(representations: $representations) { ... on Contact { recording { acdContactId } } }
  }
`;

const lines: string[] = [];
const captureLogger = createLogger({
  level: 'info',
  destination: new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter((line) => line !== ''));
      done();
    },
  }),
});

describe('malformed _entities representations', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ logger: captureLogger });
  });
  afterAll(async () => {
    await stack.close();
  });
  beforeEach(() => {
    stack.simulator.resetCalls();
    lines.length = 0;
  });

  it.each([
    ['a number id (1e21)', { __typename: 'Contact', acdContactId: 1e21 }],
    ['a missing key', { __typename: 'Contact' }],
    ['a null key', { __typename: 'Contact', acdContactId: null }],
    ['an empty key', { __typename: 'Contact', acdContactId: '' }],
    ['a missing __typename', { acdContactId: SEEDED.voice }],
    ['a bare string', SEEDED.voice],
    ['an object id', { __typename: 'Contact', acdContactId: { $gt: '' } }],
  ])('%s: BAD_USER_INPUT, no upstream call, no stack trace', async (_name, representation) => {
    const response = await gql(url(), ENTITIES, {
      variables: { representations: [{ __typename: 'Contact', acdContactId: SEEDED.voice }, representation] },
    });
    const codes = (response.errors ?? []).map((error) => error.extensions?.['code']);
    expect(codes.length).toBeGreaterThan(0);
    expect(codes.every((code) => code === 'BAD_USER_INPUT'), JSON.stringify(response.errors)).toBe(true);
    expect(lines.filter((line) => line.includes('"level":50'))).toEqual([]);
  });

  it('a null or empty acdContactId on a CRM contact gives recording: null with BAD_USER_INPUT', async () => {
    for (const acdContactId of [null, '']) {
      // What a router sends for a CRM contact without a CXone id: it selects only our field.
      const response = await gql<{ _entities: Array<{ recording: unknown } | null> }>(url(), ONLY_RECORDING, {
        variables: { representations: [{ __typename: 'Contact', acdContactId: SEEDED.voice }, { __typename: 'Contact', acdContactId }] },
      });
      expect(response.data?._entities[0]?.recording).not.toBeNull();
      expect(response.data?._entities[1]?.recording ?? null).toBeNull();
      expect(response.errors?.map((error) => error.extensions?.['code'])).toEqual(['BAD_USER_INPUT']);
    }
    expect(stack.simulator.count('contacts')).toBeLessThanOrEqual(1);
  });

  it('logs a flood of identical errors once, with a count', async () => {
    const representations = [
      ...Array.from({ length: 300 }, () => ({ __typename: 'Contact', acdContactId: 1e21 })),
      ...Array.from({ length: 300 }, () => ({ __typename: 'Contact' })),
    ];
    const response = await gql(url(), ENTITIES, { variables: { representations } });
    expect(response.errors?.length).toBe(600);
    expect(stack.simulator.count('contacts')).toBe(0);
    const requestLines = lines.filter((line) => line.includes('"msg":"graphql request"'));
    expect(requestLines).toHaveLength(1);
    const logged = JSON.parse(requestLines[0] ?? '{}') as { errorCodes?: unknown };
    expect(logged.errorCodes).toEqual({ BAD_USER_INPUT: 600 });
    // Nothing else per item: a handful of lines for 600 errors.
    expect(lines.length).toBeLessThan(5);
    expect(lines.join('\n').length).toBeLessThan(4000);
  });

  it('a router batch of good contacts still resolves around the bad ones', async () => {
    const ids = bulkIds(3);
    const response = await gql<{ _entities: Array<{ recording: { acdContactId: string } | null } | null> }>(url(), ENTITIES, {
      variables: { representations: [...ids.map((acdContactId) => ({ __typename: 'Contact', acdContactId })), 'junk'] },
    });
    expect(response.data?._entities.slice(0, 3).map((entity) => entity?.recording?.acdContactId)).toEqual(ids);
  });

  function url(): string {
    return stack.app.url;
  }
});

describe('no suggestions in production, including through variables', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ env: { NODE_ENV: 'production' } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('a bad enum value in a variable names no valid value', async () => {
    const response = await gql(
      stack.app.url,
      `query($m: CxoneMediaType) { recording(acdContactId: "${SEEDED.voice}", mediaType: $m) { acdContactId } }`,
      { variables: { m: 'VOICE_ONL' } },
    );
    expect(response.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    const text = JSON.stringify(response.errors);
    expect(text).not.toMatch(/Did you mean/);
    expect(text).not.toContain('VOICE_ONLY');
  });

  it('nor in a literal', async () => {
    const response = await gql(stack.app.url, `{ recording(acdContactId: "${SEEDED.voice}", mediaType: VOICE_ONL) { acdContactId } }`);
    expect(JSON.stringify(response.errors)).not.toMatch(/Did you mean|VOICE_ONLY/);
  });
});
