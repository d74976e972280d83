/**
 * Which failed attempts are retried, and why. Nothing else is: 4xx statuses answer the same however
 * often asked (401 too, since the auth layer re-authenticates once itself; 404 also covers recordings
 * before 2018-12-13 or archived); 429 is not, the quota is shared by every replica and caller, who gets
 * `retryAfterSeconds`; nor an unreadable answer (it reads the same next time) or our own refusals.
 */
import { CxoneError } from './errors.js';

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

/** Why a failure is retried (also the `reason` label of `cxone_upstream_retries_total`), or null. */
export type RetryReason = 'processing' | 'locked' | 'transient';

export function retryReason(error: unknown): RetryReason | null {
  // 202: the recording is still being prepared ("in progress"); the same request succeeds later, after a pause.
  if (isHttpStatus(error, 202)) return 'processing';
  // 425: the interaction is busy with an earlier request ("locked"); re-issued after a pause, never in parallel.
  if (isHttpStatus(error, 425)) return 'locked';
  return isTransient(error) ? 'transient' : null;
}

function isHttpStatus(error: unknown, status: number): boolean {
  return error instanceof CxoneError && error.kind === 'http' && error.status === status;
}
