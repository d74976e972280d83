/**
 * Decisions from the selection set: what a field's sub-selection asks for, read from `info`, so a
 * resolver can skip an upstream call whose answer nobody selected.
 */
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import type { MediaTypeName, RecordingModel } from '../models.js';

/** Recording fields answered from the contact id alone: its CXone player and download pages. */
const LINK_FIELDS: ReadonlySet<string> = new Set(['__typename', 'acdContactId', 'mediaType', 'playerUrl', 'downloadUrl']);

/**
 * Whether this `recording` selection asks for its links and nothing else CXone must answer
 * (ids and `__typename` aside): the player and download pages are built from the id, no upstream
 * call. A selection of ids alone still loads the contact: it asks whether the recording exists.
 */
export function selectsLinksOnly(info: GraphQLResolveInfo): boolean {
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
export function linksOnlyRecording(acdContactId: string, mediaType: MediaTypeName): RecordingModel {
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
