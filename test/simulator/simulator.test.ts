/**
 * The CXone simulator over real HTTP: every seeded behaviour, the auth and permission rules,
 * signed media links against a ManualClock (time is moved, never waited for), and the controls.
 */
import { request as httpRequest, Agent } from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import {
  DEFAULT_SIM_CREDENTIALS,
  DEMO_TOKENS,
  SIMULATOR_ISSUER,
  SEEDED,
  bulkContactId,
  parseSimulatorEnv,
  SimulatorConfigError,
  startSimulator,
  type RunningSimulator,
} from '../../src/simulator/index.js';
import type {
  JsonObject,
  WireCallData,
  WireChatData,
  WireContactAnswer,
  WireEmailData,
  WireInteraction,
  WireSegmentAnswer,
} from '../../src/simulator/wire.js';

const API = '/media-playback/v1';
const ISO_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const clock = new ManualClock(Date.UTC(2026, 0, 15, 12, 0, 0));
let sim: RunningSimulator;

interface Answer<T> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

async function call<T = WireContactAnswer>(path: string, token: string | null = DEMO_TOKENS.full): Promise<Answer<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token !== null) headers['authorization'] = `Bearer ${token}`;
  const res = await fetch(`${sim.url}${API}${path}`, { headers });
  return { status: res.status, headers: res.headers, body: (await res.json()) as T };
}

const contact = (id: string, extra = ''): Promise<Answer<WireContactAnswer>> => call(`/contacts?acd-call-id=${id}${extra}`);

function onlyInteraction(answer: WireContactAnswer): WireInteraction {
  expect(answer.interactions).toHaveLength(1);
  return answer.interactions[0] as WireInteraction;
}

function callData(interaction: WireInteraction): WireCallData {
  expect(interaction['@type']).toBe('call');
  return interaction.data as WireCallData;
}

beforeAll(async () => {
  sim = await startSimulator({ port: 0, clock, lockHoldMs: 150 });
});

afterAll(async () => {
  await sim.close();
});

beforeEach(() => {
  sim.reset();
});

afterEach(() => {
  sim.configure({ latencyMs: 0, linkLifetimeSeconds: null, processingPolls: 2, lockHoldMs: 150, rateLimit: null, accessTokenTtlSeconds: 3600 });
});

describe('contacts endpoint: the voice call', () => {
  it('answers the full CXone shape with sentiments, categories, tags and business data', async () => {
    const { status, headers, body } = await contact(SEEDED.voice);
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^application\/json/);
    expect(body.acdcontactId).toBe(SEEDED.voice);
    expect(body).not.toHaveProperty('acdContactId');
    expect(body.contactId).toMatch(UUID);
    expect(body.elevatedInteraction).toBe(false);
    const interaction = onlyInteraction(body);
    expect(interaction.mediaType).toBe('voice-only');
    expect(interaction.channelType).toBe('PHONE_CALL');
    expect(interaction.startTime).toMatch(ISO_MILLIS);
    expect(Date.parse(interaction.endTime) - Date.parse(interaction.startTime)).toBe(240_000);
    const data = callData(interaction);
    expect(data.fileToPlayUrl).toMatch(new RegExp(`^${sim.url}/media/[^?]+\\.mp4\\?Expires=\\d+&Signature=[0-9a-f]{64}$`));
    expect(data.participantDataList.find((p) => p.participantType === 'AGENT')?.agentName).toBe('Alice Example');
    expect(data.segmentsDataList).toHaveLength(1);
    expect(data.segmentsDataList[0]?.firstSegment).toBe(true);
    expect(data.sentiments).toHaveLength(2);
    expect(data.categoryMatchesList).toHaveLength(1);
    expect(data.waveformDataList?.length).toBeGreaterThan(0);
    expect(interaction.callTaggingList?.map((t) => t.value)).toEqual(['billing', 'vip', 'billing']);
    expect(interaction.dynamicBusinessData).toEqual([
      { id: 'accountNumber', value: 'ACC-1001' },
      { id: 'priority', value: 'high' },
    ]);
    expect(body).not.toHaveProperty('redirectUrl');
  });

  it('drops waveforms with exclude-waveforms=true', async () => {
    const { body } = await contact(SEEDED.voice, '&exclude-waveforms=true');
    expect(callData(onlyInteraction(body))).not.toHaveProperty('waveformDataList');
  });

  it('adds a top-level redirectUrl with isDownload=true', async () => {
    const { body } = await contact(SEEDED.voice, '&isDownload=true');
    expect(body.redirectUrl).toBe(callData(onlyInteraction(body)).fileToPlayUrl);
  });

  it('issues a fresh link on every answer', async () => {
    const first = callData(onlyInteraction((await contact(SEEDED.voice)).body)).fileToPlayUrl;
    clock.advance(1000);
    const second = callData(onlyInteraction((await contact(SEEDED.voice)).body)).fileToPlayUrl;
    expect(second).not.toBe(first);
  });

  it('filters by media type: voice-only yes, chat and email 404', async () => {
    expect(onlyInteraction((await contact(SEEDED.voice, '&media-type=voice-only')).body).mediaType).toBe('voice-only');
    expect((await contact(SEEDED.voice, '&media-type=chat')).status).toBe(404);
    expect((await contact(SEEDED.voice, '&media-type=email')).status).toBe(404);
  });

  it('rejects bad parameters with 400 {internalCode, message}', async () => {
    for (const query of ['', '?acd-call-id=', '?acd-call-id=abc', '?acd-call-id=12a4']) {
      const { status, body } = await call<JsonObject>(`/contacts${query}`);
      expect(status).toBe(400);
      expect(body).toEqual({ internalCode: '400', message: expect.any(String) as string });
    }
    expect((await contact(SEEDED.voice, '&media-type=video')).status).toBe(400);
    expect((await contact(SEEDED.voice, '&exclude-waveforms=yes')).status).toBe(400);
  });
});

describe('seeded contacts', () => {
  it('voice-and-screen: an S3 SigV4 link whose own 15 minutes beat CXone\'s 30', async () => {
    const { body } = await contact(SEEDED.voiceAndScreen);
    const interaction = onlyInteraction(body);
    expect(interaction.mediaType).toBe('voice-and-screen');
    const url = new URL(callData(interaction).fileToPlayUrl ?? '');
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    const amzDate = new Date(clock.now()).toISOString().replace(/[-:]/g, '').replace('.000', '');
    expect(url.searchParams.get('X-Amz-Date')).toBe(amzDate);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(callData(interaction).participantDataList.find((p) => p.participantType === 'AGENT')?.screenStages).toHaveLength(1);
    expect((await fetch(url)).status).toBe(200);
    clock.advance(900_000);
    expect((await fetch(url)).status).toBe(403);
    const voiceOnly = onlyInteraction((await contact(SEEDED.voiceAndScreen, '&media-type=voice-only')).body);
    expect(voiceOnly.mediaType).toBe('voice-only');
  });

  it('legacy chat: transcript with timeStamp, and a chat-and-screen piece under all', async () => {
    const all = (await contact(SEEDED.chat)).body;
    expect(all.interactions.map((i) => (i as WireInteraction).mediaType)).toEqual(['chat', 'chat-and-screen']);
    const [chat, screen] = all.interactions as WireInteraction[];
    expect(chat?.['@type']).toBe('chat');
    const data = chat?.data as WireChatData;
    expect(data.messages).toHaveLength(4);
    expect(data.messages?.[0]).toEqual({
      participantType: 'CUSTOMER',
      participantName: expect.any(String) as string,
      text: expect.any(String) as string,
      timeStamp: expect.stringMatching(ISO_MILLIS) as string,
    });
    expect(data.messages?.some((m) => m.participantName === 'Bob Example')).toBe(true);
    expect(data.fileToPlayUrl).toMatch(/\.mp4\?/);
    expect((screen?.data as WireChatData).fileToPlayUrl).toMatch(/chat-and-screen\.mp4\?/);
    expect((await contact(SEEDED.chat, '&media-type=chat')).body.interactions).toHaveLength(1);
    expect((await contact(SEEDED.chat, '&media-type=voice-only')).status).toBe(404);
    expect((await contact(SEEDED.chat, '&media-type=voice-and-screen')).status).toBe(404);
    expect((await contact(SEEDED.chat, '&media-type=email')).status).toBe(404);
  });

  it('digital-first chat: no messages key at all', async () => {
    const { body } = await contact(SEEDED.digitalChat, '&media-type=chat');
    const chat = onlyInteraction(body);
    expect(chat.data).not.toHaveProperty('messages');
    expect(body.brandEmbassyConfig).toBeDefined();
  });

  it('email: content with from, to, cc, bcc, subject and body', async () => {
    const { body } = await contact(SEEDED.email);
    const [email, screen] = body.interactions as WireInteraction[];
    expect(email?.['@type']).toBe('email');
    expect(screen?.mediaType).toBe('email-and-screen');
    const data = email?.data as WireEmailData;
    expect(data.content.to).toHaveLength(2);
    expect(data.content.cc).toHaveLength(1);
    expect(data.content.bcc).toEqual([]);
    expect(data.content.from).toContain('@');
    expect(data.content.subject.length).toBeGreaterThan(0);
    expect(data.content.sentTime).toMatch(ISO_MILLIS);
    expect(data.participants.every((p) => p.actions.length > 0)).toBe(true);
  });

  it('transferred 3 times: 4 segments, 3 agents, each segment readable on its own', async () => {
    const data = callData(onlyInteraction((await contact(SEEDED.transferred)).body));
    const segments = data.segmentsDataList;
    expect(segments.map((s) => s.closeReasonType)).toEqual(['TRANSFER', 'TRANSFER', 'TRANSFER', 'CONTACT']);
    expect(segments.map((s) => s.firstSegment)).toEqual([true, false, false, false]);
    expect(new Set(segments.map((s) => s.segmentId)).size).toBe(4);
    expect(segments.some((s) => 'isCustomerRestricted' in s)).toBe(true);
    const agents = new Set(data.participantDataList.filter((p) => p.participantType === 'AGENT').map((p) => p.agentName));
    expect(agents.size).toBe(3);
    for (const segment of segments) {
      const answer = await call<WireSegmentAnswer>(`/segments/${segment.segmentId}`);
      expect(answer.status).toBe(200);
      expect(answer.body).not.toHaveProperty('interactions');
      expect(answer.body.acdcontactId).toBe(SEEDED.transferred);
      const [piece] = answer.body.Interactions as WireInteraction[];
      const pieceData = piece?.data as WireCallData;
      expect(pieceData.segmentsDataList.map((s) => s.segmentId)).toEqual([segment.segmentId]);
      expect(pieceData.fileToPlayUrl).toContain(`seg-${segment.segmentId}`);
      expect(piece?.startTime).toBe(segment.startTime);
    }
    expect(sim.count('segments')).toBe(4);
  });

  it('drops QM categories with exclude-qm-categories=true', async () => {
    const all = callData(onlyInteraction((await contact(SEEDED.transferred)).body));
    const noQm = callData(onlyInteraction((await contact(SEEDED.transferred, '&exclude-qm-categories=true')).body));
    expect(all.categoryMatchesList).toHaveLength(2);
    expect(noQm.categoryMatchesList).toHaveLength(1);
  });

  it('2-hour call: links live 2 hours, not 30 minutes', async () => {
    const url = new URL(callData(onlyInteraction((await contact(SEEDED.longCall)).body)).fileToPlayUrl ?? '');
    expect(Number(url.searchParams.get('Expires'))).toBe(clock.now() / 1000 + 7200);
    clock.advance(3600_000);
    expect((await fetch(url)).status).toBe(200);
    clock.advance(3600_000);
    expect((await fetch(url)).status).toBe(403);
  });

  it('processing: 202 with Retry-After for processingPolls answers, then 200; reset starts over', async () => {
    for (let i = 0; i < 2; i += 1) {
      const { status, headers, body } = await call<JsonObject>(`/contacts?acd-call-id=${SEEDED.processing}`);
      expect(status).toBe(202);
      expect(headers.get('retry-after')).toBe('1');
      expect(body).toEqual({ message: 'in progress' });
    }
    expect((await contact(SEEDED.processing)).status).toBe(200);
    expect((await contact(SEEDED.processing)).status).toBe(200);
    sim.reset();
    expect((await contact(SEEDED.processing)).status).toBe(202);
    sim.configure({ processingPolls: 0 });
    sim.reset();
    expect((await contact(SEEDED.processing)).status).toBe(200);
  });

  it('locked: a parallel request gets 425 while the first is in flight', async () => {
    const [a, b] = await Promise.all([contact(SEEDED.locked), contact(SEEDED.locked)]);
    expect([a.status, b.status].sort()).toEqual([200, 425]);
    const refused = a.status === 425 ? a : b;
    expect(refused.body).toEqual({ internalCode: '425', message: expect.any(String) as string });
    expect((await contact(SEEDED.locked)).status).toBe(200);
  });

  it('timeout 504, server error 500, pre-cutoff and unknown ids 404', async () => {
    expect((await contact(SEEDED.timeout)).status).toBe(504);
    expect((await contact(SEEDED.serverError)).status).toBe(500);
    for (const id of [SEEDED.preCutoff, SEEDED.notFound, '42']) {
      const { status, body } = await call<JsonObject>(`/contacts?acd-call-id=${id}`);
      expect(status).toBe(404);
      expect(body).toEqual({ internalCode: '404', message: 'Interaction Not Found' });
    }
  });

  it('quirky: unknown @type and media type, nulls, absent keys, plain-string business data', async () => {
    const { status, body } = await call<JsonObject>(`/contacts?acd-call-id=${SEEDED.quirky}`);
    expect(status).toBe(200);
    expect(body).not.toHaveProperty('elevatedInteraction');
    const [interaction] = body['interactions'] as JsonObject[];
    expect(interaction?.['@type']).toBe('workitem');
    expect(interaction?.['mediaType']).toBe('WORKITEM');
    expect(interaction?.['channelType']).toBe('WORKITEM');
    expect(interaction?.['callTaggingList']).toBeNull();
    expect(interaction?.['endTime']).toBeNull();
    expect((interaction?.['dynamicBusinessData'] as Json[]).every((v) => typeof v === 'string')).toBe(true);
    const data = interaction?.['data'] as JsonObject;
    expect(data).not.toHaveProperty('acwEndTime');
    const [segment] = data['segmentsDataList'] as JsonObject[];
    expect(segment).toHaveProperty('isCustomerRestricted');
    expect(segment).not.toHaveProperty('customerRestricted');
  });

  it('archived segment: 404 "not in active storage", while its contact still answers', async () => {
    const { status, body } = await call<JsonObject>(`/segments/${SEEDED.archivedSegment}`);
    expect(status).toBe(404);
    expect(body).toEqual({ internalCode: '404', message: 'Segment is not in active storage' });
    expect((await contact(SEEDED.archivedContact)).status).toBe(200);
    expect((await call<JsonObject>('/segments/no-such-segment')).status).toBe(404);
  });

  it('bulk contacts: deterministic generated calls from 200000000001 to 200000010000', async () => {
    expect(bulkContactId(1)).toBe('200000000001');
    expect(bulkContactId(SEEDED.bulkCount)).toBe('200000010000');
    for (const id of ['200000000001', '200000004242', '200000010000']) {
      const first = callData(onlyInteraction((await contact(id)).body));
      const again = callData(onlyInteraction((await contact(id)).body));
      expect({ ...again, fileToPlayUrl: null }).toEqual({ ...first, fileToPlayUrl: null });
      expect(first.segmentsDataList.length).toBeGreaterThanOrEqual(1);
      expect(first.segmentsDataList.length).toBeLessThanOrEqual(2);
      const seconds = (Date.parse(first.endTime) - Date.parse(first.startTime)) / 1000;
      expect(seconds).toBeGreaterThanOrEqual(60);
      expect(seconds).toBeLessThanOrEqual(900);
      const segmentId = first.segmentsDataList[0]?.segmentId ?? '';
      expect((await call<WireSegmentAnswer>(`/segments/${segmentId}`)).status).toBe(200);
    }
    expect((await contact('200000010001')).status).toBe(404);
    expect((await contact('200000000000')).status).toBe(404);
  });
});

describe('statements endpoint', () => {
  const path = (id: string, statementId: string): string => `/acd-contacts/${id}/statements/${statementId}`;

  it('answers one call interaction with the statement link, and redirectUrl on download', async () => {
    const { status, body } = await call(path(SEEDED.voice, SEEDED.voiceStatement));
    expect(status).toBe(200);
    expect(body.acdcontactId).toBe(SEEDED.voice);
    const data = callData(onlyInteraction(body));
    expect(data.fileToPlayUrl).toMatch(/statement-5001-voice-only\.mp4\?/);
    expect(body).not.toHaveProperty('redirectUrl');
    const download = await call(`${path(SEEDED.voice, SEEDED.voiceStatement2)}?isDownload=true`);
    expect(download.body.redirectUrl).toBe(callData(onlyInteraction(download.body)).fileToPlayUrl);
    expect(sim.count('statements', `${SEEDED.voice}/${SEEDED.voiceStatement}`)).toBe(1);
  });

  it('404 for an unknown statement or contact, 400 for non-numeric ids', async () => {
    expect((await call(path(SEEDED.voice, '9999'))).status).toBe(404);
    expect((await call(path(SEEDED.notFound, '5001'))).status).toBe(404);
    expect((await call(path('abc', '5001'))).status).toBe(400);
    expect((await call(path(SEEDED.voice, 'x1'))).status).toBe(400);
  });
});

describe('permissions by bearer token', () => {
  it('401 without a token or with an unknown one', async () => {
    for (const token of [null, 'not-a-token']) {
      const { status, body } = await call<JsonObject>(`/contacts?acd-call-id=${SEEDED.voice}`, token);
      expect(status).toBe(401);
      expect(body).toEqual({ internalCode: '401', message: 'Authentication failed' });
    }
    expect(sim.calls().every((c) => !c.authorized)).toBe(true);
  });

  it('demo-no-playback: 403 on every API call', async () => {
    for (const p of [`/contacts?acd-call-id=${SEEDED.voice}`, `/segments/${SEEDED.archivedSegment}`, `/acd-contacts/${SEEDED.voice}/statements/5001`]) {
      const { status, body } = await call<JsonObject>(p, DEMO_TOKENS.noPlayback);
      expect(status).toBe(403);
      expect(body['internalCode']).toBe('403');
    }
  });

  it('demo-no-analytics: sentiments and categories absent, not null', async () => {
    const { status, body } = await call(`/contacts?acd-call-id=${SEEDED.voice}`, DEMO_TOKENS.noAnalytics);
    expect(status).toBe(200);
    const data = callData(onlyInteraction(body));
    expect(data).not.toHaveProperty('sentiments');
    expect(data).not.toHaveProperty('categoryMatchesList');
    expect(data.fileToPlayUrl).toBeTruthy();
  });
});

describe('token endpoint and discovery', () => {
  const basic = (id: string, secret: string): string => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
  const client = basic(DEFAULT_SIM_CREDENTIALS.clientId, DEFAULT_SIM_CREDENTIALS.clientSecret);

  async function token(body: string, authorization = client, contentType = 'application/x-www-form-urlencoded'): Promise<Answer<JsonObject>> {
    const res = await fetch(`${sim.url}/auth/token`, { method: 'POST', headers: { authorization, 'content-type': contentType }, body });
    return { status: res.status, headers: res.headers, body: (await res.json()) as JsonObject };
  }

  const passwordGrant = (): string =>
    new URLSearchParams({
      grant_type: 'password',
      username: DEFAULT_SIM_CREDENTIALS.accessKeyId,
      password: DEFAULT_SIM_CREDENTIALS.accessKeySecret,
    }).toString();

  function claims(jwt: string): JsonObject {
    const parts = jwt.split('.');
    expect(parts).toHaveLength(3);
    return JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8')) as JsonObject;
  }

  it('serves the discovery documents', async () => {
    const openid = (await (await fetch(`${sim.url}/.well-known/openid-configuration`)).json()) as JsonObject;
    // A fixed issuer (the demo tokens' `iss`), the key set on this simulator.
    expect(openid).toMatchObject({
      issuer: SIMULATOR_ISSUER,
      jwks_uri: `${sim.url}/.well-known/jwks.json`,
      token_endpoint: `${sim.url}/auth/token`,
    });
    const cxone = (await (await fetch(`${sim.url}/.well-known/cxone-configuration?tenantId=sim-tenant-0001`)).json()) as JsonObject;
    expect(cxone).toEqual({
      private: false,
      area: 'na1',
      cluster: 'C32',
      domain: 'localhost',
      acdDomain: 'localhost',
      uhDomain: 'localhost',
      api_endpoint: sim.url,
      ui_endpoint: sim.url,
      auth_endpoint: sim.url,
      tenantId: 'sim-tenant-0001',
    });
    expect(sim.count('discovery')).toBe(2);
  });

  it('password grant: a JWT-shaped token that works until it expires by the clock', async () => {
    const { status, body } = await token(passwordGrant());
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    const access = String(body['access_token']);
    expect(typeof body['refresh_token']).toBe('string');
    expect(String(body['id_token']).split('.')).toHaveLength(3);
    const payload = claims(access);
    expect(payload).toMatchObject({ tenantId: 'sim-tenant-0001', area: 'na1', iat: clock.now() / 1000, exp: clock.now() / 1000 + 3600 });
    expect(payload['icBUId']).toBeDefined();
    expect(payload['userId']).toBeDefined();
    expect((await call(`/contacts?acd-call-id=${SEEDED.voice}`, access)).status).toBe(200);
    clock.advance(3600_000);
    expect((await call(`/contacts?acd-call-id=${SEEDED.voice}`, access)).status).toBe(401);
  });

  it('refresh grant issues a new, different token; every token is unique', async () => {
    const first = (await token(passwordGrant())).body;
    const second = (await token(passwordGrant())).body;
    expect(second['access_token']).not.toBe(first['access_token']);
    const refreshed = await token(new URLSearchParams({ grant_type: 'refresh_token', refresh_token: String(first['refresh_token']) }).toString());
    expect(refreshed.status).toBe(200);
    expect(refreshed.body['access_token']).not.toBe(first['access_token']);
    expect((await call(`/contacts?acd-call-id=${SEEDED.voice}`, String(refreshed.body['access_token']))).status).toBe(200);
    expect((await token('grant_type=refresh_token&refresh_token=nope')).status).toBe(401);
  });

  it('refuses a wrong client, a wrong key and a secret sent without URL-encoding', async () => {
    expect((await token(passwordGrant(), basic('sim-client', 'wrong'))).status).toBe(401);
    expect((await token(passwordGrant(), 'Bearer x')).status).toBe(401);
    const wrongKey = new URLSearchParams({ grant_type: 'password', username: DEFAULT_SIM_CREDENTIALS.accessKeyId, password: 'nope' });
    const refused = await token(wrongKey.toString());
    expect(refused.status).toBe(401);
    expect(refused.body['error']).toBe('invalid_grant');
    // The raw secret has '+', '/' and '=': unencoded, the '+' arrives as a space.
    const raw = `grant_type=password&username=${DEFAULT_SIM_CREDENTIALS.accessKeyId}&password=${DEFAULT_SIM_CREDENTIALS.accessKeySecret}`;
    expect((await token(raw)).status).toBe(401);
    expect((await token(passwordGrant(), client, 'application/json')).status).toBe(400);
    expect((await token('grant_type=client_credentials')).status).toBe(400);
    expect(sim.calls().filter((c) => c.endpoint === 'token').every((c) => !c.authorized)).toBe(true);
  });

  it('reset forgets issued tokens', async () => {
    const access = String((await token(passwordGrant())).body['access_token']);
    sim.reset();
    expect((await call(`/contacts?acd-call-id=${SEEDED.voice}`, access)).status).toBe(401);
  });
});

describe('signed media links', () => {
  async function voiceUrl(): Promise<string> {
    return callData(onlyInteraction((await contact(SEEDED.voice)).body)).fileToPlayUrl ?? '';
  }

  it('serves a real mp4 without Authorization, with Accept-Ranges', async () => {
    const res = await fetch(await voiceUrl());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('video/mp4');
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
    expect(bytes.length).toBeLessThan(40_000);
    expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
  });

  it('answers Range requests with 206 and Content-Range', async () => {
    const url = await voiceUrl();
    const whole = Buffer.from(await (await fetch(url)).arrayBuffer());
    const part = await fetch(url, { headers: { range: 'bytes=0-99' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 0-99/${String(whole.length)}`);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(whole.subarray(0, 100));
    const open = await fetch(url, { headers: { range: 'bytes=100-' } });
    expect(open.status).toBe(206);
    expect(Buffer.from(await open.arrayBuffer())).toEqual(whole.subarray(100));
    const suffix = await fetch(url, { headers: { range: 'bytes=-10' } });
    expect(Buffer.from(await suffix.arrayBuffer())).toEqual(whole.subarray(whole.length - 10));
    const beyond = await fetch(url, { headers: { range: `bytes=${String(whole.length)}-` } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe(`bytes */${String(whole.length)}`);
  });

  it('expires by the clock after max(30 min, duration), then a re-fetch gives a new working link', async () => {
    const url = await voiceUrl();
    expect(Number(new URL(url).searchParams.get('Expires'))).toBe(clock.now() / 1000 + 1800);
    clock.advance(1799_000);
    expect((await fetch(url)).status).toBe(200);
    clock.advance(1000);
    const expired = await fetch(url);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('Request has expired');
    const fresh = await voiceUrl();
    expect(fresh).not.toBe(url);
    expect((await fetch(fresh)).status).toBe(200);
  });

  it('refuses a tampered link', async () => {
    const url = new URL(await voiceUrl());
    url.searchParams.set('Expires', String(Number(url.searchParams.get('Expires')) + 3600));
    const res = await fetch(url);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('AccessDenied');
    expect((await fetch(`${sim.url}/media/whatever.mp4`)).status).toBe(403);
  });

  it('linkLifetimeSeconds overrides the rule, and caps SigV4 X-Amz-Expires', async () => {
    sim.configure({ linkLifetimeSeconds: 60 });
    const url = await voiceUrl();
    expect(Number(new URL(url).searchParams.get('Expires'))).toBe(clock.now() / 1000 + 60);
    const sigv4 = new URL(callData(onlyInteraction((await contact(SEEDED.voiceAndScreen)).body)).fileToPlayUrl ?? '');
    expect(sigv4.searchParams.get('X-Amz-Expires')).toBe('60');
    clock.advance(60_000);
    expect((await fetch(url)).status).toBe(403);
    expect((await fetch(sigv4)).status).toBe(403);
  });

  it('media requests need no token, are not throttled and are logged without signatures', async () => {
    sim.configure({ rateLimit: { limit: 1, windowSeconds: 60 } });
    const url = await voiceUrl();
    for (let i = 0; i < 3; i += 1) expect((await fetch(url)).status).toBe(200);
    const media = sim.calls().filter((c) => c.endpoint === 'media');
    expect(media).toHaveLength(3);
    expect(media[0]?.query['Signature']).toBe('[redacted]');
  });
});

describe('throttling', () => {
  it('429 {message, route} with Retry-After beyond the tenant budget, then recovers with the window', async () => {
    sim.configure({ rateLimit: { limit: 3, windowSeconds: 60 } });
    for (let i = 0; i < 3; i += 1) expect((await contact(SEEDED.voice)).status).toBe(200);
    clock.advance(20_000);
    const { status, headers, body } = await call<JsonObject>(`/contacts?acd-call-id=${SEEDED.voice}`);
    expect(status).toBe(429);
    expect(body).toEqual({ message: 'Too many requests', route: `${API}/contacts` });
    expect(headers.get('retry-after')).toBe('40');
    clock.advance(40_000);
    expect((await contact(SEEDED.voice)).status).toBe(200);
  });
});

describe('controls', () => {
  it('records calls with endpoint, key, query and status, and counts them', async () => {
    await contact(SEEDED.voice, '&media-type=voice-only');
    await call(`/segments/${SEEDED.archivedSegment}`);
    await call('/nowhere');
    expect(sim.count('contacts', SEEDED.voice)).toBe(1);
    expect(sim.count('segments', SEEDED.archivedSegment)).toBe(1);
    expect(sim.count('other')).toBe(1);
    const [first] = sim.calls();
    expect(first).toMatchObject({
      endpoint: 'contacts',
      method: 'GET',
      path: `${API}/contacts`,
      query: { 'acd-call-id': SEEDED.voice, 'media-type': 'voice-only' },
      status: 200,
      key: SEEDED.voice,
      authorized: true,
      at: clock.now(),
    });
    sim.resetCalls();
    expect(sim.calls()).toHaveLength(0);
  });

  it('exposes the controls over HTTP, without recording them', async () => {
    await contact(SEEDED.voice);
    const listed = (await (await fetch(`${sim.url}/__sim/calls`)).json()) as { calls: unknown[]; byEndpoint: Record<string, number> };
    expect(listed.calls).toHaveLength(1);
    expect(listed.byEndpoint['contacts']).toBe(1);
    const post = (path: string, body?: string): Promise<Response> =>
      fetch(`${sim.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body }) });
    expect((await post('/__sim/config', JSON.stringify({ processingPolls: 0 }))).status).toBe(200);
    expect((await contact(SEEDED.processing)).status).toBe(200);
    expect((await post('/__sim/config', JSON.stringify({ processingPolls: -1 }))).status).toBe(400);
    expect((await post('/__sim/config', JSON.stringify({ nope: 1 }))).status).toBe(400);
    expect((await post('/__sim/config', 'not json')).status).toBe(400);
    expect((await post('/__sim/reset-calls')).status).toBe(200);
    expect(sim.calls()).toHaveLength(0);
    await contact(SEEDED.voice);
    expect((await post('/__sim/reset')).status).toBe(200);
    expect(sim.calls()).toHaveLength(0);
  });

  it('adds configured latency before API answers', async () => {
    sim.configure({ latencyMs: 60 });
    const started = performance.now();
    await contact(SEEDED.voice);
    expect(performance.now() - started).toBeGreaterThanOrEqual(50);
  });

  it('rejects nonsensical options', async () => {
    expect(() => sim.configure({ lockHoldMs: -5 })).toThrow(/lockHoldMs/);
    await expect(startSimulator({ port: 70000 })).rejects.toThrow(/port/);
  });

  it('close() ends promptly even with a keep-alive connection open', async () => {
    const other = await startSimulator({ clock });
    const agent = new Agent({ keepAlive: true });
    await new Promise<void>((resolve, reject) => {
      httpRequest(`${other.url}/.well-known/openid-configuration`, { agent }, (res) => {
        res.resume();
        res.on('end', resolve);
      })
        .on('error', reject)
        .end();
    });
    const started = performance.now();
    await other.close();
    expect(performance.now() - started).toBeLessThan(1000);
    agent.destroy();
  });
});

describe('parseSimulatorEnv', () => {
  it('defaults to port 4010 on loopback with CXone\'s 150 per 300 s', () => {
    expect(parseSimulatorEnv({})).toEqual({
      port: 4010,
      host: '127.0.0.1',
      latencyMs: 0,
      linkLifetimeSeconds: null,
      rateLimit: { limit: 150, windowSeconds: 300 },
      variant: 'published',
    });
  });

  it('reads every variable, 0 turns throttling off', () => {
    expect(
      parseSimulatorEnv({
        SIMULATOR_PORT: '0',
        SIMULATOR_HOST: '::1',
        SIMULATOR_LATENCY_MS: '25',
        SIMULATOR_LINK_LIFETIME_SECONDS: '120',
        SIMULATOR_RATE_LIMIT: '0',
        SIMULATOR_VARIANT: 'legacy',
      }),
    ).toEqual({ port: 0, host: '::1', latencyMs: 25, linkLifetimeSeconds: 120, rateLimit: null, variant: 'legacy' });
  });

  it('names each bad variable', () => {
    const attempt = (): unknown => parseSimulatorEnv({ SIMULATOR_PORT: 'http', SIMULATOR_RATE_WINDOW_SECONDS: '0', SIMULATOR_VARIANT: 'v2' });
    expect(attempt).toThrow(SimulatorConfigError);
    expect(attempt).toThrow(/SIMULATOR_PORT.*SIMULATOR_RATE_WINDOW_SECONDS.*SIMULATOR_VARIANT/);
  });
});

type Json = JsonObject[keyof JsonObject];
