/** The dev entries' embedded CXone: when the configuration names none, the simulator is handed to `startApp`. */
import { startApp, type AppOverrides, type RunningApp } from '../app.js';
import type { AppConfig } from '../config.js';
import { DEFAULT_SIM_CREDENTIALS, startSimulator } from '../simulator/index.js';

export interface RunningDevApp extends RunningApp {
  readonly simulatorUrl: string | undefined;
}

/** `startApp`, on the embedded simulator when CXONE_API_URL and CXONE_TENANT_ID are unset (or CXONE_SIMULATOR=true). */
export async function startDevApp(config: AppConfig, overrides: AppOverrides = {}): Promise<RunningDevApp> {
  if (!config.simulator.enabled) return { ...(await startApp(config, overrides)), simulatorUrl: undefined };
  const { port, host, publicUrl, linkLifetimeSeconds } = config.simulator;
  const simulator = await startSimulator({
    port,
    host,
    ...(overrides.clock === undefined ? {} : { clock: overrides.clock }),
    ...(publicUrl === undefined ? {} : { publicUrl }),
    ...(linkLifetimeSeconds === undefined ? {} : { linkLifetimeSeconds }),
  });
  const app = await startApp(config, {
    ...overrides,
    embeddedCxone: {
      url: simulator.url,
      accessKey: {
        accessKeyId: DEFAULT_SIM_CREDENTIALS.accessKeyId,
        accessKeySecret: DEFAULT_SIM_CREDENTIALS.accessKeySecret,
        client: { id: DEFAULT_SIM_CREDENTIALS.clientId, secret: DEFAULT_SIM_CREDENTIALS.clientSecret },
      },
    },
  }).catch(async (error: unknown) => {
    await simulator.close();
    throw error;
  });
  app.logger.warn(
    { simulatorUrl: simulator.url, mediaLinksUrl: publicUrl ?? simulator.url },
    'CXONE_API_URL is not set: serving the embedded CXone simulator (demo tokens: npm run demo-tokens, or the README)',
  );
  return {
    ...app,
    simulatorUrl: simulator.url,
    async close() {
      await app.close();
      await simulator.close();
    },
  };
}
