/**
 * Writes the supergraph SDL of this subgraph composed beside a CRM schema, with
 * @apollo/composition (what `rover supergraph compose` runs), for a router that reads a file:
 * Apollo Router `--supergraph supergraph.graphql`, Hive Gateway `supergraph: './supergraph.graphql'`.
 * Composition errors (a CRM Contact that cannot be joined, a name clash) are printed and exit 1.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse } from 'graphql';
import { composeSupergraph } from '../src/dev/gateway.js';
import { CRM_SHAPES, type CrmShape } from '../src/dev/crm-subgraph.js';

const USAGE = `Composes this subgraph beside a CRM subgraph into a supergraph SDL (@apollo/composition).

  npm run compose                                   # beside the dev CRM, local URLs, to stdout
  npm run compose -- --crm crm.graphql --crm-url http://crm:4000/graphql \\
    --url http://recordings:4001/graphql --out supergraph.graphql

Options:
  --crm <file>          the CRM subgraph's SDL (default: the dev CRM of --crm-shape)
  --crm-shape <shape>   the dev CRM's Contact: ${CRM_SHAPES.join(' | ')} (default acd-key)
  --crm-url <url>       the CRM subgraph's URL in the supergraph (default http://127.0.0.1:4002/graphql)
  --url <url>           this subgraph's URL in the supergraph (default http://127.0.0.1:4001/graphql)
  --reporting <bool>    include reporting.graphql (completedContacts); false for a CRM that cannot
                        resolve Contact by acdContactId, served with FEDERATION_REPORTING=false (default true)
  --no-auth-directives  leave out @authenticated/@requiresScopes (served with FEDERATION_AUTH_DIRECTIVES=false)
  --out <file>          write the supergraph there (default stdout)
  --help                this text
`;

function isShape(value: string): value is CrmShape {
  return (CRM_SHAPES as readonly string[]).includes(value);
}

try {
  const { values } = parseArgs({
    options: {
      crm: { type: 'string' },
      'crm-shape': { type: 'string', default: 'acd-key' },
      'crm-url': { type: 'string', default: 'http://127.0.0.1:4002/graphql' },
      url: { type: 'string', default: 'http://127.0.0.1:4001/graphql' },
      reporting: { type: 'string', default: 'true' },
      'no-auth-directives': { type: 'boolean', default: false },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const shape = values['crm-shape'];
  if (!isShape(shape)) throw new Error(`--crm-shape must be one of ${CRM_SHAPES.join(', ')}`);
  if (values.reporting !== 'true' && values.reporting !== 'false') throw new Error('--reporting must be true or false');
  const crm =
    values.crm === undefined
      ? { url: values['crm-url'], shape }
      : { url: values['crm-url'], typeDefs: parse(readFileSync(values.crm, 'utf8')) };
  const supergraphSdl = composeSupergraph(crm, values.url, {
    reporting: values.reporting === 'true',
    ...(values['no-auth-directives'] ? { authorizationDirectives: false } : {}),
  });
  if (values.out === undefined) process.stdout.write(supergraphSdl);
  else writeFileSync(values.out, supergraphSdl);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  process.exit(1);
}
