/**
 * Tenant discovery: `GET {issuer}/.well-known/cxone-configuration?tenantId={tenantId}` names the
 * tenant's API, UI and auth hosts (cxone-media-playback.md, "Authentication"). Used once at start
 * when `CXONE_TENANT_ID` is set and `CXONE_API_URL` is not, through the one CXone transport.
 */
import type { HttpTransport } from './http.js';

/** What the subgraph needs from the tenant's configuration. */
export interface TenantEndpoints {
  /** e.g. `https://api-na1.niceincontact.com` */
  readonly apiEndpoint: string;
  /** e.g. `https://na1.nice-incontact.com`: player and download links. */
  readonly uiEndpoint: string;
  /** e.g. `https://na1.nice-incontact.com`: the access-key login's host. Falls back to the UI host. */
  readonly authEndpoint: string;
  readonly area: string | null;
}

/** Discovery failed; the message names the issuer and tenant, never a secret. */
export class DiscoveryError extends Error {
  override readonly name = 'DiscoveryError';
}

function httpUrl(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  // Some tenants' documents give bare hosts ("api-na1.niceincontact.com"); CXone serves https only.
  const text = /^https?:\/\//i.test(value.trim()) ? value.trim() : `https://${value.trim()}`;
  try {
    const url = new URL(text);
    return url.hostname === '' ? null : text.replace(/\/+$/, '');
  } catch {
    return null;
  }
}

/** Reads the tenant's endpoints; rejects with DiscoveryError when the document is missing or unusable. */
export async function discoverTenant(issuerUrl: string, tenantId: string, transport: HttpTransport): Promise<TenantEndpoints> {
  const issuer = issuerUrl.trim().replace(/\/+$/, '');
  const where = `CXone discovery (${issuer}/.well-known/cxone-configuration, tenant ${tenantId})`;
  let response;
  try {
    response = await transport.send({
      method: 'GET',
      url: `${issuer}/.well-known/cxone-configuration?${new URLSearchParams({ tenantId }).toString()}`,
      headers: { accept: 'application/json' },
      endpoint: 'discovery',
      resource: { kind: 'auth' },
    });
  } catch (error: unknown) {
    throw new DiscoveryError(`${where} could not be reached: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (response.status !== 200) throw new DiscoveryError(`${where} answered ${String(response.status)}`);
  let body: unknown;
  try {
    body = JSON.parse(response.text);
  } catch {
    throw new DiscoveryError(`${where} answered something that is not JSON`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new DiscoveryError(`${where} answered no object`);
  const document = body as Record<string, unknown>;
  const apiEndpoint = httpUrl(document['api_endpoint']);
  const uiEndpoint = httpUrl(document['ui_endpoint']);
  if (apiEndpoint === null || uiEndpoint === null) {
    throw new DiscoveryError(`${where} has no usable api_endpoint and ui_endpoint: set CXONE_API_URL and CXONE_UI_URL instead`);
  }
  return {
    apiEndpoint,
    uiEndpoint,
    authEndpoint: httpUrl(document['auth_endpoint']) ?? uiEndpoint,
    area: typeof document['area'] === 'string' ? document['area'] : null,
  };
}
