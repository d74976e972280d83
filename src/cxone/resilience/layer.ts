/**
 * The shape every resilience layer has: a handler runs one logical call's attempts, and a layer
 * wraps the next handler, doing its part before the call, around each attempt, or both (smithy's
 * middleware stack, octokit's plugins). Composed in resilience.ts; each is testable on its own.
 */
import type { RequestBudget } from '../budget.js';
import type { CxoneEndpoint, CxoneResource } from '../errors.js';
import type { CallScope } from '../ports.js';

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

/** One upstream request. */
export type Attempt<T> = (context: AttemptContext) => Promise<T>;

/** A call as the layers pass it down: with the deadline's signal once the deadline layer set it. */
export interface LayeredCall extends LogicalCall {
  readonly signal: AbortSignal;
}

/** Runs a call's attempts (the innermost handler is the retry loop). */
export type Handler = <T>(call: LayeredCall, attempt: Attempt<T>) => Promise<T>;

/** Wraps the next handler. */
export type Layer = (next: Handler) => Handler;

/** Another try may go ahead (true), or not: the guard's reason is logged. */
export type RetryGuard = (call: LayeredCall) => Promise<boolean>;

/** Wraps each attempt: `observe` sees its outcome, then the outcome goes on unchanged. */
export function observeAttempt<T>(
  attempt: Attempt<T>,
  observe: { readonly success?: () => void; readonly failure?: (error: unknown) => void | Promise<void> },
): Attempt<T> {
  return async (context) => {
    let value: T;
    try {
      value = await attempt(context);
    } catch (error: unknown) {
      await observe.failure?.(error);
      throw error;
    }
    observe.success?.();
    return value;
  };
}
