/**
 * Starts the real thing on ports: the CXone simulator, our subgraph pointed at it, and optionally
 * the CRM subgraph and a gateway composing both. Everything talks over loopback HTTP.
 */
import { randomUUID } from 'node:crypto';
import { ManualClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { startApp, type RunningApp } from '../../src/app.js';
import type { ResilienceTuning } from '../../src/cxone/resilience.js';
import type { Logger } from '../../src/logger.js';
import { DEFAULT_SIM_CREDENTIALS, startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/simulator/index.js';
import { crmContacts, reportingComposes, startCrmSubgraph, type CrmShape, type RunningCrm } from '../../src/dev/crm-subgraph.js';
import { startGateway, type RunningGateway } from '../../src/dev/gateway.js';

/** The subgraph in access-key mode, logging in with the simulator's default key and client. */
export const ACCESS_KEY_ENV: Readonly<Record<string, string>> = Object.freeze({
  CXONE_AUTH: 'access-key',
  CXONE_ACCESS_KEY_ID: DEFAULT_SIM_CREDENTIALS.accessKeyId,
  CXONE_ACCESS_KEY_SECRET: DEFAULT_SIM_CREDENTIALS.accessKeySecret,
  CXONE_CLIENT_ID: DEFAULT_SIM_CREDENTIALS.clientId,
  CXONE_CLIENT_SECRET: DEFAULT_SIM_CREDENTIALS.clientSecret,
});

/** The subgraph in access-key mode with the login most tenants use (no app registration), at `authUrl`. */
export function accessKeyLoginEnv(authUrl: string): Record<string, string> {
  return {
    CXONE_AUTH: 'access-key',
    CXONE_ACCESS_KEY_ID: DEFAULT_SIM_CREDENTIALS.accessKeyId,
    CXONE_ACCESS_KEY_SECRET: DEFAULT_SIM_CREDENTIALS.accessKeySecret,
    CXONE_AUTH_URL: authUrl,
  };
}

export interface Stack {
  readonly clock: ManualClock;
  readonly simulator: RunningSimulator;
  readonly app: RunningApp;
  readonly crm: RunningCrm | undefined;
  readonly gateway: RunningGateway | undefined;
  close(): Promise<void>;
}

export interface StackOptions {
  readonly simulator?: Omit<SimulatorOptions, 'clock'>;
  /** Extra environment for the subgraph (CXONE_API_URL and the rest are set for you). */
  readonly env?: Record<string, string>;
  /** With ids, a CRM subgraph owning these contacts and a gateway in front of both (null: a CRM contact that is no ACD call). */
  readonly crmIds?: ReadonlyArray<string | null>;
  /** How that CRM declares Contact (default: keyed by acdContactId). */
  readonly crmShape?: CrmShape;
  /** Use an already running simulator (e.g. two subgraph replicas on one CXone). */
  readonly sharedSimulator?: RunningSimulator;
  readonly clock?: ManualClock;
  readonly resilience?: ResilienceTuning;
  /** Cache (and shared budget) namespace; give two stacks the same one to act as replicas. Unique by default. */
  readonly cacheNamespace?: string;
  /** The subgraph's logger, e.g. one writing to a buffer a test greps. Default: from LOG_LEVEL (silent). */
  readonly logger?: Logger;
  /** jose's key set cooldown between re-reads on unknown `kid`s (default 30 s real time). */
  readonly jwksCooldownMs?: number;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const clock = options.clock ?? new ManualClock();
  const simulator = options.sharedSimulator ?? (await startSimulator({ ...options.simulator, clock }));
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    CXONE_API_URL: simulator.url,
    CXONE_UI_URL: 'https://na1.nice-incontact.com',
    CXONE_ISSUER: simulator.url,
    CXONE_RATE_LIMIT: '0',
    // A CRM that cannot resolve Contact by acdContactId composes without the reporting part.
    ...(options.crmShape !== undefined && !reportingComposes(options.crmShape) ? { FEDERATION_REPORTING: 'false' } : {}),
    ...options.env,
  });
  const app = await startApp(config, {
    clock,
    cacheNamespace: options.cacheNamespace ?? `test-${randomUUID()}`,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.jwksCooldownMs === undefined ? {} : { jwksCooldownMs: options.jwksCooldownMs }),
    // Short waits so retries don't slow the suite; a breaker that tolerates the suites' deliberate
    // 5xx contacts (the breaker has its own tests).
    resilience: {
      processingDelayMs: 5,
      baseDelayMs: 5,
      maxDelayMs: 20,
      maxRetryAfterMs: 20,
      breaker: { minimumCalls: 200 },
      ...options.resilience,
    },
  });
  let crm: RunningCrm | undefined;
  let gateway: RunningGateway | undefined;
  if (options.crmIds !== undefined) {
    const shape = options.crmShape ?? 'acd-key';
    crm = await startCrmSubgraph(crmContacts(options.crmIds), { shape });
    gateway = await startGateway({ crmUrl: crm.url, recordingsUrl: app.url, crmShape: shape, reporting: config.federation.reporting });
  }
  return {
    clock,
    simulator,
    app,
    crm,
    gateway,
    async close() {
      await gateway?.close();
      await crm?.close();
      await app.close();
      if (options.sharedSimulator === undefined) await simulator.close();
    },
  };
}

/** The ids of the simulator's generated bulk contacts: 200000000001, 200000000002, ... */
export function bulkIds(count: number, from = 1): string[] {
  return Array.from({ length: count }, (_, index) => String(200_000_000_000 + from + index));
}
