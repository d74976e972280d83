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

/** The `Telemetry` of index.ts. */
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
    /** W3C trace context: reads `traceparent` from callers, writes it on CXone calls. */
    propagator: new W3CTraceContextPropagator(),
    /** Exports every finished span now (tests, and the drain before exit). */
    flush: () => provider.forceFlush(),
    /** Flushes, then stops the exporter. */
    shutdown: () => provider.shutdown(),
  };
}
