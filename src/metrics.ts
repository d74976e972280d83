import { LRUCache } from 'lru-cache';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Per server, so two servers in one test process keep separate counts; labels never carry ids, tokens or URLs. */
export type Metrics = ReturnType<typeof createMetrics>;

/** A tenant id that may be a label as it is (CXone tenant ids are letters, digits, `-` and `_`). */
const TENANT_LABEL = /^[A-Za-z0-9_-]{1,64}$/;

export function createMetrics(options: { collectDefaults?: boolean } = {}) {
  const registry = new Registry();
  if (options.collectDefaults ?? true) collectDefaultMetrics({ register: registry });
  const counter = <L extends string = string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Counter<L>({ name, help, labelNames, registers: [registry] });
  const gauge = <L extends string = string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Gauge<L>({ name, help, labelNames, registers: [registry] });
  const histogram = <L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]) =>
    new Histogram<L>({ name, help, labelNames, buckets, registers: [registry] });
  const budgetRemaining = gauge(
    'cxone_budget_remaining',
    'Upstream requests left in the current budget window, by tenant',
    ['tenant'],
  );
  const circuitState = gauge('cxone_circuit_open', '1 while the circuit breaker for a tenant is open', ['tenant']);
  // Tenant ids can come from callers' tokens: past 100, the least recently labelled one's series go.
  const labelled = new LRUCache<string, true>({
    max: 100,
    dispose: (_value, tenant) => {
      budgetRemaining.remove({ tenant });
      circuitState.remove({ tenant });
    },
  });
  return {
    registry,
    tenantLabel(tenantId: string): { tenant: string } {
      // A tenant that is a URL (CXONE_TENANT_ID unset: the API base) never becomes a label.
      const tenant = TENANT_LABEL.test(tenantId) ? tenantId : 'configured';
      labelled.set(tenant, true);
      return { tenant };
    },
    budgetRemaining,
    circuitState,
    /** By endpoint and outcome (HTTP status, or network/timeout/invalid-response). */
    upstreamCalls: counter('cxone_upstream_calls_total', 'CXone calls by endpoint and outcome', ['endpoint', 'status']),
    upstreamDuration: histogram(
      'cxone_upstream_duration_seconds',
      'CXone call latency',
      ['endpoint'],
      [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    ),
    upstreamRetries: counter('cxone_upstream_retries_total', 'CXone calls retried, by endpoint and reason', ['endpoint', 'reason']),
    unreadableRows: counter(
      'cxone_unreadable_rows_total',
      'Rows of CXone answers left out because they could not be read (see the "CXone row unreadable" log line for their field names)',
      ['endpoint'],
    ),
    wireMismatches: counter(
      'cxone_wire_mismatches_total',
      'CXone answers whose shape differs from the published API (see the "CXone answer differs from the published API" log line)',
      ['endpoint'],
    ),
    cacheEvents: counter(
      'recording_cache_events_total',
      'Shared cache hits, misses, stores, expiries, evictions, errors and reloads (recording(refresh: true))',
      ['event'],
    ),
    singleFlightJoins: counter(
      'recording_single_flight_joins_total',
      'Lookups that joined one already in flight for the same key (one cache read, at most one upstream call)',
    ),
    budgetRejections: counter(
      'cxone_budget_rejections_total',
      'Upstream calls refused because the tenant budget was spent',
      ['priority'],
    ),
    resolverDuration: histogram(
      'graphql_resolver_duration_seconds',
      'Latency of resolvers that load recordings',
      ['field'],
      [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    ),
    /** Answer caches (src/http/response-cache.ts, entity-answers.ts). */
    responseCacheEvents: counter(
      'graphql_response_cache_events_total',
      'Answer caches: whole-response hits, answers assembled from kept entities, misses (the pipeline ran), stores, expired entries and requests they do not serve',
      ['event'],
    ),
    responseCacheBytes: gauge('graphql_response_cache_bytes', 'Bytes held by the whole-response cache'),
  };
}
