import type { CodegenConfig } from '@graphql-codegen/cli';

// Generated, not committed: `npm run codegen` runs before typecheck, build and test.
const config: CodegenConfig = {
  schema: 'schema.graphql',
  generates: {
    // The subgraph's resolver types.
    'src/__generated__/resolvers-types.ts': {
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        federation: true,
        useIndexSignature: true,
        useTypeImports: true,
        immutableTypes: true,
        enumsAsTypes: true,
        contextType: '../context.js#GraphQLContext',
        scalars: { DateTime: 'string' },
        mappers: {
          Recording: '../models.js#RecordingModel',
          Segment: '../models.js#SegmentModel',
          Statement: '../models.js#StatementRef',
          Contact: '../models.js#ContactRef',
          MediaUrl: '../models.js#MediaUrlModel',
          Transcript: '../models.js#TranscriptModel',
          Interaction: '../models.js#InteractionModel',
          Participant: '../models.js#ParticipantModel',
          CxoneContactConnection: '../models.js#CompletedContactConnectionModel',
          CxoneContactEdge: '../models.js#CompletedContactEdgeModel',
          CxoneCompletedContact: '../models.js#CompletedContactModel',
        },
      },
    },
    // The demo page's typed documents (graphql-codegen's client preset), from its operations in
    // demo/src against what the gateway serves: this subgraph plus the CRM's Contact fields.
    'demo/src/__generated__/': {
      schema: ['schema.graphql', 'src/dev/crm-subgraph.ts'],
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
