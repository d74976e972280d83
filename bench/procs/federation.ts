/**
 * The federated half of the setup, the same for every contender: the CRM subgraph of src/dev
 * (owner of Contact, holding the simulator's 10,000 bulk contacts) and the dev gateway composing
 * it with the contender at BENCH_RECORDINGS_URL.
 */
import { crmContacts, startCrmSubgraph } from '../../src/dev/crm-subgraph.js';
import { startGateway } from '../../src/dev/gateway.js';
import { bulkIds } from '../scenarios.js';
import { serveRpc } from '../ipc.js';

const recordingsUrl = process.env['BENCH_RECORDINGS_URL'] ?? '';
const crm = await startCrmSubgraph(crmContacts(bulkIds(10_000, 0)));
const gateway = await startGateway({ crmUrl: crm.url, recordingsUrl });

serveRpc(gateway.url, {}, async () => {
  await gateway.close();
  await crm.close();
});
