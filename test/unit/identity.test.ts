/**
 * createCallerAuthenticator per mode, with stub verifiers: who the caller is decides the tenant,
 * the cache scope and the budget identity, and none of them ever comes from an unverified claim.
 */
import type { JWTPayload } from 'jose';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createCallerAuthenticator, SCOPE, type AcceptedCaller, type CallerCheck, type CallerPolicy } from '../../src/callers/identity.js';
import { TokenRejected, VerifierUnavailable, type JwtVerifier } from '../../src/callers/jwt.js';
import { hashToken } from '../../src/credential.js';
import { ErrorCode } from '../../src/errors.js';

const logger = pino({ level: 'silent' });

/** A verifier that knows a fixed set of tokens and their claims; anything else is refused. */
function verifierOf(tokens: Record<string, JWTPayload>): JwtVerifier {
  return (token) => {
    const claims = tokens[token];
    return claims === undefined ? Promise.reject(new TokenRejected('invalid', 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED')) : Promise.resolve(claims);
  };
}

function accepted(check: CallerCheck): AcceptedCaller {
  if (!check.accepted) throw new Error(`refused: ${check.error.message}`);
  return check.caller;
}

function refusal(check: CallerCheck): { code: string; message: string } {
  if (check.accepted) throw new Error('accepted');
  return { code: check.error.code, message: check.error.message };
}

describe('forward mode, tokens verified', () => {
  const claims: Record<string, JWTPayload> = {
    alice1: { sub: 'alice', tenantId: 'acme' },
    alice2: { sub: 'alice', tenantId: 'acme' },
    bob: { sub: 'bob', tenantId: 'acme' },
    numeric: { sub: 'carol', tenantId: 4711 },
    other: { sub: 'alice', tenantId: 'globex' },
    weird: { sub: 'eve', tenantId: 'a b/c' },
    none: { sub: 'dave' },
  };
  const policy = (configuredTenantId?: string): CallerPolicy => ({
    kind: 'forward-verified',
    verify: verifierOf(claims),
    configuredTenantId,
    defaultTenantId: 'https://api.example',
  });

  it('scopes the cache to the verified user: a refreshed token keeps it, another user does not share it', async () => {
    const authenticate = createCallerAuthenticator(policy(), logger);
    const first = accepted(await authenticate('alice1'));
    const refreshed = accepted(await authenticate('alice2'));
    const bob = accepted(await authenticate('bob'));
    expect(first.tenantId).toBe('acme');
    expect(first.cacheScope).toMatch(/^u-[0-9a-f]{32}$/);
    expect(refreshed.cacheScope).toBe(first.cacheScope);
    expect(bob.cacheScope).not.toBe(first.cacheScope);
    expect(first.callerId).toBe(first.cacheScope);
    expect(first.caller).toEqual({ mode: 'forward', token: 'alice1' });
    expect(first.scopes).toBeNull();
  });

  it('the same subject in another tenant is another user', async () => {
    const authenticate = createCallerAuthenticator(policy(), logger);
    expect(accepted(await authenticate('other')).cacheScope).not.toBe(accepted(await authenticate('alice1')).cacheScope);
  });

  it('takes the tenant from the verified claim (a number too), else the configuration, else the default', async () => {
    expect(accepted(await createCallerAuthenticator(policy(), logger)('numeric')).tenantId).toBe('4711');
    expect(accepted(await createCallerAuthenticator(policy('acme'), logger)('none')).tenantId).toBe('acme');
    expect(accepted(await createCallerAuthenticator(policy(), logger)('none')).tenantId).toBe('https://api.example');
  });

  it('refuses a claim of another tenant than CXONE_TENANT_ID, and a tenant id that is no id', async () => {
    expect(refusal(await createCallerAuthenticator(policy('acme'), logger)('other'))).toMatchObject({
      code: ErrorCode.Unauthenticated,
      message: expect.stringMatching(/another CXone tenant/),
    });
    expect(refusal(await createCallerAuthenticator(policy(), logger)('weird')).code).toBe(ErrorCode.Unauthenticated);
  });

  it('refuses no token, a token that fails verification, and says so when the issuer is unreachable', async () => {
    const authenticate = createCallerAuthenticator(policy(), logger);
    expect(refusal(await authenticate(null)).code).toBe(ErrorCode.Unauthenticated);
    expect(refusal(await authenticate('forged')).message).toMatch(/could not be verified/);
    const expired = createCallerAuthenticator(
      { kind: 'forward-verified', verify: () => Promise.reject(new TokenRejected('expired', 'ERR_JWT_EXPIRED')), configuredTenantId: undefined, defaultTenantId: 'x' },
      logger,
    );
    expect(refusal(await expired('old')).message).toMatch(/expired/);
    const unreachable = createCallerAuthenticator(
      { kind: 'forward-verified', verify: () => Promise.reject(new VerifierUnavailable('jwks down')), configuredTenantId: undefined, defaultTenantId: 'x' },
      logger,
    );
    expect(refusal(await unreachable('any')).code).toBe(ErrorCode.UpstreamUnavailable);
  });

  it('decides once per verified claims object (a remembered token costs no second digest)', async () => {
    const shared: JWTPayload = { sub: 'alice', tenantId: 'acme' };
    const authenticate = createCallerAuthenticator(
      { kind: 'forward-verified', verify: () => Promise.resolve(shared), configuredTenantId: undefined, defaultTenantId: 'x' },
      logger,
    );
    const first = await authenticate('t');
    expect(await authenticate('t')).toBe(first);
  });
});

describe('forward mode, tokens opaque (CXONE_VERIFY_TOKENS=false)', () => {
  it('scopes the cache to a hash of the token; the tenant only from configuration', async () => {
    const authenticate = createCallerAuthenticator({ kind: 'forward-opaque', tenantId: 'configured' }, logger);
    // Even a token that looks like a JWT with a tenantId claim does not choose the tenant.
    const payload = Buffer.from(JSON.stringify({ tenantId: 'evil', sub: 'x' })).toString('base64url');
    const token = `eyJhbGciOiJub25lIn0.${payload}.`;
    const caller = accepted(await authenticate(token));
    expect(caller.tenantId).toBe('configured');
    expect(caller.cacheScope).toBe(`t-${hashToken(token)}`);
    expect(caller.callerId).toBe(caller.cacheScope);
    expect(caller.caller).toEqual({ mode: 'forward', token });
    expect(accepted(await authenticate('another')).cacheScope).not.toBe(caller.cacheScope);
    expect(refusal(await authenticate(null)).code).toBe(ErrorCode.Unauthenticated);
  });
});

describe('access-key mode', () => {
  it('verified callers share the tenant scope, are charged as themselves, and bring their scopes', async () => {
    const authenticate = createCallerAuthenticator(
      {
        kind: 'access-key-verified',
        tenantId: 'acme',
        verify: verifierOf({
          reader: { iss: 'https://idp', sub: 'r', tenantId: 'globex', scope: `${SCOPE.read} ${SCOPE.analytics}` },
          lister: { iss: 'https://idp', sub: 'l', scp: [SCOPE.read, SCOPE.transcripts] },
        }),
      },
      logger,
    );
    const reader = accepted(await authenticate('reader'));
    const lister = accepted(await authenticate('lister'));
    // A tenantId claim from the organisation's IdP chooses nothing: CXone sees only the service's key.
    expect(reader.tenantId).toBe('acme');
    expect(reader.cacheScope).toBe('tenant');
    expect(lister.cacheScope).toBe('tenant');
    expect(reader.callerId).toMatch(/^c-[0-9a-f]{32}$/);
    expect(lister.callerId).not.toBe(reader.callerId);
    expect(reader.caller).toEqual({ mode: 'access-key' });
    expect([...reader.scopes!].sort()).toEqual([SCOPE.analytics, SCOPE.read]);
    expect([...lister.scopes!].sort()).toEqual([SCOPE.read, SCOPE.transcripts]);
    expect(refusal(await authenticate('forged')).code).toBe(ErrorCode.Unauthenticated);
    expect(refusal(await authenticate(null)).code).toBe(ErrorCode.Unauthenticated);
  });

  it('trusted (router secret, no IdP): everyone is the router, with every field', async () => {
    const authenticate = createCallerAuthenticator({ kind: 'access-key-trusted', tenantId: 'acme' }, logger);
    const caller = accepted(await authenticate(null));
    expect(caller).toEqual({ caller: { mode: 'access-key' }, tenantId: 'acme', cacheScope: 'tenant', callerId: 'router', scopes: null });
  });
});
