/**
 * Process entry: configuration -> app -> listen; SIGTERM/SIGINT drain. No logic here.
 */
import { loadConfigOrExit } from './config.js';
import { startApp } from './app.js';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await startApp(config);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.logger.info({ signal }, 'shutting down: draining in-flight requests');
    // The drain: the readiness delay, then every in-flight request's full deadline, then a margin.
    const forced = setTimeout(
      () => process.exit(1),
      config.http.shutdownDelayMs + config.cxone.requestDeadlineMs + 5_000,
    );
    forced.unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
