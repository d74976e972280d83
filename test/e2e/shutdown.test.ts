/**
 * Shutdown with a slow upstream: at SIGTERM (app.close, which main.ts calls) /health
 * answers 503 at once while requests are still served; the queries in flight end with their
 * answer or a typed error, never a socket hang-up; then the app closes.
 */
import { describe, expect, it, vi } from 'vitest';
import { bulkContactId } from '../../src/simulator/index.js';
import { gql } from '../helpers/graphql.js';
import { startStack } from '../helpers/stack.js';

const one = (id: string) => `{ recording(acdContactId: "${id}") { acdContactId mediaUrl { url } } }`;

describe('shutdown', () => {
  it('answers /health 503 at once, serves the drain, and every in-flight query ends with its answer', async () => {
    const stack = await startStack({ env: { SHUTDOWN_DELAY_MS: '500', REQUEST_DEADLINE_MS: '6000', CXONE_TIMEOUT_MS: '5000' } });
    const health = stack.app.url.replace('/graphql', '/health');
    expect((await fetch(health)).status).toBe(200);
    stack.simulator.configure({ latencyMs: 1500 });

    const inFlight = gql<{ recording: { acdContactId: string } }>(stack.app.url, one(bulkContactId(7001)));
    await vi.waitFor(() => expect(stack.simulator.calls().length).toBeGreaterThan(0), { timeout: 5000, interval: 20 });

    const closing = stack.app.close();
    const during = await fetch(health);
    expect(during.status).toBe(503);
    expect(await during.json()).toEqual({ status: 'draining' });
    // A request that still arrives while load balancers catch up is served.
    const late = gql<{ recording: { acdContactId: string } }>(stack.app.url, one(bulkContactId(7002)));

    const [first, second] = await Promise.all([inFlight, late]);
    expect(first.errors).toBeUndefined();
    expect(first.data?.recording.acdContactId).toBe(bulkContactId(7001));
    expect(second.errors).toBeUndefined();
    expect(second.data?.recording.acdContactId).toBe(bulkContactId(7002));
    await closing;
    await expect(fetch(health)).rejects.toThrow();
    await stack.simulator.close();
  });

  it('a query whose upstream outlasts its deadline ends with UPSTREAM_TIMEOUT, not a hang-up', async () => {
    const stack = await startStack({ env: { REQUEST_DEADLINE_MS: '1500', CXONE_TIMEOUT_MS: '5000' } });
    stack.simulator.configure({ latencyMs: 4000 });
    const inFlight = gql(stack.app.url, one(bulkContactId(7003)));
    await vi.waitFor(() => expect(stack.simulator.calls().length).toBeGreaterThan(0), { timeout: 5000, interval: 20 });

    const closing = stack.app.close();
    const response = await inFlight;
    expect(response.errors?.map((error) => error.extensions?.['code'])).toEqual(['UPSTREAM_TIMEOUT']);
    await closing;
    await stack.simulator.close();
  });
});
