/** The health breaker on a ManualClock: failure rate, minimum calls and distinct keys, window, half-open. */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { HealthBreaker, type CircuitChange } from '../../src/cxone/breaker.js';

function breaker(tuning: ConstructorParameters<typeof HealthBreaker>[1] = {}) {
  const clock = new ManualClock();
  const changes: Array<[string, CircuitChange]> = [];
  const health = new HealthBreaker(clock, { minimumCalls: 4, minimumKeys: 3, failureRate: 0.5, windowMs: 1000, halfOpenAfterMs: 100, ...tuning }, (tenant, change) =>
    changes.push([tenant, change]),
  );
  return { clock, health, changes };
}

describe('HealthBreaker', () => {
  it('one key failing forever never opens it', () => {
    const { health } = breaker();
    for (let i = 0; i < 100; i += 1) health.failure('t', 'contact:12');
    expect(health.acquire('t')).toBeNull();
  });

  it('opens when enough calls fail across enough keys, per tenant', () => {
    const { health, changes } = breaker();
    health.failure('t', 'a');
    health.failure('t', 'b');
    health.success('t', 'c');
    expect(health.acquire('t')).toBeNull();
    health.failure('t', 'd');
    expect(health.acquire('t')).toBe(100);
    expect(health.acquire('other')).toBeNull();
    expect(changes).toEqual([['t', 'opened']]);
  });

  it('stays closed under the failure rate', () => {
    const { health } = breaker();
    for (const key of ['a', 'b', 'c']) health.failure('t', key);
    for (let i = 0; i < 4; i += 1) health.success('t', `ok${String(i)}`);
    health.success('t', 'ok');
    expect(health.acquire('t')).toBeNull();
  });

  it('forgets failures older than the window', () => {
    const { health, clock } = breaker();
    for (const key of ['a', 'b', 'c']) health.failure('t', key);
    clock.advance(1001);
    health.failure('t', 'd');
    expect(health.acquire('t')).toBeNull();
  });

  it('half-opens after its period on the clock: one trial; success closes, failure reopens', () => {
    const { health, clock, changes } = breaker();
    for (const key of ['a', 'b', 'c', 'd']) health.failure('t', key);
    expect(health.acquire('t')).toBe(100);
    clock.advance(60);
    expect(health.acquire('t')).toBe(40);
    clock.advance(40);
    expect(health.acquire('t')).toBeNull();
    // Only one trial at a time.
    expect(health.acquire('t')).toBe(100);
    health.failure('t', 'e');
    expect(health.acquire('t')).toBe(100);
    clock.advance(100);
    expect(health.acquire('t')).toBeNull();
    health.success('t', 'f');
    expect(health.acquire('t')).toBeNull();
    expect(changes).toEqual([
      ['t', 'opened'],
      ['t', 'closed'],
    ]);
  });

  it('keeps at most maxCircuits tenants', () => {
    const { health } = breaker({ maxCircuits: 2 });
    for (const key of ['a', 'b', 'c', 'd']) health.failure('t1', key);
    expect(health.isOpen('t1')).toBe(true);
    health.failure('t2', 'a');
    health.failure('t3', 'a');
    // t1 was the least recently used: forgotten (closed), so state cannot grow with tenants.
    expect(health.isOpen('t1')).toBe(false);
  });
});
