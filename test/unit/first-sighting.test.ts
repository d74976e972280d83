/** `firstSighting`: one warning per distinct shape, and no more keys remembered than its bound. */
import { describe, expect, it } from 'vitest';
import { firstSighting } from '../../src/logger.js';

describe('firstSighting', () => {
  it('is true once per key, and false for every key past the bound', () => {
    const first = firstSighting(2);
    expect([first('a'), first('a'), first('b'), first('a'), first('b')]).toEqual([true, false, true, false, false]);
    expect([first('c'), first('c')]).toEqual([false, false]);
  });
});
