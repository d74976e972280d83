/**
 * The subgraph over real HTTP against the simulator: every seeded behaviour as a user sees it,
 * with the upstream calls it cost counted on the simulator side.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_TOKENS, SEEDED } from '../../src/simulator/index.js';
import { codesByPath, gql } from '../helpers/graphql.js';
import { RECORDING_FIELDS } from '../helpers/selections.js';
import { startStack, type Stack } from '../helpers/stack.js';

const FULL = /* GraphQL */ `
  query One($id: ID!, $mediaType: CxoneMediaType = ALL) {
    recording(acdContactId: $id, mediaType: $mediaType) { ${RECORDING_FIELDS} }
  }
`;

interface MediaUrl {
  url: string;
  expiresAt: string;
  fileName: string | null;
  mediaType: string | null;
}
interface RecordingData {
  recording: null | {
    acdContactId: string;
    contactId: string | null;
    startTime: string | null;
    endTime: string | null;
    durationSeconds: number | null;
    mediaUrl: MediaUrl | null;
    screenUrl: MediaUrl | null;
    playerUrl: string;
    downloadUrl: string;
    voiceOnly: string;
    transcript: null | {
      kind: string;
      text: string;
      messages: Array<{ participantType: string; participantName: string | null; text: string; timestamp: string }>;
      email: null | { from: string; to: string[]; cc: string[]; bcc: string[]; subject: string; body: string };
    };
    segments: Array<{ segmentId: string; closeReason: string | null; firstSegment: boolean | null }>;
    interactions: Array<{ kind: string; mediaType: string | null; businessData: Array<{ key: string | null; value: string | null }> }>;
    agents: Array<{ name: string | null }>;
    sentiments: Array<{ overallSentiment: string }> | null;
    categories: Array<{ categoryHierarchy: string[] }> | null;
    tags: string[];
  };
}

let stack: Stack;
let url: string;

beforeAll(async () => {
  stack = await startStack({ simulator: { processingPolls: 2, lockHoldMs: 100 } });
  url = stack.app.url;
});
afterAll(async () => {
  await stack.close();
});
beforeEach(() => {
  stack.simulator.resetCalls();
});

const MINUTE = 60_000;

describe('voice recordings', () => {
  it('maps a voice call: playable link with fileName and 30-minute expiry, links, tags, analytics', async () => {
    const answeredAt = stack.clock.now();
    const response = await gql<RecordingData>(url, FULL, { variables: { id: SEEDED.voice } });
    expect(response.errors).toBeUndefined();
    const recording = response.data?.recording;
    expect(recording?.acdContactId).toBe(SEEDED.voice);
    expect(recording?.contactId).toMatch(/^[0-9a-f-]{36}$/);
    expect(recording?.mediaUrl?.url).toMatch(new RegExp(`^${stack.simulator.url}/media/.+\\.mp4\\?`));
    expect(recording?.mediaUrl?.mediaType).toBe('voice-only');
    expect(recording?.mediaUrl?.fileName).toMatch(/^recording_Alice Example_\d{8}T\d{6}Z_100000000001\.mp4$/);
    // A 4-minute call: CXone's rule gives the link 30 minutes from the answer.
    expect(Date.parse(recording?.mediaUrl?.expiresAt ?? '')).toBe(answeredAt + 30 * MINUTE);
    expect(recording?.durationSeconds).toBe(240);
    expect(recording?.playerUrl).toBe(
      'https://na1.nice-incontact.com/player/#/cxone-player/acd-contacts/100000000001',
    );
    expect(recording?.downloadUrl).toBe(
      'https://na1.nice-incontact.com/media-download/#/acd-contacts?acdContactId=100000000001&isDownload=true',
    );
    expect(recording?.voiceOnly).toBe(`${recording?.downloadUrl}&mediaType=voice-only`);
    // A voice call's transcript comes from Interaction Analytics (test/e2e/interaction-analytics.test.ts).
    expect(recording?.transcript?.kind).toBe('VOICE');
    expect(recording?.screenUrl).toBeNull();
    expect(recording?.tags).toEqual(['billing', 'vip']);
    expect(recording?.agents.map((agent) => agent.name)).toEqual(['Alice Example']);
    expect(recording?.sentiments).toHaveLength(2);
    expect(recording?.categories).toHaveLength(1);
    expect(recording?.segments).toHaveLength(1);
    expect(stack.simulator.count('contacts', SEEDED.voice)).toBe(1);
    // The request went out with exclude-waveforms and the mapped media type.
    const call = stack.simulator.calls().find((c) => c.endpoint === 'contacts');
    expect(call?.query).toMatchObject({ 'acd-call-id': SEEDED.voice, 'media-type': 'all', 'exclude-waveforms': 'true' });
  });

  it('serves a real mp4 from the link, without Authorization, until it expires', async () => {
    const response = await gql<RecordingData>(url, `{ recording(acdContactId: "${SEEDED.longCall}") { mediaUrl { url expiresAt } } }`);
    const media = response.data?.recording?.mediaUrl;
    expect(media).toBeTruthy();
    const file = await fetch(media!.url);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('video/mp4');
    const bytes = new Uint8Array(await file.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(4, 8))).toBe('ftyp');
    // A 2-hour call: the link lives 2 hours, not 30 minutes.
    const expiresAt = Date.parse(media!.expiresAt);
    expect(expiresAt - stack.clock.now()).toBe(2 * 60 * MINUTE);
    stack.clock.set(expiresAt + 1_000);
    expect((await fetch(media!.url)).status).toBe(403);
  });

  it("uses a SigV4 link's own 15-minute expiry when it is earlier than CXone's rule", async () => {
    const answeredAt = stack.clock.now();
    const response = await gql<RecordingData>(url, FULL, { variables: { id: SEEDED.voiceAndScreen } });
    const media = response.data?.recording?.mediaUrl;
    expect(media?.url).toContain('X-Amz-Expires=900');
    expect(media?.mediaType).toBe('voice-and-screen');
    expect(Date.parse(media?.expiresAt ?? '')).toBe(answeredAt + 15 * MINUTE);
  });

  it('hides sentiments and categories from a caller without that permission, keeps the rest', async () => {
    const response = await gql<RecordingData>(url, FULL, { variables: { id: SEEDED.voice }, token: DEMO_TOKENS.noAnalytics });
    expect(response.errors).toBeUndefined();
    expect(response.data?.recording?.sentiments).toBeNull();
    expect(response.data?.recording?.categories).toBeNull();
    expect(response.data?.recording?.mediaUrl?.url).toBeTruthy();
  });

  it('lists a transferred contact\'s segments and agents without calling /segments unless a segment link is selected', async () => {
    const response = await gql<RecordingData>(url, FULL, { variables: { id: SEEDED.transferred } });
    const recording = response.data?.recording;
    expect(recording?.segments).toHaveLength(4);
    expect(recording?.segments.map((s) => s.closeReason)).toEqual(['TRANSFER', 'TRANSFER', 'TRANSFER', 'CONTACT']);
    expect(recording?.segments.map((s) => s.firstSegment)).toEqual([true, false, false, false]);
    expect(recording?.agents).toHaveLength(3);
    expect(stack.simulator.count('segments')).toBe(0);
    // Each leg's agent, from CXone's participantDataList (segmentId ties them).
    const legs = await gql<{ recording: { segments: Array<{ agents: Array<{ name: string | null }> }> } }>(
      url,
      `{ recording(acdContactId: "${SEEDED.transferred}") { segments { agents { name } } } }`,
    );
    expect(legs.data?.recording.segments.map((s) => s.agents.map((a) => a.name))).toEqual([
      ['Alice Example'],
      ['Bob Example'],
      ['Carol Example'],
      ['Carol Example'],
    ]);

    const withLinks = await gql<{ recording: { segments: Array<{ segmentId: string; mediaUrl: MediaUrl | null }> } }>(
      url,
      `{ recording(acdContactId: "${SEEDED.transferred}") { segments { segmentId mediaUrl { url expiresAt } } } }`,
    );
    expect(withLinks.errors).toBeUndefined();
    expect(withLinks.data?.recording.segments.every((s) => s.mediaUrl?.url.includes('/media/'))).toBe(true);
    expect(stack.simulator.count('segments')).toBe(4);
    // The contact itself came from the cache.
    expect(stack.simulator.count('contacts')).toBe(1);
    // A chat's participants carry no segment id: its segment gets the chat's agent.
    const chat = await gql<{ recording: { segments: Array<{ agents: Array<{ name: string | null }> }> } }>(
      url,
      `{ recording(acdContactId: "${SEEDED.chat}") { segments { agents { name } } } }`,
    );
    expect(chat.data?.recording.segments.map((s) => s.agents.map((a) => a.name))).toEqual([['Bob Example']]);
  });
});

describe('digital recordings', () => {
  it('returns a chat transcript in time order, and the screen recording under ALL', async () => {
    const response = await gql<RecordingData>(url, FULL, { variables: { id: SEEDED.chat } });
    const recording = response.data?.recording;
    expect(recording?.transcript?.kind).toBe('CHAT');
    expect(recording?.transcript?.messages).toHaveLength(4);
    const times = recording!.transcript!.messages.map((m) => Date.parse(m.timestamp));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(recording?.transcript?.text.split('\n')).toHaveLength(4);
    expect(recording?.screenUrl?.mediaType).toMatch(/and-screen/i);
    expect(recording?.sentiments).toBeNull();
  });

  it('returns an empty transcript for a digital-first chat CXone kept no messages for', async () => {
    const response = await gql<RecordingData>(url, FULL, { variables: { id: SEEDED.digitalChat } });
    expect(response.errors).toBeUndefined();
    expect(response.data?.recording?.transcript).toMatchObject({ kind: 'CHAT', messages: [], text: '' });
  });

  it('returns email content', async () => {
    const response = await gql<RecordingData>(url, FULL, { variables: { id: SEEDED.email } });
    const email = response.data?.recording?.transcript?.email;
    expect(response.data?.recording?.transcript?.kind).toBe('EMAIL');
    expect(email?.to).toHaveLength(2);
    expect(email?.cc).toHaveLength(1);
    expect(email?.bcc).toEqual([]);
    expect(email?.subject).toBeTruthy();
    expect(response.data?.recording?.transcript?.text).toContain(email!.subject);
  });

  it('passes the media type to CXone', async () => {
    const response = await gql<{
      recording: { mediaType: string; transcript: { kind: string }; segments: Array<{ mediaType: string }> } | null;
    }>(
      url,
      FULL.replace('acdContactId contactId', 'acdContactId contactId mediaType').replace('segments { segmentId', 'segments { mediaType segmentId'),
      { variables: { id: SEEDED.chat, mediaType: 'CHAT' } },
    );
    expect(response.data?.recording?.transcript?.kind).toBe('CHAT');
    expect(response.data?.recording?.mediaType).toBe('CHAT');
    expect(response.data?.recording?.segments.every((segment) => segment.mediaType === 'CHAT')).toBe(true);
    expect(stack.simulator.calls().find((c) => c.endpoint === 'contacts')?.query['media-type']).toBe('chat');
  });

  it('tolerates unknown enum values, nulls and plain-string business data', async () => {
    const response = await gql<RecordingData>(url, FULL, { variables: { id: SEEDED.quirky } });
    expect(response.errors).toBeUndefined();
    const interaction = response.data?.recording?.interactions[0];
    expect(interaction?.kind).toBe('workitem');
    expect(interaction?.mediaType).toBe('WORKITEM');
    expect(interaction?.businessData.some((entry) => entry.key === null && entry.value !== null)).toBe(true);
    expect(response.data?.recording?.tags).toEqual([]);
  });
});

describe('statements and segments', () => {
  it('calls the statements endpoint only when a statement link is selected', async () => {
    const linksOnly = await gql<{ recording: { statement: { playerUrl: string; downloadUrl: string } } }>(
      url,
      `{ recording(acdContactId: "${SEEDED.voice}") { statement(statementId: "5001") { playerUrl downloadUrl } } }`,
    );
    expect(linksOnly.data?.recording.statement.playerUrl).toBe(
      'https://na1.nice-incontact.com/player/#/cxone-player/acd-contacts/100000000001/statements/5001',
    );
    expect(linksOnly.data?.recording.statement.downloadUrl).toBe(
      'https://na1.nice-incontact.com/media-download/#/acd-contacts/100000000001/statements/5001?isDownload=true&mediaType=voice-only',
    );
    expect(stack.simulator.count('statements')).toBe(0);
    expect(stack.simulator.count('contacts')).toBe(1);

    const media = await gql<{ statement: { mediaUrl: MediaUrl } }>(
      url,
      `{ statement(acdContactId: "${SEEDED.voice}", statementId: "5002") { statementId mediaUrl { url expiresAt } } }`,
    );
    expect(media.errors).toBeUndefined();
    expect(media.data?.statement.mediaUrl.url).toContain('/media/');
    expect(stack.simulator.count('statements')).toBe(1);
    expect(stack.simulator.count('contacts')).toBe(1);
  });

  it('reads a segment on its own, and reports an archived one as SEGMENT_ARCHIVED', async () => {
    const archived = await gql(url, `{ segment(segmentId: "${SEEDED.archivedSegment}") { segmentId mediaUrl { url } } }`);
    expect(archived.data?.['segment']).toBeNull();
    expect(codesByPath(archived)).toEqual({ segment: 'SEGMENT_ARCHIVED' });
    expect(archived.errors?.[0]?.message).toMatch(/restore/i);
  });
});

describe('errors', () => {
  it.each([
    [SEEDED.preCutoff, 'RECORDING_NOT_FOUND', /2018-12-13/],
    ['999999999999', 'RECORDING_NOT_FOUND', /2018-12-13/],
    [SEEDED.timeout, 'UPSTREAM_TIMEOUT', /timed out/],
    [SEEDED.serverError, 'UPSTREAM_UNAVAILABLE', /CXone/],
  ])('contact %s -> %s', async (id, code, message) => {
    const response = await gql(url, `{ recording(acdContactId: "${id}") { acdContactId } }`);
    expect(response.data?.['recording']).toBeNull();
    expect(codesByPath(response)).toEqual({ recording: code });
    expect(response.errors?.[0]?.message).toMatch(message);
  });

  it('retries a contact that is still processing (202) until CXone answers 200', async () => {
    stack.simulator.reset();
    const response = await gql<RecordingData>(url, `{ recording(acdContactId: "${SEEDED.processing}") { acdContactId mediaUrl { url } } }`);
    expect(response.errors).toBeUndefined();
    expect(response.data?.recording?.mediaUrl?.url).toBeTruthy();
    expect(stack.simulator.count('contacts', SEEDED.processing)).toBe(3);
  });

  it('reports RECORDING_PROCESSING with retryAfterSeconds when CXone keeps answering 202', async () => {
    stack.simulator.reset();
    stack.simulator.configure({ processingPolls: 50 });
    try {
      // Another media type: the earlier success for this contact is cached under ALL.
      const response = await gql(url, `{ recording(acdContactId: "${SEEDED.processing}", mediaType: VOICE_ONLY) { acdContactId } }`);
      expect(codesByPath(response)).toEqual({ recording: 'RECORDING_PROCESSING' });
      expect(response.errors?.[0]?.extensions?.['retryAfterSeconds']).toEqual(expect.any(Number));
    } finally {
      stack.simulator.configure({ processingPolls: 2 });
      stack.simulator.reset();
    }
  });

  it('makes one call for a busy (425) contact asked for twice at once, so CXone never says locked', async () => {
    const query = `{ recording(acdContactId: "${SEEDED.locked}", mediaType: VOICE_ONLY) { acdContactId } }`;
    const [first, second] = await Promise.all([gql(url, query), gql(url, query)]);
    expect(first.errors).toBeUndefined();
    expect(second.errors).toBeUndefined();
    expect(stack.simulator.count('contacts', SEEDED.locked)).toBe(1);
  });

  it('reports RECORDING_LOCKED when CXone stays busy with another caller\'s request past the retry budget', async () => {
    stack.simulator.configure({ lockHoldMs: 1_500 });
    try {
      // Two callers: two cache keys, so two upstream calls; the second meets CXone's 425.
      const query = `{ recording(acdContactId: "${SEEDED.locked}", mediaType: VOICE_AND_SCREEN) { acdContactId } }`;
      const [full, noAnalytics] = await Promise.all([
        gql(url, query, { token: DEMO_TOKENS.full }),
        gql(url, query, { token: DEMO_TOKENS.noAnalytics }),
      ]);
      const codes = [codesByPath(full)['recording'], codesByPath(noAnalytics)['recording']];
      expect(codes.filter((code) => code === undefined)).toHaveLength(1);
      expect(codes).toContain('RECORDING_LOCKED');
      const locked = [full, noAnalytics].find((response) => response.errors !== undefined);
      expect(locked?.errors?.[0]?.extensions?.['retryAfterSeconds']).toEqual(expect.any(Number));
    } finally {
      stack.simulator.configure({ lockHoldMs: 100 });
    }
  });

  it('rejects bad ids with BAD_USER_INPUT before any upstream call', async () => {
    for (const [query, path] of [
      ['{ recording(acdContactId: "12ab") { acdContactId } }', 'recording'],
      ['{ recording(acdContactId: "123456789012345678901") { acdContactId } }', 'recording'],
      ['{ recording(acdContactId: "") { acdContactId } }', 'recording'],
      ['{ segment(segmentId: "../../etc/passwd") { segmentId } }', 'segment'],
      ['{ statement(acdContactId: "1", statementId: "x") { statementId } }', 'statement'],
      ['{ recordings(acdContactIds: []) { acdContactId } }', 'recordings'],
    ] as const) {
      const response = await gql(url, query);
      expect(codesByPath(response), query).toEqual({ [path]: 'BAD_USER_INPUT' });
    }
    expect(stack.simulator.calls()).toHaveLength(0);
  });

  it('answers UNAUTHENTICATED without an upstream call when there is no Authorization header', async () => {
    const response = await gql(url, `{ recording(acdContactId: "${SEEDED.voice}") { acdContactId } }`, { token: null });
    expect(codesByPath(response)).toEqual({ recording: 'UNAUTHENTICATED' });
    const statement = await gql(url, `{ statement(acdContactId: "1", statementId: "2") { playerUrl } }`, { token: null });
    expect(codesByPath(statement)).toEqual({ statement: 'UNAUTHENTICATED' });
    expect(stack.simulator.calls()).toHaveLength(0);
  });

  it('maps CXone 401 and 403 to UNAUTHENTICATED and FORBIDDEN', async () => {
    const unknown = await gql(url, `{ recording(acdContactId: "${SEEDED.voice}") { acdContactId } }`, { token: 'not-a-real-token' });
    expect(codesByPath(unknown)).toEqual({ recording: 'UNAUTHENTICATED' });
    const forbidden = await gql(url, `{ recording(acdContactId: "${SEEDED.voice}") { acdContactId } }`, { token: DEMO_TOKENS.noPlayback });
    expect(codesByPath(forbidden)).toEqual({ recording: 'FORBIDDEN' });
    for (const response of [unknown, forbidden]) {
      expect(JSON.stringify(response)).not.toContain('not-a-real-token');
    }
  });

  it('keeps the rest of a reporting page when some contacts fail', async () => {
    const response = await gql<{ recordings: Array<{ acdContactId: string } | null> }>(
      url,
      `{ recordings(acdContactIds: ["${SEEDED.voice}", "abc", "${SEEDED.preCutoff}", "${SEEDED.email}"]) { acdContactId } }`,
    );
    expect(response.data?.recordings).toEqual([
      { acdContactId: SEEDED.voice },
      null,
      null,
      { acdContactId: SEEDED.email },
    ]);
    expect(codesByPath(response)).toEqual({ 'recordings.1': 'BAD_USER_INPUT', 'recordings.2': 'RECORDING_NOT_FOUND' });
  });
});

describe('caching', () => {
  it('answers a repeated query inside the validity window with zero upstream calls, and refetches after expiry', async () => {
    const query = `{ recording(acdContactId: "${SEEDED.email}") { mediaUrl { url expiresAt } } }`;
    const first = await gql<RecordingData>(url, query, { token: DEMO_TOKENS.full });
    const calls = stack.simulator.count('contacts');
    const again = await gql<RecordingData>(url, query, { token: DEMO_TOKENS.full });
    expect(stack.simulator.count('contacts')).toBe(calls);
    expect(again.data?.recording?.mediaUrl?.url).toBe(first.data?.recording?.mediaUrl?.url);
    expect(again.headers.get('cache-control')).toMatch(/^private, max-age=\d+$/);

    // Past expiry minus the 60 s margin: a fresh call and a fresh link.
    stack.clock.set(Date.parse(first.data!.recording!.mediaUrl!.expiresAt) - 59_000);
    const fresh = await gql<RecordingData>(url, query, { token: DEMO_TOKENS.full });
    expect(stack.simulator.count('contacts')).toBe(calls + 1);
    expect(fresh.data?.recording?.mediaUrl?.url).not.toBe(first.data?.recording?.mediaUrl?.url);
  });

  it('keeps a link only as long as it lives: a 2-minute link is cached for 1 minute (60 s margin)', async () => {
    stack.simulator.configure({ linkLifetimeSeconds: 120 });
    try {
      const query = `{ recording(acdContactId: "${SEEDED.voice}", mediaType: VOICE_ONLY) { mediaUrl { url expiresAt } } }`;
      const first = await gql<RecordingData>(url, query);
      expect(Date.parse(first.data!.recording!.mediaUrl!.expiresAt) - stack.clock.now()).toBe(120_000);
      expect(first.headers.get('cache-control')).toBe('private, max-age=60');
      stack.clock.advance(59_000);
      const warm = await gql<RecordingData>(url, query);
      expect(warm.data?.recording?.mediaUrl?.url).toBe(first.data?.recording?.mediaUrl?.url);
      expect(warm.headers.get('cache-control')).toBe('private, max-age=1');
      stack.clock.advance(1_000);
      const fresh = await gql<RecordingData>(url, query);
      expect(fresh.data?.recording?.mediaUrl?.url).not.toBe(first.data?.recording?.mediaUrl?.url);
      expect(stack.simulator.count('contacts', SEEDED.voice)).toBe(2);
    } finally {
      stack.simulator.configure({ linkLifetimeSeconds: null });
    }
  });

  it('never serves one caller what was fetched for another token', async () => {
    const query = `{ recording(acdContactId: "${SEEDED.longCall}") { sentiments { overallSentiment } } }`;
    await gql(url, query, { token: DEMO_TOKENS.full });
    const other = await gql(url, query, { token: DEMO_TOKENS.noPlayback });
    expect(codesByPath(other)).toEqual({ recording: 'FORBIDDEN' });
  });

  it('remembers a 404 briefly', async () => {
    const query = '{ recording(acdContactId: "888888888888") { acdContactId } }';
    await gql(url, query);
    await gql(url, query);
    expect(stack.simulator.count('contacts', '888888888888')).toBe(1);
    stack.clock.advance(61_000);
    await gql(url, query);
    expect(stack.simulator.count('contacts', '888888888888')).toBe(2);
  });
});
