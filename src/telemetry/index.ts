/**
 * OpenTelemetry tracing, off unless configured. `startTelemetry` returns undefined when
 * `config.telemetry.tracesUrl` is unset: the SDK is never imported, no exporter starts, and the
 * composition root adds no tracing layer anywhere, so tracing off costs nothing per request.
 * Only this module and its siblings know OpenTelemetry; the layers in ./layers.ts wrap the
 * existing ports (transport, budget, cache store, resolvers) from the outside.
 */
import type { AppConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { Telemetry } from './telemetry.js';

export type { Telemetry } from './telemetry.js';

export async function startTelemetry(config: AppConfig['telemetry'], logger: Logger): Promise<Telemetry | undefined> {
  if (config.tracesUrl === undefined) return undefined;
  // Loaded only when tracing is on: with it off, not one SDK module is in the process.
  const { startSdk } = await import('./sdk.js');
  const telemetry = startSdk({ ...config, tracesUrl: config.tracesUrl });
  // The URL may carry credentials in its userinfo; the origin says enough.
  logger.info({ exporter: new URL(config.tracesUrl).origin, sampleRatio: config.sampleRatio }, 'OpenTelemetry tracing on');
  return telemetry;
}
