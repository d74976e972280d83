/**
 * The circuit layer: an open circuit refuses before the budget is touched (failing fast must cost
 * nothing); every attempt's outcome is a sample of the tenant's health, counted by contact
 * (../breaker.ts); a retry is not started while the circuit is open.
 */
import type { HealthBreaker } from '../breaker.js';
import { CxoneError, type CxoneResource } from '../errors.js';
import { isTransient } from './classify.js';
import { observeAttempt, type Handler, type Layer, type RetryGuard } from './layer.js';

export function circuitLayer(breaker: HealthBreaker): { readonly layer: Layer; readonly mayRetry: RetryGuard } {
  const layer: Layer = (next: Handler): Handler =>
    (call, attempt) => {
      const { tenantId } = call.scope;
      const waitMs = breaker.acquire(tenantId);
      if (waitMs !== null) {
        return Promise.reject(
          new CxoneError('CXone keeps failing for this tenant; failing fast until the circuit half-opens', {
            kind: 'circuit-open',
            resource: call.resource,
            retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
          }),
        );
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

/**
 * The breaker's notion of "which contact": a statement or a segment counts as its contact, so one
 * contact's many statements are one failing key, not many.
 */
export function contactKey(resource: CxoneResource): string {
  switch (resource.kind) {
    case 'contact':
    case 'statement':
      return `contact:${resource.acdContactId}`;
    case 'segment':
      return resource.acdContactId === undefined ? `segment:${resource.segmentId}` : `contact:${resource.acdContactId}`;
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
