/**
 * OpenTelemetry tracing, off unless `config.telemetry.tracesUrl` is set: with it off the SDK is
 * never imported and the composition root adds no tracing layer, so it costs nothing per request.
 */
import type { TextMapPropagator, Tracer } from '@opentelemetry/api';
import type { AppConfig } from '../config.js';
import type { Logger } from '../logger.js';

export interface Telemetry {
  readonly tracer: Tracer;
  /** W3C trace context: reads `traceparent` from callers, writes it on CXone calls. */
  readonly propagator: TextMapPropagator;
  /** Exports every finished span now (tests, and the drain before exit). */
  flush(): Promise<void>;
  /** Flushes, then stops the exporter. */
  shutdown(): Promise<void>;
}

export async function startTelemetry(config: AppConfig['telemetry'], logger: Logger): Promise<Telemetry | undefined> {
  if (config.tracesUrl === undefined) return undefined;
  const { startSdk } = await import('./sdk.js');
  const telemetry: Telemetry = startSdk({ ...config, tracesUrl: config.tracesUrl });
  // The URL may carry credentials in its userinfo; the origin says enough.
  logger.info({ exporter: new URL(config.tracesUrl).origin, sampleRatio: config.sampleRatio }, 'OpenTelemetry tracing on');
  return telemetry;
}
