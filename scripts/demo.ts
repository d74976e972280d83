/**
 * `npm run demo`: builds the player page with Vite, then starts the simulator, the subgraph, the
 * CRM subgraph and a gateway on GATEWAY_PORT (default 4000) serving the page and /graphql.
 * Development tooling, not a production entry.
 */
import { ConfigError } from '../src/config.js';
import { buildDemoPage, startDemo } from './demo-stack.js';

async function main(): Promise<void> {
  await buildDemoPage();
  let demo;
  try {
    demo = await startDemo();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  demo.app.logger.info({ page: demo.pageUrl, graphql: demo.graphqlUrl }, `player demo ready: open ${demo.pageUrl}`);
  const stop = () => {
    void demo.close().finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`Failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
