/**
 * InMemoryCache settings for this subgraph's types (the README's "Using it from Apollo Client"
 * shows the same). Entities get stable ids; MediaUrl is a value, never normalised; and a cached
 * link that is about to expire reads as missing, so a cache-first query goes to the network for a
 * fresh one instead of handing the player a dead URL.
 */
import { InMemoryCache, type FieldPolicy, type Reference, type StoreObject, type TypePolicies } from '@apollo/client';
import { LINK_REFRESH_LEAD_MS } from './link-refresh.js';

export { LINK_REFRESH_LEAD_MS };

/** A MediaUrl field reads as missing once its link is within LINK_REFRESH_LEAD_MS of expiring. */
const freshLink: FieldPolicy<StoreObject | Reference | null> = {
  read(existing, { readField }) {
    if (existing === undefined || existing === null) return existing;
    const expiresAt = readField<string>('expiresAt', existing);
    if (typeof expiresAt !== 'string') return existing;
    return Date.parse(expiresAt) - LINK_REFRESH_LEAD_MS > Date.now() ? existing : undefined;
  },
};

export const typePolicies: TypePolicies = {
  // `refresh: true` changes how an answer is fetched, not what it is: one field per contact and media type.
  Query: { fields: { recording: { keyArgs: ['acdContactId', 'mediaType'] } } },
  // Owned by the CRM subgraph; acdContactId is its federation key.
  Contact: { keyFields: ['acdContactId'] },
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
  CxoneRecordingStatus: { keyFields: ['acdContactId', 'mediaType'] },
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
