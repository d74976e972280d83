/** `docker compose up`'s dev-only pieces (deploy/compose/), run from the build stage: the supergraph, the CRM. */
import { writeFileSync } from 'node:fs';
import { seededCrmContacts, startCrmSubgraph } from './crm-subgraph.js';
import { composeSupergraph } from './gateway.js';

const CRM_URL = 'http://crm:4002/graphql';
const RECORDINGS_URL = 'http://recordings:4001/graphql';

async function main(): Promise<void> {
  const [mode, argument] = process.argv.slice(2);
  if (mode === 'supergraph' && argument !== undefined) {
    // The trial's router has no JWT authentication: the subgraph checks callers itself.
    writeFileSync(argument, composeSupergraph({ url: CRM_URL }, RECORDINGS_URL, { authorizationDirectives: false }));
    process.stdout.write(`supergraph written to ${argument}\n`);
    return;
  }
  if (mode === 'crm') {
    const crm = await startCrmSubgraph(seededCrmContacts(), { port: Number(argument ?? '4002'), host: '0.0.0.0' });
    process.stdout.write(`CRM subgraph on ${crm.url}\n`);
    const stop = (): void => void crm.close().finally(() => process.exit(0));
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    return;
  }
  throw new Error('usage: compose-trial.js supergraph <file> | crm [port]');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
