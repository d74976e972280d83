import type { CodegenConfig } from '@graphql-codegen/cli';

// Resolver types are generated, not committed: `npm run codegen` runs before typecheck, build and test.
const config: CodegenConfig = {
  schema: 'schema.graphql',
  generates: {
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
        },
      },
    },
  },
};

export default config;
