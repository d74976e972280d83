import { FaultOptionError, NO_FAULTS, parseFaults, type ResolvedFaults } from './faults.js';
import type { FaultOptions, RateLimitOptions, SimulatorConfigPatch, SimulatorCredentials } from './types.js';

/** The runtime knobs, resolved; mutated only through `applyPatch`. */
export interface Settings {
  latencyMs: number;
  linkLifetimeSeconds: number | null;
  processingPolls: number;
  lockHoldMs: number;
  rateLimit: RateLimitOptions | null;
  accessTokenTtlSeconds: number;
  /** Fault injection; NO_FAULTS when off. A new object whenever it changes (the injector re-seeds then). */
  faults: ResolvedFaults;
  /** The tenant has Interaction Analytics. */
  interactionAnalytics: boolean;
}

export const DEFAULT_SIM_CREDENTIALS: SimulatorCredentials = Object.freeze({
  clientId: 'sim-client',
  clientSecret: 'sim-client-secret',
  accessKeyId: 'SIMACCESSKEY01',
  // '+', '/' and the trailing '=' are deliberate: a caller that forgets to URL-encode the form
  // body sends a different secret and gets 401, as it would from CXone.
  accessKeySecret: 'c2ltLXNlY3JldA+/key==',
});

export const DEFAULT_TENANT_ID = 'sim-tenant-0001';

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  latencyMs: 0,
  linkLifetimeSeconds: null,
  processingPolls: 2,
  lockHoldMs: 200,
  // Off in-process so tests are not throttled by accident; the standalone main turns it on.
  rateLimit: null,
  accessTokenTtlSeconds: 3600,
  faults: NO_FAULTS,
  interactionAnalytics: true,
});

/** A configure patch that does not make sense (negative, fractional or non-numeric values). */
export class SimulatorOptionError extends Error {
  override readonly name = 'SimulatorOptionError';
}

function checkCount(name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new SimulatorOptionError(`${name} must be an integer >= ${String(min)}`);
  }
  return value;
}

function checkRateLimit(value: unknown): RateLimitOptions | null {
  if (value === null) return null;
  if (typeof value !== 'object') throw new SimulatorOptionError('rateLimit must be null or {limit, windowSeconds}');
  const record = value as Record<string, unknown>;
  return {
    limit: checkCount('rateLimit.limit', record['limit'], 1),
    windowSeconds: checkCount('rateLimit.windowSeconds', record['windowSeconds'], 1),
  };
}

/**
 * Validates a patch that may come from untrusted JSON (`POST /__sim/config`) as well as from
 * typed code, so both paths share one set of rules. Unknown keys are rejected to catch typos.
 */
export function parsePatch(input: unknown): SimulatorConfigPatch {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new SimulatorOptionError('config patch must be a JSON object');
  }
  const record = input as Record<string, unknown>;
  const patch: SimulatorConfigPatch = {};
  for (const [key, value] of Object.entries(record)) {
    if (value === undefined) continue;
    switch (key) {
      case 'latencyMs':
        patch.latencyMs = checkCount(key, value, 0);
        break;
      case 'linkLifetimeSeconds':
        patch.linkLifetimeSeconds = value === null ? null : checkCount(key, value, 0);
        break;
      case 'processingPolls':
        patch.processingPolls = checkCount(key, value, 0);
        break;
      case 'lockHoldMs':
        patch.lockHoldMs = checkCount(key, value, 0);
        break;
      case 'rateLimit':
        patch.rateLimit = checkRateLimit(value);
        break;
      case 'accessTokenTtlSeconds':
        patch.accessTokenTtlSeconds = checkCount(key, value, 1);
        break;
      case 'faults':
        checkFaults(value);
        patch.faults = value as FaultOptions | null;
        break;
      case 'interactionAnalytics':
        if (typeof value !== 'boolean') throw new SimulatorOptionError('interactionAnalytics must be true or false');
        patch.interactionAnalytics = value;
        break;
      default:
        throw new SimulatorOptionError(`unknown config key ${JSON.stringify(key)}`);
    }
  }
  return patch;
}

function checkFaults(value: unknown): void {
  try {
    parseFaults(value);
  } catch (error) {
    if (error instanceof FaultOptionError) throw new SimulatorOptionError(error.message);
    throw error;
  }
}

/** Applies an already validated patch in place; absent keys keep their value. */
export function applyPatch(settings: Settings, patch: SimulatorConfigPatch): void {
  if (patch.latencyMs !== undefined) settings.latencyMs = patch.latencyMs;
  if (patch.linkLifetimeSeconds !== undefined) settings.linkLifetimeSeconds = patch.linkLifetimeSeconds;
  if (patch.processingPolls !== undefined) settings.processingPolls = patch.processingPolls;
  if (patch.lockHoldMs !== undefined) settings.lockHoldMs = patch.lockHoldMs;
  if (patch.rateLimit !== undefined) settings.rateLimit = patch.rateLimit === null ? null : { ...patch.rateLimit };
  if (patch.accessTokenTtlSeconds !== undefined) settings.accessTokenTtlSeconds = patch.accessTokenTtlSeconds;
  if (patch.faults !== undefined) settings.faults = parseFaults(patch.faults);
  if (patch.interactionAnalytics !== undefined) settings.interactionAnalytics = patch.interactionAnalytics;
}
