/** The upstream layers alone, each with a fake `next` (as the AWS SDK's middleware tests do). */
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { CxoneError } from '../../src/cxone/errors.js';
import type { AuthProvider, Caller } from '../../src/cxone/ports.js';
import { authLayer, composeStack, type Handler, type Middleware, type UpstreamCall } from '../../src/cxone/stack.js';
import { createMetrics } from '../../src/metrics.js';

const call: UpstreamCall<string> = {
  request: { endpoint: 'contacts', resource: { kind: 'contact', acdContactId: '1' }, path: '/contacts', query: new URLSearchParams() },
  scope: { caller: { mode: 'access-key' }, callerId: 'service', tenantId: 't', priority: 'interactive' },
  map: (body) => String(body),
};

function unauthorized(): CxoneError {
  return new CxoneError('401', { kind: 'http', status: 401, resource: { kind: 'contact', acdContactId: '1' } });
}

class CountingAuth implements AuthProvider {
  issued = 0;
  constructor(private readonly renews: boolean) {}
  tokenFor(_caller: Caller): Promise<string> {
    this.issued += 1;
    return Promise.resolve(`token-${String(this.issued)}`);
  }
  invalidate(): Promise<boolean> {
    return Promise.resolve(this.renews);
  }
}

describe('composeStack', () => {
  it('runs layers outermost first, each once per call', async () => {
    const seen: string[] = [];
    const tag =
      (name: string): Middleware =>
      (next) =>
      <T>(c: UpstreamCall<T>) => {
        seen.push(name);
        return next(c);
      };
    const innermost: Handler = <T>(c: UpstreamCall<T>) => Promise.resolve(c.map('ok', 0));
    expect(await composeStack(innermost, tag('outer'), tag('inner'))(call)).toBe('ok');
    expect(seen).toEqual(['outer', 'inner']);
  });
});

describe('authLayer', () => {
  const deps = (auth: AuthProvider) => ({ auth, metrics: createMetrics({ collectDefaults: false }), logger: pino({ level: 'silent' }) });

  it('after a 401, asks once more with a fresh token when the provider can renew', async () => {
    const auth = new CountingAuth(true);
    const tokens: Array<string | undefined> = [];
    const next: Handler = <T>(c: UpstreamCall<T>) => {
      tokens.push(c.token);
      return tokens.length === 1 ? Promise.reject(unauthorized()) : Promise.resolve(c.map('ok', 0));
    };
    expect(await authLayer(deps(auth))(next)(call)).toBe('ok');
    expect(tokens).toEqual(['token-1', 'token-2']);
  });

  it('a second 401 is the answer; a provider that cannot renew gets one request only', async () => {
    for (const [renews, requests] of [
      [true, 2],
      [false, 1],
    ] as const) {
      let sent = 0;
      const next: Handler = () => {
        sent += 1;
        return Promise.reject(unauthorized());
      };
      await expect(authLayer(deps(new CountingAuth(renews)))(next)(call)).rejects.toMatchObject({ status: 401 });
      expect(sent).toBe(requests);
    }
  });
});
