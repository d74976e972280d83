/**
 * The tracing on/off comparison of `npm run bench`: an OTLP/HTTP sink that counts the spans it is
 * sent (standing in for a collector, in the benchmark's own process) and the report section.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { bestRun, markdownTable, num, ratio } from './report.js';

/** off: no OTLP endpoint; otel: every span exported; ftv1: off, with the router asking for inline traces. */
export const TRACING_VARIANTS = ['off', 'otel', 'ftv1'] as const;
export type TracingVariant = (typeof TRACING_VARIANTS)[number];

export interface TracingRun {
  readonly variant: TracingVariant;
  readonly scenario: string;
  readonly temperature: 'cold' | 'warm';
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly failed: number;
  readonly cpuMsPerQuery: number;
  readonly spansPerQuery: number;
}

interface OtlpJson {
  resourceSpans?: Array<{ scopeSpans?: Array<{ spans?: unknown[] }> }>;
}

/** Accepts OTLP/HTTP JSON exports and counts their spans. */
export async function startSpanSink(): Promise<{ url: string; spans: () => number; close: () => Promise<void> }> {
  let spans = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpJson;
        for (const resource of body.resourceSpans ?? []) {
          for (const scope of resource.scopeSpans ?? []) spans += scope.spans?.length ?? 0;
        }
      } catch {
        // Counted as nothing; the exporter's own retry is not the benchmark's business.
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${String(port)}`,
    spans: () => spans,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The report section: each variant's best round beside tracing off. */
export function tracingSection(runs: readonly TracingRun[]): string[] {
  if (runs.length === 0) return [];
  const cases = [...new Set(runs.map((run) => `${run.scenario} ${run.temperature}`))];
  const rows: string[][] = [];
  for (const key of cases) {
    const best = (variant: TracingVariant): TracingRun | undefined =>
      bestRun(runs.filter((run) => `${run.scenario} ${run.temperature}` === key && run.variant === variant));
    const off = best('off');
    for (const variant of TRACING_VARIANTS) {
      const run = best(variant);
      if (run === undefined) continue;
      rows.push([
        key,
        variant,
        num(run.rps),
        variant === 'off' ? '' : ratio(run.rps, off?.rps),
        num(run.p50),
        num(run.p99),
        num(run.cpuMsPerQuery, 2),
        variant === 'off' ? '' : ratio(run.cpuMsPerQuery, off?.cpuMsPerQuery),
        num(run.spansPerQuery, 1),
        String(run.failed),
      ]);
    }
  }
  return [
    '## Tracing on and off',
    '',
    'Ours three ways, same load: **off** (no `OTEL_EXPORTER_OTLP_ENDPOINT`: no SDK loaded, no layer added), **otel** (OpenTelemetry on, every request sampled, every span exported over OTLP/HTTP to a sink in the benchmark process: the worst case; a router usually samples a share), and **ftv1** (the off process with every request asking for an inline trace, as a router reporting field statistics to Apollo Studio does for its sampled share). All three with the answer caches off (RESPONSE_CACHE_MAX_BYTES=0): so every request runs the pipeline and the ratios measure tracing, not the caches (an ftv1 request always runs it: the front door leaves it to Apollo). The answer caches with OpenTelemetry on are measured in the next section. Best of the rounds; ratios against off.',
    '',
    markdownTable(
      ['scenario', 'variant', 'req/s', 'vs off', 'p50 ms', 'p99 ms', 'CPU ms / request', 'vs off', 'spans / request', 'failed'],
      rows,
    ),
    '',
  ];
}
