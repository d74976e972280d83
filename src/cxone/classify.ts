/**
 * Classification of a failed attempt: which failures are retried, and why. Each list says why it is
 * what it is; anything on no list is not retried. The do-not-retry list wins over every other list.
 */
import { CxoneError } from './errors.js';

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
const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([500, 502, 503, 504]);

/** A failure worth another try after a backoff; also the only failures the circuit breaker counts. */
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
const DO_NOT_RETRY_STATUSES: ReadonlySet<number> = new Set([400, 401, 403, 404, 422]);

/**
 * Never retried, whatever else is true: the do-not-retry statuses, throttling, and failures that did
 * not come from a CXone attempt going wrong this time (an unreadable answer reads the same next
 * time; budget, circuit and credentials are our own refusals).
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
