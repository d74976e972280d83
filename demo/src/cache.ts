/**
 * InMemoryCache settings for this subgraph's types (the README's "Using it from Apollo Client"
 * shows the same). Entities get stable ids; MediaUrl is a value, never normalised; and the cache
 * never answers with something that was only true for a moment:
 *
 * - a link about to expire reads as missing, so a cache-first query fetches a fresh one instead of
 *   handing the player a dead URL;
 * - a temporary recordingStatus (PROCESSING, LOCKED, RATE_LIMITED, UNAVAILABLE, or one this page
 *   does not know) reads as missing, so asking again asks the server;
 * - a null recording reads as missing unless its contact's stored status says the null is final
 *   (NOT_FOUND, ARCHIVED, FORBIDDEN, UNAUTHENTICATED): a timeout is never stored as "no recording".
 */
import {
  InMemoryCache,
  type FieldFunctionOptions,
  type FieldPolicy,
  type Reference,
  type StoreObject,
  type TypePolicies,
} from '@apollo/client';
import type { KeyArgsFunction } from '@apollo/client/cache';
import { LINK_REFRESH_LEAD_MS } from './link-refresh.js';

export { LINK_REFRESH_LEAD_MS };

/** States whose null recording is an answer, not a moment: safe to read back from the cache. */
const FINAL_STATES: ReadonlySet<string> = new Set(['AVAILABLE', 'NOT_FOUND', 'ARCHIVED', 'FORBIDDEN', 'UNAUTHENTICATED']);

/** A MediaUrl field reads as missing once its link is within LINK_REFRESH_LEAD_MS of expiring. */
const freshLink: FieldPolicy<StoreObject | Reference | null> = {
  // `refresh: true` changes how a link is fetched, not which link it is: one field either way.
  keyArgs: false,
  read(existing, { readField }) {
    if (existing === undefined || existing === null) return existing;
    const expiresAt = readField<string>('expiresAt', existing);
    if (typeof expiresAt !== 'string') return existing;
    return Date.parse(expiresAt) - LINK_REFRESH_LEAD_MS > Date.now() ? existing : undefined;
  },
};

/** One field per media type (ALL when not given), whatever else the arguments say (`refresh`). */
const byMediaType: KeyArgsFunction = (args) => `mediaType:${typeof args?.['mediaType'] === 'string' ? args['mediaType'] : 'ALL'}`;

/** The status stored beside a Contact's recording (same media type), or undefined. */
function storedState(options: FieldFunctionOptions): string | undefined {
  const mediaType = typeof options.args?.['mediaType'] === 'string' ? options.args['mediaType'] : 'ALL';
  const status = options.readField<Reference | StoreObject | null>({ fieldName: 'recordingStatus', args: { mediaType } });
  if (status === undefined || status === null) return undefined;
  const state = options.readField<string>('state', status);
  return typeof state === 'string' ? state : undefined;
}

/** A Contact's recording: a stored null is read back only when the stored status says it is final. */
const contactRecording: FieldPolicy<Reference | null> = {
  keyArgs: byMediaType,
  read(existing, options) {
    if (existing !== null) return existing;
    const state = storedState(options);
    return state !== undefined && FINAL_STATES.has(state) ? null : undefined;
  },
};

/** Query.recording carries no status beside it: a stored null is never read back. */
const queryRecording: FieldPolicy<Reference | null> = {
  keyArgs: (args, context) => `acdContactId:${String(args?.['acdContactId'])}:${String(byMediaType(args, context))}`,
  read: (existing) => (existing === null ? undefined : existing),
};

const typePolicies: TypePolicies = {
  Query: { fields: { recording: queryRecording } },
  // Owned by the CRM subgraph; acdContactId is its federation key.
  Contact: {
    keyFields: ['acdContactId'],
    fields: { recording: contactRecording, recordingStatus: { keyArgs: byMediaType } },
  },
  // One cache entry per contact. Caveat: recording(mediaType: VOICE_ONLY) and the default ALL share
  // it (Recording carries no mediaType), so a page should stick to one mediaType per contact.
  CxoneRecording: {
    keyFields: ['acdContactId'],
    fields: { mediaUrl: freshLink, screenUrl: freshLink },
  },
  // Segment ids are global in CXone (UUIDs on real tenants).
  CxoneSegment: { keyFields: ['segmentId'], fields: { mediaUrl: freshLink } },
  // A statement id is only unique within its contact.
  CxoneStatement: { keyFields: ['acdContactId', 'statementId'], fields: { mediaUrl: freshLink } },
  CxoneInteraction: { fields: { mediaUrl: freshLink } },
  // Whether a contact's recording can be read now, per media type: a refetch after
  // retryAfterSeconds replaces PROCESSING with AVAILABLE in place, wherever the status is shown.
  // A temporary state reads as missing: it was true when fetched, and is asked for again.
  CxoneRecordingStatus: {
    keyFields: ['acdContactId', 'mediaType'],
    fields: { state: { read: (existing: string | undefined) => (existing !== undefined && FINAL_STATES.has(existing) ? existing : undefined) } },
  },
  // A temporary signed link: a value of its parent, replaced whole by a newer answer (never merged
  // field by field, never keyed by url: every answer signs anew).
  CxoneMediaUrl: { keyFields: false, merge: false },
  // One per recording: fields selected by different queries (the list's kind, the detail's
  // messages) combine instead of one answer dropping the other's.
  CxoneTranscript: { keyFields: false, merge: true },
  CxoneEmailContent: { keyFields: false, merge: true },
};

export function createCache(): InMemoryCache {
  // freshLink reads the clock, and InMemoryCache memoises reads until the cache changes: with
  // result caching on, a cache-first query could still be handed a link that expired meanwhile.
  return new InMemoryCache({ typePolicies, resultCaching: false });
}
