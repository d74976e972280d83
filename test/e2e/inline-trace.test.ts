/**
 * Inline traces (`ftv1`) for a router's field statistics: present, decodable and naming our fields
 * only when the router asks with `apollo-federation-include-trace: ftv1`; absent otherwise. Over real
 * HTTP, directly and through @apollo/gateway collecting traces as a router reporting to Studio does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Trace } from '@apollo/usage-reporting-protobuf';
import { gql } from '../helpers/graphql.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { SEEDED } from '../../src/simulator/index.js';
import { crmContacts, startCrmSubgraph, type RunningCrm } from '../../src/dev/crm-subgraph.js';
import { startGateway, type RunningGateway } from '../../src/dev/gateway.js';

const ASK = { 'apollo-federation-include-trace': 'ftv1' };
const RECORDING = /* GraphQL */ `
  query One($id: ID!) { recording(acdContactId: $id) { acdContactId durationSeconds } }
`;
const ENTITIES = /* GraphQL */ `
  query Entities($representations: [_Any!]!) {
    _entities(representations: $representations) { ... on Contact { recording { acdContactId } } }
  }
`;

/** Every node of a trace tree, depth first. */
function nodes(node: Trace.INode | null | undefined): Trace.INode[] {
  if (node === null || node === undefined) return [];
  return [node, ...(node.child ?? []).flatMap((child) => nodes(child))];
}

function decode(ftv1: unknown): Trace {
  expect(typeof ftv1).toBe('string');
  return Trace.decode(Buffer.from(ftv1 as string, 'base64'));
}

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.close();
});

describe('inline traces, asked for directly', () => {
  it('are absent when the router does not ask', async () => {
    const response = await gql(stack.app.url, RECORDING, { variables: { id: SEEDED.voice } });
    expect(response.errors).toBeUndefined();
    expect(response.extensions?.['ftv1']).toBeUndefined();
  });

  it('carry the Query.recording field when asked', async () => {
    const response = await gql(stack.app.url, RECORDING, { variables: { id: SEEDED.voice }, headers: ASK });
    expect(response.errors).toBeUndefined();
    const trace = decode(response.extensions?.['ftv1']);
    const recording = nodes(trace.root).find((node) => node.responseName === 'recording');
    expect(recording?.parentType).toBe('Query');
    expect(recording?.type).toBe('CxoneRecording');
    expect(Number(trace.durationNs)).toBeGreaterThan(0);
    // Fields below it are timed too.
    expect(nodes(recording).map((node) => node.responseName)).toContain('durationSeconds');
  });

  it('carry Contact.recording of an _entities batch, and stay off for the next unasked request', async () => {
    const representations = [SEEDED.voice, SEEDED.chat].map((acdContactId) => ({ __typename: 'Contact', acdContactId }));
    const asked = await gql(stack.app.url, ENTITIES, { variables: { representations }, headers: ASK });
    expect(asked.errors).toBeUndefined();
    const traced = nodes(decode(asked.extensions?.['ftv1']).root).filter(
      (node) => node.responseName === 'recording' && node.parentType === 'Contact',
    );
    expect(traced).toHaveLength(2);

    const unasked = await gql(stack.app.url, ENTITIES, { variables: { representations } });
    expect(unasked.errors).toBeUndefined();
    expect(unasked.extensions?.['ftv1']).toBeUndefined();
  });

  it('mask error messages, keeping where the error was', async () => {
    const response = await gql(stack.app.url, RECORDING, { variables: { id: SEEDED.preCutoff }, headers: ASK });
    expect(response.errors?.[0]?.extensions?.['code']).toBe('RECORDING_NOT_FOUND');
    const recording = nodes(decode(response.extensions?.['ftv1']).root).find((node) => node.responseName === 'recording');
    expect(recording?.error?.map((error) => error.message)).toEqual(['<masked>']);
  });
});

describe('inline traces through @apollo/gateway', () => {
  let crm: RunningCrm;
  let gateway: RunningGateway;
  const planTraces: Trace.IQueryPlanNode[] = [];

  beforeAll(async () => {
    crm = await startCrmSubgraph(crmContacts([SEEDED.voice, SEEDED.chat]));
    gateway = await startGateway({
      crmUrl: crm.url,
      recordingsUrl: stack.app.url,
      onQueryPlanTrace: (trace) => planTraces.push(trace),
    });
  });
  afterAll(async () => {
    await gateway.close();
    await crm.close();
  });

  it("hands the gateway our trace, with Contact.recording timed, in the query plan's fetch to us", async () => {
    const response = await gql(gateway.url, '{ contacts(first: 2) { acdContactId recording { durationSeconds } } }');
    expect(response.errors).toBeUndefined();
    expect(planTraces).toHaveLength(1);

    const fetches: Trace.QueryPlanNode.IFetchNode[] = [];
    const walk = (node: Trace.IQueryPlanNode | null | undefined): void => {
      if (node === null || node === undefined) return;
      if (node.fetch) fetches.push(node.fetch);
      node.sequence?.nodes?.forEach(walk);
      node.parallel?.nodes?.forEach(walk);
      walk(node.flatten?.node);
    };
    walk(planTraces[0]);
    const ours = fetches.find((fetch) => fetch.serviceName === 'recordings');
    expect(ours?.traceParsingFailed).toBeFalsy();
    const recordings = nodes(ours?.trace?.root).filter(
      (node) => node.responseName === 'recording' && node.parentType === 'Contact',
    );
    expect(recordings).toHaveLength(2);
  });
});
