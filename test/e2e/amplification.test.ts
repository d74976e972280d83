/**
 * Amplification probes: a small request that asks for a huge amount of work is refused
 * before any work, counted the way a router's demand control counts it (list sizes from arguments,
 * literal or variable, `_entities` representations, nested lists multiplied). The heap growth of
 * each probe is measured and printed, so the figures can be reported.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { codesByPath, gql, type GraphQLResponse } from '../helpers/graphql.js';
import { bulkIds, startStack, type Stack } from '../helpers/stack.js';
import { SEEDED } from '../../src/simulator/index.js';

const STATEMENTS = /* GraphQL */ `
  query Amplify($ids: [ID!]!, $st: [ID!]!) {
    recordings(acdContactIds: $ids) { acdContactId statements(statementIds: $st) { playerUrl downloadUrl } }
  }
`;
const ENTITY_STATEMENTS = /* GraphQL */ `
  query Amplify($representations: [_Any!]!, $st: [ID!]!) {
    _entities(representations: $representations) {
      ... on Contact { recording { statements(statementIds: $st) { playerUrl downloadUrl } } }
    }
  }
`;

function limitOf(response: GraphQLResponse<unknown>): { code: unknown; limit: unknown } | undefined {
  const error = response.errors?.[0];
  return error === undefined ? undefined : { code: error.extensions?.['code'], limit: error.extensions?.['limit'] };
}

/** Heap growth (MiB) across `run`, after a GC when the process allows one. */
async function heapGrowthMiB<T>(run: () => Promise<T>): Promise<{ result: T; growthMiB: number; peakMiB: number }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 5);
  try {
    const result = await run();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    return { result, growthMiB: (process.memoryUsage().heapUsed - before) / 2 ** 20, peakMiB: (peak - before) / 2 ** 20 };
  } finally {
    clearInterval(sampler);
  }
}

const STATEMENT_IDS = Array.from({ length: 500 }, (_, i) => String(5001 + i));

describe('request cost counts what the request will really do', () => {
  let stack: Stack;
  let url: string;

  beforeAll(async () => {
    stack = await startStack({ env: { MAX_RESPONSE_BYTES: String(2 * 1024 * 1024) } });
    url = stack.app.url;
  });
  afterAll(async () => {
    await stack.close();
  });
  beforeEach(() => {
    stack.simulator.resetCalls();
  });
  /** Media Playback calls only (verifying a caller may fetch the simulator's key set). */
  function mediaPlaybackCalls(): number {
    return stack.simulator.count('contacts') + stack.simulator.count('statements') + stack.simulator.count('segments');
  }

  it('refuses 500 ids x 500 statement ids (variables) before any work', async () => {
    const { result, growthMiB, peakMiB } = await heapGrowthMiB(() =>
      gql(url, STATEMENTS, { variables: { ids: bulkIds(500), st: STATEMENT_IDS } }),
    );
    console.info(`[memory] 500x500 statements: heap +${growthMiB.toFixed(1)} MiB (peak +${peakMiB.toFixed(1)} MiB)`);
    expect(result.status).toBe(400);
    expect(limitOf(result)).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'maxEstimatedCost' });
    expect(result.errors?.[0]?.message).toMatch(/751,?501/);
    expect(result.data).toBeUndefined();
    expect(mediaPlaybackCalls()).toBe(0);
    expect(peakMiB).toBeLessThan(50);
  });

  it('counts list literals the same as variables', async () => {
    const ids = bulkIds(500).map((id) => `"${id}"`).join(',');
    const st = STATEMENT_IDS.map((id) => `"${id}"`).join(',');
    const result = await gql(url, `{ recordings(acdContactIds: [${ids}]) { statements(statementIds: [${st}]) { playerUrl } } }`);
    expect(result.status).toBe(400);
    expect(limitOf(result)).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'maxEstimatedCost' });
    expect(mediaPlaybackCalls()).toBe(0);
  });

  it('refuses 4,000 _entities representations x 500 statement ids before any work', async () => {
    const representations = bulkIds(4000).map((acdContactId) => ({ __typename: 'Contact', acdContactId }));
    const { result, growthMiB, peakMiB } = await heapGrowthMiB(() =>
      gql(url, ENTITY_STATEMENTS, { variables: { representations, st: STATEMENT_IDS } }),
    );
    console.info(`[memory] 4,000 representations x 500 statements: heap +${growthMiB.toFixed(1)} MiB (peak +${peakMiB.toFixed(1)} MiB)`);
    expect(result.status).toBe(400);
    expect(limitOf(result)).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'maxEstimatedCost' });
    expect(mediaPlaybackCalls()).toBe(0);
    expect(peakMiB).toBeLessThan(50);
    // And the process still answers at once.
    expect((await fetch(url.replace('/graphql', '/health'))).status).toBe(200);
  });

  it('refuses 4,000 _entities representations even with a cheap selection (each is an upstream call)', async () => {
    const representations = bulkIds(4000).map((acdContactId) => ({ __typename: 'Contact', acdContactId }));
    const result = await gql(
      url,
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Contact { recording { acdContactId mediaUrl { url } segments { segmentId } } } } }`,
      { variables: { representations } },
    );
    expect(result.status).toBe(400);
    expect(limitOf(result)).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'maxRepresentations' });
    expect(mediaPlaybackCalls()).toBe(0);
  });

  it('lets a modest nested request through (5 ids x 2 statements)', async () => {
    const result = await gql<{ recordings: Array<{ statements: unknown[] }> }>(url, STATEMENTS, {
      variables: { ids: [SEEDED.voice, ...bulkIds(4)], st: [SEEDED.voiceStatement, SEEDED.voiceStatement2] },
    });
    expect(result.errors).toBeUndefined();
    expect(result.data?.recordings.map((r) => r.statements.length)).toEqual([2, 2, 2, 2, 2]);
  });

  it('ends a response that would pass MAX_RESPONSE_BYTES with a clear error instead', async () => {
    // 200 ids x 200 statements passes the cost limit (40,200) but its links are ~9 MB of JSON.
    const ids = bulkIds(200, 300);
    const { result, peakMiB } = await heapGrowthMiB(() =>
      gql(url, STATEMENTS, { variables: { ids, st: STATEMENT_IDS.slice(0, 200) } }),
    );
    console.info(`[memory] 200x200 statements (over MAX_RESPONSE_BYTES): peak +${peakMiB.toFixed(1)} MiB`);
    expect(result.data ?? null).toBeNull();
    expect(codesByPath(result)).toEqual({ '': 'RESPONSE_TOO_LARGE' });
    expect(result.errors?.[0]?.extensions?.['limit']).toBe('maxResponseBytes');
    expect(result.errors?.[0]?.message).toMatch(/MAX_RESPONSE_BYTES/);
  });
});

describe('the response budget counted while executing', () => {
  let stack: Stack;
  beforeAll(async () => {
    // The estimate opened wide: only the execution-time count stands in the way.
    stack = await startStack({ env: { GRAPHQL_MAX_ESTIMATED_COST: '100000000', GRAPHQL_MAX_RESPONSE_POSITIONS: '500' } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('stops the request the moment it passes, before the segment calls below it', async () => {
    const query = `query($ids: [ID!]!) { recordings(acdContactIds: $ids) { acdContactId playerUrl downloadUrl segments { segmentId mediaUrl { url } } } }`;
    stack.simulator.resetCalls();
    const result = await gql(stack.app.url, query, { variables: { ids: bulkIds(200, 600) } });
    expect(result.data ?? null).toBeNull();
    expect(codesByPath(result)).toEqual({ '': 'RESPONSE_TOO_LARGE' });
    expect(result.errors?.[0]?.extensions?.['limit']).toBe('maxResponsePositions');
    expect(stack.simulator.count('contacts')).toBe(200);
    // 200 recordings x 4 fields is past 500 positions already: no segment's link was asked for.
    expect(stack.simulator.count('segments')).toBe(0);
  });

  it('answers a request inside the budget in full', async () => {
    const result = await gql<{ recordings: unknown[] }>(stack.app.url, `query($ids: [ID!]!) { recordings(acdContactIds: $ids) { acdContactId } }`, {
      variables: { ids: bulkIds(20, 600) },
    });
    expect(result.errors).toBeUndefined();
    expect(result.data?.recordings).toHaveLength(20);
  });
});
