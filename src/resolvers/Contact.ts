import type { ContactResolvers } from '../__generated__/resolvers-types.js';
import { requireAcdId } from './validate.js';

export const Contact: ContactResolvers = {
  // The router's representation is all we need; the recording is loaded only when selected.
  __resolveReference: (reference) => ({ acdContactId: reference.acdContactId }),
  recording: (contact, { mediaType }, ctx) =>
    (contact.reporting === true ? ctx.loaders.recordingBulk : ctx.loaders.recording).load({
      acdContactId: requireAcdId(contact.acdContactId, 'acdContactId'),
      mediaType,
    }),
};
