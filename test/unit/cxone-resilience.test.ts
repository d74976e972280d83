/** The retry classification: which failures are retried, and every other one not. */
import { describe, expect, it } from 'vitest';
import { CxoneError, type CxoneErrorKind } from '../../src/cxone/errors.js';
import { isTransient, retryReason } from '../../src/cxone/classify.js';

function error(kind: CxoneErrorKind, status?: number): CxoneError {
  return new CxoneError('x', { kind, resource: { kind: 'auth' }, ...(status === undefined ? {} : { status }) });
}

describe('retry classification', () => {
  it.each([
    [error('http', 202), 'processing'],
    [error('http', 425), 'locked'],
    [error('http', 500), 'transient'],
    [error('http', 502), 'transient'],
    [error('http', 503), 'transient'],
    [error('http', 504), 'transient'],
    [error('network'), 'transient'],
    [error('timeout'), 'transient'],
    [error('http', 400), null],
    [error('http', 401), null],
    [error('http', 403), null],
    [error('http', 404), null],
    [error('http', 422), null],
    [error('http', 429), null],
    [error('http', 501), null],
    [error('invalid-response'), null],
    [error('circuit-open'), null],
    [error('budget'), null],
    [error('no-credentials'), null],
    [new Error('a bug'), null],
  ])('%s -> %s', (failure, reason) => {
    expect(retryReason(failure)).toBe(reason);
  });

  it('counts only transient failures as transient', () => {
    expect(isTransient(error('http', 503))).toBe(true);
    expect(isTransient(error('http', 429))).toBe(false);
    expect(isTransient(error('http', 404))).toBe(false);
  });
});
