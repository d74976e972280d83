/** CXone's auth and discovery answers as zod schemas, every field optional, and the readers over them. */
import { z } from 'zod';

const text = z.string().nullish();
const seconds = z.union([z.number(), z.string()]).nullish();

/** The OAuth token answer (password grant, refresh grant, access-key login). */
export const oauthTokenAnswerSchema = z.looseObject({
  access_token: text,
  token_type: text,
  issued_token_type: text,
  expires_in: seconds,
  refresh_token: text,
  id_token: text,
});

/** The access-key session's refresh answer (`/public/user/refresh`). */
export const sessionRefreshAnswerSchema = z.looseObject({
  token: text,
  /** Seconds: seen as a lifetime and read as an absolute epoch time when it is one (see readExpiry). */
  tokenExpirationTimeSec: seconds,
  refreshToken: text,
  refreshTokenExpirationTimeSec: seconds,
});

/** `GET {issuer}/.well-known/openid-configuration`. */
export const openIdConfigurationSchema = z.looseObject({
  issuer: text,
  jwks_uri: text,
  token_endpoint: text,
  token_endpoint_auth_methods_supported: z.array(z.string()).nullish(),
  grant_types_supported: z.array(z.string()).nullish(),
  id_token_signing_alg_values_supported: z.array(z.string()).nullish(),
});

/** `GET {issuer}/.well-known/cxone-configuration?tenantId=`. */
export const cxoneConfigurationSchema = z.looseObject({
  private: z.boolean().nullish(),
  area: text,
  cluster: text,
  domain: text,
  acdDomain: text,
  uhDomain: text,
  ui_endpoint: text,
  auth_endpoint: text,
  api_endpoint: text,
  tenantId: text,
  globaldomain: text,
});

/** A token answer, whichever names it used. */
interface TokenAnswer {
  readonly accessToken: string;
  readonly refreshToken: string | null;
  /** Lifetime from now, in seconds; null when the answer gives none. */
  readonly expiresInSeconds: number | null;
}

function positive(value: unknown): number | null {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : null;
}

/** Below this a `...Sec` value is a lifetime; above it an epoch time (2001-09-09 onwards). */
const EPOCH_SECONDS_FLOOR = 1_000_000_000;

/** `tokenExpirationTimeSec` as a lifetime: sources do not say if it is one or an epoch second, so both are read. */
function readExpiry(value: unknown, nowMs: number): number | null {
  const n = positive(value);
  if (n === null) return null;
  if (n < EPOCH_SECONDS_FLOOR) return n;
  const left = n - nowMs / 1000;
  return left > 0 ? left : null;
}

/** Reads either token answer; null when it carries no access token under either name. */
export function readTokenAnswer(body: unknown, nowMs: number): TokenAnswer | null {
  const oauth = oauthTokenAnswerSchema.safeParse(body);
  const fromOauth = oauth.success ? tokenAnswer(oauth.data.access_token, oauth.data.refresh_token, positive(oauth.data.expires_in)) : null;
  if (fromOauth !== null) return fromOauth;
  const session = sessionRefreshAnswerSchema.safeParse(body);
  if (!session.success) return null;
  return tokenAnswer(session.data.token, session.data.refreshToken, readExpiry(session.data.tokenExpirationTimeSec, nowMs));
}

type Text = string | null | undefined;

function tokenAnswer(token: Text, refresh: Text, expiresInSeconds: number | null): TokenAnswer | null {
  if (typeof token !== 'string' || token.trim() === '') return null;
  return { accessToken: token, refreshToken: typeof refresh === 'string' && refresh !== '' ? refresh : null, expiresInSeconds };
}

/** How the app registration authenticates at the token endpoint (RFC 6749 2.3.1; `CXONE_CLIENT_AUTH`). */
export type ClientAuthMethod = 'basic' | 'post';

/** `post` when discovery lists `client_secret_post` and not `client_secret_basic`; else RFC 8414's default `basic`. */
export function clientAuthFromDiscovery(methods: readonly string[] | null | undefined): ClientAuthMethod {
  return methods?.includes('client_secret_post') === true && !methods.includes('client_secret_basic') ? 'post' : 'basic';
}
