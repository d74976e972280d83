/**
 * `npm run federated`: the subgraph (on the embedded simulator unless CXONE_API_URL is set), the
 * dev CRM subgraph and a gateway composing both on GATEWAY_PORT (default 4000). The subgraph takes a
 * free port unless PORT is set, so this runs beside `npm start` (:4001).
 */
import { loadConfigOrExit } from '../config.js';
import { startDevApp } from './embedded-cxone.js';
import { seededCrmContacts, startCrmSubgraph } from './crm-subgraph.js';
import { startGateway } from './gateway.js';

async function main(): Promise<void> {
  const config = loadConfigOrExit({ PORT: '0', ...process.env });
  const app = await startDevApp(config);
  const crm = await startCrmSubgraph(seededCrmContacts());
  const gateway = await startGateway({
    crmUrl: crm.url,
    recordingsUrl: app.url,
    port: config.dev.gatewayPort,
    portVariable: 'GATEWAY_PORT',
    reporting: config.federation.reporting,
  }).catch(async (error: unknown) => {
    await Promise.all([crm.close(), app.close()]);
    throw error;
  });
  app.logger.info({ gateway: gateway.url, crm: crm.url, subgraph: app.url }, 'federated demo ready: query the gateway');
  const stop = () => {
    void Promise.all([gateway.close(), crm.close()])
      .then(() => app.close())
      .finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`Failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
