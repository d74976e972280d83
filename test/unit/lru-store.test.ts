/**
 * The in-process store alone: what it keeps it hands back as the same frozen object (a mutation
 * throws instead of reaching another request), synchronously through `peek`; entries end at their
 * TTL on the store's clock, and the bound pushes out the least recently used.
 */
import { describe, expect, it } from 'vitest';
import { LruStore } from '../../src/cache/store.js';
import { ManualClock } from '../../src/clock.js';

describe('LruStore', () => {
  it('hands back what it keeps, synchronously through peek and asynchronously through get', async () => {
    const store = new LruStore({ maxEntries: 10 });
    const value = { kind: 'value', nested: { url: 'https://media.example/a.mp4' } };
    await store.set('k', value, 60_000);
    expect(store.peek('k')).toBe(value);
    expect(await store.get('k')).toBe(value);
    expect(store.peek('missing')).toBeUndefined();
    expect(await store.get('missing')).toBeUndefined();
  });

  it('freezes entries deeply, so no request can change what another reads', async () => {
    const store = new LruStore({ maxEntries: 10 });
    await store.set('k', { nested: { list: [{ url: 'a' }] } }, 60_000);
    const kept = store.peek('k') as { nested: { list: Array<{ url: string }> } };
    expect(Object.isFrozen(kept)).toBe(true);
    expect(Object.isFrozen(kept.nested.list[0])).toBe(true);
    expect(() => {
      kept.nested.list[0]!.url = 'https://evil.example/';
    }).toThrow(TypeError);
    expect((store.peek('k') as typeof kept).nested.list[0]!.url).toBe('a');
  });

  it('forgets an entry at its TTL, on the clock it is given', async () => {
    const clock = new ManualClock();
    const store = new LruStore({ maxEntries: 10, clock });
    await store.set('k', { v: 1 }, 1_000);
    clock.advance(999);
    expect(store.peek('k')).toEqual({ v: 1 });
    clock.advance(2);
    expect(store.peek('k')).toBeUndefined();
    expect(await store.get('k')).toBeUndefined();
  });

  it('keeps at most maxEntries, evicting the least recently used and telling onEvict', async () => {
    let evicted = 0;
    const store = new LruStore({ maxEntries: 2, onEvict: () => (evicted += 1) });
    await store.set('a', { v: 'a' }, 60_000);
    await store.set('b', { v: 'b' }, 60_000);
    store.peek('a');
    await store.set('c', { v: 'c' }, 60_000);
    expect(store.peek('b')).toBeUndefined();
    expect(store.peek('a')).toEqual({ v: 'a' });
    expect(store.peek('c')).toEqual({ v: 'c' });
    expect(evicted).toBe(1);
    // Replacing an entry is not an eviction.
    await store.set('c', { v: 'c2' }, 60_000);
    expect(evicted).toBe(1);
  });
});
