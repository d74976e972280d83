/**
 * The README's InMemoryCache typePolicies (demo/src/cache.ts), against answers shaped like this
 * subgraph's: stable ids, links replaced whole, near-expiry links read as missing. Date frozen.
 */
import { gql } from '@apollo/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCache, LINK_REFRESH_LEAD_MS } from '../../demo/src/cache.js';

const NOW = Date.parse('2026-01-01T12:00:00.000Z');
const at = (ms: number) => new Date(NOW + ms).toISOString();

const LIST = gql`
  query List {
    contacts { acdContactId recording { acdContactId durationSeconds transcript { kind } } }
  }
`;
const DETAIL = gql`
  query Detail($id: ID!) {
    recording(acdContactId: $id) {
      acdContactId
      durationSeconds
      mediaUrl { url expiresAt fileName }
      transcript { kind messages { text } }
      segments { segmentId closeReason }
      statements(statementIds: ["5001"]) { acdContactId statementId }
    }
  }
`;

function detail(overrides: { url?: string; expiresAt?: string; fileName?: string | null; durationSeconds?: number } = {}) {
  return {
    recording: {
      __typename: 'CxoneRecording',
      acdContactId: '100000000003',
      durationSeconds: overrides.durationSeconds ?? 420,
      mediaUrl: {
        __typename: 'CxoneMediaUrl',
        url: overrides.url ?? 'http://sim/media/a.mp4?Expires=1&Signature=x',
        expiresAt: overrides.expiresAt ?? at(30 * 60_000),
        fileName: overrides.fileName === undefined ? 'recording_a.mp4' : overrides.fileName,
      },
      transcript: { __typename: 'CxoneTranscript', kind: 'CHAT', messages: [{ __typename: 'CxoneTranscriptMessage', text: 'Hi' }] },
      segments: [{ __typename: 'CxoneSegment', segmentId: 'seg-1', closeReason: 'CONTACT' }],
      statements: [{ __typename: 'CxoneStatement', acdContactId: '100000000003', statementId: '5001' }],
    },
  };
}

const list = (durationSeconds: number) => ({
  contacts: [
    {
      __typename: 'Contact',
      acdContactId: '100000000003',
      recording: { __typename: 'CxoneRecording', acdContactId: '100000000003', durationSeconds, transcript: { __typename: 'CxoneTranscript', kind: 'CHAT' } },
    },
  ],
});

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('typePolicies', () => {
  it('keys Recording, Segment, Statement and Contact by their ids', () => {
    const cache = createCache();
    cache.writeQuery({ query: DETAIL, variables: { id: '100000000003' }, data: detail() });
    const keys = Object.keys(cache.extract());
    expect(keys).toEqual(
      expect.arrayContaining([
        'CxoneRecording:{"acdContactId":"100000000003"}',
        'CxoneSegment:{"segmentId":"seg-1"}',
        'CxoneStatement:{"acdContactId":"100000000003","statementId":"5001"}',
      ]),
    );
    // MediaUrl and Transcript are values inside the Recording, not entities of their own.
    expect(keys.some((key) => key.startsWith('CxoneMediaUrl') || key.startsWith('CxoneTranscript'))).toBe(false);
    cache.writeQuery({ query: LIST, data: list(420) });
    expect(Object.keys(cache.extract())).toContain('Contact:{"acdContactId":"100000000003"}');
  });

  it('shares one Recording between the list and the detail, transcript fields combined', () => {
    const cache = createCache();
    cache.writeQuery({ query: DETAIL, variables: { id: '100000000003' }, data: detail() });
    cache.writeQuery({ query: LIST, data: list(421) });
    const read = cache.readQuery<ReturnType<typeof detail>>({ query: DETAIL, variables: { id: '100000000003' } });
    expect(read?.recording.durationSeconds).toBe(421);
    // The list's transcript { kind } did not drop the detail's messages.
    expect(read?.recording.transcript.messages).toHaveLength(1);
  });

  it('replaces a MediaUrl whole with the newer answer (never merged field by field)', () => {
    const cache = createCache();
    cache.writeQuery({ query: DETAIL, variables: { id: '100000000003' }, data: detail() });
    cache.writeQuery({
      query: DETAIL,
      variables: { id: '100000000003' },
      data: detail({ url: 'http://sim/media/a.mp4?Expires=2&Signature=y', fileName: null }),
    });
    const read = cache.readQuery<ReturnType<typeof detail>>({ query: DETAIL, variables: { id: '100000000003' } });
    expect(read?.recording.mediaUrl).toEqual({
      __typename: 'CxoneMediaUrl',
      url: 'http://sim/media/a.mp4?Expires=2&Signature=y',
      expiresAt: at(30 * 60_000),
      fileName: null,
    });
  });

  it('reads a link as missing once it is within the refresh lead of expiring, so cache-first refetches', () => {
    const cache = createCache();
    cache.writeQuery({ query: DETAIL, variables: { id: '100000000003' }, data: detail({ expiresAt: at(LINK_REFRESH_LEAD_MS + 5_000) }) });
    expect(cache.readQuery({ query: DETAIL, variables: { id: '100000000003' } })).not.toBeNull();
    vi.setSystemTime(NOW + 5_001);
    expect(cache.readQuery({ query: DETAIL, variables: { id: '100000000003' } })).toBeNull();
    // The list query selects no link and is unaffected.
    cache.writeQuery({ query: LIST, data: list(420) });
    expect(cache.readQuery({ query: LIST })).not.toBeNull();
  });

  it('keys CxoneRecordingStatus by contact and media type, so a later answer replaces PROCESSING in place', () => {
    const STATUS = gql`
      query Status {
        contacts { acdContactId recordingStatus { acdContactId mediaType state retryAfterSeconds } }
      }
    `;
    const answer = (state: string, retryAfterSeconds: number | null) => ({
      contacts: [
        {
          __typename: 'Contact',
          acdContactId: '100000000008',
          recordingStatus: { __typename: 'CxoneRecordingStatus', acdContactId: '100000000008', mediaType: 'ALL', state, retryAfterSeconds },
        },
      ],
    });
    const cache = createCache();
    cache.writeQuery({ query: STATUS, data: answer('PROCESSING', 5) });
    expect(Object.keys(cache.extract())).toContain('CxoneRecordingStatus:{"acdContactId":"100000000008","mediaType":"ALL"}');
    cache.writeQuery({ query: STATUS, data: answer('AVAILABLE', null) });
    expect(cache.readFragment({
      id: 'CxoneRecordingStatus:{"acdContactId":"100000000008","mediaType":"ALL"}',
      fragment: gql`fragment S on CxoneRecordingStatus { state retryAfterSeconds }`,
    })).toEqual({ __typename: 'CxoneRecordingStatus', state: 'AVAILABLE', retryAfterSeconds: null });
  });

  describe('temporary answers are never read back', () => {
    const ROW = gql`
      query Row($id: ID!) {
        contact(acdContactId: $id) {
          acdContactId
          recordingStatus { acdContactId mediaType state retryAfterSeconds }
          recording { acdContactId durationSeconds }
        }
      }
    `;
    const row = (state: string) => ({
      contact: {
        __typename: 'Contact',
        acdContactId: '100000000010',
        recordingStatus: { __typename: 'CxoneRecordingStatus', acdContactId: '100000000010', mediaType: 'ALL', state, retryAfterSeconds: state === 'AVAILABLE' ? null : 5 },
        recording: null,
      },
    });

    it('reads a null recording beside a temporary state as missing, so asking again asks the server', () => {
      for (const state of ['PROCESSING', 'LOCKED', 'RATE_LIMITED', 'UNAVAILABLE', 'SOMETHING_NEW']) {
        const cache = createCache();
        cache.writeQuery({ query: ROW, variables: { id: '100000000010' }, data: row(state) });
        expect(cache.readQuery({ query: ROW, variables: { id: '100000000010' } }), state).toBeNull();
      }
    });

    it('reads a null recording beside a final state back: no recording, archived, no permission', () => {
      for (const state of ['NOT_FOUND', 'ARCHIVED', 'FORBIDDEN', 'UNAUTHENTICATED']) {
        const cache = createCache();
        cache.writeQuery({ query: ROW, variables: { id: '100000000010' }, data: row(state) });
        expect(cache.readQuery<ReturnType<typeof row>>({ query: ROW, variables: { id: '100000000010' } })?.contact.recording, state).toBeNull();
      }
    });

    it('never reads back a null Query.recording, and keys a refresh: true answer with the plain one', () => {
      const ONE = gql`
        query One($id: ID!, $refresh: Boolean) { recording(acdContactId: $id, refresh: $refresh) { acdContactId durationSeconds } }
      `;
      const cache = createCache();
      cache.writeQuery({ query: ONE, variables: { id: '100000000010' }, data: { recording: null } });
      expect(cache.readQuery({ query: ONE, variables: { id: '100000000010' } })).toBeNull();
      cache.writeQuery({
        query: ONE,
        variables: { id: '100000000010', refresh: true },
        data: { recording: { __typename: 'CxoneRecording', acdContactId: '100000000010', durationSeconds: 3 } },
      });
      expect(cache.readQuery<{ recording: { durationSeconds: number } }>({ query: ONE, variables: { id: '100000000010' } })?.recording.durationSeconds).toBe(3);
    });
  });
});
