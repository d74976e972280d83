/**
 * The global auth service's part of CXone, served at the simulator's root: discovery documents
 * and the OAuth token endpoint that `access-key` mode uses.
 */
import type { TokenRegistry } from './grants.js';
import { SIMULATOR_ISSUER, type KeyRing } from './keys.js';
import { idpIssuer } from './state.js';
import { json, type Reply } from './http.js';
import type { SimulatorCredentials, SimulatorVariant } from './types.js';

/**
 * `GET /.well-known/openid-configuration`. The `issuer` is the fixed SIMULATOR_ISSUER, not the
 * URL, so the published demo tokens verify on any port.
 */
export function openIdConfiguration(baseUrl: string): Reply {
  return json(200, {
    issuer: SIMULATOR_ISSUER,
    jwks_uri: `${baseUrl}${CXONE_JWKS_PATH}`,
    id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint: `${baseUrl}/auth/token`,
    grant_types_supported: ['password', 'refresh_token'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
  });
}

export const CXONE_JWKS_PATH = '/.well-known/jwks.json';
export const IDP_PREFIX = '/idp';

/** `GET {jwks_uri}`: the published public keys only. */
export async function jwksDocument(keys: KeyRing): Promise<Reply> {
  return json(200, await keys.jwks(), { 'cache-control': 'public, max-age=300' });
}

/** The test identity provider (`/idp/...`): its discovery document and JWKS; null for other paths. */
export async function identityProvider(baseUrl: string, path: string, keys: KeyRing): Promise<Reply | null> {
  const issuer = idpIssuer(baseUrl);
  if (path === `${IDP_PREFIX}/.well-known/openid-configuration`) {
    return json(200, { issuer, jwks_uri: `${issuer}/jwks.json`, id_token_signing_alg_values_supported: ['RS256'] });
  }
  if (path === `${IDP_PREFIX}/jwks.json`) return jwksDocument(keys);
  return null;
}

/**
 * `GET /.well-known/cxone-configuration?tenantId=..`: every host is the simulator itself. The
 * `auth_endpoint` is also the `iss` of the access tokens it issues, which differs from the discovery
 * document's `issuer`, as a real tenant's do.
 */
export function cxoneConfiguration(baseUrl: string, query: URLSearchParams): Reply {
  const tenantId = query.get('tenantId');
  if (!tenantId) {
    return json(400, { error: 'invalid_request', error_description: 'tenantId is required' });
  }
  return json(200, {
    private: false,
    area: 'na1',
    cluster: 'C32',
    domain: 'localhost',
    acdDomain: 'localhost',
    uhDomain: 'localhost',
    api_endpoint: baseUrl,
    ui_endpoint: baseUrl,
    auth_endpoint: baseUrl,
    tenantId,
  });
}

function oauthError(status: number, error: string, description: string): Reply {
  // RFC 6749 asks for no-store on every token endpoint answer, errors included.
  return json(status, { error, error_description: description }, { 'cache-control': 'no-store' });
}

/** The client id and secret from `Authorization: Basic ...`, or null when absent or malformed. */
function basicCredentials(authorization: string | undefined): { id: string; secret: string } | null {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
  if (!m?.[1]) return null;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

export interface TokenRequest {
  readonly method: string;
  readonly authorization: string | undefined;
  readonly contentType: string | undefined;
  readonly body: string | null;
}

/** The answer and whether the client and key were accepted (for the call log). */
export interface TokenOutcome {
  readonly reply: Reply;
  readonly authorized: boolean;
}

/**
 * `POST /auth/token`. The body is parsed as a form, so a secret sent without URL-encoding loses
 * its '+' (read as a space) and fails, exactly as it would against CXone.
 */
export async function tokenEndpoint(
  request: TokenRequest,
  credentials: SimulatorCredentials,
  registry: TokenRegistry,
  ttlSeconds: number,
): Promise<TokenOutcome> {
  const denied = (reply: Reply): TokenOutcome => ({ reply, authorized: false });
  if (request.method !== 'POST') {
    return denied({ ...oauthError(405, 'invalid_request', 'use POST'), headers: { allow: 'POST', 'content-type': 'application/json; charset=utf-8' } });
  }
  if (!(request.contentType ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    return denied(oauthError(400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded'));
  }
  if (request.body === null) return denied(oauthError(413, 'invalid_request', 'body too large'));
  const form = new URLSearchParams(request.body);
  // client_secret_basic or client_secret_post (both listed by discovery), never both at once (RFC 6749 2.3).
  const basic = basicCredentials(request.authorization);
  const posted = form.has('client_secret') ? { id: form.get('client_id') ?? '', secret: form.get('client_secret') ?? '' } : null;
  const client = basic !== null && posted !== null ? null : (basic ?? posted);
  if (client?.id !== credentials.clientId || client.secret !== credentials.clientSecret) {
    return denied(oauthError(401, 'invalid_client', 'Client authentication failed'));
  }
  const ok = (tokens: object): TokenOutcome => ({ reply: json(200, tokens, { 'cache-control': 'no-store' }), authorized: true });
  switch (form.get('grant_type')) {
    case 'password': {
      const username = form.get('username');
      const password = form.get('password');
      if (username === null || password === null) {
        return denied(oauthError(400, 'invalid_request', 'username and password are required'));
      }
      if (username !== credentials.accessKeyId || password !== credentials.accessKeySecret) {
        return denied(oauthError(401, 'invalid_grant', 'Invalid access key id or secret'));
      }
      return ok(await registry.issue(ttlSeconds));
    }
    case 'refresh_token': {
      const refreshToken = form.get('refresh_token');
      if (refreshToken === null) return denied(oauthError(400, 'invalid_request', 'refresh_token is required'));
      const tokens = await registry.refresh(refreshToken, ttlSeconds);
      return tokens ? ok(tokens) : denied(oauthError(401, 'invalid_grant', 'Invalid refresh token'));
    }
    case null:
      return denied(oauthError(400, 'invalid_request', 'grant_type is required'));
    default:
      return denied(oauthError(400, 'unsupported_grant_type', 'grant_type must be password or refresh_token'));
  }
}

type JsonRead = { readonly ok: true; readonly body: Record<string, unknown> } | { readonly ok: false; readonly reply: Reply };

function readJsonObject(request: TokenRequest): JsonRead {
  const refuse = (status: number, description: string): JsonRead => ({ ok: false, reply: oauthError(status, 'invalid_request', description) });
  if (request.method !== 'POST') return refuse(405, 'use POST');
  if (!(request.contentType ?? '').toLowerCase().startsWith('application/json')) {
    return refuse(400, 'Content-Type must be application/json');
  }
  if (request.body === null) return refuse(413, 'body too large');
  try {
    const body: unknown = JSON.parse(request.body);
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) return { ok: true, body: body as Record<string, unknown> };
  } catch {
    // answered below
  }
  return refuse(400, 'body must be a JSON object');
}

/**
 * `POST /authentication/v1/token/access-key` with JSON `{accessKeyId, accessKeySecret}`: the login
 * most tenants use without an app registration (no client credentials). Same token answer as `/auth/token`.
 */
export async function accessKeyLogin(
  request: TokenRequest,
  credentials: SimulatorCredentials,
  registry: TokenRegistry,
  ttlSeconds: number,
): Promise<TokenOutcome> {
  const read = readJsonObject(request);
  if (!read.ok) return { reply: read.reply, authorized: false };
  const { accessKeyId, accessKeySecret } = read.body;
  if (typeof accessKeyId !== 'string' || typeof accessKeySecret !== 'string') {
    return { reply: oauthError(400, 'invalid_request', 'accessKeyId and accessKeySecret are required'), authorized: false };
  }
  if (accessKeyId !== credentials.accessKeyId || accessKeySecret !== credentials.accessKeySecret) {
    return { reply: oauthError(401, 'invalid_grant', 'Invalid access key id or secret'), authorized: false };
  }
  return { reply: json(200, await registry.issue(ttlSeconds), { 'cache-control': 'no-store' }), authorized: true };
}

/** How long the simulator's refresh tokens are said to live (CXone's real lifetime is not published). */
const REFRESH_TOKEN_LIFETIME_SECONDS = 12 * 3600;

/**
 * `POST /public/user/refresh` with JSON `{token: <refresh_token>}`: a new token set for the
 * access-key login. `published`: the session answer `{token, tokenExpirationTimeSec, refreshToken,
 * refreshTokenExpirationTimeSec}` (singer-io/tap-nice-incontact's client, a public C# DTO), the
 * times as epoch seconds; `legacy`: the OAuth answer the login gives.
 */
export async function accessKeyRefresh(
  request: TokenRequest,
  registry: TokenRegistry,
  ttlSeconds: number,
  variant: SimulatorVariant,
  nowMs: number,
): Promise<TokenOutcome> {
  const read = readJsonObject(request);
  if (!read.ok) return { reply: read.reply, authorized: false };
  const token = read.body['token'];
  if (typeof token !== 'string') return { reply: oauthError(400, 'invalid_request', 'token is required'), authorized: false };
  const tokens = await registry.refresh(token, ttlSeconds);
  if (tokens === null) return { reply: oauthError(401, 'invalid_grant', 'Invalid refresh token'), authorized: false };
  const now = Math.floor(nowMs / 1000);
  const body =
    variant === 'legacy'
      ? tokens
      : {
          token: tokens.access_token,
          tokenExpirationTimeSec: now + tokens.expires_in,
          refreshToken: tokens.refresh_token,
          refreshTokenExpirationTimeSec: now + REFRESH_TOKEN_LIFETIME_SECONDS,
        };
  return { reply: json(200, body, { 'cache-control': 'no-store' }), authorized: true };
}
