/**
 * How a `recording` field resolves, for `Contact.recording`, `Query.recording` and each id of
 * `Query.recordings`: links only (built from the id, no upstream call), a forced refresh (bounded,
 * see loaders/index.ts), a warm contact from the in-process cache without building a loader, or a
 * load, through the bulk loader when the request is reporting (see priority.ts).
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { GraphQLContext } from '../context.js';
import type { MediaTypeName, RecordingModel } from '../models.js';
import { linksOnlyRecording, selectsLinksOnly } from './selection.js';
import { requireCaller } from './validate.js';

interface RecordingRequest {
  readonly mediaType: MediaTypeName;
  readonly refresh?: boolean | null | undefined;
  /** Whether a load goes through the bulk loader; asked only when a load is needed. */
  readonly bulk: () => boolean;
}

/** The resolver of one id under this field's selection and arguments (decided once per field). */
export function recordingResolver(
  ctx: GraphQLContext,
  info: GraphQLResolveInfo,
  request: RecordingRequest,
): (acdContactId: string) => RecordingModel | Promise<RecordingModel> {
  const { mediaType } = request;
  if (selectsLinksOnly(info)) {
    requireCaller(ctx);
    return (acdContactId) => linksOnlyRecording(acdContactId, mediaType);
  }
  if (request.refresh === true) return (acdContactId) => ctx.loaders.recordingRefresh.load({ acdContactId, mediaType });
  return (acdContactId) => {
    const key = { acdContactId, mediaType };
    return ctx.loaders.cachedRecording(key) ?? (request.bulk() ? ctx.loaders.recordingBulk : ctx.loaders.recording).load(key);
  };
}
