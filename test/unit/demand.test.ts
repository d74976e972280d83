/** The demand-control estimate (Apollo's static estimate): the numbers the README and the limits rely on. */
import { describe, expect, it } from 'vitest';
import { Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { estimateCost } from '../../src/guards/demand.js';
import { typeDefs } from '../../src/server.js';
import { RECORDING_FIELDS } from '../helpers/selections.js';

const schema = buildSubgraphSchema({ typeDefs });

function cost(query: string, variables: Record<string, unknown> = {}): number {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  if (operation === undefined) throw new Error('no operation');
  return estimateCost(schema, operation, fragments, variables, { assumedListSize: 5 }).cost;
}

const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => String(200000000001 + i));

describe('estimateCost', () => {
  it('multiplies nested sized lists: 500 ids x 500 statements = 500 x (1 + 500)', () => {
    const query = `query($ids: [ID!]!, $st: [ID!]!) { recordings(acdContactIds: $ids) { statements(statementIds: $st) { playerUrl } } }`;
    expect(cost(query, { ids: ids(500), st: ids(500) })).toBe(250_500);
    expect(cost(query, { ids: ids(5), st: ids(2) })).toBe(15);
  });

  it("a router's 500-contact page selecting every recording field: 43,000 (under the 50,000 default)", () => {
    const query = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Contact { __typename acdContactId recording { ${RECORDING_FIELDS} } } } }`;
    const representations = ids(500).map((acdContactId) => ({ __typename: 'Contact', acdContactId }));
    expect(cost(query, { representations })).toBe(43_000);
  });

  it('counts literals, named fragments and a single value for a list argument', () => {
    expect(cost(`{ recordings(acdContactIds: ["1", "2", "3"]) { ...R } } fragment R on CxoneRecording { mediaUrl { url } }`)).toBe(6);
    expect(cost(`query($ids: [ID!]!) { recordings(acdContactIds: $ids) { acdContactId } }`, { ids: '1' })).toBe(1);
    expect(cost(`{ recording(acdContactId: "1") { acdContactId playerUrl } }`)).toBe(1);
  });
});
