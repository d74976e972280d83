/**
 * The OpenTelemetry SDK, imported only when tracing is on. Our tracer provider is not registered
 * globally, so two apps in one test process keep separate exporters.
 */
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-node';
import type { AppConfig } from '../config.js';

/** Structurally the `Telemetry` of index.ts, which checks it (importing it here would be a cycle). */
export function startSdk(options: AppConfig['telemetry'] & { readonly tracesUrl: string }) {
  // Process-wide by nature (`context.active()` reads it): a second app in the process shares it, harmlessly.
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    // A caller's sampling decision wins (the router samples); our own roots follow the ratio.
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(options.sampleRatio) }),
    spanProcessors: [
      new BatchSpanProcessor(new OTLPTraceExporter({ url: options.tracesUrl, headers: { ...options.headers } })),
    ],
  });
  return {
    tracer: provider.getTracer('cxone-recordings-subgraph'),
    propagator: new W3CTraceContextPropagator(),
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}
