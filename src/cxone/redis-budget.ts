/**
 * The tenant request budget shared by every replica: the same `LimiterBudget` as in memory, over two
 * `RateLimiterRedis` counters in the cache's Redis. The count is one atomic Lua step per attempt in
 * Redis, so replicas cannot both take the last point. While Redis is unreachable each replica falls
 * back to an in-memory insurance limiter of the same size: still bounded (per replica), never stuck.
 */
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { RedisClient } from '../cache/redis.js';
import { createLimiterBudget, retryPoints, type BudgetTuning, type RequestBudget } from './budget.js';

export interface RedisBudgetOptions extends BudgetTuning {
  /** A node-redis client (the one the cache uses); its lifetime is the caller's. */
  readonly client: RedisClient;
  /** Prefix of the counters' keys: replicas sharing it share the budget (the cache namespace). */
  readonly namespace: string;
}

/** A request budget counted in Redis, shared by every replica using the same namespace. */
export function createRedisBudget(options: RedisBudgetOptions): RequestBudget {
  // rate-limiter-flexible needs positive points; a budget of 0 (off) never touches its limiters.
  const points = Math.max(1, options.limit);
  const retries = Math.max(1, retryPoints(options.limit, options.retryShare));
  const limiter = (keyPrefix: string, size: number): RateLimiterRedis =>
    new RateLimiterRedis({
      storeClient: options.client,
      useRedisPackage: true,
      // Without this a command to a disconnected client would wait for its timeout on every call.
      rejectIfRedisNotReady: true,
      keyPrefix,
      points: size,
      duration: options.windowSeconds,
      insuranceLimiter: new RateLimiterMemory({ keyPrefix: `${keyPrefix}:insurance`, points: size, duration: options.windowSeconds }),
    });
  return createLimiterBudget({
    ...options,
    limiter: limiter(`${options.namespace}:cxone-budget`, points),
    retryLimiter: limiter(`${options.namespace}:cxone-retry-budget`, retries),
  });
}
