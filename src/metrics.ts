import { LRUCache } from 'lru-cache';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics of one process. Created per server (never module-level) so two servers in one
 * test process keep separate counts. Labels never carry ids, tokens or URLs.
 */
export interface Metrics {
  readonly registry: Registry;
  /** Upstream calls by endpoint and outcome (HTTP status, or network/timeout/invalid-response). */
  readonly upstreamCalls: Counter<'endpoint' | 'status'>;
  readonly upstreamDuration: Histogram<'endpoint'>;
  readonly upstreamRetries: Counter<'endpoint' | 'reason'>;
  /** Rows of a CXone answer the subgraph could not read and left out (a wire shape we do not know). */
  readonly unreadableRows: Counter<'endpoint'>;
  /** CXone answers whose shape differs from NICE's published schema (read anyway, as far as possible). */
  readonly wireMismatches: Counter<'endpoint'>;
  readonly cacheEvents: Counter<'event'>;
  readonly singleFlightJoins: Counter;
  readonly budgetRemaining: Gauge<'tenant'>;
  readonly budgetRejections: Counter<'priority'>;
  readonly circuitState: Gauge<'tenant'>;
  readonly resolverDuration: Histogram<'field'>;
  /**
   * The `tenant` label for a tenant id. Tenant ids can come from callers' tokens, so the labels
   * are bounded: past `maxTenantLabels` the least recently labelled tenant's series are removed.
   */
  tenantLabel(tenantId: string): { tenant: string };
  /** Answer caches (src/http/response-cache.ts, entity-answers.ts): hit, assembled, miss, store, expired, bypass. */
  readonly responseCacheEvents: Counter<'event'>;
  /** Bytes the whole-response cache holds now (bodies, headers and keys). */
  readonly responseCacheBytes: Gauge;
}

/** A tenant id that may be a label as it is (CXone tenant ids are letters, digits, `-` and `_`). */
const TENANT_LABEL = /^[A-Za-z0-9_-]{1,64}$/;
/** The label of a tenant whose id is not one (the API base URL standing in for CXONE_TENANT_ID). */
const CONFIGURED_TENANT_LABEL = 'configured';

/** Tenants with their own metric series at most (each has a budget gauge, maybe a circuit gauge). */
const DEFAULT_MAX_TENANT_LABELS = 100;

export function createMetrics(options: { collectDefaults?: boolean; maxTenantLabels?: number } = {}): Metrics {
  const registry = new Registry();
  if (options.collectDefaults ?? true) collectDefaultMetrics({ register: registry });
  const budgetRemaining = new Gauge({
    name: 'cxone_budget_remaining',
    help: 'Upstream requests left in the current budget window, by tenant',
    labelNames: ['tenant'] as const,
    registers: [registry],
  });
  const circuitState = new Gauge({
    name: 'cxone_circuit_open',
    help: '1 while the circuit breaker for a tenant is open',
    labelNames: ['tenant'] as const,
    registers: [registry],
  });
  const labelled = new LRUCache<string, true>({
    max: options.maxTenantLabels ?? DEFAULT_MAX_TENANT_LABELS,
    dispose: (_value, tenant) => {
      budgetRemaining.remove({ tenant });
      circuitState.remove({ tenant });
    },
  });
  return {
    tenantLabel: (tenantId) => {
      // A tenant configured as a URL (CXONE_TENANT_ID unset: the API base) is labelled as the
      // configured tenant: no URL, host or path ever becomes a label.
      const tenant = TENANT_LABEL.test(tenantId) ? tenantId : CONFIGURED_TENANT_LABEL;
      labelled.set(tenant, true);
      return { tenant };
    },
    budgetRemaining,
    circuitState,
    registry,
    upstreamCalls: new Counter({
      name: 'cxone_upstream_calls_total',
      help: 'CXone calls by endpoint and outcome',
      labelNames: ['endpoint', 'status'],
      registers: [registry],
    }),
    upstreamDuration: new Histogram({
      name: 'cxone_upstream_duration_seconds',
      help: 'CXone call latency',
      labelNames: ['endpoint'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    upstreamRetries: new Counter({
      name: 'cxone_upstream_retries_total',
      help: 'CXone calls retried, by endpoint and reason',
      labelNames: ['endpoint', 'reason'],
      registers: [registry],
    }),
    unreadableRows: new Counter({
      name: 'cxone_unreadable_rows_total',
      help: 'Rows of CXone answers left out because they could not be read (see the "CXone row unreadable" log line for their field names)',
      labelNames: ['endpoint'],
      registers: [registry],
    }),
    wireMismatches: new Counter({
      name: 'cxone_wire_mismatches_total',
      help: 'CXone answers whose shape differs from the published API (see the "CXone answer differs from the published API" log line)',
      labelNames: ['endpoint'],
      registers: [registry],
    }),
    cacheEvents: new Counter({
      name: 'recording_cache_events_total',
      help: 'Shared cache hits, misses, stores, expiries, evictions, errors and reloads (recording(refresh: true))',
      labelNames: ['event'],
      registers: [registry],
    }),
    singleFlightJoins: new Counter({
      name: 'recording_single_flight_joins_total',
      help: 'Lookups that joined one already in flight for the same key (one cache read, at most one upstream call)',
      registers: [registry],
    }),
    budgetRejections: new Counter({
      name: 'cxone_budget_rejections_total',
      help: 'Upstream calls refused because the tenant budget was spent',
      labelNames: ['priority'],
      registers: [registry],
    }),
    resolverDuration: new Histogram({
      name: 'graphql_resolver_duration_seconds',
      help: 'Latency of resolvers that load recordings',
      labelNames: ['field'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    responseCacheEvents: new Counter({
      name: 'graphql_response_cache_events_total',
      help: 'Answer caches: whole-response hits, answers assembled from kept entities, misses (the pipeline ran), stores, expired entries and requests they do not serve',
      labelNames: ['event'],
      registers: [registry],
    }),
    responseCacheBytes: new Gauge({
      name: 'graphql_response_cache_bytes',
      help: 'Bytes held by the whole-response cache',
      registers: [registry],
    }),
  };
}
