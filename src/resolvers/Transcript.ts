import type { CxoneTranscriptResolvers } from '../__generated__/resolvers-types.js';

export const Transcript: CxoneTranscriptResolvers = {
  blocks: (transcript) => transcript.blocks ?? [],
  text: (transcript) => {
    if (transcript.kind === 'VOICE') {
      return (transcript.blocks ?? []).map((block) => `${block.speaker}: ${block.text}`).join('\n');
    }
    if (transcript.kind === 'EMAIL') {
      const email = transcript.email;
      return [email?.subject, email?.body].filter((part): part is string => typeof part === 'string').join('\n\n');
    }
    return transcript.messages
      .map((message) => `${message.participantName ?? message.participantType}: ${message.text}`)
      .join('\n');
  },
};
