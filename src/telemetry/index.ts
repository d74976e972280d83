/**
 * OpenTelemetry tracing, off unless `config.telemetry.tracesUrl` is set: with it off the SDK is
 * never imported and the composition root adds no tracing layer, so it costs nothing per request.
 */
import type { AppConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { startSdk } from './sdk.js';

export type Telemetry = Readonly<ReturnType<typeof startSdk>>;

export async function startTelemetry(config: AppConfig['telemetry'], logger: Logger): Promise<Telemetry | undefined> {
  if (config.tracesUrl === undefined) return undefined;
  const sdk = await import('./sdk.js');
  const telemetry = sdk.startSdk({ ...config, tracesUrl: config.tracesUrl });
  // The URL may carry credentials in its userinfo; the origin says enough.
  logger.info({ exporter: new URL(config.tracesUrl).origin, sampleRatio: config.sampleRatio }, 'OpenTelemetry tracing on');
  return telemetry;
}
