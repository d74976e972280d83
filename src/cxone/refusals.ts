/**
 * CXone's refusals of a caller, remembered briefly so that asking again costs CXone nothing: a 403
 * (no playback permission) per verified caller, a 401 per forwarded token (by its hash). Only
 * forward mode: in access-key mode CXone sees the service's own key, which the auth layer renews.
 * Bounded (LRU) and on the injected clock.
 */
import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock.js';
import type { CallScope } from './ports.js';
import { hashToken } from './redact.js';

/** A refusal status worth remembering. */
export type RefusalStatus = 401 | 403;

export interface RefusalMemoryOptions {
  readonly clock: Clock;
  /** How long a refusal is remembered, in ms; 0 remembers nothing. */
  readonly rememberMs: number;
  /** Callers and tokens remembered at once (least recently used forgotten). Default 10 000. */
  readonly max?: number;
  /** Told when CXone refuses a forwarded token (401), so what vouched for it can forget it. */
  readonly onTokenRefused?: (token: string) => void;
}

/** What CXone refused recently, by caller (403) and by token (401). */
export class RefusalMemory {
  /** `tenant:caller` or `token:<hash>` -> until when (injected clock) and with which status. */
  private readonly refused: LRUCache<string, { readonly until: number; readonly status: RefusalStatus }>;

  constructor(private readonly options: RefusalMemoryOptions) {
    this.refused = new LRUCache({ max: options.max ?? 10_000 });
  }

  /** Records that CXone answered `status` for a call of `scope`. */
  remember(scope: CallScope, status: RefusalStatus): void {
    if (this.options.rememberMs <= 0 || scope.caller.mode !== 'forward' || scope.caller.token === null) return;
    const until = this.options.clock.now() + this.options.rememberMs;
    if (status === 401) {
      this.refused.set(tokenKey(scope.caller.token), { until, status });
      this.options.onTokenRefused?.(scope.caller.token);
    } else {
      this.refused.set(callerKey(scope.tenantId, scope.callerId), { until, status });
    }
  }

  /** The remembered refusal for a call of `scope`, if any. */
  refusalFor(scope: CallScope): RefusalStatus | undefined {
    if (scope.caller.mode !== 'forward' || scope.caller.token === null) return undefined;
    if (this.tokenRefused(scope.caller.token)) return 401;
    return this.callerRefused(scope.tenantId, scope.callerId) ? 403 : undefined;
  }

  /** Whether CXone refused this token (401) within the memory. */
  tokenRefused(token: string): boolean {
    return this.current(tokenKey(token));
  }

  /** Whether CXone refused this caller (403) within the memory. */
  callerRefused(tenantId: string, callerId: string): boolean {
    return this.current(callerKey(tenantId, callerId));
  }

  /** Seconds until the caller's remembered refusal ends (for the error message), at least 1. */
  secondsLeft(tenantId: string, callerId: string): number {
    const entry = this.refused.get(callerKey(tenantId, callerId));
    return Math.max(1, Math.ceil(((entry?.until ?? 0) - this.options.clock.now()) / 1000));
  }

  private current(key: string): boolean {
    const entry = this.refused.get(key);
    if (entry === undefined) return false;
    if (entry.until > this.options.clock.now()) return true;
    this.refused.delete(key);
    return false;
  }
}

function tokenKey(token: string): string {
  return `token:${hashToken(token)}`;
}

function callerKey(tenantId: string, callerId: string): string {
  return `caller:${tenantId}:${callerId}`;
}
