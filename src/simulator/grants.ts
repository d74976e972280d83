/**
 * What a bearer token is allowed to do, decided the way CXone decides it: by the token's user.
 * Demo tokens exist so a newcomer can see each permission's effect with one header; tokens from
 * the simulator's token endpoint carry full permissions until they expire (by the Clock).
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import { uuidFrom } from './seed.js';
import { SIMULATOR_ISSUER, type KeyRing } from './keys.js';

/** The permissions the Media Playback API checks. */
export interface Grant {
  /** Search & Playback > Player > Play/download recordings (Play Any). */
  readonly playback: boolean;
  /** "View sentiments and categories": without it those keys are absent from call data. */
  readonly analytics: boolean;
}

/**
 * The demo users' subjects. The simulator grants by user, as CXone does (a user's roles decide what
 * their token may do); any other user has every permission.
 */
export const DEMO_SUBJECTS = Object.freeze({
  full: 'user:demo-full',
  noAnalytics: 'user:demo-no-analytics',
  noPlayback: 'user:demo-no-playback',
} as const);

/**
 * Long-lived demo tokens (valid until 2100): RS256 JWTs for the DEMO_SUBJECTS, tenant
 * `sim-tenant-0001`, signed by the simulator's published DEMO key (keys.ts), so they verify like a
 * CXone token on every machine and port. DEMO ONLY: they open the simulator, nothing else.
 * Regenerate with `npm run demo-tokens -- --sign` after changing the key or the claims.
 */
export const DEMO_TOKENS = Object.freeze({
  full: 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6InNpbS1kZW1vLWtleS0yMDI2In0.eyJpc3MiOiJodHRwczovL2N4b25lLXNpbXVsYXRvci5pbnZhbGlkIiwic3ViIjoidXNlcjpkZW1vLWZ1bGwiLCJ0ZW5hbnRJZCI6InNpbS10ZW5hbnQtMDAwMSIsIm5hbWUiOiJEZW1vIGZ1bGwiLCJpYXQiOjE3MDQwNjcyMDAsImV4cCI6NDEwMjQ0NDgwMH0.pv164JjugOEeXVJmDDgupwgv_RsLFSh4c6B0q7p8KAJ8sK2Ao9cHwrUrJWYjEe2Rzvjh8KUvtrY8jMMscK6FTzMuPdiTLPWKmF1VwbUdevwTXJknoh3ejvD3HxKDM4ehxlJ1CVtlzbXBZ2S153cwnMRPdtPSqhCd8rGphQl3AZ7adIIxSoakuVuylG6QE4hyxDqVByQaxsScDiB9gmjI2W99cyAmUtcvK84wQSCtg3O1BB_Nd2rex7Uo89nfCeMKfuKZkIYhSmvLe-NIiw0QytKimDPEjtJtm22nra63burIwLkn3pt9bke3xbtWEaV6FlvWHmyjuYlzQwhUyStKjw',
  noAnalytics: 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6InNpbS1kZW1vLWtleS0yMDI2In0.eyJpc3MiOiJodHRwczovL2N4b25lLXNpbXVsYXRvci5pbnZhbGlkIiwic3ViIjoidXNlcjpkZW1vLW5vLWFuYWx5dGljcyIsInRlbmFudElkIjoic2ltLXRlbmFudC0wMDAxIiwibmFtZSI6IkRlbW8gbm8tYW5hbHl0aWNzIiwiaWF0IjoxNzA0MDY3MjAwLCJleHAiOjQxMDI0NDQ4MDB9.QhgP1EFqKO_-XKsOFc6EH8ea1G1MpEvjVXECw5yVzAGRKT6Pxyya9K00DhSf-dwm7hurky3YEzwcA9wlWc1rvKpwuDSOI88Ihtxc4FjU0-Xtg4-_AuwrI0IZmbfLfoUxr4x7SrjZvRRwir0MtXIsDiAQbhaS5VO65hNn4uYnqyG_eOYEAKfB1RXdOpA2iew9S7AOp0kwK-s3d5okF0jTEsyUkRKiRbmzF7Q7KkvfWLgf5aQ3rgciFRspBNNDwziJhObAASQFF4HTlrxs92uGJVl6NPbpyGVrOGrKteHQaihB9QFdv3WMV5ftOh7_OJte2qf44ZUS3GBE_j4w6CHxUQ',
  noPlayback: 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6InNpbS1kZW1vLWtleS0yMDI2In0.eyJpc3MiOiJodHRwczovL2N4b25lLXNpbXVsYXRvci5pbnZhbGlkIiwic3ViIjoidXNlcjpkZW1vLW5vLXBsYXliYWNrIiwidGVuYW50SWQiOiJzaW0tdGVuYW50LTAwMDEiLCJuYW1lIjoiRGVtbyBuby1wbGF5YmFjayIsImlhdCI6MTcwNDA2NzIwMCwiZXhwIjo0MTAyNDQ0ODAwfQ.qNi9j9sdeqB8cUmPV2Py8kU5dMtfE4A3eC3G1XrfYnj25m3IwJQiJiQwUCn45xUM-xV-lK6rWSISfNXN4TtgAUMHVCGK2yOqLPcEcZe8b6HWoSmeUPl3hWtNaQnF3IuI-lPR4BGBYtHANGNolBzfVXNLugVpF0acs14XpS-2xBjH8zAFUBB_QdaLzlMP0Slb_6ANPumdV8bEpzap80DYECMAAHrSumfwmKpxiFi89SLmERl2WbptxujivHAC-njLC0CJcC7D1lGiR0CX8lMuvCsuaTqkguCt0lRrnQhRd-kPyC4Rtai8yMIXkl6OfGXUW0OoVfSSYk4qYvwJmk7Rag',
} as const);

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
export function bearerToken(authorization: string | undefined): string | null {
  if (authorization === undefined) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return m?.[1] ?? null;
}

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
            iss: SIMULATOR_ISSUER,
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
    const token = await this.keys[issuer].sign(claims, options.unpublishedKey === true ? 'staged' : 'current');
    if (issuer === 'cxone') {
      const subject = typeof claims['sub'] === 'string' ? claims['sub'] : '';
      this.accessTokens.set(token, { grant: grantOf(subject), expiresAt: exp * 1000 });
    }
    return token;
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
