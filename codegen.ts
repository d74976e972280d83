import type { CodegenConfig } from '@graphql-codegen/cli';
import { print } from 'graphql';
// The CRM's side of the supergraph the demo queries, as the dev CRM subgraph declares it (its
// default shape); printed here because its SDL is built per shape, which a plucker cannot read.
import { crmTypeDefs } from './src/dev/crm-subgraph.js';

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
          CxoneRecording: '../models.js#RecordingModel',
          CxoneSegment: '../models.js#SegmentModel',
          CxoneStatement: '../models.js#StatementRef',
          Contact: '../models.js#ContactRef',
          CxoneMediaUrl: '../models.js#MediaUrlModel',
          CxoneTranscript: '../models.js#TranscriptModel',
          CxoneInteraction: '../models.js#InteractionModel',
          CxoneParticipant: '../models.js#ParticipantModel',
          CxoneContactConnection: '../models.js#CompletedContactConnectionModel',
          CxoneContactEdge: '../models.js#CompletedContactEdgeModel',
          CxoneCompletedContact: '../models.js#CompletedContactModel',
          CxoneRecordingStatus: '../models.js#RecordingStatusModel',
          CxoneTranscriptBlock: '../models.js#TranscriptBlockModel',
          CxoneAnalytics: '../models.js#AnalyticsModel',
          CxoneChannelSentiment: '../models.js#ChannelSentimentModel',
          CxoneEntity: '../models.js#EntityModel',
          CxoneAnalyticsStatus: '../models.js#AnalyticsStatusModel',
          CxoneAnalyzedSegmentConnection: '../models.js#AnalyzedSegmentConnectionModel',
          CxoneAnalyzedSegmentEdge: '../models.js#AnalyzedSegmentEdgeModel',
          CxoneAnalyzedSegment: '../models.js#AnalyzedSegmentModel',
        },
      },
    },
    // The demo page's typed documents (graphql-codegen's client preset), from its operations in
    // demo/src against what the gateway serves: this subgraph plus the CRM's Contact fields.
    'demo/src/__generated__/': {
      schema: ['schema.graphql', print(crmTypeDefs)],
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
