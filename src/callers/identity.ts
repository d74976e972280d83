/**
 * Who is calling, decided once per request before anything else (README, "Who can see what"): the
 * tenant, the cache scope, the identity charged for a share of the budget and the scopes that gate
 * fields, none of them ever from an unverified claim.
 */
import { hash } from 'node:crypto';
import type { JWTPayload } from 'jose';
import { hashToken, type Caller } from '../credential.js';
import { AppError, ErrorCode } from '../errors.js';
import type { Logger } from '../logger.js';
import { TokenRejected, VerifierUnavailable, type JwtVerifier } from './jwt.js';

/** A caller the subgraph may serve. */
export interface AcceptedCaller {
  /** What the CXone client authenticates with (forward: the caller's verified token). */
  readonly caller: Caller;
  /** Budget, breaker, metric and cache tenant. */
  readonly tenantId: string;
  /**
   * Who may share cached answers: the verified user (forward), a hash of the token (forward,
   * verification off), or the whole tenant (access-key: CXone sees only the service's key).
   */
  readonly cacheScope: string;
  /** The identity charged for its share of the tenant's budget: verified user or token hash. */
  readonly callerId: string;
  /** The caller's scopes, which gate fields (access-key with a verified caller); null: every field. */
  readonly scopes: ReadonlySet<string> | null;
}

export type CallerCheck =
  | { readonly accepted: true; readonly caller: AcceptedCaller }
  /** The request gets this error on every field that needs a caller, before any upstream call. */
  | { readonly accepted: false; readonly error: AppError };

/** Decides who a bearer token (or its absence) belongs to. */
export type CallerAuthenticator = (token: string | null) => Promise<CallerCheck>;

export type CallerPolicy =
  | {
      /** Forward mode, CXONE_VERIFY_TOKENS=true (the default): tokens are CXone JWTs, verified. */
      readonly kind: 'forward-verified';
      readonly verify: JwtVerifier;
      readonly configuredTenantId: string | undefined;
      readonly defaultTenantId: string;
    }
  | {
      /** Forward mode, CXONE_VERIFY_TOKENS=false: opaque tokens; the tenant only from configuration. */
      readonly kind: 'forward-opaque';
      readonly tenantId: string;
    }
  | {
      /** Access-key mode with CALLER_JWT_ISSUER: callers' JWTs verified, scopes enforced per field. */
      readonly kind: 'access-key-verified';
      readonly verify: JwtVerifier;
      readonly tenantId: string;
    }
  | {
      /** Access-key mode without CALLER_JWT_ISSUER: the router (ROUTER_SECRET) or, outside production, everyone is trusted. */
      readonly kind: 'access-key-trusted';
      readonly tenantId: string;
    };

/** A CXone tenant id as it may become a cache key segment and a metric label. */
const TENANT_ID = /^[A-Za-z0-9_-]{1,64}$/;

export const SCOPE = {
  read: 'recordings:read',
  analytics: 'recordings:analytics',
  transcripts: 'recordings:transcripts',
} as const;

export function createCallerAuthenticator(policy: CallerPolicy, logger: Logger): CallerAuthenticator {
  switch (policy.kind) {
    case 'forward-opaque':
      return (token) => {
        if (token === null) return Promise.resolve(missingToken());
        const id = `t-${hashToken(token)}`;
        return Promise.resolve(accept({ caller: { mode: 'forward', token }, tenantId: policy.tenantId, cacheScope: id, callerId: id, scopes: null }));
      };
    case 'access-key-trusted': {
      const trusted = accept({ caller: { mode: 'access-key' }, tenantId: policy.tenantId, cacheScope: 'tenant', callerId: 'router', scopes: null });
      return () => Promise.resolve(trusted);
    }
    case 'forward-verified':
      return verifying(policy.verify, logger, (claims, token) => {
        const tenantId = tenantOf(claims, policy.configuredTenantId, policy.defaultTenantId);
        if (tenantId instanceof AppError) return { accepted: false, error: tenantId };
        const user = `u-${digest(tenantId, String(claims.sub))}`;
        return accept({ caller: { mode: 'forward', token }, tenantId, cacheScope: user, callerId: user, scopes: null });
      });
    case 'access-key-verified':
      return verifying(policy.verify, logger, (claims) =>
        accept({
          caller: { mode: 'access-key' },
          tenantId: policy.tenantId,
          // CXone sees one key for everyone: every authorised caller shares one upstream call per key.
          cacheScope: 'tenant',
          callerId: `c-${digest(String(claims.iss), String(claims.sub))}`,
          scopes: scopesOf(claims),
        }),
      );
  }
}

/**
 * Callers with verified tokens. `decide` runs once per token: the verifier hands back the same claims
 * object for a token it remembers (jwt.ts), held weakly here so it goes when the verifier forgets it.
 */
function verifying(
  verify: JwtVerifier,
  logger: Logger,
  decide: (claims: JWTPayload, token: string) => CallerCheck,
): CallerAuthenticator {
  const decisions = new WeakMap<JWTPayload, CallerCheck>();
  return async (token) => {
    if (token === null) return missingToken();
    const claims = await verified(verify, token, logger);
    if (claims instanceof AppError) return { accepted: false, error: claims };
    let decision = decisions.get(claims);
    if (decision === undefined) {
      decision = decide(claims, token);
      decisions.set(claims, decision);
    }
    return decision;
  };
}

function accept(caller: AcceptedCaller): CallerCheck {
  return { accepted: true, caller };
}

function missingToken(): CallerCheck {
  return {
    accepted: false,
    error: new AppError(ErrorCode.Unauthenticated, 'No credentials: send an Authorization: Bearer <token> header.'),
  };
}

async function verified(verify: JwtVerifier, token: string, logger: Logger): Promise<JWTPayload | AppError> {
  try {
    return await verify(token);
  } catch (error: unknown) {
    if (error instanceof TokenRejected) {
      logger.info({ reason: error.reason, code: error.code }, 'caller token refused');
      return new AppError(
        ErrorCode.Unauthenticated,
        error.reason === 'expired'
          ? 'The bearer token has expired: get a fresh one.'
          : 'The bearer token could not be verified.',
        { reason: error.reason },
      );
    }
    if (error instanceof VerifierUnavailable) {
      logger.warn({ problem: error.message }, 'caller tokens cannot be verified: the issuer is unreachable');
      return new AppError(ErrorCode.UpstreamUnavailable, 'Tokens cannot be verified right now: the issuer is unreachable.');
    }
    throw error;
  }
}

/** The verified `tenantId` claim; it must match CXONE_TENANT_ID when that is set. */
function tenantOf(claims: JWTPayload, configured: string | undefined, fallback: string): string | AppError {
  const claim = claims['tenantId'];
  const text = typeof claim === 'number' && Number.isInteger(claim) ? String(claim) : claim;
  if (text === undefined) return configured ?? fallback;
  if (typeof text !== 'string' || !TENANT_ID.test(text)) {
    return new AppError(ErrorCode.Unauthenticated, 'The bearer token carries no usable tenantId.');
  }
  if (configured !== undefined && text !== configured) {
    return new AppError(ErrorCode.Unauthenticated, 'The bearer token belongs to another CXone tenant.');
  }
  return text;
}

/** Scopes from `scope` (space-separated) or `scp` (a list, or a space-separated string). */
function scopesOf(claims: JWTPayload): ReadonlySet<string> {
  const scopes = new Set<string>();
  for (const value of [claims['scope'], claims['scp']]) {
    const items = typeof value === 'string' ? value.split(/\s+/) : Array.isArray(value) ? value : [];
    for (const item of items) if (typeof item === 'string' && item !== '') scopes.add(item);
  }
  return scopes;
}

/** A short, non-reversible id from verified parts (keys and logs never hold a raw subject). */
function digest(...parts: string[]): string {
  return hash('sha256', parts.join('\u0000'), 'hex').slice(0, 32);
}
