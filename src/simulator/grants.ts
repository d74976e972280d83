/**
 * What a bearer token is allowed to do, decided the way CXone decides it: by the token's user.
 * Demo tokens exist so a newcomer can see each permission's effect with one header; tokens from
 * the simulator's token endpoint carry full permissions until they expire (by the Clock).
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import { uuidFrom } from './seed.js';
import type { KeyRing } from './keys.js';
import { DEMO_SUBJECTS, DEMO_TOKENS } from './demo-tokens.js';

export { DEMO_SUBJECTS, DEMO_TOKENS };

/** The permissions the Media Playback API checks. */
export interface Grant {
  /** Search & Playback > Player > Play/download recordings (Play Any). */
  readonly playback: boolean;
  /** "View sentiments and categories": without it those keys are absent from call data. */
  readonly analytics: boolean;
}

const DEMO_GRANTS: ReadonlyMap<string, Grant> = new Map([
  [DEMO_SUBJECTS.full, { playback: true, analytics: true }],
  [DEMO_SUBJECTS.noAnalytics, { playback: true, analytics: false }],
  [DEMO_SUBJECTS.noPlayback, { playback: false, analytics: false }],
]);

const FULL: Grant = { playback: true, analytics: true };

/** The grant of a user, by subject: the demo users' own, everyone else full. */
function grantOf(subject: string): Grant {
  return DEMO_GRANTS.get(subject) ?? FULL;
}

const DEMO_GRANT_BY_TOKEN: ReadonlyMap<string, Grant> = new Map([
  [DEMO_TOKENS.full, grantOf(DEMO_SUBJECTS.full)],
  [DEMO_TOKENS.noAnalytics, grantOf(DEMO_SUBJECTS.noAnalytics)],
  [DEMO_TOKENS.noPlayback, grantOf(DEMO_SUBJECTS.noPlayback)],
]);

/** The token endpoint's answer body. */
export interface IssuedTokens {
  readonly access_token: string;
  readonly token_type: 'Bearer';
  readonly expires_in: number;
  readonly refresh_token: string;
  readonly id_token: string;
}

/**
 * A token to mint (`RunningSimulator.mintToken`, `POST /__sim/tokens`). `issuer: 'cxone'` (the
 * default) makes a CXone access token the API accepts; `'idp'` a caller token from the simulator's
 * test identity provider, for `access-key` mode's `CALLER_JWT_ISSUER`.
 */
export interface MintOptions {
  readonly issuer?: 'cxone' | 'idp';
  /** Default `user:simulator-api-user` (CXone) or `caller:test-user` (IdP). */
  readonly sub?: string;
  readonly aud?: string | readonly string[];
  /** Space-separated scopes, as the `scope` claim. */
  readonly scope?: string;
  /** Scopes as an `scp` array claim (Azure AD / Okta style). */
  readonly scp?: readonly string[];
  /** CXone tokens: the `tenantId` claim (default the simulator's tenant); null leaves it out. */
  readonly tenantId?: string | null;
  /** Lifetime from now on the simulator's clock. Default 3600. */
  readonly expiresInSeconds?: number;
  /** Sign with the staged key, which the JWKS does not list yet (an unknown `kid`) until `rotateKeys`. */
  readonly unpublishedKey?: boolean;
  /** Extra or overriding claims (e.g. a wrong `iss`). */
  readonly claims?: Readonly<Record<string, unknown>>;
}

/** The token from `Authorization: Bearer <token>`, or null when the header is absent or another scheme. */
function bearerToken(authorization: string | undefined): string | null {
  if (authorization === undefined) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return m?.[1] ?? null;
}

const MAX_REMEMBERED_TOKENS = 10_000;

/** What one issued access token grants, and until when (ms since the epoch). */
interface IssuedGrant {
  readonly grant: Grant;
  readonly expiresAt: number;
}

/**
 * Issues and remembers CXone tokens. Every token is a signed RS256 JWT (keys.ts), so the subgraph
 * verifies simulator tokens exactly as it verifies CXone's. The API accepts the demo tokens and the
 * tokens it issued or minted (until they expire by the Clock or a reset): a forged token, even one
 * with a valid-looking signature, is a 401 here too.
 */
export class TokenRegistry {
  private counter = 0;
  private readonly accessTokens = new Map<string, IssuedGrant>();
  /** Refresh tokens stay valid until reset: CXone's refresh lifetime is long and undocumented. */
  private readonly refreshTokens = new Set<string>();

  constructor(
    private readonly clock: Clock,
    private readonly keys: { readonly cxone: KeyRing; readonly idp: KeyRing },
    private readonly idpIssuer: string,
    private readonly tenantId: string,
    /** The `iss` of CXone access tokens it issues: the tenant's auth host, not the discovery issuer. */
    private readonly cxoneTokenIssuer: string,
  ) {}

  /** Issues a fresh, unique token set valid for `ttlSeconds` from now (the token endpoint). */
  async issue(ttlSeconds: number): Promise<IssuedTokens> {
    const accessToken = await this.mint({ expiresInSeconds: ttlSeconds });
    const idToken = await this.mint({ expiresInSeconds: ttlSeconds, claims: { name: 'Simulator API User' } });
    const refreshToken = `sim-refresh-${String(this.counter)}-${randomBytes(12).toString('hex')}`;
    this.refreshTokens.add(refreshToken);
    return { access_token: accessToken, token_type: 'Bearer', expires_in: ttlSeconds, refresh_token: refreshToken, id_token: idToken };
  }

  /** A new token set for a known refresh token, or null. */
  async refresh(refreshToken: string, ttlSeconds: number): Promise<IssuedTokens | null> {
    return this.refreshTokens.has(refreshToken) ? this.issue(ttlSeconds) : null;
  }

  /** A signed token with the chosen claims; CXone tokens are also accepted by the API until they expire. */
  async mint(options: MintOptions = {}): Promise<string> {
    this.counter += 1;
    const issuer = options.issuer ?? 'cxone';
    const iat = Math.floor(this.clock.now() / 1000);
    const exp = iat + (options.expiresInSeconds ?? 3600);
    const userId = uuidFrom('user:simulator-api-user');
    const base: Record<string, unknown> =
      issuer === 'cxone'
        ? {
            iss: this.cxoneTokenIssuer,
            sub: options.sub ?? `user:${userId}`,
            ...(options.tenantId === null ? {} : { tenantId: options.tenantId ?? this.tenantId }),
            area: 'na1',
            icBUId: 4_600_001,
            icAgentId: '7000001',
            userId,
          }
        : { iss: this.idpIssuer, sub: options.sub ?? 'caller:test-user' };
    const claims: Record<string, unknown> = {
      ...base,
      ...(options.aud === undefined ? {} : { aud: typeof options.aud === 'string' ? options.aud : [...options.aud] }),
      ...(options.scope === undefined ? {} : { scope: options.scope }),
      ...(options.scp === undefined ? {} : { scp: [...options.scp] }),
      iat,
      exp,
      jti: `sim-${String(this.counter)}`,
      ...options.claims,
    };
    // CXone's documented access token has no `kid`; an unpublished key needs one to be told apart.
    const token = await this.keys[issuer].sign(claims, options.unpublishedKey === true ? 'staged' : 'current', {
      kid: issuer === 'idp' || options.unpublishedKey === true,
    });
    if (issuer === 'cxone') {
      // A long-running embedded simulator keeps issuing; expired tokens are forgotten past a bound.
      if (this.accessTokens.size >= MAX_REMEMBERED_TOKENS) this.forgetExpired();
      const subject = typeof claims['sub'] === 'string' ? claims['sub'] : '';
      this.accessTokens.set(token, { grant: grantOf(subject), expiresAt: exp * 1000 });
    }
    return token;
  }

  private forgetExpired(): void {
    const now = this.clock.now();
    for (const [token, issued] of this.accessTokens) if (issued.expiresAt <= now) this.accessTokens.delete(token);
  }

  /** What the Authorization header grants, or null when it grants nothing (401). */
  grantFor(authorization: string | undefined): Grant | null {
    const token = bearerToken(authorization);
    if (token === null) return null;
    const demo = DEMO_GRANT_BY_TOKEN.get(token);
    if (demo) return demo;
    const issued = this.accessTokens.get(token);
    return issued !== undefined && this.clock.now() < issued.expiresAt ? issued.grant : null;
  }

  /** Forgets every issued token; demo tokens keep working. */
  reset(): void {
    this.accessTokens.clear();
    this.refreshTokens.clear();
  }
}
