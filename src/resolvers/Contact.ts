import type { ContactResolvers } from '../__generated__/resolvers-types.js';
import { badUserInput } from '../errors.js';
import { isBulkEntityBatch } from './priority.js';
import { requireAcdId } from './validate.js';
import { requireCaller } from './auth.js';
import { linksOnlyRecording, selectsLinksOnly } from './selection.js';

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
  // Links only (player and download pages): built from the id, no upstream call (schema.graphql).
  // A report's node, or a large router batch, is reporting, not a contact page (see priority.ts).
  recording: (contact, { mediaType }, ctx, info) => {
    const acdContactId = requireAcdId(contact.acdContactId, 'acdContactId');
    if (selectsLinksOnly(info)) {
      requireCaller(ctx);
      return linksOnlyRecording(acdContactId, mediaType);
    }
    return (
      ctx.loaders.cachedRecording({ acdContactId, mediaType }) ??
      (contact.reporting === true || isBulkEntityBatch(info) ? ctx.loaders.recordingBulk : ctx.loaders.recording).load({
        acdContactId,
        mediaType,
      })
    );
  },
};
