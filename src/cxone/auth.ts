/**
 * Bearer tokens for CXone calls. Two modes (DESIGN.md, `CXONE_AUTH`): `forward` sends the caller's own
 * token, so CXone decides what each caller may see; `access-key` signs in with the service's access key
 * and keeps one token for everyone. No token, secret or key ever reaches a message, log or error.
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { CxoneError, type CxoneEndpoint } from './errors.js';
import { redactRequest, type HttpResponse, type HttpTransport } from './http.js';
import type { AuthProvider, Caller } from './ports.js';

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

/** Options of `AccessKeyAuth`. The four credentials come from configuration and are never logged. */
export interface AccessKeyAuthOptions {
  /** Global auth base for discovery, e.g. `https://cxone.niceincontact.com` (gov: `cxone-gov.niceincontact.com`). */
  readonly issuerUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
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
  | { readonly grant_type: 'refresh_token'; readonly refresh_token: string };

/**
 * `access-key` mode: OpenID discovery, then the password grant with the access key, then refresh
 * grants ~60 s before expiry (falling back to the password grant when a refresh is refused).
 * Concurrent callers that need a token share one token call (single-flight).
 */
export class AccessKeyAuth implements AuthProvider {
  private readonly issuerUrl: string;
  private readonly refreshMarginMs: number;
  private readonly defaultExpiresInSeconds: number;
  private tokenEndpoint: string | null = null;
  private discovery: Promise<string> | null = null;
  private current: TokenState | null = null;
  private renewal: Promise<TokenState> | null = null;

  constructor(private readonly options: AccessKeyAuthOptions) {
    this.issuerUrl = options.issuerUrl.trim().replace(/\/+$/, '');
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
    const endpoint = await this.discover();
    if (previous?.refreshToken != null) {
      try {
        return await this.grant(endpoint, { grant_type: 'refresh_token', refresh_token: previous.refreshToken });
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

  /** `token_endpoint` from OpenID discovery, fetched once per process (a failure is not remembered). */
  private discover(): Promise<string> {
    if (this.tokenEndpoint !== null) return Promise.resolve(this.tokenEndpoint);
    if (this.discovery !== null) return this.discovery;
    const discovery = (async (): Promise<string> => {
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
        const body = parseJsonObject(response, 'GET', url, 'discovery');
        const endpoint = body['token_endpoint'];
        if (typeof endpoint !== 'string' || !isHttpUrl(endpoint)) {
          throw invalidAnswer('CXone discovery answer has no usable token_endpoint', 'GET', url, 'discovery');
        }
        this.tokenEndpoint = endpoint;
        return endpoint;
      } finally {
        this.discovery = null;
      }
    })();
    this.discovery = discovery;
    return discovery;
  }

  private async grant(endpoint: string, grant: Grant): Promise<TokenState> {
    const { clientId, clientSecret } = this.options;
    // URLSearchParams encodes `+`, `/` and `=` (access key secrets end in `=`), unlike string concatenation.
    const body = new URLSearchParams(grant).toString();
    const response = await this.options.transport.send({
      method: 'POST',
      url: endpoint,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`, 'utf8').toString('base64')}`,
      },
      body,
      endpoint: 'token',
      resource: AUTH_RESOURCE,
    });
    if (response.status !== 200) throw authHttpError(response, 'POST', endpoint, 'token');
    const answer = parseJsonObject(response, 'POST', endpoint, 'token');
    const accessToken = answer['access_token'];
    if (typeof accessToken !== 'string' || accessToken.trim() === '') {
      throw invalidAnswer('CXone token answer has no access_token', 'POST', endpoint, 'token');
    }
    const expiresIn = readSeconds(answer['expires_in']) ?? this.defaultExpiresInSeconds;
    const refreshToken = answer['refresh_token'];
    this.options.logger.info({ grant: grant.grant_type, expiresInSeconds: expiresIn }, 'CXone token acquired');
    return {
      accessToken,
      refreshToken: typeof refreshToken === 'string' && refreshToken !== '' ? refreshToken : null,
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readSeconds(value: unknown): number | null {
  const seconds = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? seconds : null;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
