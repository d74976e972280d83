/**
 * deploy/: every Kubernetes object validates against the Kubernetes API schemas (kubernetes-models),
 * the manifests agree with each other, with src/config.ts and with the Dockerfile's runtime stage,
 * and every Prometheus alert parses as PromQL and names only metrics and labels src/metrics.ts exports.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import type { Model } from '@kubernetes-models/base';
import { parser as promqlParser } from '@prometheus-io/lezer-promql';
import { Deployment, type IDeployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler, type IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget, type IPodDisruptionBudget } from 'kubernetes-models/policy/v1';
import {
  ConfigMap,
  Secret,
  Service,
  ServiceAccount,
  type IConfigMap,
  type ISecret,
  type IService,
  type IServiceAccount,
} from 'kubernetes-models/v1';
import { loadConfig } from '../../src/config.js';
import { createMetrics } from '../../src/metrics.js';

const DEPLOY = new URL('../../deploy/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, DEPLOY), 'utf8');

/** The schema check: `validate()` throws on anything the Kubernetes API would refuse by schema. */
function validated<T>(Model: new (data: T) => Model<T>, document: unknown): T {
  // The cast only hands the parsed YAML to the model; validate() is what checks it.
  const model = new Model(document as T);
  model.validate();
  return model.toJSON() as T;
}

const MODELS: Record<string, (document: unknown) => { readonly kind?: string }> = {
  'apps/v1/Deployment': (doc) => validated<IDeployment>(Deployment, doc),
  'autoscaling/v2/HorizontalPodAutoscaler': (doc) => validated<IHorizontalPodAutoscaler>(HorizontalPodAutoscaler, doc),
  'policy/v1/PodDisruptionBudget': (doc) => validated<IPodDisruptionBudget>(PodDisruptionBudget, doc),
  'v1/ConfigMap': (doc) => validated<IConfigMap>(ConfigMap, doc),
  'v1/Secret': (doc) => validated<ISecret>(Secret, doc),
  'v1/Service': (doc) => validated<IService>(Service, doc),
  'v1/ServiceAccount': (doc) => validated<IServiceAccount>(ServiceAccount, doc),
};

/** Parses a manifest file and validates each object by its apiVersion and kind; unknown kinds fail. */
function validateFile(name: string): unknown[] {
  return parseAllDocuments(read(name)).map((document) => {
    const object: unknown = document.toJS();
    const { apiVersion, kind } = (object ?? {}) as { apiVersion?: unknown; kind?: unknown };
    const model = MODELS[`${String(apiVersion)}/${String(kind)}`];
    if (model === undefined) throw new Error(`${name}: no schema for ${String(apiVersion)} ${String(kind)}`);
    return model(object);
  });
}

const kustomization = parseYaml(read('kustomization.yaml')) as {
  resources: string[];
  images: Array<{ name: string }>;
};
const objects = [...kustomization.resources, 'secret.example.yaml'].flatMap(validateFile);
const one = <T>(kind: string): T => {
  const found = objects.filter((object) => (object as { kind?: string }).kind === kind);
  expect(found, kind).toHaveLength(1);
  return found[0] as T;
};
const deployment = one<IDeployment>('Deployment');
const configMap = one<IConfigMap>('ConfigMap');
const secret = one<ISecret>('Secret');
const podSpec = deployment.spec!.template.spec!;
const container = podSpec.containers[0]!;
const podLabels = deployment.spec!.template.metadata!.labels!;

describe('deploy/ against the Kubernetes API schemas', () => {
  it('lists every manifest in the kustomization, except the example Secret and the alert rules', () => {
    const yamlFiles = readdirSync(DEPLOY).filter((name) => name.endsWith('.yaml'));
    expect(yamlFiles.filter((name) => !kustomization.resources.includes(name)).sort()).toEqual([
      'alerts.rules.yaml',
      'kustomization.yaml',
      'secret.example.yaml',
    ]);
    expect(kustomization.images.map((image) => image.name)).toEqual([container.image]);
  });

  it('fails validation when a manifest loses a required field or gets a wrong type', () => {
    const withoutContainers = structuredClone(deployment);
    const { containers: _dropped, ...specWithoutContainers } = withoutContainers.spec!.template.spec!;
    Reflect.set(withoutContainers.spec!.template, 'spec', specWithoutContainers);
    expect(() => validated<IDeployment>(Deployment, withoutContainers)).toThrow(/containers/);

    const badReplicas = { ...deployment, spec: { ...deployment.spec, replicas: 'two' } };
    expect(() => validated<IDeployment>(Deployment, badReplicas)).toThrow(/replicas/);

    const hpa = one<IHorizontalPodAutoscaler>('HorizontalPodAutoscaler');
    const noTarget = { ...hpa, spec: { ...hpa.spec, scaleTargetRef: undefined } };
    expect(() => validated<IHorizontalPodAutoscaler>(HorizontalPodAutoscaler, noTarget)).toThrow(/scaleTargetRef/);

    expect(() => MODELS['v1/Secret']!({ apiVersion: 'v1', kind: 'Secret', metadata: {}, data: { KEY: 42 } })).toThrow();
  });
});

describe('deploy/ runs the subgraph as it needs', () => {
  it('runs two or more replicas, autoscaled and protected from voluntary disruption', () => {
    expect(deployment.spec!.replicas).toBeGreaterThanOrEqual(2);
    const hpa = one<IHorizontalPodAutoscaler>('HorizontalPodAutoscaler');
    expect(hpa.spec!.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: deployment.metadata!.name });
    expect(hpa.spec!.minReplicas).toBeGreaterThanOrEqual(2);
    expect(hpa.spec!.maxReplicas).toBeGreaterThan(hpa.spec!.minReplicas!);
    const pdb = one<IPodDisruptionBudget>('PodDisruptionBudget');
    expect(pdb.spec!.selector!.matchLabels).toEqual(podLabels);
    expect(Number(pdb.spec!.minAvailable)).toBeLessThan(hpa.spec!.minReplicas!);
    const service = one<IService>('Service');
    expect(service.spec!.selector).toEqual(podLabels);
    expect(service.spec!.ports![0]!.targetPort).toBe(container.ports![0]!.name);
  });

  it('probes /health and shuts down slower than the request deadline', () => {
    const port = container.ports![0]!;
    for (const probe of [container.readinessProbe, container.livenessProbe]) {
      expect(probe?.httpGet).toMatchObject({ path: '/health', port: port.name });
    }
    const deadlineSeconds = Number(configMap.data!['REQUEST_DEADLINE_MS']) / 1000;
    const preStop = container.lifecycle!.preStop!.exec!.command!;
    expect(preStop.slice(0, 1)).toEqual(['sleep']);
    const preStopSeconds = Number(preStop[1]);
    const grace = podSpec.terminationGracePeriodSeconds!;
    // preStop runs before SIGTERM; the drain then needs its full deadline.
    expect(grace).toBeGreaterThan(preStopSeconds + deadlineSeconds);
    // A draining replica answers 503: liveness must not kill it before the grace period ends.
    const liveness = container.livenessProbe!;
    expect(liveness.periodSeconds! * liveness.failureThreshold!).toBeGreaterThan(grace);
  });

  it('runs as the Dockerfile user, non-root, read-only, with only /tmp writable', () => {
    const dockerfile = readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8');
    const runtime = dockerfile.slice(dockerfile.indexOf(' AS runtime'));
    const [uid, gid] = /^USER (\d+):(\d+)$/m.exec(runtime)!.slice(1).map(Number);
    expect(podSpec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: uid, runAsGroup: gid });
    expect(uid).toBeGreaterThan(0);
    expect(runtime).toMatch(new RegExp(`^EXPOSE ${container.ports![0]!.containerPort}$`, 'm'));
    expect(runtime).toMatch(/^HEALTHCHECK [\s\S]*\/health/m);
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    const tmp = container.volumeMounts!.find((mount) => mount.mountPath === '/tmp');
    expect(podSpec.volumes!.find((volume) => volume.name === tmp?.name)?.emptyDir).toBeDefined();
    expect(container.volumeMounts).toHaveLength(1);
  });

  it('sizes memory from the measured figures, with the V8 heap cap below the limit', () => {
    const mebibytes = (quantity: string | number | undefined): number => {
      const match = /^(\d+)(Mi|Gi)$/.exec(String(quantity));
      if (match === null) throw new Error(`unexpected quantity ${String(quantity)}`);
      return Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1);
    };
    const { requests, limits } = container.resources!;
    expect(requests?.['cpu']).toBeDefined();
    expect(limits?.['cpu']).toBeDefined();
    const heapCap = Number(/--max-old-space-size=(\d+)/.exec(configMap.data!['NODE_OPTIONS']!)![1]);
    // Measured: 136 MiB RSS idle, ~265 MiB under load with a 320 MiB heap cap (README).
    expect(mebibytes(requests?.['memory'])).toBeGreaterThanOrEqual(265);
    expect(mebibytes(limits?.['memory'])).toBeGreaterThan(heapCap + 128);
  });

  it('reads its settings from the ConfigMap and its secrets from the Secret, and config.ts accepts them', () => {
    expect(container.envFrom).toEqual([
      { configMapRef: { name: configMap.metadata!.name } },
      { secretRef: { name: secret.metadata!.name } },
    ]);
    const secretKeys = Object.keys(secret.stringData!);
    for (const name of [
      'CXONE_ACCESS_KEY_ID',
      'CXONE_ACCESS_KEY_SECRET',
      'CXONE_CLIENT_ID',
      'CXONE_CLIENT_SECRET',
      'ROUTER_SECRET',
      'CACHE_SECRET',
      'CACHE_URL',
    ]) {
      expect(secretKeys).toContain(name);
    }
    // Nothing secret in the ConfigMap.
    expect(Object.keys(configMap.data!).filter((key) => /SECRET|KEY|CACHE_URL/.test(key))).toEqual([]);

    const config = loadConfig({ ...configMap.data, ...secret.stringData });
    expect(config.env).toBe('production');
    expect(config.cache.url).toBe(secret.stringData!['CACHE_URL']);
    expect(config.graphql.routerSecret).toBeDefined();
    expect(config.cxone.auth).toMatchObject({
      mode: 'access-key',
      credentials: { accessKeyId: secret.stringData!['CXONE_ACCESS_KEY_ID'] },
    });
    expect(config.http.port).toBe(container.ports![0]!.containerPort);
  });
});

describe('deploy/alerts.rules.yaml', () => {
  interface Rule {
    alert: string;
    expr: string;
    for?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  }
  const rules = (parseYaml(read('alerts.rules.yaml')) as { groups: Array<{ rules: Rule[] }> }).groups.flatMap(
    (group) => group.rules,
  );

  /** Labels any scrape adds, beside a metric's own. */
  const SCRAPE_LABELS = ['job', 'instance', 'namespace', 'pod', 'le'];

  async function exportedMetrics(): Promise<Map<string, readonly string[]>> {
    const { registry } = createMetrics({ collectDefaults: true });
    const names = new Map<string, readonly string[]>();
    for (const metric of await registry.getMetricsAsJSON()) {
      const declared: unknown = Reflect.get(registry.getSingleMetric(metric.name) ?? {}, 'labelNames');
      const labels = Array.isArray(declared) ? declared.map(String) : [];
      const series = String(metric.type) === 'histogram' ? ['_bucket', '_sum', '_count'].map((suffix) => metric.name + suffix) : [metric.name];
      for (const name of series) names.set(name, labels);
    }
    return names;
  }

  /** What is wrong with a PromQL expression: syntax errors, unknown metrics, unknown labels. */
  function problems(expr: string, metrics: Map<string, readonly string[]>): string[] {
    const found: string[] = [];
    const tree = promqlParser.parse(expr);
    let selector: string | undefined;
    tree.iterate({
      enter: (node) => {
        const text = expr.slice(node.from, node.to);
        if (node.type.isError) found.push(`syntax error at ${node.from}: "${text}"`);
        if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector') {
          selector = text;
          if (!metrics.has(text)) found.push(`unknown metric ${text}`);
        }
        if (node.name === 'LabelName' && node.node.parent?.name === 'UnquotedLabelMatcher' && selector !== undefined) {
          const allowed = [...(metrics.get(selector) ?? []), ...SCRAPE_LABELS];
          if (!allowed.includes(text)) found.push(`${selector} has no label ${text}`);
        }
      },
    });
    return found;
  }

  it('parses every expression and names only exported metrics and their labels', async () => {
    const metrics = await exportedMetrics();
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      expect(problems(rule.expr, metrics), rule.alert).toEqual([]);
      expect(rule.labels?.['severity'], rule.alert).toMatch(/^(warning|critical)$/);
      expect(rule.annotations?.['summary'], rule.alert).toBeTruthy();
    }
  });

  it('catches a misspelled metric, a label it does not have, and bad syntax', async () => {
    const metrics = await exportedMetrics();
    expect(problems('sum(rate(cxone_upstream_call_total[5m]))', metrics)).toEqual(['unknown metric cxone_upstream_call_total']);
    expect(problems('cxone_budget_remaining{endpoint="contacts"} < 1', metrics)).toEqual([
      'cxone_budget_remaining has no label endpoint',
    ]);
    expect(problems('sum(rate(cxone_circuit_open[5m]', metrics).length).toBeGreaterThan(0);
  });

  it('alerts on budget remaining, breaker state, upstream errors and cache hit ratio', () => {
    const watched = rules.map((rule) => rule.expr).join('\n');
    for (const metric of [
      'cxone_budget_remaining',
      'cxone_budget_rejections_total',
      'cxone_circuit_open',
      'cxone_upstream_calls_total',
      'recording_cache_events_total{event="hit"}',
    ]) {
      expect(watched).toContain(metric);
    }
  });
});

describe('docker-compose.yml (the local trial)', () => {
  interface ComposeService {
    build?: { context: string; target: string };
    image?: string;
    command?: string[];
    deploy?: { replicas?: number };
    environment?: Record<string, string>;
    user?: string;
    read_only?: boolean;
    tmpfs?: string[];
    stop_grace_period?: string;
    depends_on?: Record<string, { condition: string }>;
  }
  const compose = parseYaml(readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8'), { merge: true }) as {
    services: Record<string, ComposeService>;
  };
  const recordings = compose.services['recordings']!;

  it('runs two replicas of the runtime image as the manifests do, on one Redis', () => {
    expect(recordings.deploy?.replicas).toBeGreaterThanOrEqual(2);
    expect(recordings.build?.target).toBe('runtime');
    expect(recordings.user).toBe(`${String(podSpec.securityContext!.runAsUser)}:${String(podSpec.securityContext!.runAsGroup)}`);
    expect(recordings.read_only).toBe(true);
    expect(recordings.tmpfs).toEqual(['/tmp']);
    const config = loadConfig(recordings.environment ?? {});
    expect(config.env).toBe('production');
    expect(config.cache.url).toBe('redis://redis:6379');
    expect(config.telemetry.tracesUrl).toBe('http://jaeger:4318/v1/traces');
    expect(Number.parseInt(recordings.stop_grace_period ?? '0', 10) * 1000).toBeGreaterThan(config.cxone.requestDeadlineMs);
    for (const name of ['redis', 'simulator', 'crm', 'router', 'jaeger', 'supergraph']) expect(compose.services).toHaveProperty(name);
  });

  it('has the router send our secret and propagate the trace context', () => {
    const router = parseYaml(read('compose/router.yaml')) as {
      headers: { subgraphs: { recordings: { request: Array<{ insert?: { name: string; value: string } }> } } };
      telemetry: { exporters: { tracing: { propagation: { trace_context: boolean } } } };
    };
    expect(router.headers.subgraphs.recordings.request).toContainEqual({
      insert: { name: 'x-router-secret', value: '${env.ROUTER_SECRET}' },
    });
    expect(compose.services['router']!.environment?.['ROUTER_SECRET']).toBe(recordings.environment?.['ROUTER_SECRET']);
    expect(router.telemetry.exporters.tracing.propagation.trace_context).toBe(true);
    // The router waits for the composed supergraph and for a healthy replica.
    expect(compose.services['router']!.depends_on).toMatchObject({
      supergraph: { condition: 'service_completed_successfully' },
      recordings: { condition: 'service_healthy' },
    });
  });
});
