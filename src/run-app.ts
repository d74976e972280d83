/** What every process entry does around its app: configuration, start, SIGTERM/SIGINT drain, exit. */
import { loadConfigOrExit, type AppConfig } from './config.js';
import type { RunningApp } from './app.js';

export function runApp(start: (config: AppConfig) => Promise<RunningApp>): void {
  const config = loadConfigOrExit();
  start(config).then(
    (app) => {
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        app.logger.info({ signal }, 'shutting down: draining in-flight requests');
        // The drain: the readiness delay, then every in-flight request's full deadline, then a margin.
        const forced = setTimeout(() => process.exit(1), config.http.shutdownDelayMs + config.cxone.requestDeadlineMs + 5_000);
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
    },
    (error: unknown) => {
      process.stderr.write(`Failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
