/**
 * CXone's tenant-wide request budget (150 per 5 minutes by default): a fixed window that starts
 * with the first counted call. Refused calls do not use up budget, so a client that backs off
 * for Retry-After seconds gets through.
 */
import type { RateLimitOptions } from './types.js';

export type ThrottleVerdict = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

export class TenantThrottle {
  private windowStart = 0;
  private used = 0;

  /** Counts one call against `limits` at time `now` (ms); off when limits is null. */
  take(now: number, limits: RateLimitOptions | null): ThrottleVerdict {
    if (limits === null) return { allowed: true };
    const windowMs = limits.windowSeconds * 1000;
    if (this.used === 0 || now >= this.windowStart + windowMs || now < this.windowStart) {
      this.windowStart = now;
      this.used = 0;
    }
    if (this.used < limits.limit) {
      this.used += 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((this.windowStart + windowMs - now) / 1000)) };
  }

  reset(): void {
    this.windowStart = 0;
    this.used = 0;
  }
}
