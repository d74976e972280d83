/**
 * `CXONE_AUTH=access-key`: the subgraph authenticates with its own key through discovery and the
 * token endpoint, shares one token across requests and callers, and refreshes before expiry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEEDED } from '../../src/simulator/index.js';
import { codesByPath, gql } from '../helpers/graphql.js';
import { ACCESS_KEY_ENV, startStack, type Stack } from '../helpers/stack.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    simulator: { accessTokenTtlSeconds: 3600 },
    env: {
      ...ACCESS_KEY_ENV,
    },
  });
});
afterAll(async () => {
  await stack.close();
});

describe('access-key mode', () => {
  it('authenticates once (discovery + password grant) for many concurrent requests, without a caller token', async () => {
    const queries = [SEEDED.voice, SEEDED.chat, SEEDED.email, SEEDED.longCall].map((id) =>
      gql(stack.app.url, `{ recording(acdContactId: "${id}") { acdContactId mediaUrl { url } } }`, { token: null }),
    );
    const responses = await Promise.all(queries);
    for (const response of responses) expect(response.errors).toBeUndefined();
    expect(stack.simulator.count('discovery')).toBe(1);
    expect(stack.simulator.count('token')).toBe(1);
    expect(stack.simulator.count('contacts')).toBe(4);
    const grant = stack.simulator.calls().find((call) => call.endpoint === 'token');
    expect(grant?.authorized).toBe(true);
  });

  it('refreshes the token before it expires, on the first request that needs it', async () => {
    stack.simulator.resetCalls();
    // 3600 s token; the subgraph refreshes within its 60 s margin.
    stack.clock.advance(3600_000 - 30_000);
    const response = await gql(stack.app.url, `{ recording(acdContactId: "${SEEDED.transferred}") { acdContactId } }`, {
      token: null,
    });
    expect(response.errors).toBeUndefined();
    expect(stack.simulator.count('token')).toBe(1);
    expect(stack.simulator.calls().filter((call) => call.endpoint === 'contacts').every((call) => call.authorized)).toBe(
      true,
    );
  });

  it('re-authenticates once when CXone rejects the token (simulator reset forgets issued tokens)', async () => {
    stack.simulator.reset();
    const response = await gql(stack.app.url, `{ recording(acdContactId: "${SEEDED.email}", mediaType: EMAIL) { acdContactId } }`, {
      token: null,
    });
    expect(codesByPath(response)).toEqual({});
    expect(stack.simulator.count('contacts', SEEDED.email)).toBe(2);
    expect(stack.simulator.count('token')).toBe(1);
  });
});
