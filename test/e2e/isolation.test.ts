/**
 * A caller only ever gets what CXone granted that caller. Three demo tokens on the same contact
 * (full playback; no "view sentiments and categories"; no playback at all), in every order, with a
 * cold cache and then a warm one, on one replica and across two sharing Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TOKENS, bulkContactId } from '../../src/simulator/index.js';
import { codesByPath, gql, type GraphQLResponse } from '../helpers/graphql.js';
import { startReplicas, type Replicas } from '../helpers/replicas.js';
import type { Stack } from '../helpers/stack.js';

type Token = keyof typeof DEMO_TOKENS;
const TOKENS: readonly Token[] = ['full', 'noAnalytics', 'noPlayback'];

const QUERY = /* GraphQL */ `
  query One($id: ID!) {
    recording(acdContactId: $id) {
      acdContactId mediaUrl { url } sentiments { overallSentiment } categories { categoryHierarchy }
    }
  }
`;
interface One {
  recording: null | {
    acdContactId: string;
    mediaUrl: { url: string } | null;
    sentiments: Array<{ overallSentiment: string }> | null;
    categories: Array<{ categoryHierarchy: string[] }> | null;
  };
}

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, index) =>
    permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]),
  );
}

/** Exactly what CXone grants each token, nothing more and nothing less. */
function expectGranted(token: Token, response: GraphQLResponse<One>, id: string): void {
  const recording = response.data?.recording;
  switch (token) {
    case 'full':
      expect(response.errors, token).toBeUndefined();
      expect(recording?.acdContactId).toBe(id);
      expect(recording?.mediaUrl?.url).toBeTruthy();
      expect(recording?.sentiments?.length, token).toBeGreaterThan(0);
      expect(recording?.categories, token).not.toBeNull();
      break;
    case 'noAnalytics':
      expect(response.errors, token).toBeUndefined();
      expect(recording?.acdContactId).toBe(id);
      expect(recording?.mediaUrl?.url).toBeTruthy();
      expect(recording?.sentiments, token).toBeNull();
      expect(recording?.categories, token).toBeNull();
      break;
    case 'noPlayback':
      expect(recording, token).toBeNull();
      expect(codesByPath(response), token).toEqual({ recording: 'FORBIDDEN' });
      break;
  }
}

const ORDERS = permutations(TOKENS);
let replicas: Replicas;
let nextContact = 1;

beforeAll(async () => {
  // Refusals not remembered here: this suite counts that a refusal is never served from a cache
  // (refused-callers.test.ts covers the memory of refusals).
  replicas = await startReplicas({ env: { CXONE_REFUSAL_MEMORY_SECONDS: '0' } });
});
afterAll(async () => {
  await replicas.close();
});

describe.each([
  { layout: 'one replica', pick: (_turn: number): 'a' | 'b' => 'a' },
  // Alternating replicas; the warm pass swaps them, so every warm read crosses replicas.
  { layout: 'two replicas', pick: (turn: number): 'a' | 'b' => (turn % 2 === 0 ? 'a' : 'b') },
])('$layout', ({ pick }) => {
  it.each(ORDERS.map((order) => [order.join(' -> '), order] as const))('%s, cold then warm', async (_name, order) => {
    const { simulator } = replicas;
    // A contact no earlier case touched: the cache starts cold for it.
    const id = bulkContactId(nextContact);
    nextContact += 1;
    const ask = (stack: Stack, token: Token) => gql<One>(stack.app.url, QUERY, { variables: { id }, token: DEMO_TOKENS[token] });

    for (const [turn, token] of order.entries()) {
      expectGranted(token, await ask(replicas[pick(turn)], token), id);
    }
    // Cold: one CXone call per caller; nothing was shared between them.
    expect(simulator.count('contacts', id)).toBe(3);

    for (const [turn, token] of order.entries()) {
      expectGranted(token, await ask(replicas[pick(turn + 1)], token), id);
    }
    // Warm: the two granted answers came from the cache; the refusal is never cached, so it asked again.
    expect(simulator.count('contacts', id)).toBe(4);
  });
});

it('keeps callers apart when they ask at the same moment (single-flight is per caller)', async () => {
  const id = bulkContactId(nextContact + 100);
  const responses = await Promise.all(
    TOKENS.flatMap((token) =>
      [replicas.a, replicas.b].map(async (stack) => ({
        token,
        response: await gql<One>(stack.app.url, QUERY, { variables: { id }, token: DEMO_TOKENS[token] }),
      })),
    ),
  );
  for (const { token, response } of responses) expectGranted(token, response, id);
});
