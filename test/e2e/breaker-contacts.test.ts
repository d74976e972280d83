/**
 * The breaker counts contacts, not keys: one contact that always answers 500, asked for six of its
 * statements at once, is one failing contact, so the tenant's circuit stays shut for everyone else.
 * Production's breaker tuning (no test override).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEEDED } from '../../src/simulator/index.js';
import { codesByPath, gql } from '../helpers/graphql.js';
import { bulkIds, startStack, type Stack } from '../helpers/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ resilience: { breaker: {} } });
});
afterAll(async () => {
  await stack.close();
});

describe('one failing contact, many of its statements', () => {
  it('six statement aliases of the always-500 contact leave the circuit shut', async () => {
    const aliases = ['700', '701', '702', '703', '704', '705']
      .map((statementId) => `s${statementId}: statement(acdContactId: "${SEEDED.serverError}", statementId: "${statementId}") { mediaUrl { url } }`)
      .join(' ');
    const failing = await gql(stack.app.url, `{ ${aliases} }`);
    expect(new Set(Object.values(codesByPath(failing)))).toEqual(new Set(['UPSTREAM_UNAVAILABLE']));
    console.info(`[breaker] 6 statement aliases of one failing contact: ${String(stack.simulator.count('statements'))} upstream calls`);
    // Everyone else goes on: healthy contacts answer, the circuit is shut.
    const healthy = await gql(stack.app.url, `query($ids: [ID!]!) { recordings(acdContactIds: $ids) { acdContactId } }`, { variables: { ids: bulkIds(3, 7000) } });
    expect(healthy.errors).toBeUndefined();
  });
});
