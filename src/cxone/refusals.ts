/**
 * CXone's refusals of a forwarded caller, remembered briefly so asking again costs CXone nothing: a 403
 * per caller and CXone product (a role may play recordings yet lack Analytics), a 401 per token hash.
 */
import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock.js';
import type { CallScope } from './ports.js';
import type { CxoneResource } from './errors.js';
import { hashToken } from '../credential.js';

type RefusalStatus = 401 | 403;

interface RefusalMemoryOptions {
  readonly clock: Clock;
  /** How long a refusal is remembered, in ms; 0 remembers nothing. */
  readonly rememberMs: number;
  /** Told when CXone refuses a forwarded token (401), so what vouched for it can forget it. */
  readonly onTokenRefused?: (token: string) => void;
}

export class RefusalMemory {
  /** `tenant:caller` or `token:<hash>` -> until when (injected clock) and with which status. */
  private readonly refused: LRUCache<string, { readonly until: number; readonly status: RefusalStatus }>;

  constructor(private readonly options: RefusalMemoryOptions) {
    // Callers and tokens remembered at once; the least recently used are forgotten.
    this.refused = new LRUCache({ max: 10_000 });
  }

  remember(scope: CallScope, status: RefusalStatus, resource: CxoneResource): void {
    if (this.options.rememberMs <= 0 || scope.caller.mode !== 'forward' || scope.caller.token === null) return;
    const until = this.options.clock.now() + this.options.rememberMs;
    if (status === 401) {
      this.refused.set(tokenKey(scope.caller.token), { until, status });
      this.options.onTokenRefused?.(scope.caller.token);
    } else {
      this.refused.set(callerKey(scope, resource), { until, status });
    }
  }

  refusalFor(scope: CallScope, resource: CxoneResource): RefusalStatus | undefined {
    if (scope.caller.mode !== 'forward' || scope.caller.token === null) return undefined;
    if (this.current(tokenKey(scope.caller.token))) return 401;
    return this.current(callerKey(scope, resource)) ? 403 : undefined;
  }

  /** Seconds until the caller's refusal of `resource`'s product ends, at least 1 (for the error message). */
  secondsLeft(scope: CallScope, resource: CxoneResource): number {
    const entry = this.refused.get(callerKey(scope, resource));
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

function callerKey(scope: CallScope, resource: CxoneResource): string {
  return `caller:${PRODUCTS[resource.kind]}:${scope.tenantId}:${scope.callerId}`;
}

/** The CXone product a permission belongs to: a 403 from one says nothing of the others. */
type Product = 'playback' | 'reporting' | 'analytics' | 'auth';

const PRODUCTS: Readonly<Record<CxoneResource['kind'], Product>> = {
  contact: 'playback',
  segment: 'playback',
  statement: 'playback',
  'completed-contacts': 'reporting',
  'segment-analysis': 'analytics',
  'analyzed-segments': 'analytics',
  auth: 'auth',
};
