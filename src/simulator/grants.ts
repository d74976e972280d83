/**
 * What a bearer token is allowed to do, decided the way CXone decides it: by the token alone.
 * Demo tokens exist so a newcomer can see each permission's effect with one header; tokens from
 * the simulator's token endpoint carry full permissions until they expire (by the Clock).
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import { uuidFrom } from './seed.js';

/** The permissions the Media Playback API checks. */
export interface Grant {
  /** Search & Playback > Player > Play/download recordings (Play Any). */
  readonly playback: boolean;
  /** "View sentiments and categories": without it those keys are absent from call data. */
  readonly analytics: boolean;
}

export const DEMO_TOKENS = Object.freeze({
  full: 'demo-full',
  noAnalytics: 'demo-no-analytics',
  noPlayback: 'demo-no-playback',
} as const);

const DEMO_GRANTS: ReadonlyMap<string, Grant> = new Map([
  [DEMO_TOKENS.full, { playback: true, analytics: true }],
  [DEMO_TOKENS.noAnalytics, { playback: true, analytics: false }],
  [DEMO_TOKENS.noPlayback, { playback: false, analytics: false }],
]);

const FULL: Grant = { playback: true, analytics: true };

/** The token endpoint's answer body. */
export interface IssuedTokens {
  readonly access_token: string;
  readonly token_type: 'Bearer';
  readonly expires_in: number;
  readonly refresh_token: string;
  readonly id_token: string;
}

function base64url(value: object | string): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

/** The token from `Authorization: Bearer <token>`, or null when the header is absent or another scheme. */
export function bearerToken(authorization: string | undefined): string | null {
  if (authorization === undefined) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return m?.[1] ?? null;
}

export class TokenRegistry {
  private counter = 0;
  /** access token -> expiry (ms since the epoch). */
  private readonly accessTokens = new Map<string, number>();
  /** Refresh tokens stay valid until reset: CXone's refresh lifetime is long and undocumented. */
  private readonly refreshTokens = new Set<string>();

  constructor(
    private readonly clock: Clock,
    private readonly issuer: string,
    private readonly tenantId: string,
  ) {}

  /** Issues a fresh, unique token set valid for `ttlSeconds` from now. */
  issue(ttlSeconds: number): IssuedTokens {
    this.counter += 1;
    const serial = this.counter;
    const iat = Math.floor(this.clock.now() / 1000);
    const exp = iat + ttlSeconds;
    const userId = uuidFrom('user:simulator-api-user');
    const claims = {
      iss: this.issuer,
      sub: `user:${userId}`,
      aud: 'sim-client',
      tenantId: this.tenantId,
      area: 'na1',
      icBUId: 4_600_001,
      icAgentId: '7000001',
      userId,
      iat,
      exp,
      jti: `sim-${String(serial)}`,
    };
    const header = base64url({ alg: 'RS256', typ: 'JWT', kid: 'sim-key-1' });
    // The signature is fake on purpose: nothing may rely on verifying CXone tokens locally.
    const accessToken = `${header}.${base64url(claims)}.${base64url(`sim-signature-${String(serial)}`)}`;
    const idToken = `${header}.${base64url({ ...claims, name: 'Simulator API User' })}.${base64url(`sim-id-signature-${String(serial)}`)}`;
    const refreshToken = `sim-refresh-${String(serial)}-${randomBytes(12).toString('hex')}`;
    this.accessTokens.set(accessToken, exp * 1000);
    this.refreshTokens.add(refreshToken);
    return { access_token: accessToken, token_type: 'Bearer', expires_in: ttlSeconds, refresh_token: refreshToken, id_token: idToken };
  }

  /** A new token set for a known refresh token, or null. */
  refresh(refreshToken: string, ttlSeconds: number): IssuedTokens | null {
    return this.refreshTokens.has(refreshToken) ? this.issue(ttlSeconds) : null;
  }

  /** What the Authorization header grants, or null when it grants nothing (401). */
  grantFor(authorization: string | undefined): Grant | null {
    const token = bearerToken(authorization);
    if (token === null) return null;
    const demo = DEMO_GRANTS.get(token);
    if (demo) return demo;
    const expiresAt = this.accessTokens.get(token);
    return expiresAt !== undefined && this.clock.now() < expiresAt ? FULL : null;
  }

  /** Forgets every issued token; demo tokens keep working. */
  reset(): void {
    this.accessTokens.clear();
    this.refreshTokens.clear();
  }
}
