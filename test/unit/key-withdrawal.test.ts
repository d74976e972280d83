/** A withdrawn signing key stops being trusted within the time the README states (5 minutes). */
import { describe, expect, it } from 'vitest';
import { KEY_WITHDRAWAL_MS } from '../../src/callers/jwt.js';

describe('key withdrawal', () => {
  it("takes effect within the README's 5 minutes: the key set's age plus a verified token's memory", () => {
    expect(KEY_WITHDRAWAL_MS).toBeLessThanOrEqual(5 * 60_000);
  });
});
