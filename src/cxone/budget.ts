/**
 * The tenant's upstream request budget: ours, enforced before CXone throttles (its documented default
 * is 150 requests per 5 minutes per tenant). Every upstream attempt, first or retry, takes one point,
 * so retries spend the same budget as first calls. Storage-agnostic: the limiters are
 * rate-limiter-flexible instances, in memory here; a RateLimiterRedis pair shares one budget across
 * replicas with no change to callers (see `createLimiterBudget`).
 */
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { CxoneError, type CxoneResource } from './errors.js';

/**
 * Interactive lookups (a contact page) go before bulk reporting when the budget is tight. A forced
 * refresh (`refresh: true`) draws on its own small allowance, per tenant and per caller, and like
 * bulk work never spends the interactive reserve.
 */
type BudgetPriority = 'interactive' | 'bulk' | 'refresh';

/** A first attempt, or a retry of one (retries also draw on the smaller retry allowance). */
type BudgetAttemptKind = 'first' | 'retry';

/** One point per upstream attempt, per tenant. */
export interface RequestBudget {
  /**
   * Takes one point for an upstream attempt of `tenantId`. Resolves when the attempt may go ahead;
   * rejects with CxoneError kind `budget` (with `retryAfterSeconds`) when it may not. `resource`
   * names what the refused call was for, so the error reads like every other upstream error.
   */
  take(
    tenantId: string,
    priority: BudgetPriority,
    kind: BudgetAttemptKind,
    resource: CxoneResource,
    callerId?: string,
  ): Promise<void>;
  /**
   * Gives back the point an attempt took (the tenant's and the caller's), when the attempt turned
   * out to spend nothing of the shared budget: CXone refused the caller (401/403), or there were no
   * credentials. Best effort: a store failure is logged, not thrown.
   */
  refund?(tenantId: string, callerId?: string): Promise<void>;
  /** Releases what the budget holds (connections of a shared store); the memory budget has nothing to release. */
  close?(): Promise<void>;
}

/** Tuning shared by every budget, whatever stores its counters. */
export interface BudgetTuning {
  /** Upstream requests per window and tenant; 0 turns the budget off (it never refuses). */
  readonly limit: number;
  /** The fixed window, in seconds. */
  readonly windowSeconds: number;
  /**
   * Fraction of `limit` kept for interactive lookups: bulk requests are refused once fewer than
   * this many points are left, so a reporting run cannot starve a contact page. Default 0.2.
   */
  readonly interactiveReserve?: number;
  /**
   * Fraction of `limit` that retries may use per window (on top of taking normal points), so a
   * failure storm cannot burn the tenant's quota on retries. Default 0.1, at least one retry.
   */
  readonly retryShare?: number;
  /**
   * Fraction of `limit` one caller (verified user, token or service) may spend per window
   * (`CXONE_CALLER_SHARE`), so one caller cannot spend the whole tenant window. Default 0.5;
   * 1 turns it off.
   */
  readonly callerShare?: number;
  /**
   * Fraction of `limit` forced refreshes may use per window and tenant (on top of taking normal
   * points outside the interactive reserve). Default 0.1, at least one.
   */
  readonly refreshShare?: number;
  /** Fraction of `limit` one caller's forced refreshes may use per window. Default 0.05, at least one. */
  readonly refreshCallerShare?: number;
  readonly metrics: Metrics;
  /** Where store failures are reported; the budget then lets the call through (see below). */
  readonly logger?: Logger;
}

/** Options of `createLimiterBudget`: the tuning plus the two limiters (any rate-limiter-flexible store). */
interface LimiterBudgetOptions extends BudgetTuning {
  /** Points = `limit`, duration = `windowSeconds`, keyed by tenant. */
  readonly limiter: RateLimiterAbstract;
  /** Points = `retryPoints(limit, retryShare)`, duration = `windowSeconds`, keyed by tenant; a distinct key prefix. */
  readonly retryLimiter: RateLimiterAbstract;
  /** Points = `callerPoints(limit, callerShare)`, duration = `windowSeconds`, keyed by tenant and caller. */
  readonly callerLimiter?: RateLimiterAbstract;
  /** Points = `refreshPoints(limit, refreshShare)`, keyed by tenant. Without it refreshes have no allowance of their own. */
  readonly refreshLimiter?: RateLimiterAbstract;
  /** Points = `refreshPoints(limit, refreshCallerShare)`, keyed by tenant and caller. */
  readonly refreshCallerLimiter?: RateLimiterAbstract;
}

/** Options of `createMemoryBudget`. */
type MemoryBudgetOptions = BudgetTuning;

const DEFAULT_INTERACTIVE_RESERVE = 0.2;
const DEFAULT_RETRY_SHARE = 0.1;
const DEFAULT_CALLER_SHARE = 0.5;
const DEFAULT_REFRESH_SHARE = 0.1;
const DEFAULT_REFRESH_CALLER_SHARE = 0.05;

/** Forced refreshes a window allows for a tenant (`refreshShare`) or one caller (`refreshCallerShare`), at least one. */
function refreshPoints(limit: number, share: number): number {
  return Math.max(1, Math.floor(limit * clampFraction(share)));
}

/** The tenant's and one caller's refresh allowances, from the tuning's shares. */
export function refreshAllowances(options: Pick<BudgetTuning, 'limit' | 'refreshShare' | 'refreshCallerShare'>): { tenant: number; caller: number } {
  return {
    tenant: refreshPoints(options.limit, options.refreshShare ?? DEFAULT_REFRESH_SHARE),
    caller: refreshPoints(options.limit, options.refreshCallerShare ?? DEFAULT_REFRESH_CALLER_SHARE),
  };
}

/** How many points one caller may spend per window: `callerShare` of the limit, at least one. */
export function callerPoints(limit: number, callerShare: number = DEFAULT_CALLER_SHARE): number {
  return Math.max(1, Math.floor(limit * clampFraction(callerShare)));
}

/** How many points bulk requests must leave untouched for interactive ones. */
export function reservedPoints(limit: number, interactiveReserve: number = DEFAULT_INTERACTIVE_RESERVE): number {
  return Math.ceil(limit * clampFraction(interactiveReserve));
}

/**
 * How many retries a window allows: about `retryShare` of the limit, but at least one when the share
 * is positive, so a small budget still gets a retry for a transient blip.
 */
export function retryPoints(limit: number, retryShare: number = DEFAULT_RETRY_SHARE): number {
  const share = clampFraction(retryShare);
  if (share === 0) return 0;
  return Math.max(1, Math.floor(limit * share));
}

/** An in-process budget (one replica). Fixed windows: `limit` points per `windowSeconds`. */
export function createMemoryBudget(options: MemoryBudgetOptions): RequestBudget {
  validateTuning(options);
  // Points must be positive for rate-limiter-flexible; an off budget never touches its limiters.
  const points = Math.max(1, options.limit);
  const retries = retryPoints(options.limit, options.retryShare);
  const refreshes = refreshAllowances(options);
  return createLimiterBudget({
    ...options,
    limiter: new RateLimiterMemory({ keyPrefix: 'cxone-budget', points, duration: options.windowSeconds }),
    retryLimiter: new RateLimiterMemory({
      keyPrefix: 'cxone-retry-budget',
      points: Math.max(1, retries),
      duration: options.windowSeconds,
    }),
    callerLimiter: new RateLimiterMemory({
      keyPrefix: 'cxone-caller-budget',
      points: callerPoints(options.limit, options.callerShare),
      duration: options.windowSeconds,
    }),
    refreshLimiter: new RateLimiterMemory({ keyPrefix: 'cxone-refresh-budget', points: refreshes.tenant, duration: options.windowSeconds }),
    refreshCallerLimiter: new RateLimiterMemory({
      keyPrefix: 'cxone-refresh-caller-budget',
      points: refreshes.caller,
      duration: options.windowSeconds,
    }),
  });
}

/**
 * A budget over two given limiters, e.g. `RateLimiterRedis` instances sharing one Redis so every
 * replica spends the same tenant budget. The limiters' `points`/`duration` must match the tuning.
 */
export function createLimiterBudget(options: LimiterBudgetOptions): RequestBudget {
  validateTuning(options);
  return new LimiterBudget(options);
}

class LimiterBudget implements RequestBudget {
  private readonly limit: number;
  private readonly reserve: number;
  private readonly retryAllowance: number;
  /** The caller share's limiter, or undefined when the share is the whole budget. */
  private readonly callerLimiter: RateLimiterAbstract | undefined;

  constructor(private readonly options: LimiterBudgetOptions) {
    this.limit = options.limit;
    this.reserve = reservedPoints(options.limit, options.interactiveReserve);
    this.retryAllowance = retryPoints(options.limit, options.retryShare);
    this.callerLimiter = clampFraction(options.callerShare ?? DEFAULT_CALLER_SHARE) >= 1 ? undefined : options.callerLimiter;
  }

  async take(
    tenantId: string,
    priority: BudgetPriority,
    kind: BudgetAttemptKind,
    resource: CxoneResource,
    callerId?: string,
  ): Promise<void> {
    if (this.limit === 0) return;
    // The caller's share first: a caller past it is refused without touching the tenant's budget.
    const callerKey = callerId === undefined || this.callerLimiter === undefined ? undefined : `${tenantId}:${callerId}`;
    if (callerKey !== undefined && this.callerLimiter !== undefined) {
      const share = await this.consume(this.callerLimiter, callerKey);
      if (share.refused) throw this.refuse(priority, resource, share.msBeforeNext, 'caller');
    }
    let refreshKeys: Array<[RateLimiterAbstract, string]> = [];
    if (priority === 'refresh' && kind === 'first') {
      try {
        refreshKeys = await this.takeRefresh(tenantId, callerKey ?? `${tenantId}:${callerId ?? '-'}`, resource);
      } catch (error) {
        if (callerKey !== undefined && this.callerLimiter !== undefined) await this.refundLimiter(this.callerLimiter, callerKey);
        throw error;
      }
    }
    try {
      await this.takeTenant(tenantId, priority, kind, resource);
    } catch (error) {
      // The attempt did not happen: it must not use up the caller's share or refresh allowance either.
      for (const [limiter, key] of refreshKeys) await this.refundLimiter(limiter, key);
      if (callerKey !== undefined && this.callerLimiter !== undefined) await this.refundLimiter(this.callerLimiter, callerKey);
      throw error;
    }
  }

  /**
   * A forced refresh's own allowance: the caller's, then the tenant's. Returns what it took, to give
   * back if the attempt does not happen; refuses (giving back what it took) when either is spent.
   */
  private async takeRefresh(tenantId: string, callerKey: string, resource: CxoneResource): Promise<Array<[RateLimiterAbstract, string]>> {
    const taken: Array<[RateLimiterAbstract, string]> = [];
    for (const [limiter, key] of [
      [this.options.refreshCallerLimiter, callerKey],
      [this.options.refreshLimiter, tenantId],
    ] as const) {
      if (limiter === undefined) continue;
      const result = await this.consume(limiter, key);
      if (result.refused) {
        for (const [done, doneKey] of taken) await this.refundLimiter(done, doneKey);
        throw this.refuse('refresh', resource, result.msBeforeNext, 'refresh');
      }
      taken.push([limiter, key]);
    }
    return taken;
  }

  async refund(tenantId: string, callerId?: string): Promise<void> {
    if (this.limit === 0) return;
    await this.refundLimiter(this.options.limiter, tenantId);
    if (callerId !== undefined && this.callerLimiter !== undefined) await this.refundLimiter(this.callerLimiter, `${tenantId}:${callerId}`);
  }

  private async takeTenant(tenantId: string, priority: BudgetPriority, kind: BudgetAttemptKind, resource: CxoneResource): Promise<void> {
    if (kind === 'retry') {
      if (this.retryAllowance === 0) throw this.refuse(priority, resource, this.options.windowSeconds * 1000, 'retry');
      const retryTaken = await this.consume(this.options.retryLimiter, tenantId);
      if (retryTaken.refused) throw this.refuse(priority, resource, retryTaken.msBeforeNext, 'retry');
      try {
        await this.takeMain(tenantId, priority, resource);
      } catch (error) {
        // The retry did not happen, so it must not use up the retry allowance either.
        await this.refundLimiter(this.options.retryLimiter, tenantId);
        throw error;
      }
      return;
    }
    await this.takeMain(tenantId, priority, resource);
  }

  /** One point of the tenant's main budget, honouring the interactive reserve for bulk calls. */
  private async takeMain(tenantId: string, priority: BudgetPriority, resource: CxoneResource): Promise<void> {
    const taken = await this.consume(this.options.limiter, tenantId);
    if (taken.refused) {
      this.options.metrics.budgetRemaining.set(this.options.metrics.tenantLabel(tenantId), 0);
      throw this.refuse(priority, resource, taken.msBeforeNext, 'budget');
    }
    // Consume first, then check: one atomic step in every store, where a get-then-consume would race
    // between replicas. A bulk call that dipped into the reserve gives its point back.
    if (priority !== 'interactive' && taken.remaining < this.reserve) {
      const after = await this.refundLimiter(this.options.limiter, tenantId);
      this.options.metrics.budgetRemaining.set(this.options.metrics.tenantLabel(tenantId), after ?? taken.remaining + 1);
      throw this.refuse(priority, resource, taken.msBeforeNext, 'reserve');
    }
    this.options.metrics.budgetRemaining.set(this.options.metrics.tenantLabel(tenantId), taken.remaining);
  }

  private async consume(
    limiter: RateLimiterAbstract,
    tenantId: string,
  ): Promise<{ refused: boolean; remaining: number; msBeforeNext: number }> {
    try {
      const res = await limiter.consume(tenantId, 1);
      return { refused: false, remaining: res.remainingPoints, msBeforeNext: res.msBeforeNext };
    } catch (error: unknown) {
      if (error instanceof RateLimiterRes) {
        return { refused: true, remaining: 0, msBeforeNext: error.msBeforeNext };
      }
      // The store itself failed (Redis down). Failing open keeps recordings available; CXone's own
      // throttle (429) remains the backstop. Configure an insuranceLimiter to stay bounded instead.
      this.options.logger?.warn({ err: describe(error) }, 'request budget store failed; call allowed');
      return { refused: false, remaining: this.limit, msBeforeNext: 0 };
    }
  }

  private async refundLimiter(limiter: RateLimiterAbstract, key: string): Promise<number | null> {
    try {
      const res = await limiter.reward(key, 1);
      return res.remainingPoints;
    } catch (error: unknown) {
      this.options.logger?.warn({ err: describe(error) }, 'request budget refund failed');
      return null;
    }
  }

  private refuse(
    priority: BudgetPriority,
    resource: CxoneResource,
    msBeforeNext: number,
    reason: 'budget' | 'reserve' | 'retry' | 'caller' | 'refresh',
  ): CxoneError {
    this.options.metrics.budgetRejections.inc({ priority });
    const message =
      reason === 'refresh'
        ? 'Forced refreshes have spent their allowance of the CXone request budget for this window; the cached answer stands until then'
        : reason === 'caller'
        ? "This caller has spent its share of the tenant's CXone request budget for this window"
        : reason === 'retry'
        ? 'The retry allowance of the CXone request budget is spent for this window'
        : reason === 'reserve'
          ? 'The CXone request budget left is reserved for interactive lookups'
          : 'The CXone request budget is spent for this window';
    return new CxoneError(message, {
      kind: 'budget',
      resource,
      // msBeforeNext is -1 for keys that never expire; a window always ends, so fall back to it.
      retryAfterSeconds: Math.max(1, Math.ceil((msBeforeNext > 0 ? msBeforeNext : this.options.windowSeconds * 1000) / 1000)),
    });
  }
}

function clampFraction(value: number): number {
  if (!Number.isFinite(value)) return 0;
  return Math.min(1, Math.max(0, value));
}

function validateTuning(options: BudgetTuning): void {
  if (!Number.isInteger(options.limit) || options.limit < 0) {
    throw new RangeError('budget limit must be a whole number >= 0');
  }
  if (!Number.isFinite(options.windowSeconds) || options.windowSeconds <= 0) {
    throw new RangeError('budget windowSeconds must be > 0');
  }
}

/** Store errors are logged by class and message only: a Redis error can echo its connection URL. */
function describe(error: unknown): { name: string } {
  return { name: error instanceof Error ? error.name : typeof error };
}
