/**
 * `npm run demo`: builds the player page with Vite, then starts the simulator, the subgraph, the
 * CRM subgraph and a gateway on DEMO_PORT (default 4003) serving the page and /graphql.
 * Development tooling, not a production entry. (`npm run demo` runs the page's codegen first.)
 */
import { ConfigError } from '../src/config.js';
import { buildDemoPage, startDemo } from './demo-stack.js';

async function main(): Promise<void> {
  // The environment as the user gave it: Vite's build() sets NODE_ENV=production in this process,
  // which would turn the demo into a production start (no simulator without CXONE_API_URL).
  const env = { ...process.env };
  await buildDemoPage();
  let demo;
  try {
    demo = await startDemo({ env });
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
