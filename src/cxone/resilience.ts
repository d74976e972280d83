/**
 * The resilience layer around one logical CXone call (STYLE.md: retry is a layer around the client,
 * with named predicates and an explicit do-not-retry list). A plain loop on the injected clock:
 * circuit, budget (tenant and caller share), attempt, then — between attempts and before any wait —
 * whether another try is worth it (retry class and count, CXone's Retry-After, the budget's retry
 * allowance, the request deadline). Nothing is steered through shared mutable state: each call's
 * loop owns its own counters. A 401/403 (or no credentials) gives its budget point back: a refused
 * caller spends nothing of the tenant's budget.
 */
import { ExponentialBackoff, halfJitterGenerator, type IBackoff } from 'cockatiel';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { RequestBudget } from './budget.js';
import { HealthBreaker, type HealthBreakerTuning } from './breaker.js';
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
  /** The health breaker (see breaker.ts): failure rate, minimum calls and distinct keys, window, half-open. */
  readonly breaker?: HealthBreakerTuning;
}

/** Waits `ms`; rejects when `signal` aborts. Injected so a test can make waits instant. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

/** Options of `CxoneResiliencePolicy`. */
export interface ResilienceOptions extends ResilienceTuning {
  /** The clock `CallScope.deadline`, the breaker's window and its open period are measured on. */
  readonly clock: Clock;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** Default: a timer. */
  readonly sleep?: Sleep;
}

/** One logical call: what it is for and whose budget it spends. */
export interface LogicalCall {
  readonly endpoint: CxoneEndpoint;
  readonly resource: CxoneResource;
  /** Tenant (budget, breaker), caller (caller share), priority (budget), deadline and request id (logs). */
  readonly scope: CallScope;
  readonly budget: RequestBudget;
}

/** What the policy hands each attempt. */
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

const DEFAULT_TUNING = {
  processingRetries: 3,
  processingDelayMs: 1000,
  maxRetryAfterMs: 5000,
  transientRetries: 2,
  baseDelayMs: 200,
  maxDelayMs: 2000,
} as const;

/** Node's setTimeout fires at once for longer delays, so a deadline further off than this is not timed. */
const MAX_TIMER_MS = 2_147_483_647;

/** A failure that means "this caller may not", so its attempt spends nothing of the shared budget. */
function isRefusedCaller(error: unknown): boolean {
  if (!(error instanceof CxoneError)) return false;
  if (error.kind === 'no-credentials') return true;
  return error.kind === 'http' && (error.status === 401 || error.status === 403) && error.resource.kind !== 'auth';
}

/** The breaker's notion of "which contact": failures of one resource count once toward its keys. */
function resourceKey(resource: CxoneResource): string {
  switch (resource.kind) {
    case 'contact':
      return `contact:${resource.acdContactId}`;
    case 'segment':
      return `segment:${resource.segmentId}`;
    case 'statement':
      return `statement:${resource.acdContactId}:${resource.statementId}`;
    case 'completed-contacts':
      return 'completed-contacts';
    case 'segment-analysis':
      return `segment-analysis:${resource.segmentId}`;
    case 'analyzed-segments':
      return 'analyzed-segments';
    case 'auth':
      return 'auth';
  }
}

const timerSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });

/** The `ResiliencePolicy` as a plain loop. One per process: it holds the per-tenant breakers. */
export class CxoneResiliencePolicy implements ResiliencePolicy {
  private readonly tuning: Required<Omit<ResilienceTuning, 'breaker'>>;
  private readonly transientBackoff: ExponentialBackoff<number>;
  private readonly sleep: Sleep;
  /** Per-tenant health breakers (bounded: least recently used tenants are forgotten). */
  readonly breaker: HealthBreaker;

  constructor(private readonly options: ResilienceOptions) {
    this.tuning = {
      processingRetries: options.processingRetries ?? DEFAULT_TUNING.processingRetries,
      processingDelayMs: options.processingDelayMs ?? DEFAULT_TUNING.processingDelayMs,
      maxRetryAfterMs: options.maxRetryAfterMs ?? DEFAULT_TUNING.maxRetryAfterMs,
      transientRetries: options.transientRetries ?? DEFAULT_TUNING.transientRetries,
      baseDelayMs: options.baseDelayMs ?? DEFAULT_TUNING.baseDelayMs,
      maxDelayMs: options.maxDelayMs ?? DEFAULT_TUNING.maxDelayMs,
    };
    this.sleep = options.sleep ?? timerSleep;
    // Half jitter from twice the base: waits fall in [base, 2*base), [2*base, 4*base), ... up to
    // the max, spread so replicas that failed together do not retry together.
    this.transientBackoff = new ExponentialBackoff({
      generator: halfJitterGenerator,
      initialDelay: this.tuning.baseDelayMs * 2,
      maxDelay: this.tuning.maxDelayMs,
    });
    this.breaker = new HealthBreaker(options.clock, options.breaker, (tenantId, change) => {
      // The gauge carries the tenant label only while its circuit is open: series come and go
      // with outages, so the label set stays as small as the number of tenants in trouble.
      if (change === 'opened') {
        options.metrics.circuitState.set(options.metrics.tenantLabel(tenantId), 1);
        options.logger.warn({ tenant: tenantId }, 'CXone circuit opened');
      } else {
        options.metrics.circuitState.remove({ tenant: tenantId });
        options.logger.info({ tenant: tenantId }, 'CXone circuit closed');
      }
    });
  }

  async run<T>(call: LogicalCall, attempt: (context: AttemptContext) => Promise<T>): Promise<T> {
    const { clock } = this.options;
    const deadline = call.scope.deadline;
    const remainingMs = deadline === undefined ? undefined : deadline - clock.now();
    if (remainingMs !== undefined && remainingMs <= 0) throw deadlineError(call, undefined);

    // Cooperative: the deadline aborts the signal and the transport ends the attempt with kind
    // `timeout`, so the error and its metrics come from the one place that saw it happen.
    const controller = new AbortController();
    const deadlineTimer =
      remainingMs === undefined || remainingMs > MAX_TIMER_MS ? undefined : setTimeout(() => controller.abort(), remainingMs);
    const { tenantId } = call.scope;
    const key = resourceKey(call.resource);
    const spent: Record<RetryReason, number> = { processing: 0, locked: 0, transient: 0 };
    let backoff: IBackoff<unknown> | undefined;
    try {
      for (let attemptNo = 0; ; attemptNo += 1) {
        if (attemptNo === 0) {
          // An open circuit refuses before the budget is touched: failing fast must cost nothing.
          const waitMs = this.breaker.acquire(tenantId);
          if (waitMs !== null) throw circuitOpenError(call, waitMs);
          await call.budget.take(tenantId, call.scope.priority, 'first', call.resource, call.scope.callerId);
        }
        const started = clock.now();
        try {
          const value = await attempt({ signal: controller.signal, attempt: attemptNo });
          this.breaker.success(tenantId, key);
          return value;
        } catch (error: unknown) {
          if (controller.signal.aborted && !(error instanceof CxoneError && error.kind === 'timeout')) {
            throw deadlineError(call, error instanceof CxoneError ? error : undefined);
          }
          if (isTransient(error)) this.breaker.failure(tenantId, key);
          else if (error instanceof CxoneError && error.kind !== 'no-credentials') this.breaker.success(tenantId, key);
          if (isRefusedCaller(error)) {
            await call.budget.refund?.(tenantId, call.scope.callerId);
          }
          const decision = await this.plan(call, spent, backoff, error, attemptNo, clock.now() - started);
          if (!decision.retry) throw decision.error;
          backoff = decision.backoff ?? backoff;
          try {
            await this.sleep(decision.delayMs, controller.signal);
          } catch {
            throw deadlineError(call, error instanceof CxoneError ? error : undefined);
          }
        }
      }
    } finally {
      if (deadlineTimer !== undefined) clearTimeout(deadlineTimer);
    }
  }

  /**
   * Decides, before any wait, whether a failed attempt is retried: its class must be retryable and
   * have retries left, the retry must fit before the deadline, the circuit must be closed, and the
   * budget must grant a retry point. Otherwise says which error to give up with.
   */
  private async plan(
    call: LogicalCall,
    spent: Record<RetryReason, number>,
    backoff: IBackoff<unknown> | undefined,
    error: unknown,
    attemptNo: number,
    lastAttemptMs: number,
  ): Promise<
    | { readonly retry: true; readonly delayMs: number; readonly backoff: IBackoff<unknown> | undefined }
    | { readonly retry: false; readonly error: unknown }
  > {
    const reason = retryReason(error);
    if (reason === null || !(error instanceof CxoneError)) return { retry: false, error };
    const giveUpWith = reason === 'transient' ? error : this.withRetryAfter(error);

    const allowed = reason === 'transient' ? this.tuning.transientRetries : this.tuning.processingRetries;
    if (spent[reason] >= allowed) return { retry: false, error: giveUpWith };

    const { delayMs, backoffStep } = this.delayFor(reason, error, backoff);
    const deadline = call.scope.deadline;
    // An attempt takes about as long as the last one did; a retry that cannot finish in time is
    // not started, so the caller hears "timeout" now instead of after a wasted wait.
    if (deadline !== undefined && this.options.clock.now() + delayMs + lastAttemptMs > deadline) {
      return { retry: false, error: deadlineError(call, giveUpWith) };
    }
    if (this.breaker.isOpen(call.scope.tenantId)) return { retry: false, error: giveUpWith };

    try {
      await call.budget.take(call.scope.tenantId, call.scope.priority, 'retry', call.resource, call.scope.callerId);
    } catch (budgetError: unknown) {
      // The retry allowance (or the budget) is spent: the real failure is more useful than "budget".
      this.options.logger.debug(
        { endpoint: call.endpoint, reason, attempt: attemptNo, requestId: call.scope.requestId, refused: errorKind(budgetError) },
        'CXone retry refused by the request budget',
      );
      return { retry: false, error: giveUpWith };
    }

    spent[reason] += 1;
    this.options.metrics.upstreamRetries.inc({ endpoint: call.endpoint, reason });
    this.options.logger.debug(
      { endpoint: call.endpoint, reason, attempt: attemptNo + 1, delayMs, requestId: call.scope.requestId },
      'CXone call retried',
    );
    return { retry: true, delayMs, backoff: backoffStep };
  }

  /**
   * The wait before the next attempt: CXone's Retry-After (capped), else our own delay. For
   * transient failures also the next backoff step, which `run` keeps only if the retry happens.
   */
  private delayFor(
    reason: RetryReason,
    error: CxoneError,
    backoff: IBackoff<unknown> | undefined,
  ): { delayMs: number; backoffStep?: IBackoff<unknown> } {
    const retryAfterMs =
      error.retryAfterSeconds === undefined ? undefined : Math.min(error.retryAfterSeconds * 1000, this.tuning.maxRetryAfterMs);
    if (reason !== 'transient') return { delayMs: retryAfterMs ?? this.tuning.processingDelayMs };
    const backoffStep = (backoff ?? this.transientBackoff).next(undefined);
    const backoffMs = Math.min(this.tuning.maxDelayMs, Math.max(this.tuning.baseDelayMs, backoffStep.duration));
    // A 503 with Retry-After: CXone's wait wins when it is longer than ours.
    return { delayMs: retryAfterMs === undefined ? backoffMs : Math.max(backoffMs, retryAfterMs), backoffStep };
  }

  /** A 202/425 given up on still tells the caller when to come back. */
  private withRetryAfter(error: CxoneError): CxoneError {
    if (error.retryAfterSeconds !== undefined) return error;
    return copyError(error, { retryAfterSeconds: Math.max(1, Math.ceil(this.tuning.processingDelayMs / 1000)) });
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
