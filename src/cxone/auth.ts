/**
 * Bearer tokens for CXone calls. Two modes (`CXONE_AUTH`): `forward` sends the caller's own
 * token, so CXone decides what each caller may see; `access-key` signs in with the service's access key
 * and keeps one token for everyone. No token, secret or key ever reaches a message, log or error.
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { CxoneError, type CxoneEndpoint } from './errors.js';
import { redactRequest, type HttpResponse, type HttpTransport } from './http.js';
import type { AuthProvider, Caller } from './ports.js';
import { isHttpUrl, isRecord } from '../json.js';
import { clientAuthFromDiscovery, openIdConfigurationSchema, readTokenAnswer, type ClientAuthMethod } from './auth-wire.js';

const AUTH_RESOURCE = { kind: 'auth' } as const;

/**
 * `forward` mode: the caller's bearer token, as the router forwarded it. A caller without one gets
 * `no-credentials` before any upstream call; a 401 is final (we have no other token to try).
 */
export class ForwardAuth implements AuthProvider {
  /** The caller's token; rejects with kind `no-credentials` when it is missing or blank. */
  async tokenFor(caller: Caller): Promise<string> {
    if (caller.mode === 'forward' && caller.token !== null) {
      const token = caller.token.trim();
      if (token !== '') return token;
    }
    throw new CxoneError('No CXone credentials: send an Authorization bearer token', {
      kind: 'no-credentials',
      resource: AUTH_RESOURCE,
    });
  }

  /** Always false: re-sending the caller's own token after a 401 cannot succeed. */
  async invalidate(_caller: Caller, _token: string): Promise<boolean> {
    return false;
  }
}

/**
 * How the access key signs in (`CXONE_ACCESS_KEY_LOGIN`):
 * - `password-grant`: OpenID discovery, then `POST {token_endpoint}` with the OAuth password grant
 *   and the app registration's client id and secret (HTTP Basic); refreshed with `refresh_token`.
 * - `access-key`: the login most tenants use without an app registration,
 *   `POST {auth}/authentication/v1/token/access-key` with JSON `{accessKeyId, accessKeySecret}`;
 *   refreshed with `POST {auth}/public/user/refresh` and JSON `{token: refresh_token}` (a refused
 *   refresh falls back to a login).
 * Logins answer `{access_token, token_type, expires_in, refresh_token, id_token}`; the session
 * refresh answers `{token, tokenExpirationTimeSec, refreshToken, refreshTokenExpirationTimeSec}`.
 * Both shapes are read from every endpoint (auth-wire.ts).
 */
type AccessKeyLogin = 'password-grant' | 'access-key';

/** Options of `AccessKeyAuth`. The credentials come from configuration and are never logged. */
interface AccessKeyAuthOptions {
  /** Global auth base for discovery, e.g. `https://cxone.niceincontact.com` (gov: `cxone-gov.niceincontact.com`). */
  readonly issuerUrl: string;
  /** Default `password-grant` when a client id and secret are given, else `access-key`. */
  readonly login?: AccessKeyLogin;
  /** The `access-key` login's host, e.g. `https://na1.nice-incontact.com` or discovery's `auth_endpoint`. Default: issuerUrl. */
  readonly authBaseUrl?: string;
  /** The app registration; required by `password-grant` only. */
  readonly clientId?: string;
  readonly clientSecret?: string;
  /**
   * How the client id and secret reach the token endpoint (`CXONE_CLIENT_AUTH`): HTTP Basic or
   * form fields. Default: what discovery's `token_endpoint_auth_methods_supported` asks for.
   */
  readonly clientAuth?: ClientAuthMethod;
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly clock: Clock;
  readonly transport: HttpTransport;
  readonly logger: Logger;
  /** Refresh this long before the token expires, so no call goes out with a token about to lapse. Default 60 000. */
  readonly refreshMarginMs?: number;
  /** Lifetime assumed when the token answer has no usable `expires_in`, in seconds. Default 3600 (CXone's). */
  readonly defaultExpiresInSeconds?: number;
}

/** What the token endpoint gave us, with the absolute time it lapses on our clock. */
interface TokenState {
  readonly accessToken: string;
  readonly refreshToken: string | null;
  readonly expiresAt: number;
}

type Grant =
  | { readonly grant_type: 'password'; readonly username: string; readonly password: string }
  /** `client_id` is a required field of the spec's `tokenRefreshRequest`, whichever client auth is used. */
  | { readonly grant_type: 'refresh_token'; readonly refresh_token: string; readonly client_id: string };

/** The access-key login's paths under its auth host. */
const ACCESS_KEY_LOGIN_PATH = '/authentication/v1/token/access-key';
const ACCESS_KEY_REFRESH_PATH = '/public/user/refresh';

/**
 * `access-key` mode: OpenID discovery, then the password grant with the access key, then refresh
 * grants ~60 s before expiry (falling back to the password grant when a refresh is refused).
 * Concurrent callers that need a token share one token call (single-flight).
 */
export class AccessKeyAuth implements AuthProvider {
  private readonly issuerUrl: string;
  private readonly authBaseUrl: string;
  private readonly login: AccessKeyLogin;
  private readonly refreshMarginMs: number;
  private readonly defaultExpiresInSeconds: number;
  private tokenEndpoint: { readonly url: string; readonly clientAuth: ClientAuthMethod } | null = null;
  private discovery: Promise<{ readonly url: string; readonly clientAuth: ClientAuthMethod }> | null = null;
  private current: TokenState | null = null;
  private renewal: Promise<TokenState> | null = null;

  constructor(private readonly options: AccessKeyAuthOptions) {
    this.issuerUrl = options.issuerUrl.trim().replace(/\/+$/, '');
    this.authBaseUrl = (options.authBaseUrl ?? options.issuerUrl).trim().replace(/\/+$/, '');
    this.login = options.login ?? (options.clientId !== undefined && options.clientSecret !== undefined ? 'password-grant' : 'access-key');
    if (this.login === 'password-grant' && (options.clientId === undefined || options.clientSecret === undefined)) {
      throw new Error('The password-grant login needs a client id and secret (CXONE_CLIENT_ID, CXONE_CLIENT_SECRET)');
    }
    this.refreshMarginMs = options.refreshMarginMs ?? 60_000;
    this.defaultExpiresInSeconds = options.defaultExpiresInSeconds ?? 3600;
  }

  /** The service's token (the caller does not matter in this mode); renews it when it is near expiry. */
  async tokenFor(_caller: Caller): Promise<string> {
    const current = this.current;
    if (current !== null && this.options.clock.now() < current.expiresAt - this.refreshMarginMs) {
      return current.accessToken;
    }
    const renewed = await this.renew();
    return renewed.accessToken;
  }

  /**
   * After a 401 with `token`: forget it (and its refresh token: a rejected session is not refreshed)
   * so the next `tokenFor` signs in again. True: the client retries once with the new token.
   */
  async invalidate(_caller: Caller, token: string): Promise<boolean> {
    // Compare before dropping: a token renewed meanwhile by another caller is still good.
    if (this.current?.accessToken === token) this.current = null;
    return true;
  }

  /** One token call at a time; everyone who needs a token meanwhile waits for the same answer. */
  private renew(): Promise<TokenState> {
    if (this.renewal !== null) return this.renewal;
    const renewal = (async (): Promise<TokenState> => {
      try {
        const state = await this.fetchToken(this.current);
        this.current = state;
        return state;
      } finally {
        this.renewal = null;
      }
    })();
    this.renewal = renewal;
    return renewal;
  }

  private async fetchToken(previous: TokenState | null): Promise<TokenState> {
    if (this.login === 'access-key') return this.fetchAccessKeyToken(previous);
    const endpoint = await this.discover();
    if (previous?.refreshToken != null) {
      try {
        return await this.grant(endpoint, {
          grant_type: 'refresh_token',
          refresh_token: previous.refreshToken,
          client_id: this.options.clientId ?? '',
        });
      } catch (error: unknown) {
        // A refresh token can be revoked or lapse on its own; the access key still signs in.
        this.options.logger.info(
          { status: error instanceof CxoneError ? error.status : undefined, kind: error instanceof CxoneError ? error.kind : undefined },
          'CXone token refresh failed; signing in with the access key',
        );
      }
    }
    return this.grant(endpoint, {
      grant_type: 'password',
      username: this.options.accessKeyId,
      password: this.options.accessKeySecret,
    });
  }

  /**
   * `token_endpoint` and the client authentication it takes, from OpenID discovery, fetched once
   * per process (a failure is not remembered).
   */
  private discover(): Promise<{ readonly url: string; readonly clientAuth: ClientAuthMethod }> {
    if (this.tokenEndpoint !== null) return Promise.resolve(this.tokenEndpoint);
    if (this.discovery !== null) return this.discovery;
    const discovery = (async (): Promise<{ readonly url: string; readonly clientAuth: ClientAuthMethod }> => {
      try {
        const url = `${this.issuerUrl}/.well-known/openid-configuration`;
        const response = await this.options.transport.send({
          method: 'GET',
          url,
          headers: { accept: 'application/json' },
          endpoint: 'discovery',
          resource: AUTH_RESOURCE,
        });
        if (response.status !== 200) throw authHttpError(response, 'GET', url, 'discovery');
        const document = openIdConfigurationSchema.safeParse(parseJsonObject(response, 'GET', url, 'discovery'));
        const endpoint = document.success ? document.data.token_endpoint : undefined;
        if (!document.success || typeof endpoint !== 'string' || !isHttpUrl(endpoint)) {
          throw invalidAnswer('CXone discovery answer has no usable token_endpoint', 'GET', url, 'discovery');
        }
        const found = {
          url: endpoint,
          clientAuth: this.options.clientAuth ?? clientAuthFromDiscovery(document.data.token_endpoint_auth_methods_supported),
        };
        this.tokenEndpoint = found;
        return found;
      } finally {
        this.discovery = null;
      }
    })();
    this.discovery = discovery;
    return discovery;
  }

  /** The access-key login: refresh when there is a refresh token, else (or when refused) log in. */
  private async fetchAccessKeyToken(previous: TokenState | null): Promise<TokenState> {
    if (previous?.refreshToken != null) {
      try {
        return await this.exchange(`${this.authBaseUrl}${ACCESS_KEY_REFRESH_PATH}`, 'refresh', {
          contentType: 'application/json',
          body: JSON.stringify({ token: previous.refreshToken }),
        });
      } catch (error: unknown) {
        this.options.logger.info(
          { status: error instanceof CxoneError ? error.status : undefined, kind: error instanceof CxoneError ? error.kind : undefined },
          'CXone token refresh failed; logging in with the access key',
        );
      }
    }
    return this.exchange(`${this.authBaseUrl}${ACCESS_KEY_LOGIN_PATH}`, 'access-key', {
      contentType: 'application/json',
      body: JSON.stringify({ accessKeyId: this.options.accessKeyId, accessKeySecret: this.options.accessKeySecret }),
    });
  }

  private grant(endpoint: { readonly url: string; readonly clientAuth: ClientAuthMethod }, grant: Grant): Promise<TokenState> {
    const { clientId = '', clientSecret = '' } = this.options;
    // URLSearchParams encodes `+`, `/` and `=` (access key secrets end in `=`), unlike string concatenation.
    if (endpoint.clientAuth === 'post') {
      // client_secret_post: the client's credentials are form fields, and no Authorization header.
      return this.exchange(endpoint.url, grant.grant_type, {
        contentType: 'application/x-www-form-urlencoded',
        body: new URLSearchParams({ ...grant, client_id: clientId, client_secret: clientSecret }).toString(),
      });
    }
    return this.exchange(endpoint.url, grant.grant_type, {
      contentType: 'application/x-www-form-urlencoded',
      body: new URLSearchParams(grant).toString(),
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`, 'utf8').toString('base64')}`,
    });
  }

  /** One POST to a token endpoint and its `{access_token, expires_in, refresh_token}` answer. */
  private async exchange(
    endpoint: string,
    grantName: string,
    request: { readonly contentType: string; readonly body: string; readonly authorization?: string },
  ): Promise<TokenState> {
    const response = await this.options.transport.send({
      method: 'POST',
      url: endpoint,
      headers: {
        'content-type': request.contentType,
        accept: 'application/json',
        ...(request.authorization === undefined ? {} : { authorization: request.authorization }),
      },
      body: request.body,
      endpoint: 'token',
      resource: AUTH_RESOURCE,
    });
    if (response.status !== 200) throw authHttpError(response, 'POST', endpoint, 'token');
    const body = parseJsonObject(response, 'POST', endpoint, 'token');
    const answer = readTokenAnswer(body, this.options.clock.now());
    if (answer === null) {
      // Field names only: enough to see which shape came, nothing of the tokens in it.
      this.options.logger.warn({ grant: grantName, fields: Object.keys(body).sort() }, 'CXone token answer unreadable');
      throw invalidAnswer('CXone token answer has no access_token or token', 'POST', endpoint, 'token');
    }
    const expiresIn = answer.expiresInSeconds ?? this.defaultExpiresInSeconds;
    this.options.logger.info({ grant: grantName, expiresInSeconds: Math.round(expiresIn) }, 'CXone token acquired');
    return {
      accessToken: answer.accessToken,
      refreshToken: answer.refreshToken,
      expiresAt: this.options.clock.now() + expiresIn * 1000,
    };
  }
}

/**
 * A refused token or discovery call, with CXone's status as it came (a wrong key is a 400
 * `invalid_grant` or a 401). The body's OAuth `error` code is kept; its free-text description is not
 * (it could echo what we sent).
 */
function authHttpError(response: HttpResponse, method: 'GET' | 'POST', url: string, endpoint: CxoneEndpoint): CxoneError {
  const oauthCode = readOauthError(response);
  return new CxoneError(`CXone ${endpoint === 'token' ? 'token endpoint' : 'discovery'} answered ${response.status}`, {
    kind: 'http',
    resource: AUTH_RESOURCE,
    request: redactRequest({ method, url, endpoint }),
    status: response.status,
    ...(oauthCode === undefined ? {} : { internalCode: oauthCode }),
  });
}

function readOauthError(response: HttpResponse): string | undefined {
  try {
    const body: unknown = JSON.parse(response.text);
    if (typeof body !== 'object' || body === null || !('error' in body)) return undefined;
    const code = body.error;
    // OAuth error codes are short tokens like `invalid_grant`; anything else is not echoed.
    return typeof code === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(code) ? code : undefined;
  } catch {
    return undefined;
  }
}

function parseJsonObject(
  response: HttpResponse,
  method: 'GET' | 'POST',
  url: string,
  endpoint: CxoneEndpoint,
): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(response.text);
  } catch {
    // No cause on purpose: a JSON parse error quotes the text, which may hold a token.
    throw invalidAnswer(`CXone ${endpoint} answer is not JSON`, method, url, endpoint);
  }
  if (!isRecord(body)) {
    throw invalidAnswer(`CXone ${endpoint} answer is not a JSON object`, method, url, endpoint);
  }
  return body;
}

function invalidAnswer(message: string, method: 'GET' | 'POST', url: string, endpoint: CxoneEndpoint): CxoneError {
  return new CxoneError(message, {
    kind: 'invalid-response',
    resource: AUTH_RESOURCE,
    request: redactRequest({ method, url, endpoint }),
  });
}
