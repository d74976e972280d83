/**
 * Bearer tokens for CXone calls (`CXONE_AUTH`): `forward` sends the caller's own, so CXone decides what
 * each caller may see; `access-key` signs in with the service's key and keeps one token for everyone.
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { CxoneError } from './errors.js';
import { readJson, redactRequest, type HttpRequest, type HttpResponse, type HttpTransport } from './http.js';
import type { AuthProvider, Caller } from './ports.js';
import { isHttpUrl, isRecord } from '../json.js';
import { clientAuthFromDiscovery, openIdConfigurationSchema, readTokenAnswer, type ClientAuthMethod } from './auth-wire.js';

const AUTH_RESOURCE = { kind: 'auth' } as const;
const ACCEPT_JSON = { accept: 'application/json' };

/** `forward` mode: the caller's bearer token, as the router forwarded it; a 401 is final. */
export class ForwardAuth implements AuthProvider {
  async tokenFor(caller: Caller): Promise<string> {
    if (caller.mode === 'forward' && caller.token !== null) {
      const token = caller.token.trim();
      if (token !== '') return token;
    }
    const details = { kind: 'no-credentials', resource: AUTH_RESOURCE } as const;
    throw new CxoneError('No CXone credentials: send an Authorization bearer token', details);
  }

  /** Always false: re-sending the caller's own token after a 401 cannot succeed. */
  async invalidate(_caller: Caller, _token: string): Promise<boolean> {
    return false;
  }
}

/**
 * How the access key signs in (`CXONE_ACCESS_KEY_LOGIN`), a refused refresh falling back to a login:
 * - `password-grant`: OpenID discovery, then the OAuth password grant with the app registration's
 *   client id and secret at `token_endpoint`; refreshed with `refresh_token`.
 * - `access-key` (tenants without an app registration): JSON `{accessKeyId, accessKeySecret}` to
 *   `{auth}/authentication/v1/token/access-key`; refreshed at `{auth}/public/user/refresh`.
 */
type AccessKeyLogin = 'password-grant' | 'access-key';

/** The credentials come from configuration and are never logged. */
interface AccessKeyAuthOptions {
  /** Global auth base for discovery, e.g. `https://cxone.niceincontact.com`. */
  readonly issuerUrl: string;
  /** Default `password-grant` when a client id and secret are given, else `access-key`. */
  readonly login?: AccessKeyLogin;
  /** The `access-key` login's host (discovery's `auth_endpoint`). Default: issuerUrl. */
  readonly authBaseUrl?: string;
  /** The app registration; required by `password-grant` only. */
  readonly clientId?: string;
  readonly clientSecret?: string;
  /** HTTP Basic or form fields (`CXONE_CLIENT_AUTH`). Default: what discovery asks for. */
  readonly clientAuth?: ClientAuthMethod;
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly clock: Clock;
  readonly transport: HttpTransport;
  readonly logger: Logger;
}

/** What the token endpoint gave us, with the absolute time it lapses on our clock. */
interface TokenState {
  readonly accessToken: string;
  readonly refreshToken: string | null;
  readonly expiresAt: number;
}

type TokenEndpoint = { readonly url: string; readonly clientAuth: ClientAuthMethod };

type Grant =
  | { readonly grant_type: 'password'; readonly username: string; readonly password: string }
  /** `client_id` is a required field of the spec's `tokenRefreshRequest`, whichever client auth is used. */
  | { readonly grant_type: 'refresh_token'; readonly refresh_token: string; readonly client_id: string };

/** `access-key` mode: one token for every caller, renewed shortly before expiry by one shared call. */
export class AccessKeyAuth implements AuthProvider {
  private readonly issuerUrl: string;
  private readonly authBaseUrl: string;
  private readonly login: AccessKeyLogin;
  /** Discovery's answer, read once per process; a failure is not remembered. */
  private discovery: Promise<TokenEndpoint> | null = null;
  private current: TokenState | null = null;
  private renewal: Promise<TokenState> | null = null;

  constructor(private readonly options: AccessKeyAuthOptions) {
    this.issuerUrl = options.issuerUrl.trim().replace(/\/+$/, '');
    this.authBaseUrl = (options.authBaseUrl ?? options.issuerUrl).trim().replace(/\/+$/, '');
    this.login = options.login ?? (options.clientId !== undefined && options.clientSecret !== undefined ? 'password-grant' : 'access-key');
    if (this.login === 'password-grant' && (options.clientId === undefined || options.clientSecret === undefined)) {
      throw new Error('The password-grant login needs a client id and secret (CXONE_CLIENT_ID, CXONE_CLIENT_SECRET)');
    }
  }

  /** The service's token (the caller does not matter in this mode); renews it when it is near expiry. */
  async tokenFor(_caller: Caller): Promise<string> {
    const current = this.current;
    // Renewed a minute before it expires.
    if (current !== null && this.options.clock.now() < current.expiresAt - 60_000) {
      return current.accessToken;
    }
    this.renewal ??= this.fetchToken(this.current)
      .then((state) => (this.current = state))
      .finally(() => (this.renewal = null));
    return (await this.renewal).accessToken;
  }

  /** After a 401: forget `token` and its refresh token (a rejected session is not refreshed), so a retry signs in. */
  async invalidate(_caller: Caller, token: string): Promise<boolean> {
    // Compare before dropping: a token renewed meanwhile by another caller is still good.
    if (this.current?.accessToken === token) this.current = null;
    return true;
  }

  /** Refresh when there is a refresh token, else (or when refused) log in. */
  private async fetchToken(previous: TokenState | null): Promise<TokenState> {
    const { accessKeyId, accessKeySecret, clientId = '' } = this.options;
    const accessKey = this.login === 'access-key';
    if (previous?.refreshToken != null) {
      try {
        return accessKey
          ? await this.exchangeJson(`${this.authBaseUrl}/public/user/refresh`, 'refresh', { token: previous.refreshToken })
          : await this.grant({ grant_type: 'refresh_token', refresh_token: previous.refreshToken, client_id: clientId });
      } catch (error: unknown) {
        // A refresh token can be revoked or lapse on its own; the access key still signs in.
        this.options.logger.info(
          { status: error instanceof CxoneError ? error.status : undefined, kind: error instanceof CxoneError ? error.kind : undefined },
          `CXone token refresh failed; ${accessKey ? 'logging' : 'signing'} in with the access key`,
        );
      }
    }
    return accessKey
      ? this.exchangeJson(`${this.authBaseUrl}/authentication/v1/token/access-key`, 'access-key', { accessKeyId, accessKeySecret })
      : this.grant({ grant_type: 'password', username: accessKeyId, password: accessKeySecret });
  }

  /** `token_endpoint` and the client authentication it takes, from OpenID discovery. */
  private discover(): Promise<TokenEndpoint> {
    this.discovery ??= this.readDiscovery().catch((error: unknown) => {
      this.discovery = null;
      throw error;
    });
    return this.discovery;
  }

  private async readDiscovery(): Promise<TokenEndpoint> {
    const url = `${this.issuerUrl}/.well-known/openid-configuration`;
    const call = { method: 'GET', url, endpoint: 'discovery' } as const;
    const response = await this.options.transport.send({ ...call, headers: ACCEPT_JSON, resource: AUTH_RESOURCE });
    if (response.status !== 200) throw authHttpError(response, call);
    const document = openIdConfigurationSchema.safeParse(parseJsonObject(response, call));
    const endpoint = document.success ? document.data.token_endpoint : undefined;
    if (!document.success || typeof endpoint !== 'string' || !isHttpUrl(endpoint)) {
      throw invalidAnswer('CXone discovery answer has no usable token_endpoint', call);
    }
    const clientAuth = this.options.clientAuth ?? clientAuthFromDiscovery(document.data.token_endpoint_auth_methods_supported);
    return { url: endpoint, clientAuth };
  }

  private async grant(grant: Grant): Promise<TokenState> {
    const endpoint = await this.discover();
    const { clientId = '', clientSecret = '' } = this.options;
    const post = endpoint.clientAuth === 'post';
    // client_secret_post: the client's credentials are form fields, and no Authorization header.
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    if (!post) headers.authorization = `Basic ${Buffer.from(`${clientId}:${clientSecret}`, 'utf8').toString('base64')}`;
    // URLSearchParams encodes `+`, `/` and `=` (access key secrets end in `=`), unlike string concatenation.
    const form = new URLSearchParams(post ? { ...grant, client_id: clientId, client_secret: clientSecret } : grant);
    return this.exchange(endpoint.url, grant.grant_type, headers, form.toString());
  }

  private exchangeJson(url: string, grantName: string, body: Record<string, string>): Promise<TokenState> {
    return this.exchange(url, grantName, { 'content-type': 'application/json' }, JSON.stringify(body));
  }

  private async exchange(url: string, grant: string, headers: Record<string, string>, form: string): Promise<TokenState> {
    const call = { method: 'POST', url, endpoint: 'token' } as const;
    const request = { ...call, headers: { ...headers, ...ACCEPT_JSON }, body: form, resource: AUTH_RESOURCE };
    const response = await this.options.transport.send(request);
    if (response.status !== 200) throw authHttpError(response, call);
    const body = parseJsonObject(response, call);
    const answer = readTokenAnswer(body, this.options.clock.now());
    if (answer === null) {
      // Field names only: enough to see which shape came, nothing of the tokens in it.
      this.options.logger.warn({ grant, fields: Object.keys(body).sort() }, 'CXone token answer unreadable');
      throw invalidAnswer('CXone token answer has no access_token or token', call);
    }
    const expiresIn = answer.expiresInSeconds ?? 3600; // CXone's lifetime when the answer gives none
    this.options.logger.info({ grant, expiresInSeconds: Math.round(expiresIn) }, 'CXone token acquired');
    const expiresAt = this.options.clock.now() + expiresIn * 1000;
    return { accessToken: answer.accessToken, refreshToken: answer.refreshToken, expiresAt };
  }
}

/** Which call an error is about; redacted before it is kept. */
type AuthCall = Pick<HttpRequest, 'method' | 'url' | 'endpoint'>;

/**
 * A refused token or discovery call with CXone's status (a wrong key is a 400 `invalid_grant` or a
 * 401); the OAuth `error` code is kept, its description not (it could echo what we sent).
 */
function authHttpError(response: HttpResponse, call: AuthCall): CxoneError {
  const body = readJson(response);
  const code = isRecord(body) ? body.error : undefined;
  // OAuth error codes are short tokens like `invalid_grant`; anything else is not echoed.
  const oauthCode = typeof code === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(code) ? code : undefined;
  return new CxoneError(`CXone ${call.endpoint === 'token' ? 'token endpoint' : 'discovery'} answered ${response.status}`, {
    kind: 'http',
    resource: AUTH_RESOURCE,
    request: redactRequest(call),
    status: response.status,
    internalCode: oauthCode,
  });
}

function parseJsonObject(response: HttpResponse, call: AuthCall): Record<string, unknown> {
  const body = readJson(response);
  if (body === undefined) throw invalidAnswer(`CXone ${call.endpoint} answer is not JSON`, call);
  if (!isRecord(body)) throw invalidAnswer(`CXone ${call.endpoint} answer is not a JSON object`, call);
  return body;
}

function invalidAnswer(message: string, call: AuthCall): CxoneError {
  return new CxoneError(message, { kind: 'invalid-response', resource: AUTH_RESOURCE, request: redactRequest(call) });
}
