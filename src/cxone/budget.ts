/**
 * The tenant's upstream request budget, enforced before CXone throttles (by default 150 requests per
 * 5 minutes per tenant): every attempt takes one point of rate-limiter-flexible limiters, in memory
 * here, in Redis (redis-budget.ts) to share one budget across replicas.
 */
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { CxoneError, type CxoneResource } from './errors.js';
import type { CallScope } from './ports.js';

/** A forced refresh draws on its own small allowance and, like bulk work, never spends the interactive reserve. */
type Priority = CallScope['priority'];

/** A first attempt, or a retry of one (retries also draw on the smaller retry allowance). */
type AttemptKind = 'first' | 'retry';

/** One point per upstream attempt, per tenant. */
export interface RequestBudget {
  /** Takes an attempt's point; rejects with kind `budget` and `retryAfterSeconds` when it may not go ahead. */
  take(tenant: string, priority: Priority, kind: AttemptKind, resource: CxoneResource, caller?: string): Promise<void>;
  /** Gives back an attempt's point (the tenant's and the caller's); a store failure is logged, not thrown. */
  refund?(tenantId: string, callerId?: string): Promise<void>;
}

/** Tuning shared by every budget, whatever stores its counters. Shares are fractions of `limit`. */
export interface BudgetTuning {
  /** Upstream requests per window and tenant; 0 turns the budget off. */
  readonly limit: number;
  /** The fixed window, in seconds. */
  readonly windowSeconds: number;
  /** Kept for interactive lookups: bulk requests are refused once fewer are left. Default 0.2. */
  readonly interactiveReserve?: number;
  /** What retries may use per window, so a failure storm cannot burn the quota. Default 0.1, at least one. */
  readonly retryShare?: number;
  /** What one caller may spend per window (`CXONE_CALLER_SHARE`). Default 0.5; 1 turns it off. */
  readonly callerShare?: number;
  readonly metrics: Metrics;
  /** Where store failures are reported; the budget then lets the call through. */
  readonly logger?: Logger;
}

/** The tuning plus its limiters (any rate-limiter-flexible store), sized as `budgetLimiters` sizes them. */
interface LimiterBudgetOptions extends BudgetTuning {
  readonly limiter: RateLimiterAbstract;
  readonly retryLimiter: RateLimiterAbstract;
  readonly callerLimiter?: RateLimiterAbstract;
  /** Keyed by tenant; without it refreshes have no allowance of their own. */
  readonly refreshLimiter?: RateLimiterAbstract;
  readonly refreshCallerLimiter?: RateLimiterAbstract;
}

type Limiters = Required<Omit<LimiterBudgetOptions, keyof BudgetTuning>>;

const DEFAULT_CALLER_SHARE = 0.5;

/** `share` of the limit, at least one. */
function sharePoints(limit: number, share: number): number {
  return Math.max(1, Math.floor(limit * clampFraction(share)));
}

/** How many points bulk requests must leave untouched for interactive ones. */
export function reservedPoints(limit: number, interactiveReserve = 0.2): number {
  return Math.ceil(limit * clampFraction(interactiveReserve));
}

/** How many retries a window allows: at least one when the share is positive, so a small budget still retries a blip. */
export function retryPoints(limit: number, retryShare = 0.1): number {
  return clampFraction(retryShare) === 0 ? 0 : sharePoints(limit, retryShare);
}

/** Every limiter of a budget, made by `make` from key prefix and size (positive: an off budget never uses them). */
export function budgetLimiters(tuning: BudgetTuning, make: (keyPrefix: string, points: number) => RateLimiterAbstract): Limiters {
  // Before the limiters: rate-limiter-flexible throws its own error for a bad window.
  validateTuning(tuning);
  return {
    limiter: make('cxone-budget', Math.max(1, tuning.limit)),
    retryLimiter: make('cxone-retry-budget', Math.max(1, retryPoints(tuning.limit, tuning.retryShare))),
    callerLimiter: make('cxone-caller-budget', sharePoints(tuning.limit, tuning.callerShare ?? DEFAULT_CALLER_SHARE)),
    // Forced refreshes: a tenth of the budget per tenant, a twentieth per caller.
    refreshLimiter: make('cxone-refresh-budget', sharePoints(tuning.limit, 0.1)),
    refreshCallerLimiter: make('cxone-refresh-caller-budget', sharePoints(tuning.limit, 0.05)),
  };
}

/** An in-process budget (one replica). Fixed windows: `limit` points per `windowSeconds`. */
export function createMemoryBudget(options: BudgetTuning): RequestBudget {
  const make = (keyPrefix: string, points: number) => new RateLimiterMemory({ keyPrefix, points, duration: options.windowSeconds });
  return new LimiterBudget({ ...options, ...budgetLimiters(options, make) });
}

type Refusal = 'budget' | 'reserve' | 'retry' | 'caller' | 'refresh';

const REFUSALS: Readonly<Record<Refusal, string>> = {
  refresh: 'Forced refreshes have spent their allowance of the CXone request budget for this window; the cached answer stands until then',
  caller: "This caller has spent its share of the tenant's CXone request budget for this window",
  retry: 'The retry allowance of the CXone request budget is spent for this window',
  reserve: 'The CXone request budget left is reserved for interactive lookups',
  budget: 'The CXone request budget is spent for this window',
};

type Consumed = { refused: boolean; remaining: number; msBeforeNext: number };

/** A budget over given limiters, e.g. `RateLimiterRedis` ones that every replica shares. */
export class LimiterBudget implements RequestBudget {
  private readonly reserve: number;
  private readonly retryAllowance: number;
  /** Undefined when the caller share is the whole budget. */
  private readonly callerLimiter: RateLimiterAbstract | undefined;

  constructor(private readonly options: LimiterBudgetOptions) {
    this.reserve = reservedPoints(options.limit, options.interactiveReserve);
    this.retryAllowance = retryPoints(options.limit, options.retryShare);
    this.callerLimiter = clampFraction(options.callerShare ?? DEFAULT_CALLER_SHARE) >= 1 ? undefined : options.callerLimiter;
  }

  /**
   * The caller's share first (past it, the tenant's budget is not touched), then a refresh's or a
   * retry's allowances, last the tenant's budget; a refusal gives back what the steps before took.
   */
  async take(tenantId: string, priority: Priority, kind: AttemptKind, resource: CxoneResource, callerId?: string) {
    if (this.options.limit === 0) return;
    const callerKey = `${tenantId}:${callerId ?? '-'}`;
    const steps: Array<[RateLimiterAbstract | undefined, string, Refusal]> = [];
    if (callerId !== undefined) steps.push([this.callerLimiter, callerKey, 'caller']);
    if (priority === 'refresh' && kind === 'first') {
      steps.push([this.options.refreshCallerLimiter, callerKey, 'refresh'], [this.options.refreshLimiter, tenantId, 'refresh']);
    }
    if (kind === 'retry') steps.push([this.options.retryLimiter, tenantId, 'retry']);
    const taken: Array<[RateLimiterAbstract, string]> = [];
    try {
      for (const [limiter, key, reason] of steps) {
        if (reason === 'retry' && this.retryAllowance === 0) throw this.refuse(priority, resource, 0, 'retry');
        if (limiter === undefined) continue;
        const result = await this.consume(limiter, key);
        if (result.refused) throw this.refuse(priority, resource, result.msBeforeNext, reason);
        taken.push([limiter, key]);
      }
      await this.takeMain(tenantId, priority, resource);
    } catch (error) {
      for (const [limiter, key] of taken.reverse()) await this.refundLimiter(limiter, key);
      throw error;
    }
  }

  async refund(tenantId: string, callerId?: string): Promise<void> {
    if (this.options.limit === 0) return;
    await this.refundLimiter(this.options.limiter, tenantId);
    if (callerId !== undefined && this.callerLimiter !== undefined) await this.refundLimiter(this.callerLimiter, `${tenantId}:${callerId}`);
  }

  /** One point of the tenant's main budget, honouring the interactive reserve for bulk calls. */
  private async takeMain(tenantId: string, priority: Priority, resource: CxoneResource): Promise<void> {
    const { limiter, metrics } = this.options;
    const taken = await this.consume(limiter, tenantId);
    if (taken.refused) {
      metrics.budgetRemaining.set(metrics.tenantLabel(tenantId), 0);
      throw this.refuse(priority, resource, taken.msBeforeNext, 'budget');
    }
    // Consume, then check (a get-then-consume would race between replicas); a bulk call in the reserve gives it back.
    if (priority !== 'interactive' && taken.remaining < this.reserve) {
      const after = await this.refundLimiter(limiter, tenantId);
      metrics.budgetRemaining.set(metrics.tenantLabel(tenantId), after ?? taken.remaining + 1);
      throw this.refuse(priority, resource, taken.msBeforeNext, 'reserve');
    }
    metrics.budgetRemaining.set(metrics.tenantLabel(tenantId), taken.remaining);
  }

  private async consume(limiter: RateLimiterAbstract, key: string): Promise<Consumed> {
    try {
      const res = await limiter.consume(key, 1);
      return { refused: false, remaining: res.remainingPoints, msBeforeNext: res.msBeforeNext };
    } catch (error: unknown) {
      if (error instanceof RateLimiterRes) return { refused: true, remaining: 0, msBeforeNext: error.msBeforeNext };
      // The store failed (Redis down): failing open keeps recordings available; CXone's 429 is the backstop.
      this.options.logger?.warn({ err: describe(error) }, 'request budget store failed; call allowed');
      return { refused: false, remaining: this.options.limit, msBeforeNext: 0 };
    }
  }

  private async refundLimiter(limiter: RateLimiterAbstract, key: string): Promise<number | null> {
    try {
      return (await limiter.reward(key, 1)).remainingPoints;
    } catch (error: unknown) {
      this.options.logger?.warn({ err: describe(error) }, 'request budget refund failed');
      return null;
    }
  }

  private refuse(priority: Priority, resource: CxoneResource, msBeforeNext: number, reason: Refusal): CxoneError {
    this.options.metrics.budgetRejections.inc({ priority });
    // msBeforeNext is -1 for keys that never expire; a window always ends, so fall back to it.
    const waitMs = msBeforeNext > 0 ? msBeforeNext : this.options.windowSeconds * 1000;
    const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
    return new CxoneError(REFUSALS[reason], { kind: 'budget', resource, retryAfterSeconds });
  }
}

function clampFraction(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}

function validateTuning(options: BudgetTuning): void {
  if (!Number.isInteger(options.limit) || options.limit < 0) throw new RangeError('budget limit must be a whole number >= 0');
  if (!Number.isFinite(options.windowSeconds) || options.windowSeconds <= 0) throw new RangeError('budget windowSeconds must be > 0');
}

/** Store errors are logged by class and message only: a Redis error can echo its connection URL. */
function describe(error: unknown): { name: string } {
  return { name: error instanceof Error ? error.name : typeof error };
}
