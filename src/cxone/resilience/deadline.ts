/**
 * The deadline layer, outermost: a call past the request's deadline never starts; one under way is
 * aborted when it passes (cooperative: the transport ends the attempt with kind `timeout`, so the
 * error and its metrics come from the one place that saw it happen), and any failure after the
 * abort reads as the deadline's.
 */
import type { Clock } from '../../clock.js';
import { CxoneError } from '../errors.js';
import type { Handler, Layer, LogicalCall } from './layer.js';

/** Node's setTimeout fires at once for longer delays, so a deadline further off than this is not timed. */
const MAX_TIMER_MS = 2_147_483_647;

export function deadlineLayer(clock: Clock): Layer {
  return (next: Handler): Handler =>
    async (call, attempt) => {
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
export function deadlineError(call: LogicalCall, last: CxoneError | undefined): CxoneError {
  return new CxoneError('The request deadline ran out before CXone gave a final answer', {
    kind: 'timeout',
    resource: call.resource,
    ...(last?.request === undefined ? {} : { request: last.request }),
    ...(last?.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: last.retryAfterSeconds }),
    ...(last === undefined ? {} : { cause: last }),
  });
}
