/** Which failed attempts are retried, and why; anything on no list is not, and do-not-retry wins. */
import { CxoneError } from './errors.js';

/** 202: the recording is still being prepared ("in progress"); the same request succeeds later, after a pause. */
export function isStillProcessing(error: unknown): boolean {
  return isHttpStatus(error, 202);
}

/** 425: the interaction is busy with an earlier request ("locked"); re-issued after a pause, never in parallel. */
export function isLocked(error: unknown): boolean {
  return isHttpStatus(error, 425);
}

/**
 * "CXone or something in front of it failed this time", not "this request is wrong": 500 and 504 are
 * documented, 502/503 come from CXone's gateways during deploys. A retry with backoff usually succeeds.
 */
const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([500, 502, 503, 504]);

/** A failure worth another try after a backoff; also the only failures the circuit breaker counts. */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof CxoneError)) return false;
  if (error.kind === 'network' || error.kind === 'timeout') return true;
  return error.kind === 'http' && error.status !== undefined && TRANSIENT_STATUSES.has(error.status);
}

/** 429: not retried, the quota is shared by every replica and caller; the caller gets `retryAfterSeconds`. */
export function isThrottled(error: unknown): boolean {
  return isHttpStatus(error, 429);
}

/**
 * Statuses that answer the same however often asked (octokit's list); 401 too, since the auth layer
 * re-authenticates once itself; 404 also covers recordings before 2018-12-13 or archived.
 */
const DO_NOT_RETRY_STATUSES: ReadonlySet<number> = new Set([400, 401, 403, 404, 422]);

/**
 * Never retried: the do-not-retry statuses, throttling, an unreadable answer (it reads the same next
 * time) and our own refusals (budget, circuit, credentials).
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
