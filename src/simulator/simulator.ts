/**
 * Starting and stopping a simulator instance: listen, learn the URL, build the state that embeds
 * it, and hand back the controls tests and the embedded default use.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock } from '../clock.js';
import {
  applyPatch,
  DEFAULT_SETTINGS,
  DEFAULT_SIM_CREDENTIALS,
  DEFAULT_TENANT_ID,
  parsePatch,
  SimulatorOptionError,
  type Settings,
} from './options.js';
import { createRequestListener } from './server.js';
import { extraContact } from './seed.js';
import { createState, idpIssuer, resetState } from './state.js';
import { SIMULATOR_VARIANTS, type RunningSimulator, type SimulatorConfigPatch, type SimulatorOptions } from './types.js';

/** The host part of a URL for the bound interface; wildcard binds are reached over loopback. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error('simulator did not bind a TCP port'));
      else resolve(address);
    });
  });
}

function initialSettings(options: SimulatorOptions): Settings {
  const settings: Settings = { ...DEFAULT_SETTINGS };
  const patch: SimulatorConfigPatch = {};
  if (options.latencyMs !== undefined) patch.latencyMs = options.latencyMs;
  if (options.linkLifetimeSeconds !== undefined) patch.linkLifetimeSeconds = options.linkLifetimeSeconds;
  if (options.processingPolls !== undefined) patch.processingPolls = options.processingPolls;
  if (options.lockHoldMs !== undefined) patch.lockHoldMs = options.lockHoldMs;
  if (options.rateLimit !== undefined) patch.rateLimit = options.rateLimit;
  if (options.accessTokenTtlSeconds !== undefined) patch.accessTokenTtlSeconds = options.accessTokenTtlSeconds;
  if (options.faults !== undefined) patch.faults = options.faults;
  if (options.interactionAnalytics !== undefined) patch.interactionAnalytics = options.interactionAnalytics;
  applyPatch(settings, parsePatch(patch));
  return settings;
}

/**
 * Starts a CXone Media Playback simulator. The API lives under `${url}/media-playback/v1`,
 * discovery and `/auth/token` at the root, signed media under `/media/`, controls under `/__sim/`.
 * Rejects with SimulatorOptionError on a nonsensical option, or the listen error.
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new SimulatorOptionError('port must be 0..65535');
  if (options.variant !== undefined && !SIMULATOR_VARIANTS.includes(options.variant)) {
    throw new SimulatorOptionError(`variant must be one of ${SIMULATOR_VARIANTS.join(', ')}`);
  }
  const host = options.host ?? '127.0.0.1';
  const settings = initialSettings(options);
  const server = createServer();
  const address = await listen(server, port, host);
  const url = `http://${urlHost(host)}:${String(address.port)}`;
  const state = createState({
    baseUrl: url,
    mediaBaseUrl: (options.publicUrl ?? url).replace(/\/+$/, ''),
    clock: options.clock ?? systemClock,
    settings,
    credentials: options.credentials ?? DEFAULT_SIM_CREDENTIALS,
    tenantId: options.tenantId ?? DEFAULT_TENANT_ID,
    variant: options.variant ?? 'published',
  });
  // Attached after listen resolves: no connection can be served before this line runs.
  server.on('request', createRequestListener(state));

  let closing: Promise<void> | null = null;
  return {
    url,
    calls: () => state.calls.all(),
    count: (endpoint, key) => state.calls.count(endpoint, key),
    resetCalls: () => state.calls.reset(),
    reset: () => resetState(state),
    configure: (patch) => applyPatch(state.settings, parsePatch(patch)),
    addCompletedContacts: (contacts) => {
      for (const spec of contacts) {
        if (!/^\d{1,15}$/.test(spec.acdContactId)) throw new SimulatorOptionError('acdContactId must be 1 to 15 digits');
        state.extraContacts.push(extraContact(spec));
      }
    },
    mintToken: (mint) => state.tokens.mint(mint),
    rotateKeys: (issuer = 'cxone') => state.keys[issuer].rotate(),
    idpIssuer: idpIssuer(url),
    revokeLinks: () => state.links.revokeAll(),
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets would hold close() open for seconds; tests want it now.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
