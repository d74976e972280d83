/**
 * The retry layer, innermost: runs attempts until one succeeds, one fails for good, or the rules say
 * stop. Before any wait it decides whether another try is worth it: the failure's retry class and
 * its count, CXone's Retry-After, the request deadline (a retry that cannot finish in time is not
 * started), then the guards of the outer layers (circuit closed, budget grants a retry point).
 * Each call's loop owns its own counters; waits go through the injected `sleep`.
 */
import { ExponentialBackoff, halfJitterGenerator, type IBackoff } from 'cockatiel';
import type { Clock } from '../../clock.js';
import type { Logger } from '../../logger.js';
import type { Metrics } from '../../metrics.js';
import { CxoneError } from '../errors.js';
import { retryReason, type RetryReason } from './classify.js';
import { deadlineError } from './deadline.js';
import type { Handler, LayeredCall, RetryGuard } from './layer.js';

/** Waits `ms`; rejects when `signal` aborts. Injected so a test can make waits instant. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

interface RetryTuning {
  readonly processingRetries: number;
  readonly processingDelayMs: number;
  readonly maxRetryAfterMs: number;
  readonly transientRetries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

interface RetryOptions {
  readonly tuning: RetryTuning;
  readonly clock: Clock;
  readonly sleep: Sleep;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** Asked in order before a retry; the first that says no ends the call with its failure. */
  readonly guards: readonly RetryGuard[];
}

type Decision =
  | { readonly retry: true; readonly delayMs: number; readonly backoff: IBackoff<unknown> | undefined }
  | { readonly retry: false; readonly error: unknown };

export function retryHandler(options: RetryOptions): Handler {
  const { tuning, clock } = options;
  // Half jitter from twice the base: waits fall in [base, 2*base), [2*base, 4*base), ... up to
  // the max, spread so replicas that failed together do not retry together.
  const transientBackoff = new ExponentialBackoff({
    generator: halfJitterGenerator,
    initialDelay: tuning.baseDelayMs * 2,
    maxDelay: tuning.maxDelayMs,
  });

  /** A 202/425 given up on still tells the caller when to come back. */
  const withRetryAfter = (error: CxoneError): CxoneError =>
    error.retryAfterSeconds !== undefined
      ? error
      : copyError(error, { retryAfterSeconds: Math.max(1, Math.ceil(tuning.processingDelayMs / 1000)) });

  /** CXone's Retry-After (capped), else our own delay; for transient failures also the next backoff step. */
  const delayFor = (reason: RetryReason, error: CxoneError, backoff: IBackoff<unknown> | undefined) => {
    const retryAfterMs = error.retryAfterSeconds === undefined ? undefined : Math.min(error.retryAfterSeconds * 1000, tuning.maxRetryAfterMs);
    if (reason !== 'transient') return { delayMs: retryAfterMs ?? tuning.processingDelayMs, backoffStep: undefined };
    const backoffStep = (backoff ?? transientBackoff).next(undefined);
    const backoffMs = Math.min(tuning.maxDelayMs, Math.max(tuning.baseDelayMs, backoffStep.duration));
    // A 503 with Retry-After: CXone's wait wins when it is longer than ours.
    return { delayMs: retryAfterMs === undefined ? backoffMs : Math.max(backoffMs, retryAfterMs), backoffStep };
  };

  const plan = async (
    call: LayeredCall,
    spent: Record<RetryReason, number>,
    backoff: IBackoff<unknown> | undefined,
    error: unknown,
    attemptNo: number,
    lastAttemptMs: number,
  ): Promise<Decision> => {
    const reason = retryReason(error);
    if (reason === null || !(error instanceof CxoneError)) return { retry: false, error };
    const giveUpWith = reason === 'transient' ? error : withRetryAfter(error);
    const allowed = reason === 'transient' ? tuning.transientRetries : tuning.processingRetries;
    if (spent[reason] >= allowed) return { retry: false, error: giveUpWith };
    const { delayMs, backoffStep } = delayFor(reason, error, backoff);
    const deadline = call.scope.deadline;
    // An attempt takes about as long as the last one did; a retry that cannot finish in time is
    // not started, so the caller hears "timeout" now instead of after a wasted wait.
    if (deadline !== undefined && clock.now() + delayMs + lastAttemptMs > deadline) {
      return { retry: false, error: deadlineError(call, giveUpWith) };
    }
    for (const guard of options.guards) {
      if (!(await guard(call))) return { retry: false, error: giveUpWith };
    }
    spent[reason] += 1;
    options.metrics.upstreamRetries.inc({ endpoint: call.endpoint, reason });
    options.logger.debug(
      { endpoint: call.endpoint, reason, attempt: attemptNo + 1, delayMs, requestId: call.scope.requestId },
      'CXone call retried',
    );
    return { retry: true, delayMs, backoff: backoffStep };
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
        const decision = await plan(call, spent, backoff, error, attemptNo, clock.now() - started);
        if (!decision.retry) throw decision.error;
        backoff = decision.backoff ?? backoff;
        try {
          await options.sleep(decision.delayMs, call.signal);
        } catch {
          throw deadlineError(call, error instanceof CxoneError ? error : undefined);
        }
      }
    }
  };
}

/** A timer, cancelled by the signal. */
export const timerSleep: Sleep = (ms, signal) =>
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
