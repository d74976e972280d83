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
import { LinkSigner } from './media.js';
import type { Settings } from './options.js';
import type { SeedContact } from './seed.js';
import { TenantThrottle } from './throttle.js';
import type { SimulatorCredentials } from './types.js';

export interface SimulatorState {
  readonly baseUrl: string;
  /** Base of signed media links: `baseUrl` unless clients reach the simulator under another name. */
  readonly mediaBaseUrl: string;
  readonly clock: Clock;
  readonly settings: Settings;
  readonly credentials: SimulatorCredentials;
  readonly tenantId: string;
  readonly calls: CallLog;
  readonly tokens: TokenRegistry;
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
}): SimulatorState {
  const { baseUrl, clock, settings } = init;
  return {
    ...init,
    calls: new CallLog(),
    tokens: new TokenRegistry(clock, baseUrl, init.tenantId),
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
