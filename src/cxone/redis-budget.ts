/**
 * The tenant request budget shared by every replica: the same `LimiterBudget` as in memory, over two
 * `RateLimiterRedis` counters in the cache's Redis. The count is one atomic Lua step per attempt in
 * Redis, so replicas cannot both take the last point. While Redis is unreachable each replica falls
 * back to an in-memory insurance limiter of the same size: still bounded (per replica), never stuck.
 */
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { RedisClient } from '../redis.js';
import { callerPoints, createLimiterBudget, refreshAllowances, retryPoints, type BudgetTuning, type RequestBudget } from './budget.js';

interface RedisBudgetOptions extends BudgetTuning {
  /** A node-redis client (the one the cache uses); its lifetime is the caller's. */
  readonly client: RedisClient;
  /** Prefix of the counters' keys: replicas sharing it share the budget (the cache namespace). */
  readonly namespace: string;
  /** A counter update unanswered this long fails over to the insurance limiter. Default 500 ms. */
  readonly commandTimeoutMs?: number;
}

const DEFAULT_COMMAND_TIMEOUT_MS = 500;

/** A request budget counted in Redis, shared by every replica using the same namespace. */
export function createRedisBudget(options: RedisBudgetOptions): RequestBudget {
  // rate-limiter-flexible needs positive points; a budget of 0 (off) never touches its limiters.
  const points = Math.max(1, options.limit);
  const retries = Math.max(1, retryPoints(options.limit, options.retryShare));
  const limiter = (keyPrefix: string, size: number): RateLimiterRedis =>
    new RateLimiterRedis({
      storeClient: boundedEval(options.client, options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS),
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
    // Keyed tenant:caller, so every replica counts one caller's share together.
    callerLimiter: limiter(`${options.namespace}:cxone-caller-budget`, callerPoints(options.limit, options.callerShare)),
    refreshLimiter: limiter(`${options.namespace}:cxone-refresh-budget`, refreshAllowances(options).tenant),
    refreshCallerLimiter: limiter(`${options.namespace}:cxone-refresh-caller-budget`, refreshAllowances(options).caller),
  });
}

/**
 * The client as rate-limiter-flexible sees it, with its one counting command (`EVAL`) bounded in
 * time. node-redis stops timing a command once it is written, so a hung Redis (connected, silent)
 * would hold every request; a rejection here sends the limiter to its insurance instead.
 */
function boundedEval(client: RedisClient, timeoutMs: number): RedisClient {
  return new Proxy(client, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (property !== 'eval') return value.bind(target);
      return (...args: unknown[]): Promise<unknown> => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error(`redis did not answer within ${String(timeoutMs)} ms`)), timeoutMs);
          timer.unref();
        });
        const sent = Promise.resolve(Reflect.apply(value, target, args) as unknown);
        return Promise.race([sent, timeout]).finally(() => clearTimeout(timer));
      };
    },
  });
}
