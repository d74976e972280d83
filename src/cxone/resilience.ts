/**
 * The retry, deadline and circuit-breaker layer around one logical CXone call (STYLE.md: retry is a
 * layer around the client, with named predicates and an explicit do-not-retry list). Built on
 * cockatiel: `retry` runs the attempts, `timeout` enforces the request deadline, a `circuitBreaker`
 * per tenant fails fast while CXone keeps failing. What cockatiel cannot know (how long CXone asked
 * us to wait, whether the budget allows another attempt, whether it would finish before the
 * deadline) is decided here, between attempts, before any wait starts.
 */
import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  IsolatedCircuitError,
  TaskCancelledError,
  TimeoutStrategy,
  circuitBreaker,
  halfJitterGenerator,
  handleWhen,
  retry,
  timeout,
  wrap,
  type CircuitBreakerPolicy,
  type IBackoff,
  type IBackoffFactory,
} from 'cockatiel';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { RequestBudget } from './budget.js';
import { CxoneError, type CxoneEndpoint, type CxoneResource } from './errors.js';
import type { CallScope } from './ports.js';

// ---------------------------------------------------------------------------------------------
// Classification. Each list says why it is what it is; anything on no list is not retried.
// ---------------------------------------------------------------------------------------------

/**
 * 202: CXone accepted the request but the recording is still being prepared (documented as "in
 * progress"). The same request succeeds later, so it is re-issued after a pause.
 */
export function isStillProcessing(error: unknown): boolean {
  return isHttpStatus(error, 202);
}

/**
 * 425: the interaction is busy with an earlier request ("locked"). It frees itself once that
 * request finishes, so it is re-issued after a pause, never in parallel.
 */
export function isLocked(error: unknown): boolean {
  return isHttpStatus(error, 425);
}

/**
 * Statuses that say "CXone or something in front of it failed this time", not "this request is
 * wrong": 500 internal error and 504 timeout are documented; 502/503 come from CXone's gateways and
 * load balancers during deploys. Retrying them with backoff usually succeeds.
 */
export const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([500, 502, 503, 504]);

/**
 * A failure worth another try after a backoff: a transient status, a dropped or refused connection
 * (`network`), or no answer within the per-attempt timeout (`timeout`). These are also the only
 * failures the circuit breaker counts.
 */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof CxoneError)) return false;
  if (error.kind === 'network' || error.kind === 'timeout') return true;
  return error.kind === 'http' && error.status !== undefined && TRANSIENT_STATUSES.has(error.status);
}

/**
 * 429: CXone throttles the tenant. Not retried: the quota is shared by every replica and caller, so
 * an immediate retry only deepens the hole; the caller gets `retryAfterSeconds` instead.
 */
export function isThrottled(error: unknown): boolean {
  return isHttpStatus(error, 429);
}

/**
 * Statuses that will answer the same however often they are asked (octokit's list): 400 bad
 * request, 401 (the client re-authenticates once itself; a retry here would double that),
 * 403 no permission, 404 not found (or before 2018-12-13, or archived), 422 unprocessable.
 */
export const DO_NOT_RETRY_STATUSES: ReadonlySet<number> = new Set([400, 401, 403, 404, 422]);

/**
 * Failures that are never retried, whatever else is true of them: the do-not-retry statuses,
 * throttling, and failures that did not come from a CXone attempt going wrong this time
 * (an unreadable answer reads the same next time; budget, circuit and credentials are our own refusals).
 */
export function isNeverRetried(error: unknown): boolean {
  if (!(error instanceof CxoneError)) return true;
  switch (error.kind) {
    case 'invalid-response':
    case 'circuit-open':
    case 'budget':
    case 'no-credentials':
      return true;
    case 'http':
      return error.status === undefined || DO_NOT_RETRY_STATUSES.has(error.status) || isThrottled(error);
    case 'network':
    case 'timeout':
      return false;
  }
}

/** Why a failure is retried (also the `reason` label of `cxone_upstream_retries_total`), or null. */
export type RetryReason = 'processing' | 'locked' | 'transient';

/** The retry class of a failure; the do-not-retry list wins over every other list. */
export function retryReason(error: unknown): RetryReason | null {
  if (isNeverRetried(error)) return null;
  if (isStillProcessing(error)) return 'processing';
  if (isLocked(error)) return 'locked';
  if (isTransient(error)) return 'transient';
  return null;
}

function isHttpStatus(error: unknown, status: number): boolean {
  return error instanceof CxoneError && error.kind === 'http' && error.status === status;
}

// ---------------------------------------------------------------------------------------------
// The policy
// ---------------------------------------------------------------------------------------------

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
  /** Consecutive transient failures of a tenant that open its circuit. Default 5. */
  readonly consecutiveFailures?: number;
  /** How long an open circuit fails fast before one trial call is let through, in ms. Default 10 000. */
  readonly halfOpenAfterMs?: number;
}

/** Options of `CxoneResiliencePolicy`. */
export interface ResilienceOptions extends ResilienceTuning {
  /** The clock `CallScope.deadline` is measured on. */
  readonly clock: Clock;
  readonly metrics: Metrics;
  readonly logger: Logger;
}

/** One logical call: what it is for and whose budget it spends. */
export interface LogicalCall {
  readonly endpoint: CxoneEndpoint;
  readonly resource: CxoneResource;
  /** Tenant (budget, breaker), priority (budget), deadline and request id (logs). */
  readonly scope: CallScope;
  /** The budget every attempt takes a point from, first or retry. */
  readonly budget: RequestBudget;
}

/** Handed to each attempt. */
export interface AttemptContext {
  /** Aborted when the request deadline passes; pass it to the transport. */
  readonly signal: AbortSignal;
  /** 0 for the first attempt, then 1, 2, ... */
  readonly attempt: number;
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

const DEFAULT_TUNING: Required<ResilienceTuning> = {
  processingRetries: 3,
  processingDelayMs: 1000,
  maxRetryAfterMs: 5000,
  transientRetries: 2,
  baseDelayMs: 200,
  maxDelayMs: 2000,
  consecutiveFailures: 5,
  halfOpenAfterMs: 10_000,
};

/** Node's setTimeout fires at once for longer delays, so a deadline further off than this is not timed. */
const MAX_TIMER_MS = 2_147_483_647;

/** Per logical call: how many retries of each class were spent and what the next wait is. */
interface RunState {
  readonly spent: Record<RetryReason, number>;
  /** The error the planner approved for a retry; cockatiel's filter retries exactly that one. */
  approved: unknown;
  nextDelayMs: number;
  lastAttemptMs: number;
  transientBackoff: IBackoff<unknown> | undefined;
}

/** A tenant's breaker and when it last opened (on the breaker's own clock, `Date.now`). */
interface TenantCircuit {
  readonly breaker: CircuitBreakerPolicy;
  openedAt: number;
}

/** The `ResiliencePolicy` over cockatiel. One per process: it holds the per-tenant circuits. */
export class CxoneResiliencePolicy implements ResiliencePolicy {
  private readonly tuning: Required<ResilienceTuning>;
  private readonly transientBackoff: ExponentialBackoff<number>;
  /** One circuit per tenant: one tenant's failing region or revoked key must not fail the others. */
  private readonly circuits = new Map<string, TenantCircuit>();

  constructor(private readonly options: ResilienceOptions) {
    this.tuning = {
      processingRetries: options.processingRetries ?? DEFAULT_TUNING.processingRetries,
      processingDelayMs: options.processingDelayMs ?? DEFAULT_TUNING.processingDelayMs,
      maxRetryAfterMs: options.maxRetryAfterMs ?? DEFAULT_TUNING.maxRetryAfterMs,
      transientRetries: options.transientRetries ?? DEFAULT_TUNING.transientRetries,
      baseDelayMs: options.baseDelayMs ?? DEFAULT_TUNING.baseDelayMs,
      maxDelayMs: options.maxDelayMs ?? DEFAULT_TUNING.maxDelayMs,
      consecutiveFailures: options.consecutiveFailures ?? DEFAULT_TUNING.consecutiveFailures,
      halfOpenAfterMs: options.halfOpenAfterMs ?? DEFAULT_TUNING.halfOpenAfterMs,
    };
    // Half jitter from twice the base: waits fall in [base, 2*base), [2*base, 4*base), ... up to
    // the max, spread so replicas that failed together do not retry together.
    this.transientBackoff = new ExponentialBackoff({
      generator: halfJitterGenerator,
      initialDelay: this.tuning.baseDelayMs * 2,
      maxDelay: this.tuning.maxDelayMs,
    });
  }

  async run<T>(call: LogicalCall, attempt: (context: AttemptContext) => Promise<T>): Promise<T> {
    const deadline = call.scope.deadline;
    const remainingMs = deadline === undefined ? undefined : deadline - this.options.clock.now();
    if (remainingMs !== undefined && remainingMs <= 0) throw deadlineError(call, undefined);

    const state: RunState = {
      spent: { processing: 0, locked: 0, transient: 0 },
      approved: undefined,
      nextDelayMs: 0,
      lastAttemptMs: 0,
      transientBackoff: undefined,
    };
    // The wait before each retry was fixed by the planner; cockatiel only sleeps it.
    const planned: IBackoffFactory<unknown> = {
      next: (): IBackoff<unknown> => ({ duration: state.nextDelayMs, next: planned.next }),
    };
    const retries = retry(
      handleWhen((error) => error === state.approved),
      {
        // An upper bound only: the planner enforces the count of each class.
        maxAttempts: 2 * this.tuning.processingRetries + this.tuning.transientRetries,
        backoff: planned,
      },
    );
    const once = (signal: AbortSignal, attemptNo: number): Promise<T> =>
      this.attemptOnce(call, state, attempt, signal, attemptNo);

    try {
      if (remainingMs === undefined || remainingMs > MAX_TIMER_MS) {
        return await retries.execute((context) => once(context.signal, context.attempt));
      }
      // Cooperative: the deadline aborts the signal and the transport ends the attempt with kind
      // `timeout`, so the error and its metrics come from the one place that saw it happen.
      const deadlineTimer = timeout(remainingMs, TimeoutStrategy.Cooperative);
      return await wrap(deadlineTimer, retries).execute((context) => once(context.signal, context.attempt));
    } catch (error: unknown) {
      if (error instanceof TaskCancelledError) throw deadlineError(call, undefined);
      throw error;
    }
  }

  private async attemptOnce<T>(
    call: LogicalCall,
    state: RunState,
    attempt: (context: AttemptContext) => Promise<T>,
    signal: AbortSignal,
    attemptNo: number,
  ): Promise<T> {
    const started = performance.now();
    try {
      if (attemptNo === 0) {
        // An open circuit refuses before the budget is touched: failing fast must cost nothing.
        this.assertCircuitAllows(call);
        await call.budget.take(call.scope.tenantId, call.scope.priority, 'first', call.resource);
      }
      // Retries took their budget point while they were planned (before their wait).
      return await this.throughCircuit(call, signal, () => attempt({ signal, attempt: attemptNo }));
    } catch (error: unknown) {
      state.lastAttemptMs = performance.now() - started;
      const decision = await this.plan(call, state, error, attemptNo);
      if (decision.retry) {
        state.approved = error;
        throw error;
      }
      throw decision.error;
    }
  }

  /**
   * Decides, before any wait, whether a failed attempt is retried: its class must be retryable and
   * have retries left, the retry must fit before the deadline, the circuit must be closed, and the
   * budget must grant a retry point. Otherwise says which error to give up with.
   */
  private async plan(
    call: LogicalCall,
    state: RunState,
    error: unknown,
    attemptNo: number,
  ): Promise<{ readonly retry: true } | { readonly retry: false; readonly error: unknown }> {
    const reason = retryReason(error);
    if (reason === null || !(error instanceof CxoneError)) return { retry: false, error };
    const giveUpWith = reason === 'transient' ? error : this.withRetryAfter(error);

    const allowed = reason === 'transient' ? this.tuning.transientRetries : this.tuning.processingRetries;
    if (state.spent[reason] >= allowed) return { retry: false, error: giveUpWith };

    const { delayMs, backoffStep } = this.delayFor(reason, error, state);
    const deadline = call.scope.deadline;
    // An attempt takes about as long as the last one did; a retry that cannot finish in time is
    // not started, so the caller hears "timeout" now instead of after a wasted wait.
    if (deadline !== undefined && this.options.clock.now() + delayMs + state.lastAttemptMs > deadline) {
      return { retry: false, error: deadlineError(call, giveUpWith) };
    }
    if (this.circuitOpenFor(call.scope.tenantId) !== null) return { retry: false, error: giveUpWith };

    try {
      await call.budget.take(call.scope.tenantId, call.scope.priority, 'retry', call.resource);
    } catch (budgetError: unknown) {
      // The retry allowance (or the budget) is spent: the real failure is more useful than "budget".
      this.options.logger.debug(
        { endpoint: call.endpoint, reason, attempt: attemptNo, requestId: call.scope.requestId, refused: errorKind(budgetError) },
        'CXone retry refused by the request budget',
      );
      return { retry: false, error: giveUpWith };
    }

    state.spent[reason] += 1;
    state.nextDelayMs = delayMs;
    if (backoffStep !== undefined) state.transientBackoff = backoffStep;
    this.options.metrics.upstreamRetries.inc({ endpoint: call.endpoint, reason });
    this.options.logger.debug(
      { endpoint: call.endpoint, reason, attempt: attemptNo + 1, delayMs, requestId: call.scope.requestId },
      'CXone call retried',
    );
    return { retry: true };
  }

  /**
   * The wait before the next attempt: CXone's Retry-After (capped), else our own delay. For
   * transient failures also the next backoff step, which `plan` keeps only if the retry happens.
   */
  private delayFor(
    reason: RetryReason,
    error: CxoneError,
    state: RunState,
  ): { delayMs: number; backoffStep?: IBackoff<unknown> } {
    const retryAfterMs =
      error.retryAfterSeconds === undefined ? undefined : Math.min(error.retryAfterSeconds * 1000, this.tuning.maxRetryAfterMs);
    if (reason !== 'transient') return { delayMs: retryAfterMs ?? this.tuning.processingDelayMs };
    const backoffStep = (state.transientBackoff ?? this.transientBackoff).next(undefined);
    const backoffMs = Math.min(this.tuning.maxDelayMs, Math.max(this.tuning.baseDelayMs, backoffStep.duration));
    // A 503 with Retry-After: CXone's wait wins when it is longer than ours.
    return { delayMs: retryAfterMs === undefined ? backoffMs : Math.max(backoffMs, retryAfterMs), backoffStep };
  }

  /** A 202/425 given up on still tells the caller when to come back. */
  private withRetryAfter(error: CxoneError): CxoneError {
    if (error.retryAfterSeconds !== undefined) return error;
    return copyError(error, { retryAfterSeconds: Math.max(1, Math.ceil(this.tuning.processingDelayMs / 1000)) });
  }

  // -------------------------------------------------------------------------------------------
  // Circuits
  // -------------------------------------------------------------------------------------------

  private circuitFor(tenantId: string): TenantCircuit {
    const existing = this.circuits.get(tenantId);
    if (existing !== undefined) return existing;
    // Only transient failures open the circuit: a 404 or 403 is CXone answering, not CXone down.
    const breaker = circuitBreaker(handleWhen(isTransient), {
      breaker: new ConsecutiveBreaker(this.tuning.consecutiveFailures),
      halfOpenAfter: this.tuning.halfOpenAfterMs,
    });
    const circuit: TenantCircuit = { breaker, openedAt: 0 };
    breaker.onBreak(() => {
      // cockatiel times the open state with Date.now(), so the Retry-After we give does too.
      circuit.openedAt = Date.now();
      this.options.logger.warn({ tenant: tenantId }, 'CXone circuit opened');
    });
    breaker.onStateChange((stateNow) => {
      const open = stateNow === CircuitState.Open || stateNow === CircuitState.Isolated;
      this.options.metrics.circuitState.set({ tenant: tenantId }, open ? 1 : 0);
    });
    breaker.onReset(() => this.options.logger.info({ tenant: tenantId }, 'CXone circuit closed'));
    this.circuits.set(tenantId, circuit);
    return circuit;
  }

  /** Milliseconds until the tenant's open circuit lets a trial call through, or null when it is not open. */
  private circuitOpenFor(tenantId: string): number | null {
    const circuit = this.circuits.get(tenantId);
    if (circuit === undefined) return null;
    if (circuit.breaker.state === CircuitState.Isolated) return this.tuning.halfOpenAfterMs;
    if (circuit.breaker.state !== CircuitState.Open) return null;
    const left = circuit.openedAt + this.tuning.halfOpenAfterMs - Date.now();
    return left > 0 ? left : null;
  }

  private assertCircuitAllows(call: LogicalCall): void {
    const leftMs = this.circuitOpenFor(call.scope.tenantId);
    if (leftMs !== null) throw circuitOpenError(call, leftMs);
  }

  /**
   * Runs one attempt inside the tenant's breaker. Non-transient failures pass through the breaker
   * as results, so they count as "CXone answered" and reset the consecutive-failure count.
   */
  private async throughCircuit<T>(call: LogicalCall, signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
    const circuit = this.circuitFor(call.scope.tenantId);
    let outcome: { ok: true; value: T } | { ok: false; error: unknown };
    try {
      outcome = await circuit.breaker.execute(async () => {
        try {
          return { ok: true as const, value: await fn() };
        } catch (error: unknown) {
          if (isTransient(error)) throw error;
          return { ok: false as const, error };
        }
      }, signal);
    } catch (error: unknown) {
      if (error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError) {
        throw circuitOpenError(call, this.circuitOpenFor(call.scope.tenantId) ?? this.tuning.halfOpenAfterMs);
      }
      if (error instanceof TaskCancelledError) throw deadlineError(call, undefined);
      throw error;
    }
    if (outcome.ok) return outcome.value;
    throw outcome.error;
  }
}

/** Factory form of `new CxoneResiliencePolicy(options)`. */
export function createResiliencePolicy(options: ResilienceOptions): ResiliencePolicy {
  return new CxoneResiliencePolicy(options);
}

function deadlineError(call: LogicalCall, last: CxoneError | undefined): CxoneError {
  return new CxoneError('The request deadline ran out before CXone gave a final answer', {
    kind: 'timeout',
    resource: call.resource,
    ...(last?.request === undefined ? {} : { request: last.request }),
    ...(last?.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: last.retryAfterSeconds }),
    ...(last === undefined ? {} : { cause: last }),
  });
}

function circuitOpenError(call: LogicalCall, leftMs: number): CxoneError {
  return new CxoneError('CXone keeps failing for this tenant; failing fast until the circuit half-opens', {
    kind: 'circuit-open',
    resource: call.resource,
    retryAfterSeconds: Math.max(1, Math.ceil(leftMs / 1000)),
  });
}

/** CxoneError is immutable; a changed copy keeps the original as its cause for debugging. */
function copyError(error: CxoneError, change: { retryAfterSeconds: number }): CxoneError {
  return new CxoneError(error.message, {
    kind: error.kind,
    resource: error.resource,
    ...(error.request === undefined ? {} : { request: error.request }),
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.internalCode === undefined ? {} : { internalCode: error.internalCode }),
    ...(error.upstreamMessage === undefined ? {} : { upstreamMessage: error.upstreamMessage }),
    retryAfterSeconds: change.retryAfterSeconds,
    cause: error,
  });
}

function errorKind(error: unknown): string {
  return error instanceof CxoneError ? error.kind : 'unknown';
}
