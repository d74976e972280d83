import type { CodegenConfig } from '@graphql-codegen/cli';

// The production build's codegen: the subgraph's resolver types only, from the files the
// Dockerfile's build stage copies. The demo page's typed documents are demo/codegen.ts.
// Generated, not committed: `npm run codegen` runs before typecheck, build and test.
const config: CodegenConfig = {
  schema: ['schema.graphql', 'reporting.graphql'],
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
  },
};

export default config;
