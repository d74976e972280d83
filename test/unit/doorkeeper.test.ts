/** The doorkeeper (src/http/doorkeeper.ts): which answers were offered before, in a fixed table. */
import { describe, expect, it } from 'vitest';
import { Doorkeeper } from '../../src/http/doorkeeper.js';

/** Keys shaped like entity keys: an operation digest, then a representation. */
const keyOf = (index: number): string => `op${String(index % 7)}\n{"__typename":"Contact","acdContactId":"${String(200_000_000_001 + index)}"}`;

describe('Doorkeeper', () => {
  it('says no at a key\'s first offer and yes at its next, for every key (whatever its fingerprint)', () => {
    const doorkeeper = new Doorkeeper(1 << 16);
    for (let index = 0; index < 20_000; index++) {
      expect(doorkeeper.offeredBefore(keyOf(index))).toBe(false);
      expect(doorkeeper.offeredBefore(keyOf(index))).toBe(true);
    }
  });

  it('takes no key for another: 20,000 distinct keys offered once each are all new', () => {
    const doorkeeper = new Doorkeeper(1 << 16);
    const admitted = Array.from({ length: 20_000 }, (_, index) => doorkeeper.offeredBefore(keyOf(index))).filter(Boolean);
    expect(admitted).toHaveLength(0);
  });

  it('remembers recent keys across many others: most of 1,000 keys come back admitted after 10,000 offers of others', () => {
    const doorkeeper = new Doorkeeper(1 << 16);
    for (let index = 0; index < 1_000; index++) doorkeeper.offeredBefore(keyOf(index));
    for (let index = 0; index < 10_000; index++) doorkeeper.offeredBefore(`other ${String(index)}`);
    const remembered = Array.from({ length: 1_000 }, (_, index) => doorkeeper.offeredBefore(keyOf(index))).filter(Boolean).length;
    // A slot taken by a later key only delays that admission: 1 - e^(-10,000 / 65,536) of them at most.
    expect(remembered).toBeGreaterThan(830);
  });

  it('rounds its table up to a power of two, and works with the smallest', () => {
    const tiny = new Doorkeeper(1);
    expect(tiny.offeredBefore('a')).toBe(false);
    expect(tiny.offeredBefore('a')).toBe(true);
  });
});
