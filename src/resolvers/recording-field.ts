/**
 * How a `recording` field resolves (`Contact.recording`, `Query.recording`, each id of
 * `Query.recordings`): links only, a forced refresh, a warm contact from the in-process cache
 * without building a loader, or a load (at bulk priority when the request is reporting).
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { GraphQLContext } from '../context.js';
import type { MediaTypeName, RecordingModel } from '../models.js';
import { eachSelectedField } from '../guards/demand.js';
import { requireCaller } from './validate.js';

interface RecordingRequest {
  readonly mediaType: MediaTypeName;
  readonly refresh?: boolean | null | undefined;
  /** Whether a load is at bulk priority; asked only when a load is needed. */
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
    return ctx.loaders.cachedRecording(key) ?? ctx.loaders.recording.load({ ...key, bulk: request.bulk() });
  };
}

/** Recording fields answered from the contact id alone: its CXone player and download pages. */
const LINK_FIELDS: ReadonlySet<string> = new Set(['__typename', 'acdContactId', 'mediaType', 'playerUrl', 'downloadUrl']);

/**
 * Whether this `recording` selection asks for its links (built from the id) and nothing CXone must
 * answer. A selection of ids alone still loads the contact: it asks whether the recording exists.
 */
function selectsLinksOnly(info: GraphQLResolveInfo): boolean {
  // graphql-js hands every item of a list the same `fieldNodes` array: decided once per page, not per contact.
  const known = linksOnly.get(info.fieldNodes);
  if (known !== undefined) return known;
  const decided = linksOnlySelection(info);
  linksOnly.set(info.fieldNodes, decided);
  return decided;
}

const linksOnly = new WeakMap<GraphQLResolveInfo['fieldNodes'], boolean>();

function linksOnlySelection(info: GraphQLResolveInfo): boolean {
  const names = new Set<string>();
  const seen = new Set<string>();
  for (const node of info.fieldNodes) eachSelectedField(node.selectionSet, info.fragments, seen, (field) => names.add(field.name.value));
  return [...names].every((name) => LINK_FIELDS.has(name)) && (names.has('playerUrl') || names.has('downloadUrl'));
}

/** A links-only selection's recording: every field but the id and media type is empty, and never read. */
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
