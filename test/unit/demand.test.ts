/** The demand-control estimate (Apollo's static estimate): the numbers the README and the limits rely on. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { GraphQLError, Kind, parse, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLRequestContextDidResolveOperation } from '@apollo/server';
import { demandControl, estimateCost, variableSizes, type DemandEstimate } from '../../src/guards/demand.js';
import { typeDefs } from '../../src/schema.js';
import { RECORDING_FIELDS } from '../helpers/selections.js';
import { DEFAULT_QUERY_LIMITS } from '../../src/guards/limits.js';

const schema = buildSubgraphSchema({ typeDefs });

function parts(document: DocumentNode): { operation: OperationDefinitionNode; fragments: Record<string, FragmentDefinitionNode> } {
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operation === undefined) throw new Error('no operation');
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  return { operation, fragments };
}

function cost(query: string, variables: Record<string, unknown> = {}): number {
  const { operation, fragments } = parts(parse(query));
  return estimateCost(schema, operation, fragments, variables, { assumedListSize: 5 }).cost;
}

const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => String(200000000001 + i));

/** The crash request: 99 recordings x 499 statements x (playerUrl downloadUrl + 30 aliases). */
function statementFlood(aliases: string): { query: string; variables: Record<string, unknown> } {
  return {
    query: `query($ids: [ID!]!, $st: [ID!]!) { recordings(acdContactIds: $ids) { statements(statementIds: $st) { playerUrl downloadUrl ${aliases} } } }`,
    variables: { ids: Array.from({ length: 99 }, () => '200000000001'), st: ids(499) },
  };
}

const aliasList = (n: number, field: string): string => Array.from({ length: n }, (_, i) => `a${String(i)}: ${field}`).join(' ');

describe('estimateCost counts every output position', () => {
  it('scalars, __typename and each alias are one position; a list and each item too', () => {
    expect(cost(`{ recording(acdContactId: "1") { acdContactId playerUrl } }`)).toBe(3);
    expect(cost(`{ recording(acdContactId: "1") { __typename t1: __typename t2: __typename } }`)).toBe(4);
    // recordings list (1) + 2 x (recording 1 + statements list 1 + 3 x (statement 1 + playerUrl 1))
    expect(cost(`query($ids: [ID!]!, $st: [ID!]!) { recordings(acdContactIds: $ids) { statements(statementIds: $st) { playerUrl } } }`, { ids: ids(2), st: ids(3) })).toBe(1 + 2 * (2 + 3 * 2));
  });

  it("the issue's requests are far over the default limit", () => {
    const scalars = statementFlood(aliasList(30, 'playerUrl'));
    expect(cost(scalars.query, scalars.variables)).toBeGreaterThan(DEFAULT_QUERY_LIMITS.estimatedCost);
    const typenames = statementFlood(aliasList(1500, '__typename'));
    expect(cost(typenames.query, typenames.variables)).toBeGreaterThan(DEFAULT_QUERY_LIMITS.estimatedCost);
    const entities = `query($r: [_Any!]!) { _entities(representations: $r) { ${aliasList(1600, '__typename')} } }`;
    const representations = ids(1000).map((acdContactId) => ({ __typename: 'Contact', acdContactId }));
    expect(cost(entities, { r: representations })).toBeGreaterThan(DEFAULT_QUERY_LIMITS.estimatedCost);
  });

  it('completedContacts edges are sized by `first` (the schema\'s @listSize), 50 when omitted', () => {
    const page = (first: string): string =>
      `{ completedContacts(from: "2024-01-01T00:00:00Z", to: "2024-01-02T00:00:00Z"${first}) { edges { cursor } } }`;
    // connection 1 + edges field 1 + n x (edge 1 + cursor 1)
    expect(cost(page(', first: 110'))).toBe(2 + 110 * 2);
    expect(cost(page(''))).toBe(2 + 50 * 2);
    expect(cost(`query($n: Int) { completedContacts(from: "2024-01-01T00:00:00Z", to: "2024-01-02T00:00:00Z", first: $n) { edges { cursor } } }`, { n: 7 })).toBe(2 + 7 * 2);
  });

  it("a router's 500-contact page selecting every recording field stays under the default limit", () => {
    const query = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Contact { __typename acdContactId recording { ${RECORDING_FIELDS} } } } }`;
    const representations = ids(500).map((acdContactId) => ({ __typename: 'Contact', acdContactId }));
    expect(cost(query, { representations })).toBeLessThan(DEFAULT_QUERY_LIMITS.estimatedCost);
  });
});

describe('estimateCost', () => {
  it('multiplies nested sized lists: 500 ids x 500 statements = 1 + 500 x (2 + 500 x 2)', () => {
    const query = `query($ids: [ID!]!, $st: [ID!]!) { recordings(acdContactIds: $ids) { statements(statementIds: $st) { playerUrl } } }`;
    expect(cost(query, { ids: ids(500), st: ids(500) })).toBe(501_001);
    expect(cost(query, { ids: ids(5), st: ids(2) })).toBe(31);
  });

  it("a router's 500-contact page selecting every recording field: 204,001 (under the 250,000 default)", () => {
    const query = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Contact { __typename acdContactId recording { ${RECORDING_FIELDS} } } } }`;
    const representations = ids(500).map((acdContactId) => ({ __typename: 'Contact', acdContactId }));
    expect(cost(query, { representations })).toBe(204_001);
  });

  it('counts literals, named fragments and a single value for a list argument', () => {
    expect(cost(`{ recordings(acdContactIds: ["1", "2", "3"]) { ...R } } fragment R on CxoneRecording { mediaUrl { url } }`)).toBe(10);
    expect(cost(`query($ids: [ID!]!) { recordings(acdContactIds: $ids) { acdContactId } }`, { ids: '1' })).toBe(3);
    expect(cost(`{ recording(acdContactId: "1") { acdContactId playerUrl } }`)).toBe(3);
  });
});

/** Operations whose estimate reads variables as list lengths, slicing numbers, or not at all. */
const SIZED_OPERATIONS = [
  `query($ids: [ID!]!, $st: [ID!]!) { recordings(acdContactIds: $ids) { statements(statementIds: $st) { playerUrl } } }`,
  `query($r: [_Any!]!, $unused: String) { _entities(representations: $r) { ... on Contact { recording { ...F } } } } fragment F on CxoneRecording { acdContactId mediaUrl { url } }`,
  `query($n: Int, $ids: [ID!]!) { completedContacts(from: "2024-01-01T00:00:00Z", to: "2024-01-02T00:00:00Z", first: $n) { edges { cursor } } recordings(acdContactIds: $ids) { acdContactId } }`,
].map((text) => parse(text));

/** A variable value, and another of the same size: other items of the same count, the same number, another absence or scalar. */
const sameSizePair = fc.oneof(
  fc.nat(30).chain((length) => fc.tuple(fc.array(fc.string(), { minLength: length, maxLength: length }), fc.array(fc.integer(), { minLength: length, maxLength: length }))),
  fc.integer({ min: -3, max: 300 }).map((n) => [n, n] as const),
  fc.constantFrom([null, undefined] as const, [undefined, null] as const, ['x', { a: 1 }] as const, [true, 'y'] as const),
);

describe('estimates remembered by variable sizes', () => {
  it('variables of the same sizes always have the same estimate, so a remembered one stands for them', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SIZED_OPERATIONS), fc.dictionary(fc.constantFrom('ids', 'st', 'r', 'n', 'unused'), sameSizePair), (document, pairs) => {
        const { operation, fragments } = parts(document);
        const first = Object.fromEntries(Object.entries(pairs).map(([name, [a]]) => [name, a]));
        const second = Object.fromEntries(Object.entries(pairs).map(([name, [, b]]) => [name, b]));
        expect(variableSizes(operation, first)).toBe(variableSizes(operation, second));
        const limits = { assumedListSize: 5 };
        expect(estimateCost(schema, operation, fragments, second, limits)).toEqual(estimateCost(schema, operation, fragments, first, limits));
      }),
      { numRuns: 500 },
    );
  });

  it('another list length or slicing number is another size', () => {
    const { operation } = parts(SIZED_OPERATIONS[2] ?? parse('{ __typename }'));
    expect(variableSizes(operation, { n: 7, ids: ids(2) })).not.toBe(variableSizes(operation, { n: 8, ids: ids(2) }));
    expect(variableSizes(operation, { n: 7, ids: ids(2) })).not.toBe(variableSizes(operation, { n: 7, ids: ids(3) }));
    expect(variableSizes(operation, { ids: ids(2) })).not.toBe(variableSizes(operation, { n: 0, ids: ids(2) }));
  });

  it('the plugin refuses a longer page of an operation whose shorter page it estimated before', async () => {
    const limits = { ...DEFAULT_QUERY_LIMITS, representations: 3 };
    const plugin = demandControl<{ demand?: DemandEstimate }>(limits);
    const document = parse(`query($r: [_Any!]!) { _entities(representations: $r) { __typename } }`);
    const { operation } = parts(document);
    const resolve = async (count: number): Promise<DemandEstimate | undefined> => {
      const contextValue: { demand?: DemandEstimate } = {};
      const listener = await plugin.requestDidStart?.({ contextValue } as never);
      const representations = ids(count).map((acdContactId) => ({ __typename: 'Contact', acdContactId }));
      const requestContext = { schema, document, operation, contextValue, request: { variables: { r: representations } } };
      await listener?.didResolveOperation?.(requestContext as unknown as GraphQLRequestContextDidResolveOperation<{ demand?: DemandEstimate }>);
      return contextValue.demand;
    };
    expect((await resolve(2))?.representations).toBe(2);
    expect((await resolve(2))?.representations).toBe(2);
    await expect(resolve(4)).rejects.toThrow(GraphQLError);
    expect((await resolve(3))?.cost).toBe(1 + 3 * 2);
  });
});
