/**
 * Freezes a plain value and everything in it. The configuration is frozen once at start; cached
 * models are shared between requests, so a mutation must throw rather than leak into another answer.
 * Already-frozen parts are skipped: a cached model often reuses frozen pieces.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
