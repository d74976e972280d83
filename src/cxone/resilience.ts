/**
 * The resilience around one logical CXone call, as layers that each wrap the next, outermost first:
 * the deadline, CXone's remembered refusals of the caller, the tenant's circuit, the budget, and
 * innermost the retry loop, which asks the circuit and the budget before another try.
 */
import { setTimeout as sleepFor } from 'node:timers/promises';
import { ExponentialBackoff, halfJitterGenerator, type IBackoff } from 'cockatiel';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { HealthBreaker, type HealthBreakerTuning } from './breaker.js';
import type { RequestBudget } from './budget.js';
import { retryReason, isTransient, type RetryReason } from './classify.js';
import { CxoneError, type CxoneEndpoint, type CxoneResource } from './errors.js';
import type { CallScope } from './ports.js';
import type { RefusalMemory } from './refusals.js';

/** One logical call: what it is for and whose budget it spends. */
interface LogicalCall {
  readonly endpoint: CxoneEndpoint;
  readonly resource: CxoneResource;
  readonly scope: CallScope;
}

/** One try: `signal` aborts at the request deadline (pass it to the transport); `attempt` counts from 0. */
type Attempt<T> = (context: { readonly signal: AbortSignal; readonly attempt: number }) => Promise<T>;

/** A call as the layers pass it down: with the deadline's signal once the deadline layer set it. */
export type LayeredCall = LogicalCall & { readonly signal: AbortSignal };

/** Runs a call's attempts (the innermost handler is the retry loop). */
export type Handler = <T>(call: LayeredCall, attempt: Attempt<T>) => Promise<T>;

type Layer = (next: Handler) => Handler;

type RetryGuard = (call: LayeredCall) => Promise<boolean>;

/** Tuning; every field is optional and defaults to the production value in DEFAULT_TUNING. */
export interface ResilienceTuning {
  /** Re-issues of a 202 (and, separately, of a 425) before giving up. */
  readonly processingRetries?: number;
  /** Pause before re-issuing a 202/425 that came without Retry-After, in ms. */
  readonly processingDelayMs?: number;
  /** Cap on a Retry-After wait, in ms: a long one is better handed to the caller. */
  readonly maxRetryAfterMs?: number;
  /** Retries of a transient failure (5xx, network, timeout). */
  readonly transientRetries?: number;
  /** Shortest transient backoff, in ms; the backoff doubles from here with jitter. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly breaker?: HealthBreakerTuning;
}

type RetryTuning = Required<Omit<ResilienceTuning, 'breaker'>>;

const DEFAULT_TUNING: RetryTuning = {
  processingRetries: 3,
  processingDelayMs: 1000,
  maxRetryAfterMs: 5000,
  transientRetries: 2,
  baseDelayMs: 200,
  maxDelayMs: 2000,
};

interface ResilienceOptions extends ResilienceTuning {
  readonly budget: RequestBudget;
  readonly clock: Clock;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** CXone's recent refusals of callers (forward mode); without it nothing is remembered. */
  readonly refusals?: RefusalMemory;
}

/** The composed layers. One per process: it holds the per-tenant breakers and draws on the one budget. */
export class CxoneResiliencePolicy {
  private readonly handler: Handler;

  constructor(options: ResilienceOptions) {
    const { metrics, logger } = options;
    const breaker = new HealthBreaker(options.clock, options.breaker, (tenantId, change) => {
      // The tenant label is on the gauge only while its circuit is open: few labels.
      if (change === 'opened') {
        metrics.circuitState.set(metrics.tenantLabel(tenantId), 1);
        logger.warn({ tenant: tenantId }, 'CXone circuit opened');
      } else {
        metrics.circuitState.remove(metrics.tenantLabel(tenantId));
        logger.info({ tenant: tenantId }, 'CXone circuit closed');
      }
    });
    const circuit = circuitLayer(breaker);
    const budget = budgetLayer(options.budget, logger);
    // A retry needs a closed circuit first: a refused retry must not cost a budget point.
    const retry = retryHandler(options, [circuit.mayRetry, budget.mayRetry]);
    const layers: Layer[] = [
      deadlineLayer(options.clock),
      ...(options.refusals === undefined ? [] : [refusalLayer(options.refusals)]),
      circuit.layer,
      budget.layer,
    ];
    this.handler = layers.reduceRight<Handler>((next, layer) => layer(next), retry);
  }

  /**
   * Runs `attempt` until it succeeds or the rules say stop. Rejects with the last CxoneError, or kind
   * `timeout`, `circuit-open` or `budget` when the deadline, the circuit or the budget stopped it.
   */
  run<T>(call: LogicalCall, attempt: Attempt<T>): Promise<T> {
    // The deadline layer replaces this signal with the deadline's own.
    return this.handler({ ...call, signal: NEVER_ABORTED }, attempt);
  }
}

const NEVER_ABORTED = new AbortController().signal;

/** Wraps each attempt: `observe` sees its outcome, then the outcome goes on unchanged. */
function observeAttempt<T>(
  attempt: Attempt<T>,
  observe: { readonly success?: () => void; readonly failure: (error: unknown) => void | Promise<void> },
): Attempt<T> {
  return async (context) => {
    let value: T;
    try {
      value = await attempt(context);
    } catch (error: unknown) {
      await observe.failure(error);
      throw error;
    }
    observe.success?.();
    return value;
  };
}

/** Node's setTimeout fires at once for longer delays, so a deadline further off than this is not timed. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Outermost: a call past the request's deadline never starts; one under way is aborted when it passes
 * (the transport, which saw it, reports the `timeout`); any other failure after the abort reads as it.
 */
export function deadlineLayer(clock: Clock): Layer {
  return (next) => async (call, attempt) => {
    const deadline = call.scope.deadline;
    const remainingMs = deadline === undefined ? undefined : deadline - clock.now();
    if (remainingMs !== undefined && remainingMs <= 0) throw deadlineError(call, undefined);
    const controller = new AbortController();
    const timer = remainingMs === undefined || remainingMs > MAX_TIMER_MS ? undefined : setTimeout(() => controller.abort(), remainingMs);
    try {
      return await next({ ...call, signal: controller.signal }, attempt);
    } catch (error: unknown) {
      if (controller.signal.aborted && !(error instanceof CxoneError && error.kind === 'timeout')) {
        throw deadlineError(call, error instanceof CxoneError ? error : undefined);
      }
      throw error;
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
  };
}

/** The deadline ran out; keeps what the last failure said (its request, its Retry-After). */
function deadlineError(call: LogicalCall, last: CxoneError | undefined): CxoneError {
  return new CxoneError('The request deadline ran out before CXone gave a final answer', {
    kind: 'timeout',
    resource: call.resource,
    request: last?.request,
    retryAfterSeconds: last?.retryAfterSeconds,
    cause: last,
  });
}

/** A caller CXone refused a moment ago is refused again before circuit or budget; each 401/403 is remembered. */
export function refusalLayer(memory: RefusalMemory): Layer {
  return (next) => (call, attempt) => {
    const remembered = memory.refusalFor(call.scope, call.resource);
    if (remembered !== undefined) {
      const message =
        remembered === 401
          ? 'CXone refused this token a moment ago; get a fresh one'
          : `CXone refused this caller a moment ago (no permission); asked again in ${String(memory.secondsLeft(call.scope, call.resource))} s`;
      return Promise.reject(new CxoneError(message, { kind: 'http', status: remembered, resource: call.resource }));
    }
    return next(
      call,
      observeAttempt(attempt, {
        failure: (error) => {
          const status = refusedStatus(error);
          if (status !== undefined) memory.remember(call.scope, status, call.resource);
        },
      }),
    );
  };
}

/** 401/403 from CXone for the caller (an auth endpoint's refusal is the service's, not the caller's). */
export function refusedStatus(error: unknown): 401 | 403 | undefined {
  if (!(error instanceof CxoneError) || error.kind !== 'http' || error.resource.kind === 'auth') return undefined;
  return error.status === 401 || error.status === 403 ? error.status : undefined;
}

/**
 * An open circuit refuses before the budget is touched (failing fast must cost nothing); every
 * attempt's outcome is a sample of the tenant's health, keyed by contact.
 */
function circuitLayer(breaker: HealthBreaker): { readonly layer: Layer; readonly mayRetry: RetryGuard } {
  const layer: Layer = (next) => (call, attempt) => {
    const { tenantId } = call.scope;
    const waitMs = breaker.acquire(tenantId);
    if (waitMs !== null) {
      const message = 'CXone keeps failing for this tenant; failing fast until the circuit half-opens';
      const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
      const details = { kind: 'circuit-open', resource: call.resource, retryAfterSeconds } as const;
      return Promise.reject(new CxoneError(message, details));
    }
    const key = contactKey(call.resource);
    return next(
      call,
      observeAttempt(attempt, {
        success: () => breaker.success(tenantId, key),
        failure: (error) => {
          if (isTransient(error)) breaker.failure(tenantId, key);
          else if (error instanceof CxoneError && error.kind !== 'no-credentials') breaker.success(tenantId, key);
        },
      }),
    );
  };
  return { layer, mayRetry: (call) => Promise.resolve(!breaker.isOpen(call.scope.tenantId)) };
}

/** The breaker's "which contact": a contact's statements and segments are one failing key, not many. */
export function contactKey(resource: CxoneResource): string {
  switch (resource.kind) {
    case 'contact':
    case 'statement':
      return `contact:${resource.acdContactId}`;
    case 'segment':
      return resource.acdContactId === undefined ? `segment:${resource.segmentId}` : `contact:${resource.acdContactId}`;
    case 'segment-analysis':
      return `segment-analysis:${resource.segmentId}`;
    case 'completed-contacts':
    case 'analyzed-segments':
    case 'auth':
      return resource.kind;
  }
}

/**
 * The first attempt takes a point of the tenant's budget and of the caller's share. A refusal of the
 * caller gives the tenant's back but not the caller's, so a caller CXone keeps refusing stays bounded;
 * with no credentials there was no request: both go back. A retry takes its own through `mayRetry`.
 */
export function budgetLayer(budget: RequestBudget, logger: Logger): { readonly layer: Layer; readonly mayRetry: RetryGuard } {
  const layer: Layer = (next) => async (call, attempt) => {
    const { tenantId, callerId, priority } = call.scope;
    await budget.take(tenantId, priority, 'first', call.resource, callerId);
    return next(
      call,
      observeAttempt(attempt, {
        failure: async (error) => {
          if (error instanceof CxoneError && error.kind === 'no-credentials') await budget.refund?.(tenantId, callerId);
          else if (refusedStatus(error) !== undefined) await budget.refund?.(tenantId);
        },
      }),
    );
  };
  const mayRetry: RetryGuard = async (call) => {
    try {
      await budget.take(call.scope.tenantId, call.scope.priority, 'retry', call.resource, call.scope.callerId);
      return true;
    } catch (budgetError: unknown) {
      // The real failure is more useful to the caller than "budget".
      logger.debug(
        { endpoint: call.endpoint, requestId: call.scope.requestId, refused: budgetError instanceof CxoneError ? budgetError.kind : 'unknown' },
        'CXone retry refused by the request budget',
      );
      return false;
    }
  };
  return { layer, mayRetry };
}

/**
 * Innermost: runs attempts until one succeeds or fails for good. Before a wait it checks the failure's
 * retry class and count, CXone's Retry-After, the deadline, then `guards` (the outer layers', in order).
 */
function retryHandler(options: ResilienceOptions, guards: readonly RetryGuard[]): Handler {
  const { clock, metrics, logger } = options;
  const tuning: RetryTuning = { ...DEFAULT_TUNING, ...options };
  // Half jitter from twice the base: waits in [base, 2*base), [2*base, 4*base), ... up to the max,
  // so replicas that failed together do not retry together.
  const transientBackoff = new ExponentialBackoff({
    generator: halfJitterGenerator,
    initialDelay: tuning.baseDelayMs * 2,
    maxDelay: tuning.maxDelayMs,
  });

  /** A 202/425 given up on still tells the caller when to come back (in a copy: CxoneError is immutable). */
  const withRetryAfter = (error: CxoneError): CxoneError => {
    if (error.retryAfterSeconds !== undefined) return error;
    const retryAfterSeconds = Math.max(1, Math.ceil(tuning.processingDelayMs / 1000));
    return new CxoneError(error.message, { ...error, retryAfterSeconds, cause: error });
  };

  /** CXone's Retry-After (capped), else our own delay; for transient failures also the next backoff step. */
  const delayFor = (reason: RetryReason, error: CxoneError, backoff: IBackoff<unknown> | undefined) => {
    const retryAfterMs = error.retryAfterSeconds === undefined ? undefined : Math.min(error.retryAfterSeconds * 1000, tuning.maxRetryAfterMs);
    if (reason !== 'transient') return { delayMs: retryAfterMs ?? tuning.processingDelayMs, backoffStep: undefined };
    const backoffStep = (backoff ?? transientBackoff).next(undefined);
    const backoffMs = Math.min(tuning.maxDelayMs, Math.max(tuning.baseDelayMs, backoffStep.duration));
    // A 503 with Retry-After: CXone's wait wins when it is longer than ours.
    return { delayMs: retryAfterMs === undefined ? backoffMs : Math.max(backoffMs, retryAfterMs), backoffStep };
  };

  return async (call, attempt) => {
    const spent: Record<RetryReason, number> = { processing: 0, locked: 0, transient: 0 };
    let backoff: IBackoff<unknown> | undefined;
    for (let attemptNo = 0; ; attemptNo += 1) {
      const started = clock.now();
      try {
        return await attempt({ signal: call.signal, attempt: attemptNo });
      } catch (error: unknown) {
        if (call.signal.aborted) throw error;
        const lastAttemptMs = clock.now() - started;
        const reason = retryReason(error);
        if (reason === null || !(error instanceof CxoneError)) throw error;
        const giveUpWith = reason === 'transient' ? error : withRetryAfter(error);
        if (spent[reason] >= (reason === 'transient' ? tuning.transientRetries : tuning.processingRetries)) throw giveUpWith;
        const { delayMs, backoffStep } = delayFor(reason, error, backoff);
        const deadline = call.scope.deadline;
        // A retry that cannot finish in time (about as long as the last attempt) is not started: "timeout" now.
        if (deadline !== undefined && clock.now() + delayMs + lastAttemptMs > deadline) throw deadlineError(call, giveUpWith);
        for (const guard of guards) {
          if (!(await guard(call))) throw giveUpWith;
        }
        spent[reason] += 1;
        backoff = backoffStep ?? backoff;
        metrics.upstreamRetries.inc({ endpoint: call.endpoint, reason });
        logger.debug(
          { endpoint: call.endpoint, reason, attempt: attemptNo + 1, delayMs, requestId: call.scope.requestId },
          'CXone call retried',
        );
        try {
          await sleepFor(delayMs, undefined, { signal: call.signal });
        } catch {
          throw deadlineError(call, error);
        }
      }
    }
  };
}

