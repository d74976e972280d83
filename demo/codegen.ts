import type { CodegenConfig } from '@graphql-codegen/cli';
import { print } from 'graphql';
// The CRM's side of the supergraph the demo queries, as the dev CRM subgraph declares it (its
// default shape); printed here because its SDL is built per shape, which a plucker cannot read.
import { crmTypeDefs } from '../src/dev/crm-subgraph.js';

// The demo page's typed documents (graphql-codegen's client preset), from its operations in
// demo/src against what the gateway serves: this subgraph plus the CRM's Contact fields. Run by
// `npm run demo`, `npm run typecheck` and `npm test`; the production build never needs demo/.
// Paths are relative to the package root, where npm runs scripts.
const config: CodegenConfig = {
  generates: {
    'demo/src/__generated__/': {
      schema: ['schema.graphql', 'reporting.graphql', print(crmTypeDefs)],
      documents: ['demo/src/**/*.ts', '!demo/src/__generated__/**'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        immutableTypes: true,
        avoidOptionals: { field: true, inputValue: false, object: true, defaultValue: false },
        scalars: { DateTime: 'string' },
      },
    },
  },
};

export default config;
