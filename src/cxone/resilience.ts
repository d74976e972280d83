/**
 * The resilience layer around one logical CXone call (retry is a layer around the client,
 * with named predicates and an explicit do-not-retry list), as layers that each wrap the next
 * (./resilience/): the deadline, CXone's remembered refusals of the caller, the tenant's circuit,
 * the budget (tenant and caller share), and innermost the retry loop. Each layer does its part
 * before the call, around each attempt, or both; the retry loop asks the circuit and the budget
 * before another try. All of them run on the injected clock.
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { HealthBreaker, type HealthBreakerTuning } from './breaker.js';
import type { RefusalMemory } from './refusals.js';
import { budgetLayer } from './resilience/budget.js';
import { circuitLayer } from './resilience/circuit.js';
import { deadlineLayer } from './resilience/deadline.js';
import type { Attempt, AttemptContext, Handler, Layer, LogicalCall } from './resilience/layer.js';
import { refusalLayer } from './resilience/refusals.js';
import { retryHandler, timerSleep, type Sleep } from './resilience/retry.js';

export {
  DO_NOT_RETRY_STATUSES,
  TRANSIENT_STATUSES,
  isLocked,
  isNeverRetried,
  isStillProcessing,
  isThrottled,
  isTransient,
  retryReason,
  type RetryReason,
} from './resilience/classify.js';
export type { AttemptContext, LogicalCall } from './resilience/layer.js';
export type { Sleep } from './resilience/retry.js';

/** Tuning; every field is optional and defaults to the production value shown. */
export interface ResilienceTuning {
  /** Re-issues of a 202 (and, separately, of a 425) before giving up. Default 3. */
  readonly processingRetries?: number;
  /** Pause before re-issuing a 202/425 that came without Retry-After, in ms. Default 1000. */
  readonly processingDelayMs?: number;
  /** Cap on a Retry-After wait, in ms: a long one is better handed to the caller. Default 5000. */
  readonly maxRetryAfterMs?: number;
  /** Retries of a transient failure (5xx, network, timeout). Default 2. */
  readonly transientRetries?: number;
  /** Shortest transient backoff, in ms; the backoff doubles from here with jitter. Default 200. */
  readonly baseDelayMs?: number;
  /** Longest transient backoff, in ms. Default 2000. */
  readonly maxDelayMs?: number;
  /** The health breaker (see breaker.ts): failure rate, minimum calls and distinct contacts, window, half-open. */
  readonly breaker?: HealthBreakerTuning;
}

/** Options of `CxoneResiliencePolicy`. */
interface ResilienceOptions extends ResilienceTuning {
  /** The clock `CallScope.deadline`, the breaker's window and its open period are measured on. */
  readonly clock: Clock;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** Default: a timer. */
  readonly sleep?: Sleep;
  /** CXone's recent refusals of callers (forward mode); without it nothing is remembered. */
  readonly refusals?: RefusalMemory;
}

/** Runs one logical upstream call: attempts, waits between them, deadline, budget and circuit. */
export interface ResiliencePolicy {
  /**
   * Runs `attempt` (one upstream request) until it succeeds, fails for good, or the retry rules,
   * budget or deadline say stop. Rejects with the last CxoneError, or kind `timeout` when the
   * deadline ran out, `circuit-open` when the tenant's circuit is open, `budget` when the first
   * attempt found no budget.
   */
  run<T>(call: LogicalCall, attempt: (context: AttemptContext) => Promise<T>): Promise<T>;
}

const DEFAULT_TUNING = {
  processingRetries: 3,
  processingDelayMs: 1000,
  maxRetryAfterMs: 5000,
  transientRetries: 2,
  baseDelayMs: 200,
  maxDelayMs: 2000,
} as const;

/** The `ResiliencePolicy` as composed layers. One per process: it holds the per-tenant breakers. */
export class CxoneResiliencePolicy implements ResiliencePolicy {
  /** Per-tenant health breakers (bounded: least recently used tenants are forgotten). */
  readonly breaker: HealthBreaker;
  private readonly handler: Handler;

  constructor(options: ResilienceOptions) {
    this.breaker = new HealthBreaker(options.clock, options.breaker, (tenantId, change) => {
      // The gauge carries the tenant label only while its circuit is open: series come and go
      // with outages, so the label set stays as small as the number of tenants in trouble.
      if (change === 'opened') {
        options.metrics.circuitState.set(options.metrics.tenantLabel(tenantId), 1);
        options.logger.warn({ tenant: tenantId }, 'CXone circuit opened');
      } else {
        options.metrics.circuitState.remove(options.metrics.tenantLabel(tenantId));
        options.logger.info({ tenant: tenantId }, 'CXone circuit closed');
      }
    });
    const circuit = circuitLayer(this.breaker);
    const budget = budgetLayer(options.logger);
    const retry = retryHandler({
      tuning: {
        processingRetries: options.processingRetries ?? DEFAULT_TUNING.processingRetries,
        processingDelayMs: options.processingDelayMs ?? DEFAULT_TUNING.processingDelayMs,
        maxRetryAfterMs: options.maxRetryAfterMs ?? DEFAULT_TUNING.maxRetryAfterMs,
        transientRetries: options.transientRetries ?? DEFAULT_TUNING.transientRetries,
        baseDelayMs: options.baseDelayMs ?? DEFAULT_TUNING.baseDelayMs,
        maxDelayMs: options.maxDelayMs ?? DEFAULT_TUNING.maxDelayMs,
      },
      clock: options.clock,
      sleep: options.sleep ?? timerSleep,
      metrics: options.metrics,
      logger: options.logger,
      // A retry needs a closed circuit first: a refused retry must not cost a budget point.
      guards: [circuit.mayRetry, budget.mayRetry],
    });
    // Outermost first.
    const layers: Layer[] = [
      deadlineLayer(options.clock),
      ...(options.refusals === undefined ? [] : [refusalLayer(options.refusals)]),
      circuit.layer,
      budget.layer,
    ];
    this.handler = layers.reduceRight<Handler>((next, layer) => layer(next), retry);
  }

  run<T>(call: LogicalCall, attempt: Attempt<T>): Promise<T> {
    // The deadline layer replaces this signal with the deadline's own.
    return this.handler({ ...call, signal: NEVER_ABORTED }, attempt);
  }
}

const NEVER_ABORTED = new AbortController().signal;

/** Factory form of `new CxoneResiliencePolicy(options)`. */
export function createResiliencePolicy(options: ResilienceOptions): ResiliencePolicy {
  return new CxoneResiliencePolicy(options);
}
