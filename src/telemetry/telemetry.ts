/** What tracing gives the layers it wraps (see index.ts). */
import type { TextMapPropagator, Tracer } from '@opentelemetry/api';

export interface Telemetry {
  readonly tracer: Tracer;
  /** W3C trace context: reads `traceparent` from callers, writes it on CXone calls. */
  readonly propagator: TextMapPropagator;
  /** Exports every finished span now (tests, and the drain before exit). */
  flush(): Promise<void>;
  /** Flushes, then stops the exporter. */
  shutdown(): Promise<void>;
}
