/**
 * The player demo's servers: the subgraph (on the embedded simulator unless CXONE_API_URL is set),
 * the CRM subgraph, and a gateway that serves both /graphql and the built page from one origin, so
 * the page needs no CORS. `npm run demo` (scripts/demo.ts) and test/e2e/browser.test.ts use it.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { loadConfig } from '../src/config.js';
import type { AppOverrides } from '../src/app.js';
import { startDevApp, type RunningDevApp } from '../src/dev/embedded-cxone.js';
import { SEEDED, bulkContactId } from '../src/simulator/index.js';
import { crmContacts, startCrmSubgraph, type RunningCrm } from '../src/dev/crm-subgraph.js';
import { startGateway, type RunningGateway } from '../src/dev/gateway.js';

/** The page's sources (index.html, src/). */
const DEMO_ROOT = fileURLToPath(new URL('../demo/', import.meta.url));
/** Where `npm run demo` builds the page. */
const DEMO_DIST = fileURLToPath(new URL('../demo/dist/', import.meta.url));

/** Builds the page with Vite into `outDir` (relative asset paths, so any mount point works). */
export async function buildDemoPage(outDir: string = DEMO_DIST): Promise<void> {
  await build({
    root: DEMO_ROOT,
    base: './',
    configFile: false,
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
}

/** The CRM's contacts: every seeded contact (errors included, on purpose), then 20 bulk calls. */
function demoContactIds(): string[] {
  const seeded = Object.values(SEEDED).filter((value): value is string => typeof value === 'string' && /^1\d{11}$/.test(value));
  const bulk = Array.from({ length: 20 }, (_, index) => bulkContactId(index + 1));
  return [...new Set([...seeded, ...bulk])];
}

export interface RunningDemo {
  /** The page, e.g. http://127.0.0.1:4000/ */
  readonly pageUrl: string;
  /** The gateway's GraphQL endpoint, same origin as the page. */
  readonly graphqlUrl: string;
  readonly app: RunningDevApp;
  readonly crm: RunningCrm;
  readonly gateway: RunningGateway;
  close(): Promise<void>;
}

export interface DemoOptions {
  /** Environment for the subgraph's loadConfig (process.env by default). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The built page to serve. */
  readonly staticDir?: string;
  /** Gateway port; DEMO_PORT from the environment otherwise (4003). */
  readonly port?: number;
  readonly overrides?: AppOverrides;
}

/** Starts subgraph, CRM subgraph and gateway (serving `staticDir`); throws ConfigError on bad configuration. */
export async function startDemo(options: DemoOptions = {}): Promise<RunningDemo> {
  // A local demo: the subgraph listens on loopback, on a free port (so the demo runs beside
  // `npm start`), unless HOST and PORT say otherwise.
  const config = loadConfig({ HOST: '127.0.0.1', PORT: '0', ...(options.env ?? process.env) });
  const app = await startDevApp(config, options.overrides);
  const crm = await startCrmSubgraph(crmContacts(demoContactIds()));
  let gateway: RunningGateway;
  try {
    gateway = await startGateway({
      crmUrl: crm.url,
      recordingsUrl: app.url,
      port: options.port ?? config.dev.demoPort,
      portVariable: 'DEMO_PORT',
      reporting: config.federation.reporting,
      staticDir: options.staticDir ?? DEMO_DIST,
      // The gateway is the router here: it proves itself to the subgraph when ROUTER_SECRET is set.
      ...(config.graphql.routerSecret === undefined ? {} : { headers: { 'x-router-secret': config.graphql.routerSecret } }),
    });
  } catch (error) {
    await Promise.all([crm.close(), app.close()]);
    throw error;
  }
  return {
    pageUrl: gateway.url.replace(/graphql$/, ''),
    graphqlUrl: gateway.url,
    app,
    crm,
    gateway,
    async close() {
      await gateway.close();
      await crm.close();
      await app.close();
    },
  };
}
