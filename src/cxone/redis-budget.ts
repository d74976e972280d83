/**
 * The tenant request budget shared by every replica: `RateLimiterRedis` counters (one atomic step per
 * attempt, so replicas cannot both take the last point). While Redis is unreachable each replica
 * falls back to an in-memory insurance limiter of the same size: bounded per replica, never stuck.
 */
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { RedisClient } from '../redis.js';
import { budgetLimiters, LimiterBudget, type BudgetTuning, type RequestBudget } from './budget.js';

interface RedisBudgetOptions extends BudgetTuning {
  /** A node-redis client (the one the cache uses); its lifetime is the caller's. */
  readonly client: RedisClient;
  /** Prefix of the counters' keys: replicas sharing it share the budget (the cache namespace). */
  readonly namespace: string;
}

/** A counter update unanswered this long fails over to the insurance limiter. */
const COMMAND_TIMEOUT_MS = 500;

/** A request budget counted in Redis, shared by every replica using the same namespace. */
export function createRedisBudget(options: RedisBudgetOptions): RequestBudget {
  const storeClient = boundedEval(options.client, COMMAND_TIMEOUT_MS);
  const duration = options.windowSeconds;
  const make = (name: string, points: number): RateLimiterRedis => {
    const keyPrefix = `${options.namespace}:${name}`;
    return new RateLimiterRedis({
      storeClient,
      useRedisPackage: true,
      // Without this a command to a disconnected client would wait for its timeout on every call.
      rejectIfRedisNotReady: true,
      keyPrefix,
      points,
      duration,
      insuranceLimiter: new RateLimiterMemory({ keyPrefix: `${keyPrefix}:insurance`, points, duration }),
    });
  };
  return new LimiterBudget({ ...options, ...budgetLimiters(options, make) });
}

/**
 * The client with its counting command (`EVAL`) bounded in time: node-redis stops timing a command once
 * written, so a hung Redis would hold every request; a rejection sends the limiter to its insurance.
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
