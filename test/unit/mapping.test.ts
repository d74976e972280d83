import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CXONE_MEDIA_TYPES,
  InvalidCxoneAnswer,
  mapContactAnswer,
  mapSegmentAnswer,
  mapStatementAnswer,
  type MappingContext,
} from '../../src/cxone/mapping.js';
import type { MediaUrlModel } from '../../src/models.js';

/** A CXone answer as the client would hand it over: parsed JSON of unknown shape. */
function fixture(name: string): unknown {
  const parsed: unknown = JSON.parse(readFileSync(new URL(`../fixtures/cxone/${name}.json`, import.meta.url), 'utf8'));
  return parsed;
}

function ctxAt(iso: string, requestedMediaType: MappingContext['requestedMediaType'] = 'ALL'): MappingContext {
  return { answeredAt: Date.parse(iso), requestedMediaType };
}

/** Narrows a link the test expects to be there, with a readable failure when it is not. */
function link(value: MediaUrlModel | null | undefined): MediaUrlModel {
  expect(value).toBeTruthy();
  if (value === null || value === undefined) throw new Error('expected a media link');
  return value;
}

const MINUTE = 60_000;

describe('CXONE_MEDIA_TYPES', () => {
  it('sends CXone the media-type spelling it documents', () => {
    expect(CXONE_MEDIA_TYPES.ALL).toBe('all');
    expect(CXONE_MEDIA_TYPES.VOICE_ONLY).toBe('voice-only');
    expect(CXONE_MEDIA_TYPES.VOICE_AND_SCREEN).toBe('voice-and-screen');
    expect(CXONE_MEDIA_TYPES.CHAT).toBe('chat');
    expect(CXONE_MEDIA_TYPES.EMAIL).toBe('email');
  });
});

describe('mapContactAnswer: a 2-hour voice call', () => {
  const answeredAt = '2024-03-01T12:05:00.000Z';
  const recording = mapContactAnswer(fixture('voice-call'), '600012345678', ctxAt(answeredAt, 'VOICE_ONLY'));

  it('keeps the ids and the time span', () => {
    expect(recording.acdContactId).toBe('600012345678');
    expect(recording.contactId).toBe('6b0f3a5e-2f4c-4e51-9d0e-3c8e1f2a7b10');
    expect(recording.requestedMediaType).toBe('VOICE_ONLY');
    expect(recording.startTime).toBe('2024-03-01T10:00:00.000Z');
    expect(recording.endTime).toBe('2024-03-01T12:00:00.000Z');
    expect(recording.durationSeconds).toBe(7200);
  });

  it('plays the call file, valid for the call duration (2 h beats 30 min and the later signed Expires)', () => {
    const media = link(recording.mediaUrl);
    expect(media.url).toBe(
      'https://media-na1.niceincontact.com/recordings/600012345678/6b0f3a5e.mp4?Expires=1709316000&Signature=Zm9vYmFyYmF6cXV4~c2lnbmF0dXJl&Key-Pair-Id=K2JCJMDEHXQW5F',
    );
    expect(Date.parse(media.expiresAt)).toBe(Date.parse(answeredAt) + 2 * 60 * MINUTE);
    expect(media.expiresAt).toBe('2024-03-01T14:05:00.000Z');
    expect(media.fileName).toBe('recording_Jane Doe_20240301T100000Z_600012345678.mp4');
    expect(media.mediaType).toBe('voice-only');
    expect(recording.screenUrl).toBeNull();
    expect(recording.transcript).toBeNull();
  });

  it('lists segments without loading their media', () => {
    expect(recording.segments).toHaveLength(1);
    const [segment] = recording.segments;
    expect(segment).toEqual({
      segmentId: '5f8e7d6c-1111-4222-8333-444455556666',
      startTime: '2024-03-01T10:00:00.000Z',
      endTime: '2024-03-01T12:00:00.000Z',
      openReason: 'CONTACT',
      closeReason: 'CONTACT',
      direction: 'INBOUND',
      channelType: 'PHONE_CALL',
      firstSegment: true,
      requestedMediaType: 'VOICE_ONLY',
      // The agent CXone ties to this segment in participantDataList.
      agents: [{ participantType: 'AGENT', name: 'Jane Doe', participantId: '1001', userId: 'a1b2c3d4-0000-4000-8000-000000000001' }],
    });
    // undefined means "not loaded": the key must not exist at all.
    expect(segment !== undefined && 'mediaUrl' in segment).toBe(false);
  });

  it('normalises the interaction, its participants and business data', () => {
    expect(recording.interactions).toHaveLength(1);
    const [call] = recording.interactions;
    expect(call?.kind).toBe('call');
    expect(call?.mediaType).toBe('voice-only');
    expect(call?.channelType).toBe('PHONE_CALL');
    expect(call?.mediaUrl?.url).toBe(recording.mediaUrl?.url);
    expect(call?.participants).toEqual([
      { participantType: 'AGENT', name: 'Jane Doe', participantId: '1001', userId: 'a1b2c3d4-0000-4000-8000-000000000001' },
      { participantType: 'CUSTOMER', name: null, participantId: '15551234567', userId: null },
    ]);
    expect(call?.businessData).toEqual([
      { key: 'AccountNumber', value: 'ACC-998877' },
      { key: 'Queue', value: 'Billing EN' },
    ]);
  });

  it('carries agents, sentiments, categories and tags', () => {
    expect(recording.agents.map((agent) => agent.name)).toEqual(['Jane Doe']);
    expect(recording.sentiments).toEqual([
      { overallSentiment: 'POSITIVE', segmentStartTime: '2024-03-01T10:00:00.000Z', channel: 0 },
      { overallSentiment: 'NEUTRAL', segmentStartTime: '2024-03-01T10:00:00.000Z', channel: 1 },
    ]);
    expect(recording.categories).toEqual([
      { categoryHierarchy: ['Compliance', 'Greeting'], secondsOffsets: [3.2, 15], confidence: 0.92 },
    ]);
    expect(recording.tags).toEqual(['Billing', 'Escalated']);
  });

  it('produces plain JSON that survives a round trip through a shared cache', () => {
    expect(JSON.parse(JSON.stringify(recording))).toEqual(recording);
  });
});

describe('mapContactAnswer: voice-and-screen call with an AWS SigV4 link', () => {
  const answeredAt = '2024-03-02T09:15:00.000Z';
  const recording = mapContactAnswer(fixture('voice-and-screen-sigv4'), '600012345679', ctxAt(answeredAt));

  it("lets the link's own 15 minutes win over CXone's 30", () => {
    const media = link(recording.mediaUrl);
    expect(media.expiresAt).toBe('2024-03-02T09:30:00.000Z');
    expect(Date.parse(media.expiresAt)).toBe(Date.parse(answeredAt) + 15 * MINUTE);
  });

  it('treats the combined voice-and-screen file as the one primary file', () => {
    const media = link(recording.mediaUrl);
    expect(media.mediaType).toBe('voice-and-screen');
    expect(media.fileName).toBe('recording_Raj Patel_20240302T090000Z_600012345679.mp4');
    expect(recording.screenUrl).toBeNull();
  });

  it('reports empty (not missing) analytics when the keys are there but empty or null', () => {
    expect(recording.sentiments).toEqual([]);
    expect(recording.categories).toEqual([]);
    expect(recording.tags).toEqual([]);
    expect(recording.interactions[0]?.businessData).toEqual([]);
  });
});

describe('mapContactAnswer: legacy chat with a screen recording (media type all)', () => {
  const recording = mapContactAnswer(fixture('chat-legacy-all'), '600012345680', ctxAt('2024-03-03T14:15:00.000Z'));

  it("plays the chat's own file and offers the screen recording separately", () => {
    const media = link(recording.mediaUrl);
    expect(media.url).toContain('/600012345680/chat.mp4?');
    expect(media.mediaType).toBe('chat');
    const screen = link(recording.screenUrl);
    expect(screen.url).toContain('/600012345680/screen.mp4?');
    expect(screen.mediaType).toBe('chat-and-screen');
    expect(screen.fileName).toBe('recording_Maria Garcia_20240303T135958Z_600012345680.mp4');
    // A 12-minute chat: CXone's 30 minutes apply (the signed Expires is later).
    expect(screen.expiresAt).toBe('2024-03-03T14:45:00.000Z');
  });

  it('spans the earliest start and latest end of all pieces', () => {
    expect(recording.startTime).toBe('2024-03-03T13:59:58.000Z');
    expect(recording.endTime).toBe('2024-03-03T14:12:03.000Z');
    expect(recording.durationSeconds).toBe(725);
  });

  it('returns the transcript in time order with defaults for missing fields', () => {
    expect(recording.transcript).toEqual({
      kind: 'CHAT',
      email: null,
      messages: [
        {
          participantType: 'CUSTOMER',
          participantName: 'Pat Customer',
          text: 'Hi, my order #4411 has not arrived.',
          timestamp: '2024-03-03T14:00:05.000Z',
        },
        { participantType: 'SYSTEM', participantName: null, text: 'Maria Garcia joined the chat', timestamp: '2024-03-03T14:00:20.000Z' },
        { participantType: 'AGENT', participantName: 'Maria Garcia', text: 'Let me check that for you.', timestamp: '2024-03-03T14:00:40.000Z' },
        { participantType: 'UNKNOWN', participantName: 'Pat Customer', text: '', timestamp: '2024-03-03T14:01:10.000Z' },
      ],
    });
  });

  it('lists a segment both pieces mention once, and no call analytics', () => {
    expect(recording.segments.map((segment) => segment.segmentId)).toEqual(['d1e2f3a4-3333-4444-8555-666677778888']);
    expect(recording.agents).toEqual([{ participantType: 'AGENT', name: 'Maria Garcia', participantId: null, userId: null }]);
    expect(recording.sentiments).toBeNull();
    expect(recording.categories).toBeNull();
    expect(recording.interactions.map((interaction) => interaction.mediaType)).toEqual(['chat', 'chat-and-screen']);
  });
});

describe('mapContactAnswer: digital-first chat without a transcript', () => {
  const recording = mapContactAnswer(fixture('chat-digital-first'), '600012345681', ctxAt('2024-03-05T17:00:00.000Z', 'CHAT'));

  it('is a chat with no messages and no file, not an error', () => {
    expect(recording.transcript).toEqual({ kind: 'CHAT', messages: [], email: null });
    expect(recording.mediaUrl).toBeNull();
    expect(recording.screenUrl).toBeNull();
    expect(recording.interactions[0]?.channelType).toBe('WHATSAPP_PRIVATE');
    expect(recording.durationSeconds).toBe(1290);
    expect(recording.segments[0]?.requestedMediaType).toBe('CHAT');
  });
});

describe('mapContactAnswer: email', () => {
  const recording = mapContactAnswer(fixture('email'), '600012345682', ctxAt('2024-03-06T09:00:00.000Z'));

  it('maps the email content, defaulting missing address lists to []', () => {
    expect(recording.transcript).toEqual({
      kind: 'EMAIL',
      messages: [],
      email: {
        from: 'support@acme.example',
        to: ['sam@example.com'],
        cc: ['billing@acme.example'],
        bcc: [],
        subject: 'RE: Invoice 2024-0042',
        body: 'Hello Sam,\n\nthe corrected invoice is attached.\n\nLena',
        sentTime: '2024-03-06T08:50:00.000Z',
      },
    });
  });

  it("has no primary file of its own but offers the agent's screen recording", () => {
    expect(recording.mediaUrl).toBeNull();
    const screen = link(recording.screenUrl);
    expect(screen.mediaType).toBe('email-and-screen');
    expect(screen.fileName).toBe('recording_Lena Fischer_20240306T083000Z_600012345682.mp4');
    expect(recording.agents.map((agent) => agent.name)).toEqual(['Lena Fischer']);
  });
});

describe('mapContactAnswer: a call transferred across 4 segments and 3 agents', () => {
  const recording = mapContactAnswer(fixture('transferred-call'), '600012345683', ctxAt('2024-03-07T13:50:00.000Z'));

  it('lists every segment once, in start order, first copy winning', () => {
    expect(recording.segments.map((segment) => segment.segmentId)).toEqual(['seg-0001', 'seg-0002', 'seg-0003', 'seg-0004']);
    expect(recording.segments.map((segment) => segment.closeReason)).toEqual(['TRANSFER', 'TRANSFER', 'TRANSFER', 'CONTACT']);
    expect(recording.segments.map((segment) => segment.firstSegment)).toEqual([true, false, false, false]);
  });

  it('lists each agent once', () => {
    expect(recording.agents).toEqual([
      { participantType: 'AGENT', name: 'Alice Wong', participantId: '3001', userId: 'u-0001' },
      { participantType: 'AGENT', name: 'Bob Smith', participantId: '3002', userId: 'u-0002' },
      { participantType: 'AGENT', name: 'Carol Diaz', participantId: '3003', userId: null },
    ]);
  });

  it('plays the first call piece, named after the first agent and the contact start', () => {
    const media = link(recording.mediaUrl);
    expect(media.url).toContain('/part-1.mp4?');
    expect(media.fileName).toBe('recording_Alice Wong_20240307T130000Z_600012345683.mp4');
    expect(recording.durationSeconds).toBe(45 * 60);
    // The second piece's link lives as long as that 27-minute piece: CXone's 30 minutes apply.
    expect(recording.interactions[1]?.mediaUrl?.expiresAt).toBe('2024-03-07T14:20:00.000Z');
  });

  it('merges tags in first-seen order and sentiments across call pieces', () => {
    expect(recording.tags).toEqual(['Transfer', 'Billing', 'Resolved']);
    expect(recording.sentiments).toEqual([
      { overallSentiment: 'NEGATIVE', segmentStartTime: '2024-03-07T13:00:00.000Z', channel: 1 },
    ]);
    expect(recording.categories).toEqual([]);
  });
});

describe('mapContactAnswer: a quirky answer', () => {
  const answeredAt = '2024-03-04T09:00:00.000Z';
  const recording = mapContactAnswer(fixture('quirky'), '600012345684', ctxAt(answeredAt));

  it('takes Interactions when interactions is null and skips items that are not objects', () => {
    expect(recording.acdContactId).toBe('600012345684');
    expect(recording.contactId).toBeNull();
    expect(recording.interactions.map((interaction) => interaction.kind)).toEqual(['workitem', 'unknown']);
  });

  it('passes unknown enum values through', () => {
    const [workItem, bare] = recording.interactions;
    expect(workItem?.mediaType).toBe('WORKITEM');
    expect(workItem?.channelType).toBe('CARRIER_PIGEON');
    expect(bare?.mediaType).toBeNull();
    expect(bare?.participants).toEqual([]);
    expect(bare?.mediaUrl).toBeNull();
  });

  it('reads a zone-less time as UTC and drops unreadable ones', () => {
    expect(recording.startTime).toBe('2024-03-04T08:00:00.000Z');
    expect(recording.endTime).toBeNull();
    expect(recording.durationSeconds).toBeNull();
    expect(recording.interactions[0]?.endTime).toBeNull();
  });

  it('names the file safely and falls back to 30 minutes when the duration is unknown', () => {
    const media = link(recording.mediaUrl);
    expect(media.fileName).toBe('recording_Ann_Lee_ _Tier_2_ _ops___Q__20240304T080000Z_600012345684.mp4');
    expect(media.mediaType).toBe('WORKITEM');
    expect(Date.parse(media.expiresAt)).toBe(Date.parse(answeredAt) + 30 * MINUTE);
    expect(recording.transcript).toBeNull();
    expect(recording.screenUrl).toBeNull();
  });

  it('reads plain-string business data, stringifies numbers and skips empty items', () => {
    expect(recording.interactions[0]?.businessData).toEqual([
      { key: null, value: 'VIP' },
      { key: 'Region', value: '7' },
      { key: null, value: 'Language=de' },
    ]);
    expect(recording.interactions[1]?.businessData).toEqual([]);
  });

  it('keeps participants of no stated type as UNKNOWN', () => {
    expect(recording.interactions[0]?.participants).toEqual([
      { participantType: 'AGENT', name: 'Ann/Lee: "Tier*2" <ops>|\tQ?', participantId: null, userId: null },
      { participantType: 'UNKNOWN', name: 'Routing Bot', participantId: null, userId: null },
    ]);
  });

  it('keeps only segments with an id, with wrongly typed fields read as absent', () => {
    expect(recording.segments).toEqual([
      {
        segmentId: '987654',
        startTime: '2024-03-04T08:00:00.000Z',
        endTime: null,
        openReason: 'TELEPORT',
        closeReason: null,
        direction: 'SIDEWAYS',
        channelType: null,
        firstSegment: true,
        requestedMediaType: 'ALL',
        // Its participants carry no segment id: the interaction's agent.
        agents: [{ participantType: 'AGENT', name: 'Ann/Lee: "Tier*2" <ops>|\tQ?', participantId: null, userId: null }],
      },
    ]);
  });

  it('de-duplicates plain-string and object tags, and has no analytics', () => {
    expect(recording.tags).toEqual(['Loose tag']);
    expect(recording.sentiments).toBeNull();
    expect(recording.categories).toBeNull();
  });
});

describe('mapContactAnswer: a caller without "View sentiments and categories"', () => {
  const recording = mapContactAnswer(fixture('no-sentiments'), '600012345685', ctxAt('2024-03-08T07:30:00.000Z'));

  it('reports sentiments and categories as null, not empty', () => {
    expect(recording.sentiments).toBeNull();
    expect(recording.categories).toBeNull();
  });

  it('still plays the call and reads plain-string business data', () => {
    expect(link(recording.mediaUrl).fileName).toBe('recording_Omar Haddad_20240308T071500Z_600012345685.mp4');
    expect(recording.interactions[0]?.businessData).toEqual([
      { key: null, value: 'Campaign Spring' },
      { key: null, value: 'Priority 2' },
    ]);
  });
});

describe('mapContactAnswer: identity, download answers and invalid answers', () => {
  const ctx = ctxAt('2024-03-01T12:05:00.000Z');

  it('uses the id that was asked for, whatever acdcontactId says', () => {
    const recording = mapContactAnswer(
      { acdcontactId: 999, interactions: [] },
      '600012345678',
      ctx,
    );
    expect(recording.acdContactId).toBe('600012345678');
  });

  it('prefers a top-level redirectUrl (isDownload=true) for the primary file', () => {
    const recording = mapContactAnswer(
      {
        redirectUrl: 'https://media-na1.niceincontact.com/download/600012345678.mp4?Signature=ZG93bg~~',
        interactions: [
          {
            '@type': 'call',
            mediaType: 'voice-only',
            startTime: '2024-03-01T10:00:00.000Z',
            endTime: '2024-03-01T12:00:00.000Z',
            data: { fileToPlayUrl: 'https://media-na1.niceincontact.com/play/600012345678.mp4?Signature=cGxheQ~~' },
          },
        ],
      },
      '600012345678',
      ctx,
    );
    const media = link(recording.mediaUrl);
    expect(media.url).toBe('https://media-na1.niceincontact.com/download/600012345678.mp4?Signature=ZG93bg~~');
    expect(media.mediaType).toBe('voice-only');
    expect(media.expiresAt).toBe('2024-03-01T14:05:00.000Z');
    expect(media.fileName).toBe('recording_unknown_20240301T100000Z_600012345678.mp4');
    expect(recording.interactions[0]?.mediaUrl?.url).toContain('/play/');
  });

  it('maps an explicit null interactions list to an empty recording', () => {
    const recording = mapContactAnswer({ contactId: 'x-1', interactions: null }, '600012345678', ctx);
    expect(recording.interactions).toEqual([]);
    expect(recording.segments).toEqual([]);
    expect(recording.mediaUrl).toBeNull();
    expect(recording.startTime).toBeNull();
    expect(recording.durationSeconds).toBeNull();
    expect(recording.transcript).toBeNull();
    expect(recording.sentiments).toBeNull();
    expect(recording.tags).toEqual([]);
  });

  it.each([
    ['a string', 'Interaction Not Found'],
    ['null', null],
    ['an array', []],
    ['an error body', { internalCode: 'E404', message: 'Interaction Not Found' }],
    ['interactions of the wrong type', { interactions: 'none' }],
  ])('throws InvalidCxoneAnswer for %s', (_label, body) => {
    expect(() => mapContactAnswer(body, '600012345678', ctx)).toThrow(InvalidCxoneAnswer);
  });

  it('never echoes the answer in the error message', () => {
    const body = { redirectUrl: 'https://media.example/x.mp4?Signature=secret' };
    expect(() => mapContactAnswer(body, '1', ctx)).toThrow(/^CXone contacts answer has no interactions array$/);
  });
});

describe('mapSegmentAnswer', () => {
  const answeredAt = '2024-03-07T13:46:00.000Z';

  it('reads the asked segment from an `Interactions` answer, with its file', () => {
    const segment = mapSegmentAnswer(fixture('segment-answer'), 'seg-0004', ctxAt(answeredAt, 'VOICE_ONLY'));
    expect(segment).toEqual({
      segmentId: 'seg-0004',
      startTime: '2024-03-07T13:31:00.000Z',
      endTime: '2024-03-07T13:45:00.000Z',
      openReason: 'TRANSFER',
      closeReason: 'CONTACT',
      direction: 'INTERNAL',
      channelType: 'PHONE_CALL',
      firstSegment: false,
      requestedMediaType: 'VOICE_ONLY',
      agents: [{ participantType: 'AGENT', name: 'Carol Diaz', participantId: '3003', userId: null }],
      mediaUrl: {
        url: 'https://media-na1.niceincontact.com/recordings/600012345683/seg-0004.mp4?Expires=1709819400&Signature=c2VnNA~~&Key-Pair-Id=K2JCJMDEHXQW5F',
        // The signed Expires (13:50) is earlier than CXone's 30 minutes (14:16).
        expiresAt: '2024-03-07T13:50:00.000Z',
        // The number acdcontactId serves as the file name's label only.
        fileName: 'recording_Carol Diaz_20240307T133100Z_600012345683.mp4',
        mediaType: 'voice-only',
      },
    });
  });

  it('falls back to the first segment when the id is not listed, keeping the asked id', () => {
    const segment = mapSegmentAnswer(fixture('segment-answer'), 'seg-9999', ctxAt(answeredAt));
    expect(segment.segmentId).toBe('seg-9999');
    expect(segment.startTime).toBe('2024-03-07T13:18:00.000Z');
    expect(segment.closeReason).toBe('TRANSFER');
  });

  it('sets mediaUrl to null (loaded, no media) when there is no file', () => {
    const segment = mapSegmentAnswer(
      { interactions: [{ '@type': 'call', data: { fileToPlayUrl: null, segmentsDataList: [{ segmentId: 'seg-1' }] } }] },
      'seg-1',
      ctxAt(answeredAt),
    );
    expect(segment.mediaUrl).toBeNull();
    expect('mediaUrl' in segment).toBe(true);
  });

  it('throws InvalidCxoneAnswer when the answer is not a segment answer', () => {
    expect(() => mapSegmentAnswer('oops', 'seg-1', ctxAt(answeredAt))).toThrow(InvalidCxoneAnswer);
    expect(() => mapSegmentAnswer({}, 'seg-1', ctxAt(answeredAt))).toThrow(InvalidCxoneAnswer);
  });
});

describe('mapStatementAnswer', () => {
  const answeredAt = '2024-03-01T12:05:00.000Z';

  it('prefers the top-level redirectUrl and names the file like CXone', () => {
    const statement = mapStatementAnswer(fixture('statement-answer'), '600012345678', '4242', ctxAt(answeredAt));
    expect(statement).toEqual({
      acdContactId: '600012345678',
      statementId: '4242',
      mediaUrl: {
        url: 'https://media-na1.niceincontact.com/recordings/600012345678/statements/4242.mp4?Expires=1709316000&Signature=c3RtdA~~&Key-Pair-Id=K2JCJMDEHXQW5F',
        expiresAt: '2024-03-01T14:05:00.000Z',
        fileName: 'recording_Jane Doe_20240301T100000Z_600012345678.mp4',
        mediaType: 'voice-only',
      },
    });
  });

  it("falls back to the first interaction's file, then to a top-level fileToPlayUrl", () => {
    const fromInteraction = mapStatementAnswer(
      { interactions: [{ data: { fileToPlayUrl: 'https://media.example/a.mp4' } }], fileToPlayUrl: 'https://media.example/b.mp4' },
      '1',
      '2',
      ctxAt(answeredAt),
    );
    expect(fromInteraction.mediaUrl?.url).toBe('https://media.example/a.mp4');
    // No start time known: no CXone file name can be built.
    expect(fromInteraction.mediaUrl?.fileName).toBeNull();

    const fromTop = mapStatementAnswer({ fileToPlayUrl: 'https://media.example/b.mp4' }, '1', '2', ctxAt(answeredAt));
    expect(fromTop.mediaUrl?.url).toBe('https://media.example/b.mp4');
    expect(fromTop.mediaUrl?.expiresAt).toBe('2024-03-01T12:35:00.000Z');
  });

  it('has a null mediaUrl when the answer holds no file', () => {
    expect(mapStatementAnswer({ interactions: [] }, '1', '2', ctxAt(answeredAt)).mediaUrl).toBeNull();
  });

  it('throws InvalidCxoneAnswer when the body is not an object', () => {
    expect(() => mapStatementAnswer([], '1', '2', ctxAt(answeredAt))).toThrow(InvalidCxoneAnswer);
  });
});
