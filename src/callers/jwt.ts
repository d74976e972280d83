/**
 * Verifying a caller's JWT with jose, configured, not rewritten: the key set from OpenID discovery
 * (or given), RS256 only, `exp` with a small leeway on the injected clock, `iss`, and `aud` when set.
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyOptions } from 'jose';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import type { Clock } from '../clock.js';
import { hashToken } from '../credential.js';
import { isHttpUrl } from '../json.js';

/** The token is not acceptable (bad signature, wrong issuer or audience, expired, malformed...). */
export class TokenRejected extends Error {
  override readonly name = 'TokenRejected';
  constructor(
    readonly reason: 'expired' | 'invalid',
    /** jose's error code, for logs (never the token). */
    readonly code: string,
  ) {
    super(reason === 'expired' ? 'token expired' : `token refused (${code})`);
  }
}

/** The issuer's discovery document or key set could not be read: nothing can be verified right now. */
export class VerifierUnavailable extends Error {
  override readonly name = 'VerifierUnavailable';
}

interface JwtVerifierOptions {
  /** Where the discovery document lives: `${discoveryBase}/.well-known/openid-configuration`. */
  readonly discoveryBase: string;
  /**
   * The `iss` tokens must carry. `'from-discovery'`: the `issuer` the configured discovery document
   * names (it names the key set too, so trusting it trusts nothing new). A string: exactly this, and
   * discovery must name the same, unless `issuerMayDifferFromDiscovery` (CXONE_TOKEN_ISSUER).
   */
  readonly issuer: string | 'from-discovery';
  readonly issuerMayDifferFromDiscovery?: boolean;
  /** Exactly these `iss` values (CXONE_TOKEN_ISSUERS), not `issuer` or `tenantAuthHost`; discovery still names the key set. */
  readonly issuers?: readonly string[] | undefined;
  /**
   * The tenant's auth host (`cxone-configuration` `auth_endpoint`), also accepted as `iss`: CXone's
   * tokens carry it. Asked only once the signature verified; null when the tenant names none,
   * rejects with VerifierUnavailable when it cannot be read.
   */
  readonly tenantAuthHost?: ((tenantId: string | null) => Promise<string | null>) | undefined;
  /** Skips discovery (only with a fixed `issuer`). */
  readonly jwksUrl?: string | undefined;
  /** Checked when set. */
  readonly audience?: string | undefined;
  readonly clock: Clock;
  /** Least time between two key set re-reads caused by unknown `kid`s. Default jose's 30 s. */
  readonly jwksCooldownMs?: number;
}

/** Verifies one token; resolves with its claims, or rejects with TokenRejected / VerifierUnavailable. */
export interface JwtVerifier {
  (token: string): Promise<JWTPayload>;
  /** Ends a token's remembered verification (CXone refused it): its next use is verified afresh. */
  forget?(token: string): void;
}

/** A verified token is remembered this long at most (never past `exp` plus leeway), sparing the RS256 check. */
const VERIFIED_TOKEN_TTL_MS = 150_000;
/** How long jose keeps the key set (its default is 10 minutes), so a withdrawn key goes within KEY_WITHDRAWAL_MS. */
const KEY_SET_MAX_AGE_MS = 150_000;
/** The longest a key the issuer withdraws is still trusted (the README's figure). */
export const KEY_WITHDRAWAL_MS = KEY_SET_MAX_AGE_MS + VERIFIED_TOKEN_TTL_MS;

/** No legitimate access token comes near this; anything longer is refused before parsing. */
const MAX_TOKEN_LENGTH = 8192;
/** Leeway on `exp` (and `nbf`) for clock skew between the issuer and us. */
const CLOCK_TOLERANCE_SECONDS = 30;
/** Timeout of each discovery and key set request. */
const TIMEOUT_MS = 5_000;

interface KeySource {
  /** The `iss` values accepted without asking for the tenant's auth host. */
  readonly issuers: readonly string[];
  readonly keys: ReturnType<typeof createRemoteJWKSet>;
}

export function createJwtVerifier(options: JwtVerifierOptions): JwtVerifier {
  /** hashToken(token) -> its claims and until when (injected clock) they may be reused. */
  const verified = new LRUCache<string, { readonly payload: JWTPayload; readonly until: number }>({ max: 10_000 });
  let source: Promise<KeySource> | null = null;

  const keySet = (url: string) =>
    createRemoteJWKSet(new URL(url), {
      timeoutDuration: TIMEOUT_MS,
      cacheMaxAge: KEY_SET_MAX_AGE_MS,
      ...(options.jwksCooldownMs === undefined ? {} : { cooldownDuration: options.jwksCooldownMs }),
    });

  const discoverSource = async (): Promise<KeySource> => {
    const fixed = options.issuer === 'from-discovery' ? null : options.issuer;
    if (options.jwksUrl !== undefined && fixed !== null) return { issuers: options.issuers ?? [fixed], keys: keySet(options.jwksUrl) };
    const document = await discover(options.discoveryBase);
    if (fixed !== null && document.issuer !== fixed && options.issuerMayDifferFromDiscovery !== true) {
      throw new VerifierUnavailable('the discovery document names another issuer');
    }
    return { issuers: options.issuers ?? [fixed ?? document.issuer], keys: keySet(options.jwksUrl ?? document.jwks_uri) };
  };
  // Discovery once per process, shared by concurrent first callers; a failure is not remembered.
  const resolveSource = (): Promise<KeySource> =>
    (source ??= discoverSource().catch((error: unknown) => {
      source = null;
      throw error;
    }));

  // A fixed set of `iss` values is jose's check; the tenant's auth host is asked by `issuerAccepted`.
  const tenantAuthHost = options.issuers === undefined ? options.tenantAuthHost : undefined;

  const verify = async (token: string): Promise<JWTPayload> => {
    if (token.length > MAX_TOKEN_LENGTH) throw new TokenRejected('invalid', 'ERR_TOKEN_TOO_LONG');
    const now = options.clock.now();
    const digest = hashToken(token);
    const remembered = verified.get(digest);
    if (remembered !== undefined && now <= remembered.until) return remembered.payload;
    const { issuers, keys } = await resolveSource();
    try {
      const payload = await verifyAgainst(token, keys, {
        algorithms: ['RS256'],
        ...(tenantAuthHost === undefined ? { issuer: [...issuers] } : {}),
        ...(options.audience === undefined ? {} : { audience: options.audience }),
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        // jose reads time from here, so a ManualClock hours ahead expires tokens as the cache sees it.
        currentDate: new Date(now),
        requiredClaims: ['exp', 'sub', 'iss'],
      });
      // `iss` after the signature: only a token CXone's keys signed may make us ask for its tenant's auth host.
      if (tenantAuthHost !== undefined && !(await issuerAccepted(payload, issuers, tenantAuthHost))) {
        throw new TokenRejected('invalid', 'ERR_JWT_CLAIM_VALIDATION_FAILED');
      }
      const frozen = Object.freeze(payload);
      const expiresAt = (payload.exp ?? 0) * 1000 + CLOCK_TOLERANCE_SECONDS * 1000;
      verified.set(digest, { payload: frozen, until: Math.min(expiresAt, now + VERIFIED_TOKEN_TTL_MS) });
      return frozen;
    } catch (error: unknown) {
      if (error instanceof TokenRejected || error instanceof VerifierUnavailable) throw error;
      throw classify(error);
    }
  };

  return Object.assign(verify, { forget: (token: string) => void verified.delete(hashToken(token)) });
}

/** `iss` is one of `fixed`, or the tenant's auth host (bar a trailing slash: discovery hands hosts without one). */
async function issuerAccepted(
  payload: JWTPayload,
  fixed: readonly string[],
  tenantAuthHost: (tenantId: string | null) => Promise<string | null>,
): Promise<boolean> {
  const iss = payload.iss;
  if (typeof iss !== 'string') return false;
  if (fixed.includes(iss)) return true;
  const host = await tenantAuthHost(typeof payload['tenantId'] === 'string' ? payload['tenantId'] : null);
  return host !== null && host.replace(/\/+$/, '') === iss.replace(/\/+$/, '');
}

/** jose's verification; a token without `kid` matching several keys tries each in turn (jose leaves that to us). */
async function verifyAgainst(
  token: string,
  keys: ReturnType<typeof createRemoteJWKSet>,
  verifyOptions: JWTVerifyOptions,
): Promise<JWTPayload> {
  try {
    return (await jwtVerify(token, keys, verifyOptions)).payload;
  } catch (error: unknown) {
    if (!(error instanceof errors.JWKSMultipleMatchingKeys)) throw error;
    const candidates = error as errors.JWKSMultipleMatchingKeys & AsyncIterable<CryptoKey>;
    for await (const key of candidates) {
      try {
        return (await jwtVerify(token, key, verifyOptions)).payload;
      } catch (attempt: unknown) {
        if (!(attempt instanceof errors.JWSSignatureVerificationFailed)) throw attempt;
      }
    }
    throw new errors.JWSSignatureVerificationFailed();
  }
}

/** jose's error, as ours: the token's fault (rejected) or the issuer's (unavailable). */
function classify(error: unknown): Error {
  if (error instanceof errors.JWTExpired) return new TokenRejected('expired', error.code);
  if (
    error instanceof errors.JWKSTimeout ||
    error instanceof errors.JWKSInvalid ||
    // jose's generic error is what a non-200 or unparsable key set answer raises.
    (error instanceof errors.JOSEError && error.code === 'ERR_JOSE_GENERIC') ||
    // fetch's own failures (refused connection, DNS) are not JOSE errors.
    !(error instanceof errors.JOSEError)
  ) {
    return new VerifierUnavailable('the issuer key set could not be read');
  }
  return new TokenRejected('invalid', error.code);
}

const discoverySchema = z.object({ issuer: z.string().min(1), jwks_uri: z.string().refine(isHttpUrl) });

async function discover(base: string): Promise<z.infer<typeof discoverySchema>> {
  let body: unknown;
  try {
    const response = await fetch(`${base.replace(/\/+$/, '')}/.well-known/openid-configuration`, {
      headers: { accept: 'application/json' },
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (response.status !== 200) throw new VerifierUnavailable(`discovery answered ${String(response.status)}`);
    body = await response.json();
  } catch (error: unknown) {
    if (error instanceof VerifierUnavailable) throw error;
    throw new VerifierUnavailable('the discovery document could not be read');
  }
  const document = discoverySchema.safeParse(body);
  if (!document.success) throw new VerifierUnavailable('the discovery document has no usable issuer or jwks_uri');
  return document.data;
}
