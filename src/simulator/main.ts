/**
 * `npm run simulator`: the CXone simulator as its own process, for demos, the benchmark and
 * manual exploration. Config -> start -> one log line -> wait for a signal. No logic here.
 */
import { parseSimulatorEnv, SimulatorConfigError } from './config.js';
import { DEMO_TOKENS } from './grants.js';
import { SEEDED } from './seed.js';
import { startSimulator } from './simulator.js';

function logLine(level: 'info' | 'error', msg: string, extra: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ level, time: new Date().toISOString(), service: 'cxone-simulator', msg, ...extra });
  (level === 'error' ? process.stderr : process.stdout).write(`${line}\n`);
}

async function main(): Promise<void> {
  let settings;
  try {
    settings = parseSimulatorEnv(process.env);
  } catch (error) {
    if (error instanceof SimulatorConfigError) {
      logLine('error', error.message, { problems: error.problems });
      process.exit(1);
    }
    throw error;
  }
  const simulator = await startSimulator(settings);
  logLine('info', 'CXone simulator listening', {
    url: simulator.url,
    apiUrl: `${simulator.url}/media-playback/v1`,
    tokenEndpoint: `${simulator.url}/auth/token`,
    rateLimit: settings.rateLimit,
    latencyMs: settings.latencyMs,
    linkLifetimeSeconds: settings.linkLifetimeSeconds,
    variant: settings.variant,
    demoTokens: DEMO_TOKENS,
    example: `${simulator.url}/media-playback/v1/contacts?acd-call-id=${SEEDED.voice}`,
  });
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    simulator.close().then(
      () => {
        logLine('info', 'CXone simulator stopped', { signal });
        process.exit(0);
      },
      (error: unknown) => {
        logLine('error', 'CXone simulator did not close cleanly', { signal, error: String(error) });
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  logLine('error', 'CXone simulator failed to start', { error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
