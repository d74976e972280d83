/**
 * Writes the supergraph SDL of this subgraph composed beside a CRM schema, with
 * @apollo/composition (what `rover supergraph compose` runs), for a router that reads a file:
 * Apollo Router `--supergraph supergraph.graphql`, Hive Gateway `supergraph: './supergraph.graphql'`.
 *
 *   npm run compose                                   # beside the dev CRM, local URLs, to stdout
 *   npm run compose -- --crm crm.graphql --crm-url http://crm:4000/graphql \
 *     --url http://recordings:4001/graphql --out supergraph.graphql
 *
 * Composition errors (a CRM Contact that cannot be joined, a name clash) are printed and exit 1.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse } from 'graphql';
import { composeSupergraph } from '../src/dev/gateway.js';
import { CRM_SHAPES, type CrmShape } from '../src/dev/crm-subgraph.js';

const { values } = parseArgs({
  options: {
    crm: { type: 'string' },
    'crm-shape': { type: 'string', default: 'acd-key' },
    'crm-url': { type: 'string', default: 'http://127.0.0.1:4002/graphql' },
    url: { type: 'string', default: 'http://127.0.0.1:4001/graphql' },
    out: { type: 'string' },
  },
});

function isShape(value: string): value is CrmShape {
  return (CRM_SHAPES as readonly string[]).includes(value);
}

try {
  const shape = values['crm-shape'];
  if (!isShape(shape)) throw new Error(`--crm-shape must be one of ${CRM_SHAPES.join(', ')}`);
  const crm =
    values.crm === undefined
      ? { url: values['crm-url'], shape }
      : { url: values['crm-url'], typeDefs: parse(readFileSync(values.crm, 'utf8')) };
  const supergraphSdl = composeSupergraph(crm, values.url);
  if (values.out === undefined) process.stdout.write(supergraphSdl);
  else writeFileSync(values.out, supergraphSdl);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
