/**
 * Two subgraph replicas behind one CXone simulator, sharing one clock and one cache namespace in
 * the real Redis, as production runs them behind a router.
 */
import { randomUUID } from 'node:crypto';
import { ManualClock } from '../../src/clock.js';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/simulator/index.js';
import { startStack, type Stack } from './stack.js';

/** The Redis every shared-cache test runs against. */
export const REDIS_URL = 'redis://127.0.0.1:6379';

export interface Replicas {
  readonly clock: ManualClock;
  readonly simulator: RunningSimulator;
  readonly a: Stack;
  readonly b: Stack;
  readonly namespace: string;
  close(): Promise<void>;
}

export async function startReplicas(
  options: { env?: Record<string, string>; simulator?: Omit<SimulatorOptions, 'clock'>; namespace?: string } = {},
): Promise<Replicas> {
  const clock = new ManualClock();
  const simulator = await startSimulator({ ...options.simulator, clock });
  const namespace = options.namespace ?? `test-${randomUUID()}`;
  // Replicas share answers only under one CACHE_SECRET (without one each process seals with its own key).
  const env = { CACHE_URL: REDIS_URL, CACHE_SECRET: 'test-replicas-cache-secret-0123456789abcdef', ...options.env };
  const a = await startStack({ sharedSimulator: simulator, clock, cacheNamespace: namespace, env });
  const b = await startStack({ sharedSimulator: simulator, clock, cacheNamespace: namespace, env });
  return {
    clock,
    simulator,
    a,
    b,
    namespace,
    async close() {
      await a.close();
      await b.close();
      await simulator.close();
    },
  };
}
