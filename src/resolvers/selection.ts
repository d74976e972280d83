/**
 * Decisions from the selection set: what a field's sub-selection asks for, read from `info`, so a
 * resolver can skip an upstream call whose answer nobody selected.
 */
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import type { MediaTypeName, RecordingModel } from '../models.js';

/** Recording fields answered from the contact id alone: its CXone player and download pages. */
const LINK_FIELDS: ReadonlySet<string> = new Set(['__typename', 'acdContactId', 'mediaType', 'playerUrl', 'downloadUrl']);

/**
 * The names of the fields selected directly below this one (through fragments too), or null as
 * soon as one is not in `allowed`.
 */
function selectedWithin(info: GraphQLResolveInfo, allowed: ReadonlySet<string>): Set<string> | null {
  const names = new Set<string>();
  const within = (selectionSet: SelectionSetNode | undefined, seen: Set<string>): boolean => {
    if (selectionSet === undefined) return true;
    return selectionSet.selections.every((selection) => {
      switch (selection.kind) {
        case Kind.FIELD:
          names.add(selection.name.value);
          return allowed.has(selection.name.value);
        case Kind.INLINE_FRAGMENT:
          return within(selection.selectionSet, seen);
        case Kind.FRAGMENT_SPREAD: {
          const name = selection.name.value;
          if (seen.has(name)) return true;
          seen.add(name);
          return within(info.fragments[name]?.selectionSet, seen);
        }
        default:
          return false;
      }
    });
  };
  const seen = new Set<string>();
  return info.fieldNodes.every((node) => within(node.selectionSet, seen)) ? names : null;
}

/**
 * Whether this `recording` selection asks for its links and nothing else CXone must answer
 * (ids and `__typename` aside): the player and download pages are built from the id, no upstream
 * call. A selection of ids alone still loads the contact: it asks whether the recording exists.
 */
export function selectsLinksOnly(info: GraphQLResolveInfo): boolean {
  const names = selectedWithin(info, LINK_FIELDS);
  return names !== null && (names.has('playerUrl') || names.has('downloadUrl'));
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
