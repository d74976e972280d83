/** The composition root: every dependency built from the configuration; a dev entry hands in its simulator. */
import { randomBytes } from 'node:crypto';
import { systemClock, type Clock } from './clock.js';
import type { AppConfig } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { createMetrics, type Metrics } from './metrics.js';
import { AccessKeyAuth, ForwardAuth } from './cxone/auth.js';
import { createMemoryBudget } from './cxone/budget.js';
import { createRedisBudget } from './cxone/redis-budget.js';
import { CxoneHttpClient } from './cxone/client.js';
import { cxoneFailureRules } from './cxone/errors.js';
import { CxoneReportingClient } from './cxone/reporting.js';
import { CxoneAnalyticsClient } from './cxone/analytics.js';
import { UndiciTransport, type HttpTransport } from './cxone/http.js';
import { discoverTenant, tenantAuthHosts } from './cxone/discovery.js';
import type { AuthProvider } from './cxone/ports.js';
import { CxoneResiliencePolicy, type ResilienceTuning } from './cxone/resilience.js';
import { RefusalMemory } from './cxone/refusals.js';
import { RecordingCache } from './cache/recording-cache.js';
import { createRefreshGate } from './cache/refresh-gate.js';
import { openRedis } from './redis.js';
import { createStore } from './cache/store.js';
import { createServer } from './server.js';
import { createCallerAuthenticator, type CallerPolicy } from './callers/identity.js';
import { createJwtVerifier, VerifierUnavailable } from './callers/jwt.js';
import { startTelemetry, type Telemetry } from './telemetry/index.js';
import { batchSpans, tracedBudget, tracedStore, tracedTransport } from './telemetry/layers.js';

/** A CXone this process runs itself (the dev entry's simulator): API, UI, login and issuer on one base. */
interface EmbeddedCxone {
  readonly url: string;
  /** The access key it accepts, for access-key mode without CXONE_ACCESS_KEY_ID. */
  readonly accessKey: NonNullable<Extract<AppConfig['cxone']['auth'], { mode: 'access-key' }>['credentials']>;
}

export interface AppOverrides {
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Cache key namespace; tests give each app its own (or share one to act as replicas). */
  readonly cacheNamespace?: string;
  readonly resilience?: ResilienceTuning;
  /** Least time between key set re-reads caused by unknown `kid`s (jose's cooldown). Default 30 s. */
  readonly jwksCooldownMs?: number;
  /** The CXone to use when the configuration names none (config.simulator.enabled). */
  readonly embeddedCxone?: EmbeddedCxone;
}

export interface RunningApp {
  readonly url: string;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** OpenTelemetry when OTEL_EXPORTER_OTLP_ENDPOINT is set; undefined when tracing is off. */
  readonly telemetry: Telemetry | undefined;
  /** /health 503 at once, requests served for `shutdownDelayMs`, then the drain; then pool and store close. */
  close(): Promise<void>;
}

export async function startApp(config: AppConfig, overrides: AppOverrides = {}): Promise<RunningApp> {
  const clock = overrides.clock ?? systemClock;
  const logger = overrides.logger ?? createLogger({ level: config.logLevel });
  const metrics = createMetrics({ collectDefaults: config.env !== 'test' });

  const embedded = config.simulator.enabled ? overrides.embeddedCxone : undefined;
  // Before anything starts: an entry without a simulator says so at once.
  if (config.simulator.enabled && embedded === undefined) throw new Error(noCxoneMessage(config));
  const telemetry = await startTelemetry(config.telemetry, logger);
  const httpTransport = new UndiciTransport({ connections: Math.max(config.cxone.concurrency, 4), attemptTimeoutMs: config.cxone.timeoutMs });
  // Tracing, when on, wraps the ports from outside: no layer below knows about it.
  const transport = telemetry === undefined ? httpTransport : tracedTransport(httpTransport, telemetry);
  const cxone = await reachCxone(config, embedded, transport).catch(async (error: unknown) => {
    await transport.close();
    throw error;
  });
  if (cxone.discovered !== undefined) {
    const { apiEndpoint, uiEndpoint, area } = cxone.discovered;
    logger.info({ apiUrl: apiEndpoint, uiUrl: uiEndpoint, area }, 'CXone tenant discovered');
  }
  const { apiBaseUrl, uiBaseUrl } = cxone;
  const wiring: Wiring = { clock, logger, transport, cxone };

  const auth = createAuth(config, wiring, embedded);
  // One Redis connection serves the cache and the budget; with CACHE_URL unset both stay in process.
  const namespace = overrides.cacheNamespace ?? 'cxone-recordings';
  const redis = config.cache.url === undefined ? undefined : await openRedis({ url: config.cache.url, logger });
  // No built-in key: without CACHE_SECRET this process trusts only what it sealed itself.
  const cacheSecret = config.cache.secret ?? randomBytes(32).toString('base64url');
  if (redis !== undefined && config.cache.secret === undefined) {
    logger.warn('CACHE_URL is set without CACHE_SECRET: entries are sealed with a random key of this process, so other replicas and restarts cannot use them');
  }
  const policy = callerPolicy(config, wiring, overrides.jwksCooldownMs);
  const budgetTuning = {
    limit: config.cxone.rateLimit.limit,
    windowSeconds: config.cxone.rateLimit.windowSeconds,
    // Trusted access-key mode has one caller, the router: a share would cap all of it.
    callerShare: policy.kind === 'access-key-trusted' ? 1 : config.cxone.rateLimit.callerShare,
    metrics,
    logger,
  };
  const untracedBudget =
    redis === undefined
      ? createMemoryBudget(budgetTuning)
      : createRedisBudget({ ...budgetTuning, client: redis.client, namespace });
  const budget = telemetry === undefined ? untracedBudget : tracedBudget(untracedBudget, telemetry);
  // CXone's refusals of a forwarded caller: a 401 also ends the token's remembered verification.
  const verifier = policy.kind === 'forward-verified' ? policy.verify : undefined;
  const refusals = new RefusalMemory({
    clock,
    rememberMs: config.cxone.refusalMemorySeconds * 1000,
    onTokenRefused: (token) => verifier?.forget?.(token),
  });
  const resilience = new CxoneResiliencePolicy({ ...overrides.resilience, budget, clock, metrics, logger, refusals });
  const api = new CxoneHttpClient({ apiBaseUrl, auth, transport, clock, logger, metrics, resilience });
  const reporting = new CxoneReportingClient({ client: api, apiVersion: config.cxone.reporting.apiVersion, metrics, logger });
  const analytics = new CxoneAnalyticsClient({ client: api, keepMs: config.cache.transcriptSeconds * 1000 });
  const untracedStore = createStore({ redis: redis?.client, maxEntries: config.cache.maxEntries, logger, metrics, namespace });
  const store =
    telemetry === undefined ? untracedStore : tracedStore(untracedStore, telemetry, redis === undefined ? 'memory' : 'redis');
  const cache = new RecordingCache({
    store,
    clock,
    marginMs: config.cache.expiryMarginSeconds * 1000,
    negativeTtlMs: config.cache.negativeTtlSeconds * 1000,
    failingTtlMs: config.cache.failingTtlSeconds * 1000,
    metrics,
    logger,
    failures: cxoneFailureRules,
    // Only Redis can hang (a read timer) and is shared (keys and values sealed).
    ...(redis === undefined ? { storeTimeoutMs: 0 } : { integrity: { secret: cacheSecret } }),
  });

  const authenticate = createCallerAuthenticator(policy, logger);
  // With Redis, one gate for every replica: a caller's forced refreshes are bounded per interval, not per replica.
  const refreshGate = createRefreshGate({ clock, intervalMs: config.cache.refreshIntervalSeconds * 1000, redis: redis?.client, namespace });

  const server = createServer({
    config,
    api,
    reporting,
    analytics,
    cache,
    refreshGate,
    clock,
    logger,
    metrics,
    authenticate,
    defaultTenantId: apiBaseUrl,
    uiBaseUrl,
    telemetry,
    runBatch: telemetry === undefined ? undefined : batchSpans(telemetry),
  });
  const { url } = await server.listen(config.http.port, config.http.host);
  logger.info({ url, authMode: config.cxone.auth.mode, cache: config.cache.url === undefined ? 'memory' : 'redis' }, 'subgraph ready');

  return {
    url,
    metrics,
    logger,
    telemetry,
    async close() {
      server.beginDrain();
      logger.info({ delayMs: config.http.shutdownDelayMs }, 'draining: /health answers 503');
      if (config.http.shutdownDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, config.http.shutdownDelayMs));
      await server.stop();
      await transport.close();
      // Destroyed first, so Keyv's disconnect has nothing to wait for on a dead Redis.
      redis?.close();
      await store.disconnect();
      // Last: spans of the drained requests go out before the exporter stops.
      await telemetry?.shutdown();
    },
  };
}

interface Wiring {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly transport: HttpTransport;
  readonly cxone: Awaited<ReturnType<typeof reachCxone>>;
}

/** Said when the configuration asks for the simulator and the entry brings none (the production build). */
function noCxoneMessage(config: AppConfig): string {
  return (
    `${config.simulator.requested ? 'CXONE_SIMULATOR=true, but' : 'CXONE_API_URL is not set, and'} ` +
    'the embedded CXone simulator is not in this build (the production entry, dist/main.js): set CXONE_API_URL (or CXONE_TENANT_ID) to your CXone; ' +
    'for the simulator run `npm start` (dist/dev/main.js) or the demo image (docker build --target demo)'
  );
}

/** The embedded CXone, the configured API, or the tenant's discovered hosts. */
async function reachCxone(config: AppConfig, embedded: EmbeddedCxone | undefined, transport: HttpTransport) {
  const { api, uiUrl, authUrl, issuerUrl, tenantId } = config.cxone;
  if (embedded !== undefined) {
    const uiBaseUrl = uiUrl ?? embedded.url;
    return { apiBaseUrl: embedded.url, uiBaseUrl, authBaseUrl: authUrl ?? embedded.url, issuerUrl: embedded.url, discovered: undefined };
  }
  if (api !== undefined) {
    return { apiBaseUrl: api.url, uiBaseUrl: api.uiUrl, authBaseUrl: authUrl ?? api.uiUrl, issuerUrl, discovered: undefined };
  }
  if (tenantId === undefined) throw new Error(noCxoneMessage(config));
  // A tenant without an API URL: its hosts come from CXone's discovery document, once, at start.
  const discovered = await discoverTenant(issuerUrl, tenantId, transport);
  return {
    apiBaseUrl: discovered.apiEndpoint,
    uiBaseUrl: uiUrl ?? discovered.uiEndpoint,
    authBaseUrl: authUrl ?? discovered.authEndpoint,
    issuerUrl,
    discovered,
  };
}

/** Forward: CXone JWTs (or opaque tokens); access-key: CALLER_JWT_ISSUER's JWTs, else the router or everyone. */
function callerPolicy(config: AppConfig, { clock, logger, transport, cxone }: Wiring, jwksCooldownMs: number | undefined): CallerPolicy {
  const defaultTenantId = cxone.apiBaseUrl;
  const tenantId = config.cxone.tenantId ?? defaultTenantId;
  const cooldown = jwksCooldownMs === undefined ? {} : { jwksCooldownMs };
  if (config.cxone.auth.mode === 'forward') {
    if (!config.cxone.verifyTokens) {
      logger.warn('CXONE_VERIFY_TOKENS=false: bearer tokens are not verified; cache scope is the token, tenant from CXONE_TENANT_ID');
      return { kind: 'forward-opaque', tenantId };
    }
    const authHosts = tenantAuthHosts({
      issuerUrl: cxone.issuerUrl,
      transport,
      configuredTenantId: config.cxone.tenantId,
      known: cxone.discovered?.declaredAuthEndpoint,
    });
    return {
      kind: 'forward-verified',
      verify: createJwtVerifier({
        discoveryBase: cxone.issuerUrl,
        issuer: config.cxone.tokenIssuer ?? 'from-discovery',
        issuerMayDifferFromDiscovery: true,
        // CXONE_TOKEN_ISSUERS, or the discovery issuer (or CXONE_TOKEN_ISSUER) and the tenant's auth host.
        issuers: config.cxone.tokenIssuers,
        tenantAuthHost: (claimed) =>
          authHosts(claimed).catch(() => {
            throw new VerifierUnavailable("the tenant's CXone configuration could not be read");
          }),
        clock,
        ...cooldown,
      }),
      configuredTenantId: config.cxone.tenantId,
      defaultTenantId,
    };
  }
  const callerJwt = config.callerJwt;
  if (callerJwt !== undefined) {
    return {
      kind: 'access-key-verified',
      verify: createJwtVerifier({
        discoveryBase: callerJwt.issuer,
        issuer: callerJwt.issuer,
        jwksUrl: callerJwt.jwksUrl,
        audience: callerJwt.audience,
        clock,
        ...cooldown,
      }),
      tenantId,
    };
  }
  if (config.graphql.routerSecret === undefined) {
    // Production refuses this configuration (config.ts); elsewhere it is the demo's behaviour.
    logger.warn(
      'CXONE_AUTH=access-key without CALLER_JWT_ISSUER or ROUTER_SECRET: EVERY caller is trusted with every recording. Development only.',
    );
  }
  return { kind: 'access-key-trusted', tenantId };
}

function createAuth(config: AppConfig, { clock, logger, transport, cxone }: Wiring, embedded: EmbeddedCxone | undefined): AuthProvider {
  if (config.cxone.auth.mode === 'forward') return new ForwardAuth();
  const { login, clientAuth } = config.cxone.auth;
  // Against the embedded CXone, access-key mode uses the key it accepts.
  const credentials = config.cxone.auth.credentials ?? embedded?.accessKey;
  if (credentials === undefined) throw new Error('access-key mode needs CXONE_ACCESS_KEY_ID and friends');
  return new AccessKeyAuth({
    login,
    ...(clientAuth === undefined ? {} : { clientAuth }),
    accessKeyId: credentials.accessKeyId,
    accessKeySecret: credentials.accessKeySecret,
    ...(credentials.client === undefined ? {} : { clientId: credentials.client.id, clientSecret: credentials.client.secret }),
    issuerUrl: cxone.issuerUrl,
    authBaseUrl: cxone.authBaseUrl,
    clock,
    transport,
    logger,
  });
}
