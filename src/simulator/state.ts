/**
 * Everything one simulator instance remembers, built once its URL is known (links and the token
 * issuer embed it). Nothing here is module-level, so parallel simulators in one test process
 * never share counters, locks or tokens.
 */
import type { Clock } from '../clock.js';
import { ContactLocks, ProcessingCounter } from './behaviours.js';
import { CallLog } from './calls.js';
import { FaultInjector } from './faults.js';
import { TokenRegistry } from './grants.js';
import { DEMO_SIGNING_KEY, KeyRing } from './keys.js';
import { LinkSigner } from './media.js';
import type { Settings } from './options.js';
import type { SeedContact } from './seed.js';
import { TenantThrottle } from './throttle.js';
import type { SimulatorCredentials, SimulatorVariant } from './types.js';

export interface SimulatorState {
  readonly baseUrl: string;
  /** Base of signed media links: `baseUrl` unless clients reach the simulator under another name. */
  readonly mediaBaseUrl: string;
  readonly clock: Clock;
  readonly settings: Settings;
  readonly credentials: SimulatorCredentials;
  readonly tenantId: string;
  /** The API generation it speaks (reporting names). */
  readonly variant: SimulatorVariant;
  readonly calls: CallLog;
  readonly tokens: TokenRegistry;
  /** CXone's signing keys (the published demo key first) and the test identity provider's. */
  readonly keys: { readonly cxone: KeyRing; readonly idp: KeyRing };
  readonly throttle: TenantThrottle;
  readonly processing: ProcessingCounter;
  readonly locks: ContactLocks;
  readonly links: LinkSigner;
  readonly faults: FaultInjector;
  /** Contacts a test added to the completed contacts report (a contact completing while a client pages). */
  readonly extraContacts: SeedContact[];
}

export function createState(init: {
  baseUrl: string;
  mediaBaseUrl: string;
  clock: Clock;
  settings: Settings;
  credentials: SimulatorCredentials;
  tenantId: string;
  variant: SimulatorVariant;
}): SimulatorState {
  const { baseUrl, clock, settings } = init;
  const keys = { cxone: new KeyRing('sim-cxone-key', DEMO_SIGNING_KEY), idp: new KeyRing('sim-idp-key') };
  return {
    ...init,
    calls: new CallLog(),
    keys,
    // Access tokens carry the tenant's auth host (cxone-configuration's auth_endpoint) as `iss`.
    tokens: new TokenRegistry(clock, keys, idpIssuer(baseUrl), init.tenantId, baseUrl),
    throttle: new TenantThrottle(),
    processing: new ProcessingCounter(),
    locks: new ContactLocks(),
    links: new LinkSigner(init.mediaBaseUrl, clock, () => settings.linkLifetimeSeconds),
    faults: new FaultInjector(() => settings.faults),
    extraContacts: [],
  };
}

/** Back to the state right after start; settings changed by configure() are kept. */
export function resetState(state: SimulatorState): void {
  state.calls.reset();
  state.tokens.reset();
  state.throttle.reset();
  state.processing.reset();
  state.locks.reset();
  state.faults.reseed();
  state.extraContacts.length = 0;
}

/** The test identity provider's issuer: `{simulator}/idp` (discovery under it, as OpenID asks). */
export function idpIssuer(baseUrl: string): string {
  return `${baseUrl}/idp`;
}
