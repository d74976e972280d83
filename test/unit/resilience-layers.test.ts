/** Each resilience layer on its own, on the injected clock: what it does before a call and around each attempt. */
import { describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import type { RequestBudget } from '../../src/cxone/budget.js';
import { CxoneError, type CxoneResource } from '../../src/cxone/errors.js';
import { RefusalMemory } from '../../src/cxone/refusals.js';
import { budgetLayer, contactKey, deadlineLayer, refusalLayer, type Handler, type LayeredCall } from '../../src/cxone/resilience.js';
import { createLogger } from '../../src/logger.js';

const resource: CxoneResource = { kind: 'contact', acdContactId: '100000000001' };
const once: Handler = (call, attempt) => attempt({ signal: call.signal, attempt: 0 });

function budgetSpy(): RequestBudget & { take: ReturnType<typeof vi.fn>; refund: ReturnType<typeof vi.fn> } {
  return { take: vi.fn(() => Promise.resolve()), refund: vi.fn(() => Promise.resolve()) };
}

function callOf(deadline?: number): LayeredCall {
  return {
    endpoint: 'contacts',
    resource,
    signal: new AbortController().signal,
    scope: { caller: { mode: 'forward', token: 'token-a' }, tenantId: 't1', callerId: 'u-1', priority: 'interactive', ...(deadline === undefined ? {} : { deadline }) },
  };
}

const refused = (status: number) => new CxoneError('refused', { kind: 'http', status, resource });

describe('refusal layer', () => {
  it("remembers CXone's 403 for the caller, refuses without an attempt until the memory passes", async () => {
    const clock = new ManualClock();
    const handler = refusalLayer(new RefusalMemory({ clock, rememberMs: 1000 }))(once);
    const attempt = vi.fn(() => Promise.reject(refused(403)));
    const call = callOf();
    await expect(handler(call, attempt)).rejects.toMatchObject({ status: 403 });
    await expect(handler(call, attempt)).rejects.toMatchObject({ status: 403 });
    expect(attempt).toHaveBeenCalledTimes(1);
    clock.advance(1001);
    await expect(handler(call, attempt)).rejects.toMatchObject({ status: 403 });
    expect(attempt).toHaveBeenCalledTimes(2);
  });

  it("remembers a 401 by token and tells the verifier to forget it", async () => {
    const forgot: string[] = [];
    const handler = refusalLayer(new RefusalMemory({ clock: new ManualClock(), rememberMs: 1000, onTokenRefused: (token) => forgot.push(token) }))(once);
    const attempt = vi.fn(() => Promise.reject(refused(401)));
    await expect(handler(callOf(), attempt)).rejects.toMatchObject({ status: 401 });
    await expect(handler(callOf(), attempt)).rejects.toMatchObject({ status: 401 });
    expect(attempt).toHaveBeenCalledTimes(1);
    expect(forgot).toEqual(['token-a']);
  });
});

describe('budget layer', () => {
  it("gives a refusal's point back to the tenant only, no credentials to both", async () => {
    const budget = budgetSpy();
    const handler = budgetLayer(budget, createLogger({ level: 'silent' })).layer(once);
    await expect(handler(callOf(), () => Promise.reject(refused(403)))).rejects.toBeInstanceOf(CxoneError);
    expect(budget.refund).toHaveBeenLastCalledWith('t1');
    await expect(
      handler(callOf(), () => Promise.reject(new CxoneError('none', { kind: 'no-credentials', resource }))),
    ).rejects.toBeInstanceOf(CxoneError);
    expect(budget.refund).toHaveBeenLastCalledWith('t1', 'u-1');
    expect(budget.take).toHaveBeenCalledTimes(2);
  });
});

describe('deadline layer', () => {
  it('a call past its deadline on the clock never starts', async () => {
    const clock = new ManualClock();
    const handler = deadlineLayer(clock)(once);
    const attempt = vi.fn(() => Promise.resolve('x'));
    await expect(handler(callOf(clock.now() - 1), attempt)).rejects.toMatchObject({ kind: 'timeout' });
    expect(attempt).not.toHaveBeenCalled();
    await expect(handler(callOf(clock.now() + 60_000), attempt)).resolves.toBe('x');
  });
});

describe('circuit keys', () => {
  it('a statement, and a segment reached through its contact, count as the contact', () => {
    const contact = contactKey({ kind: 'contact', acdContactId: '1' });
    expect(contactKey({ kind: 'statement', acdContactId: '1', statementId: '700' })).toBe(contact);
    expect(contactKey({ kind: 'segment', segmentId: 's', acdContactId: '1' })).toBe(contact);
    expect(contactKey({ kind: 'segment', segmentId: 's' })).not.toBe(contact);
  });
});
