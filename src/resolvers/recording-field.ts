/**
 * How a `recording` field resolves, for `Contact.recording`, `Query.recording` and each id of
 * `Query.recordings`: links only (built from the id, no upstream call), a forced refresh (bounded,
 * see loaders/index.ts), a warm contact from the in-process cache without building a loader, or a
 * load, through the bulk loader when the request is reporting (see priority.ts).
 */
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import type { GraphQLContext } from '../context.js';
import type { MediaTypeName, RecordingModel } from '../models.js';
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

/** Recording fields answered from the contact id alone: its CXone player and download pages. */
const LINK_FIELDS: ReadonlySet<string> = new Set(['__typename', 'acdContactId', 'mediaType', 'playerUrl', 'downloadUrl']);

/**
 * Whether this `recording` selection asks for its links and nothing else CXone must answer
 * (ids and `__typename` aside): the player and download pages are built from the id, no upstream
 * call. A selection of ids alone still loads the contact: it asks whether the recording exists.
 */
function selectsLinksOnly(info: GraphQLResolveInfo): boolean {
  // The fields selected directly below this one, through fragments too.
  const names = new Set<string>();
  const seen = new Set<string>();
  const collect = (selectionSet: SelectionSetNode | undefined): void => {
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD) names.add(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        collect(info.fragments[selection.name.value]?.selectionSet);
      }
    }
  };
  for (const node of info.fieldNodes) collect(node.selectionSet);
  return [...names].every((name) => LINK_FIELDS.has(name)) && (names.has('playerUrl') || names.has('downloadUrl'));
}

/**
 * The recording a links-only selection resolves from: the id and media type; every other field is
 * empty, and never read, because nothing else was selected.
 */
function linksOnlyRecording(acdContactId: string, mediaType: MediaTypeName): RecordingModel {
  return {
    acdContactId,
    contactId: null,
    requestedMediaType: mediaType,
    startTime: null,
    endTime: null,
    durationSeconds: null,
    mediaUrl: null,
    screenUrl: null,
    transcript: null,
    segments: [],
    interactions: [],
    agents: [],
    sentiments: null,
    categories: null,
    tags: [],
  };
}
