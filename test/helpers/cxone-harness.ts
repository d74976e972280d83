/**
 * Wires the real CXone client stack (transport, auth, budget, resilience, client) to a fake CXone
 * on port 0, with a captured debug log and fresh metrics per test. Tests tune only what they test.
 */
import { pino } from 'pino';
import { systemClock, type Clock } from '../../src/clock.js';
import { ForwardAuth } from '../../src/cxone/auth.js';
import { createMemoryBudget, type RequestBudget } from '../../src/cxone/budget.js';
import { CxoneHttpClient } from '../../src/cxone/client.js';
import { UndiciTransport, type HttpTransport, type UndiciTransportOptions } from '../../src/cxone/http.js';
import type { AuthProvider, CallScope } from '../../src/cxone/ports.js';
import { CxoneResiliencePolicy, type ResilienceTuning } from '../../src/cxone/resilience.js';
import type { Logger } from '../../src/logger.js';
import { createMetrics, type Metrics } from '../../src/metrics.js';
import { FakeCxone } from './fake-cxone.js';

/** The bearer token every forward-mode test call carries; it must never appear in output. */
export const TOKEN = 'tok-SECRET-abc123';

/** Tiny delays so retry tests run in milliseconds. */
const FAST: ResilienceTuning = {
  processingRetries: 3,
  processingDelayMs: 5,
  maxRetryAfterMs: 20,
  transientRetries: 2,
  baseDelayMs: 2,
  maxDelayMs: 10,
  breaker: { minimumCalls: 1000, halfOpenAfterMs: 10_000 },
};

export interface HarnessOptions {
  readonly resilience?: ResilienceTuning;
  readonly budget?: (metrics: Metrics) => RequestBudget;
  readonly auth?: (deps: { transport: HttpTransport; clock: Clock; logger: Logger; fakeUrl: string }) => AuthProvider;
  readonly clock?: Clock;
  readonly transport?: UndiciTransportOptions;
  /** Where the client points, from the fake's URL; defaults to the fake itself. */
  readonly apiBaseUrl?: (fakeUrl: string) => string;
}

export interface Harness {
  readonly fake: FakeCxone;
  readonly client: CxoneHttpClient;
  readonly metrics: Metrics;
  readonly transport: HttpTransport;
  /** Every log line (JSON) written at debug level and up. */
  readonly logs: string[];
  close(): Promise<void>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const fake = await FakeCxone.start();
  const logs: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(line) });
  const metrics = createMetrics({ collectDefaults: false });
  const clock = options.clock ?? systemClock;
  const transport = new UndiciTransport({ attemptTimeoutMs: 2_000, ...options.transport });
  const auth = options.auth?.({ transport, clock, logger, fakeUrl: fake.url }) ?? new ForwardAuth();
  const budget = options.budget?.(metrics) ?? createMemoryBudget({ limit: 0, windowSeconds: 60, metrics });
  const resilience = new CxoneResiliencePolicy({ ...FAST, ...options.resilience, budget, clock, metrics, logger });
  const client = new CxoneHttpClient({
    apiBaseUrl: options.apiBaseUrl?.(fake.url) ?? fake.url,
    auth,
    transport,
    clock,
    logger,
    metrics,
    resilience,
  });
  return {
    fake,
    client,
    metrics,
    transport,
    logs,
    async close() {
      await transport.close();
      await fake.close();
    },
  };
}

/** A forward-mode interactive scope for tenant `t1` unless overridden. */
export function scope(overrides: Partial<CallScope> = {}): CallScope {
  return {
    caller: { mode: 'forward', token: TOKEN },
    tenantId: 't1',
    priority: 'interactive',
    requestId: 'req-1',
    callerId: 'caller-1',
    ...overrides,
  };
}

/** Anything prom-client's counters and gauges return from `get()`. */
interface Readable {
  get(): Promise<{ values: readonly { value: number; labels: Partial<Record<string, string | number>> }[] }>;
}

/** Sum of a metric's values whose labels include `labels`. */
export async function metricValue(metric: Readable, labels: Record<string, string> = {}): Promise<number> {
  const { values } = await metric.get();
  return values
    .filter((entry) => Object.entries(labels).every(([name, value]) => entry.labels[name] === value))
    .reduce((sum, entry) => sum + entry.value, 0);
}

/** The rejection of `promise` (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error: unknown) {
    return error;
  }
  throw new Error('expected a rejection, got a value');
}

/** Everything a leak could hide in: the error as text, its message, its JSON and its cause chain. */
export function everyTextOf(error: unknown): string {
  const parts: string[] = [String(error)];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth += 1) {
    if (current instanceof Error) {
      parts.push(current.message, String(current.stack));
      current = current.cause;
    } else {
      current = undefined;
    }
  }
  parts.push(JSON.stringify(error));
  return parts.join('\n');
}
