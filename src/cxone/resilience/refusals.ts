/**
 * The refusal layer: a caller CXone refused a moment ago (403 for the caller, 401 for the token;
 * ../refusals.ts) is refused again here, before the circuit or the budget is touched, so asking
 * again costs CXone nothing. Each attempt's 401/403 is remembered.
 */
import { CxoneError } from '../errors.js';
import type { RefusalMemory } from '../refusals.js';
import { observeAttempt, type Handler, type Layer } from './layer.js';

export function refusalLayer(memory: RefusalMemory): Layer {
  return (next: Handler): Handler =>
    (call, attempt) => {
      const remembered = memory.refusalFor(call.scope, call.resource);
      if (remembered !== undefined) {
        return Promise.reject(
          new CxoneError(
            remembered === 401
              ? 'CXone refused this token a moment ago; get a fresh one'
              : `CXone refused this caller a moment ago (no permission); asked again in ${String(memory.secondsLeft(call.scope, call.resource))} s`,
            { kind: 'http', status: remembered, resource: call.resource },
          ),
        );
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
