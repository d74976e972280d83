/**
 * The budget layer: the first attempt takes one point of the tenant's budget and of the caller's
 * share (../budget.ts). A refusal of the caller spends nothing of the tenant's shared budget, so
 * its point goes back to the tenant; the caller's own share keeps it, so a caller CXone keeps
 * refusing is bounded by its share like everyone else. With no credentials there was no request at
 * all: both points go back. A retry takes its own point through `mayRetry`.
 */
import type { Logger } from '../../logger.js';
import { CxoneError } from '../errors.js';
import { refusedStatus } from './refusals.js';
import { observeAttempt, type Handler, type Layer, type RetryGuard } from './layer.js';

export function budgetLayer(logger: Logger): { readonly layer: Layer; readonly mayRetry: RetryGuard } {
  const layer: Layer = (next: Handler): Handler =>
    async (call, attempt) => {
      const { tenantId, callerId, priority } = call.scope;
      await call.budget.take(tenantId, priority, 'first', call.resource, callerId);
      return next(
        call,
        observeAttempt(attempt, {
          failure: async (error) => {
            if (error instanceof CxoneError && error.kind === 'no-credentials') await call.budget.refund?.(tenantId, callerId);
            else if (refusedStatus(error) !== undefined) await call.budget.refund?.(tenantId);
          },
        }),
      );
    };
  const mayRetry: RetryGuard = async (call) => {
    try {
      await call.budget.take(call.scope.tenantId, call.scope.priority, 'retry', call.resource, call.scope.callerId);
      return true;
    } catch (budgetError: unknown) {
      // The retry allowance (or the budget) is spent: the real failure is more useful than "budget".
      logger.debug(
        { endpoint: call.endpoint, requestId: call.scope.requestId, refused: budgetError instanceof CxoneError ? budgetError.kind : 'unknown' },
        'CXone retry refused by the request budget',
      );
      return false;
    }
  };
  return { layer, mayRetry };
}
