/** Tenant discovery: `{issuer}/.well-known/cxone-configuration?tenantId=` names the tenant's API, UI and auth hosts. */
import { LRUCache } from 'lru-cache';
import { readJson, type HttpTransport } from './http.js';
import { cxoneConfigurationSchema } from './auth-wire.js';

/** What the subgraph needs from the tenant's configuration. */
interface TenantEndpoints {
  readonly apiEndpoint: string;
  /** e.g. `https://na1.nice-incontact.com`: player and download links. */
  readonly uiEndpoint: string;
  /** e.g. `https://na1.nice-incontact.com`: the access-key login's host. Falls back to the UI host. */
  readonly authEndpoint: string;
  /** `auth_endpoint` as the document gives it (null when it names none): an `iss` CXone tokens carry. */
  readonly declaredAuthEndpoint: string | null;
  readonly area: string | null;
}

/** Discovery failed; the message names the issuer and tenant, never a secret. */
class DiscoveryError extends Error {
  override readonly name = 'DiscoveryError';
}

function httpUrl(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  // Some tenants' documents give bare hosts ("api-na1.niceincontact.com"); CXone serves https only.
  const text = /^https?:\/\//i.test(value.trim()) ? value.trim() : `https://${value.trim()}`;
  const hostname = URL.parse(text)?.hostname ?? '';
  return hostname === '' ? null : text.replace(/\/+$/, '');
}

/** Reads the tenant's endpoints; rejects with DiscoveryError when the document is missing or unusable. */
export async function discoverTenant(issuerUrl: string, tenantId: string, transport: HttpTransport): Promise<TenantEndpoints> {
  const issuer = issuerUrl.trim().replace(/\/+$/, '');
  const where = `CXone discovery (${issuer}/.well-known/cxone-configuration, tenant ${tenantId})`;
  let response;
  try {
    const url = `${issuer}/.well-known/cxone-configuration?${new URLSearchParams({ tenantId }).toString()}`;
    const headers = { accept: 'application/json' };
    response = await transport.send({ method: 'GET', url, headers, endpoint: 'discovery', resource: { kind: 'auth' } });
  } catch (error: unknown) {
    throw new DiscoveryError(`${where} could not be reached: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (response.status !== 200) throw new DiscoveryError(`${where} answered ${String(response.status)}`);
  const body = readJson(response);
  if (body === undefined) throw new DiscoveryError(`${where} answered something that is not JSON`);
  const parsed = cxoneConfigurationSchema.safeParse(body);
  if (!parsed.success) throw new DiscoveryError(`${where} answered no object of the documented shape`);
  const document = parsed.data;
  const apiEndpoint = httpUrl(document.api_endpoint);
  const uiEndpoint = httpUrl(document.ui_endpoint);
  if (apiEndpoint === null || uiEndpoint === null) {
    throw new DiscoveryError(`${where} has no usable api_endpoint and ui_endpoint: set CXONE_API_URL and CXONE_UI_URL instead`);
  }
  const declaredAuthEndpoint = httpUrl(document.auth_endpoint);
  return {
    apiEndpoint,
    uiEndpoint,
    authEndpoint: declaredAuthEndpoint ?? uiEndpoint,
    declaredAuthEndpoint,
    area: typeof document.area === 'string' ? document.area : null,
  };
}

/** Tenants whose auth host is remembered at once, and for how long (hosts change only with a migration). */
const AUTH_HOSTS_MAX = 100;
const AUTH_HOST_TTL_MS = 3600_000;
const TENANT_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Each tenant's auth host (its `auth_endpoint`), read once per tenant and hour; CXONE_TENANT_ID wins
 * over the token's claim. Rejects when the document cannot be read; null without tenant or host.
 */
export function tenantAuthHosts(options: {
  readonly issuerUrl: string;
  readonly transport: HttpTransport;
  readonly configuredTenantId: string | undefined;
  /** Already known (tenant discovery at start): answered without a call. */
  readonly known?: string | null | undefined;
}): (tenantId: string | null) => Promise<string | null> {
  const cache = new LRUCache<string, Promise<string | null>>({ max: AUTH_HOSTS_MAX, ttl: AUTH_HOST_TTL_MS });
  return async (claimed) => {
    if (options.known !== undefined && options.known !== null) return options.known;
    const tenantId = options.configuredTenantId ?? claimed;
    if (tenantId === null || !TENANT_ID.test(tenantId)) return null;
    let lookup = cache.get(tenantId);
    if (lookup === undefined) {
      lookup = discoverTenant(options.issuerUrl, tenantId, options.transport).then((endpoints) => endpoints.declaredAuthEndpoint);
      cache.set(tenantId, lookup);
      // A failure is not remembered: the next token asks again.
      lookup.catch(() => cache.delete(tenantId));
    }
    return lookup;
  };
}
