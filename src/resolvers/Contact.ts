import type { ContactResolvers } from '../__generated__/resolvers-types.js';
import { badUserInput, recordingStateOf } from '../errors.js';
import type { GraphQLContext } from '../context.js';
import type { ContactRef, RecordingStatusModel } from '../models.js';
import { isBulkRequest } from './priority.js';
import { requireAcdId } from './validate.js';
import { recordingResolver } from './recording-field.js';

/** A report's node, or a large router batch, is reporting, not a contact page (see priority.ts). */
function isBulk(contact: ContactRef, ctx: GraphQLContext): boolean {
  return contact.reporting === true || isBulkRequest(ctx);
}

export const Contact: ContactResolvers = {
  // The router's representation is all we need; the recording is loaded only when selected.
  __resolveReference: (reference) => ({ acdContactId: reference.acdContactId }),
  // A representation's key is whatever JSON was sent; a null one is the sender's error, not ours.
  acdContactId: (contact) => {
    const value: unknown = contact.acdContactId;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    throw badUserInput('acdContactId is missing from the representation.', 'representations');
  },
  recording: (contact, { mediaType, refresh }, ctx, info) => {
    const acdContactId = requireAcdId(contact.acdContactId, 'acdContactId');
    return recordingResolver(ctx, info, { mediaType, refresh, bulk: () => isBulk(contact, ctx) })(acdContactId);
  },
  // The same loader and key as `recording`: selecting both costs one upstream call. Expected
  // states become data; `recording` keeps its error.
  recordingStatus: async (contact, { mediaType }, ctx): Promise<RecordingStatusModel> => {
    const acdContactId = requireAcdId(contact.acdContactId, 'acdContactId');
    try {
      await ctx.loaders.recording.load({ acdContactId, mediaType, bulk: isBulk(contact, ctx) });
      return { acdContactId, mediaType, state: 'AVAILABLE', retryAfterSeconds: null, message: null };
    } catch (error) {
      const failure = recordingStateOf(error);
      if (failure === undefined) throw error;
      // Data, not an error, yet it may change any moment: the answer must not be kept.
      ctx.answer.passingState();
      return { acdContactId, mediaType, ...failure };
    }
  },
};
