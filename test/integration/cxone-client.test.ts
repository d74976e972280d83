/**
 * The CXone client against a real node:http fake on port 0: URLs, headers, every status, retries,
 * deadline, circuit breaker, unreadable answers, dropped connections and keep-alive. Each test ends
 * with `assertDone()`: a scripted upstream call that never happened, or an unscripted one that did,
 * fails it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { CxoneError } from '../../src/cxone/errors.js';
import { AccessKeyAuth } from '../../src/cxone/auth.js';
import { parseRetryAfter } from '../../src/cxone/client.js';
import { MEDIA_URL, segmentAnswer, statementAnswer, voiceContact } from '../helpers/fake-cxone.js';
import {
  TOKEN,
  everyTextOf,
  metricValue,
  rejectionOf,
  scope,
  startHarness,
  type Harness,
  type HarnessOptions,
} from '../helpers/cxone-harness.js';

const CONTACTS = '/media-playback/v1/contacts';
const ID = '600012345678';

let harness: Harness | undefined;

async function start(options: HarnessOptions = {}): Promise<Harness> {
  harness = await startHarness(options);
  return harness;
}

afterEach(async () => {
  const current = harness;
  harness = undefined;
  if (current === undefined) return;
  try {
    current.fake.assertDone();
    // Whatever a test did, no token and no media signature may reach a log line.
    const logs = current.logs.join('\n');
    expect(logs).not.toContain(TOKEN);
    expect(logs).not.toContain('sig-must-not-leak');
  } finally {
    await current.close();
  }
});

function cxoneError(error: unknown): CxoneError {
  expect(error).toBeInstanceOf(CxoneError);
  if (!(error instanceof CxoneError)) throw new Error('not a CxoneError');
  // Every error any test sees is also checked for leaks.
  expect(everyTextOf(error)).not.toContain(TOKEN);
  expect(everyTextOf(error)).not.toContain('sig-must-not-leak');
  return error;
}

describe('URLs and headers', () => {
  it('asks /contacts with acd-call-id, media-type and exclude-waveforms, bearer token and JSON accept', async () => {
    const { fake, client } = await start();
    fake.on('GET', CONTACTS, { status: 200, json: voiceContact(ID) });

    const recording = await client.getContact(ID, 'VOICE_ONLY', scope());

    const [request] = fake.calls('GET', CONTACTS);
    expect(request?.rawUrl).toBe(`${CONTACTS}?acd-call-id=${ID}&media-type=voice-only&exclude-waveforms=true`);
    expect(request?.headers['authorization']).toBe(`Bearer ${TOKEN}`);
    expect(request?.headers['accept']).toBe('application/json');
    expect(recording.acdContactId).toBe(ID);
    expect(recording.mediaUrl?.url).toBe(MEDIA_URL);
  });

  it('maps each media type to CXone spelling and never asks isDownload', async () => {
    const { fake, client } = await start();
    fake.on('GET', CONTACTS, { status: 200, json: voiceContact(ID) }, { status: 200, json: voiceContact(ID) });

    await client.getContact(ID, 'ALL', scope());
    await client.getContact(ID, 'VOICE_AND_SCREEN', scope());

    const [all, screen] = fake.calls('GET', CONTACTS);
    expect(all?.query.get('media-type')).toBe('all');
    expect(all?.query.has('isDownload')).toBe(false);
    expect(screen?.rawUrl).toBe(`${CONTACTS}?acd-call-id=${ID}&media-type=voice-and-screen&exclude-waveforms=true`);
  });

  it('asks /segments/{id} with the id path-encoded', async () => {
    const { fake, client } = await start();
    fake.on('GET', '/media-playback/v1/segments/seg-1_A%2Fb', { status: 200, json: segmentAnswer() });

    await client.getSegment('seg-1_A/b', 'CHAT', scope());

    const [request] = fake.requests;
    expect(request?.rawUrl).toBe('/media-playback/v1/segments/seg-1_A%2Fb?media-type=chat&exclude-waveforms=true');
    expect(request?.headers['authorization']).toBe(`Bearer ${TOKEN}`);
  });

  it('asks /acd-contacts/{id}/statements/{sid} with no query', async () => {
    const { fake, client } = await start();
    const path = `/media-playback/v1/acd-contacts/${ID}/statements/42`;
    fake.on('GET', path, { status: 200, json: statementAnswer() });

    const statement = await client.getStatement(ID, '42', scope());

    expect(fake.calls('GET', path).map((request) => request.rawUrl)).toEqual([path]);
    expect(statement).toMatchObject({ acdContactId: ID, statementId: '42' });
    expect(statement.mediaUrl?.url).toBe(MEDIA_URL);
  });

  it.each([
    ['a trailing slash', (url: string) => `${url}/`],
    ['the API path already on it', (url: string) => `${url}/media-playback/v1/`],
  ])('accepts a base URL with %s', async (_name, base) => {
    const { fake, client } = await start({ apiBaseUrl: base });
    fake.on('GET', CONTACTS, { status: 200, json: voiceContact(ID) });

    await client.getContact(ID, 'ALL', scope());

    expect(fake.calls('GET', CONTACTS)).toHaveLength(1);
  });
});

describe('status handling', () => {
  it.each([
    [400, 'contact'],
    [401, 'contact'],
    [403, 'contact'],
    [404, 'contact'],
    [422, 'contact'],
    [418, 'contact'],
  ])('%i is a CxoneError kind http and is never retried', async (status) => {
    const { fake, client, metrics } = await start();
    fake.on('GET', CONTACTS, { status, json: { internalCode: `E${status}`, message: 'Interaction Not Found' } });

    const error = cxoneError(await rejectionOf(client.getContact(ID, 'ALL', scope())));

    expect(error).toMatchObject({
      kind: 'http',
      status,
      internalCode: `E${status}`,
      upstreamMessage: 'Interaction Not Found',
      resource: { kind: 'contact', acdContactId: ID },
      request: { method: 'GET', endpoint: 'contacts', path: CONTACTS },
    });
    expect(fake.calls('GET', CONTACTS)).toHaveLength(1);
    expect(await metricValue(metrics.upstreamRetries)).toBe(0);
    expect(await metricValue(metrics.upstreamCalls, { endpoint: 'contacts', status: String(status) })).toBe(1);
  });

  it('429 is not retried and carries Retry-After seconds', async () => {
    const { fake, client } = await start();
    fake.on('GET', CONTACTS, { status: 429, headers: { 'retry-after': '30' }, json: { message: 'Too many', route: '/contacts' } });

    const error = cxoneError(await rejectionOf(client.getContact(ID, 'ALL', scope())));

    expect(error).toMatchObject({ kind: 'http', status: 429, retryAfterSeconds: 30, upstreamMessage: 'Too many' });
    expect(fake.calls('GET', CONTACTS)).toHaveLength(1);
  });

  it('reads Retry-After as an HTTP date too', () => {
    const now = Date.UTC(2026, 0, 15, 12, 0, 0);
    expect(parseRetryAfter('Thu, 15 Jan 2026 12:00:42 GMT', now)).toBe(42);
    expect(parseRetryAfter('Thu, 15 Jan 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('7', now)).toBe(7);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('keeps signed links out of an upstream message', async () => {
    const { fake, client } = await start();
    fake.on('GET', CONTACTS, { status: 404, json: { message: `gone: ${MEDIA_URL}` } });

    const error = cxoneError(await rejectionOf(client.getContact(ID, 'ALL', scope())));

    expect(error.upstreamMessage).toBe('gone: https://media.example.com/rec.mp4?[redacted]');
  });

  it('a non-JSON error body still gives the status', async () => {
    const { fake, client } = await start();
    fake.on('GET', CONTACTS, { status: 403, text: '<html>Forbidden</html>', headers: { 'content-type': 'text/html' } });

    const error = cxoneError(await rejectionOf(client.getContact(ID, 'ALL', scope())));

    expect(error).toMatchObject({ kind: 'http', status: 403 });
    expect(error.internalCode).toBeUndefined();
    expect(error.upstreamMessage).toBeUndefined();
  });
});

describe('202 and 425', () => {
  it('re-issues a 202 until the recording is ready', async () => {
    const { fake, client, metrics } = await start();
    fake.on('GET', CONTACTS, { status: 202 }, { status: 202 }, { status: 200, json: voiceContact(ID) });

    const recording = await client.getContact(ID, 'ALL', scope());

    expect(recording.acdContactId).toBe(ID);
    expect(fake.calls('GET', CONTACTS)).toHaveLength(3);
    expect(await metricValue(metrics.upstreamRetries, { endpoint: 'contacts', reason: 'processing' })).toBe(2);
    expect(await metricValue(metrics.upstreamCalls, { status: '202' })).toBe(2);
    expect(await metricValue(metrics.upstreamCalls, { status: '200' })).toBe(1);
  });

  it('gives up after processingRetries with the 202 and a retryAfterSeconds', async () => {
    const { fake, client } = await start({ resilience: { processingRetries: 2 } });
    fake.on('GET', CONTACTS, { status: 202 }, { status: 202 }, { status: 202 });

    const error = cxoneError(await rejectionOf(client.getContact(ID, 'ALL', scope())));

    expect(error).toMatchObject({ kind: 'http', status: 202 });
    expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(fake.calls('GET', CONTACTS)).toHaveLength(3);
  });

  it("keeps CXone's own Retry-After on the final 202", async () => {
    const { fake, client } = await start({ resilience: { processingRetries: 1, maxRetryAfterMs: 5 } });
    fake.on('GET', CONTACTS, { status: 202, headers: { 'retry-after': '9' } }, { status: 202, headers: { 'retry-after': '9' } });

    const error = cxoneError(await rejectionOf(client.getContact(ID, 'ALL', scope())));

    expect(error).toMatchObject({ status: 202, retryAfterSeconds: 9 });
  });

  it('re-issues a 425 after its Retry-After (capped by maxRetryAfterMs), not the default delay', async () => {
    const { fake, client, metrics } = await start({ resilience: { processingDelayMs: 1, maxRetryAfterMs: 60 } });
    fake.on('GET', CONTACTS, { status: 425, headers: { 'retry-after': '1' } }, { status: 200, json: voiceContact(ID) });

    await client.getContact(ID, 'ALL', scope());

    const [first, second] = fake.calls('GET', CONTACTS);
    expect(second).toBeDefined();
    // 1 s from CXone, capped to 60 ms; the 1 ms default would come back almost at once.
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(50);
    expect(await metricValue(metrics.upstreamRetries, { reason: 'locked' })).toBe(1);
  });

  it('gives up on a 425 that stays locked, with retryAfterSeconds', async () => {
    const { fake, client } = await start({ resilience: { processingRetries: 1 } });
    fake.on('GET', CONTACTS, { status: 425 }, { status: 425 });

    const error = cxoneError(await rejectionOf(client.getContact(ID, 'ALL', scope())));

    expect(error).toMatchObject({ kind: 'http', status: 425 });
    expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(1);
  });
});

describe('transient failures', () => {
  it.each([500, 502, 503, 504])('retries %i and succeeds', async (status) => {
    const { fake, client, metrics } = await start();
    fake.on('GET', CONTACTS, { status }, { status: 200, json: voiceContact(ID) });

    await client.getContact(ID, 'ALL', scope());

    expect(fake.calls('GET', CONTACTS)).toHaveLength(2);
    expect(await metricValue(metrics.upstreamRetries, { reason: 'transient' })).toBe(1);
  });

  it('retries a 5xx a bounded number of times, then returns it', async () => {
    const { fake, client } = await start({ resilience: { transientRetries: 2 } });
    fake.on('GET', CONTACTS, { status: 503 }, { status: 503 }, { status: 503 });

    const error = cxoneError(await rejectionOf(client.getContact(ID, 'ALL', scope())));

    expect(error).toMatchObject({ kind: 'http', status: 503 });
    expect(fake.calls('GET', CONTACTS)).toHaveLength(3);
  });

  it('a connection dropped mid-answer is kind network, and is retried', async () => {
    const { fake, client, metrics } = await start({ resilience: { transientRetries: 1 } });
    fake.on('GET', CONTACTS, { dropMidBody: true }, { status: 200, json: voiceContact(ID) });

    await client.getContact(ID, 'ALL', scope());

    expect(fake.calls('GET', CONTACTS)).toHaveLength(2);
    expect(await metricValue(metrics.upstreamCalls, { status: 'network' })).toBe(1);
  });

  it('a connection dropped mid-answer, with no retries left, rejects with kind network', async () => {
    const { fake, client } = await start({ resilience: { transientRetries: 0 } });
    fake.on('GET', CONTACTS, { dropMidBody: true });

    const error = cxoneError(await rejectionOf(client.getContact(ID, 'ALL', scope())));

    expect(error).toMatchObject({ kind: 'network', request: { path: CONTACTS } });
  });

  it('a connection closed before any answer is kind network', async () => {
    const { fake, client } = await start({ resilience: { transientRetries: 0 } });
    fake.on('GET', CONTACTS, { dropBeforeHeaders: true });

    const error = cxoneError(await rejectionOf(client.getContact(ID, 'ALL', scope())));

    expect(error.kind).toBe('network');
  });

  it('a refused connection is kind network', async () => {
    const { fake, client } = await start({ resilience: { transientRetries: 0 }, apiBaseUrl: () => 'http://127.0.0.1:1' });

    const error = cxoneError(await rejectionOf(client.getContact(ID, 'ALL', scope())));

    expect(error.kind).toBe('network');
    expect(fake.requests).toHaveLength(0);
  });

  it('an answer slower than the per-attempt timeout is kind timeout', async () => {
    // Wide margins: on a loaded machine a very short timeout can expire before the request is even sent.
    const { fake, client, metrics } = await start({ resilience: { transientRetries: 0 }, transport: { attemptTimeoutMs: 250 } });
    fake.on('GET', CONTACTS, { status: 200, json: voiceContact(ID), delayMs: 2_000 });

    const error = cxoneError(await rejectionOf(client.getContact(ID, 'ALL', scope())));

    expect(error.kind).toBe('timeout');
    expect(await metricValue(metrics.upstreamCalls, { status: 'timeout' })).toBe(1);
  });
});

describe('deadline', () => {
  it('starts no retry that could not finish before the deadline', async () => {
    const { fake, client } = await start({ resilience: { processingDelayMs: 200, processingRetries: 10 } });
    fake.always('GET', CONTACTS, { status: 202 });
    const started = performance.now();

    const error = cxoneError(await rejectionOf(client.getContact(ID, 'ALL', scope({ deadline: Date.now() + 500 }))));

    expect(error.kind).toBe('timeout');
    // Attempts at ~0, ~200 and ~400 ms fit; one at ~600 ms would not, so it is never started
    // (a slow, shared machine may fit fewer). The caller hears so around the deadline, not after
    // the ten retries it was allowed.
    const calls = fake.calls('GET', CONTACTS).length;
    expect(calls).toBeGreaterThanOrEqual(1);
    expect(calls).toBeLessThanOrEqual(3);
    expect(performance.now() - started).toBeLessThan(1_200);
  });

  it('aborts an attempt still running at the deadline with kind timeout', async () => {
    const { fake, client } = await start();
    fake.on('GET', CONTACTS, { status: 200, json: voiceContact(ID), delayMs: 5_000 });
    const started = performance.now();

    // 400 ms: long enough that a loaded machine still sends the request before the deadline.
    const error = cxoneError(await rejectionOf(client.getContact(ID, 'ALL', scope({ deadline: Date.now() + 400 }))));

    expect(error.kind).toBe('timeout');
    // Well before the answer would have come (5 s), with slack for a loaded machine.
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(fake.calls('GET', CONTACTS)).toHaveLength(1);
  });

  it('a deadline already passed makes no upstream call', async () => {
    const { fake, client } = await start();

    const error = cxoneError(await rejectionOf(client.getContact(ID, 'ALL', scope({ deadline: Date.now() - 1 }))));

    expect(error.kind).toBe('timeout');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('circuit breaker (on the injected clock: tests move it, never sleep)', () => {
  // Small numbers so a handful of calls decide; the production values are in breaker.ts.
  const breaker = { transientRetries: 0, breaker: { minimumCalls: 3, minimumKeys: 3, halfOpenAfterMs: 80 } } as const;
  const IDS = ['600000000001', '600000000002', '600000000003'] as const;

  it('opens on the failure rate across distinct contacts, fails fast, then half-opens', async () => {
    const clock = new ManualClock();
    const { fake, client, metrics } = await start({ resilience: breaker, clock });
    fake.on('GET', CONTACTS, { status: 503 }, { status: 502 }, { status: 500 });

    for (const id of IDS) {
      expect(cxoneError(await rejectionOf(client.getContact(id, 'ALL', scope()))).kind).toBe('http');
    }
    const open = cxoneError(await rejectionOf(client.getContact(ID, 'ALL', scope())));

    expect(open.kind).toBe('circuit-open');
    expect(open.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(fake.calls('GET', CONTACTS)).toHaveLength(3);
    expect(await metricValue(metrics.circuitState, { tenant: 't1' })).toBe(1);

    // Another tenant has its own circuit.
    fake.on('GET', CONTACTS, { status: 200, json: voiceContact(ID) });
    await client.getContact(ID, 'ALL', scope({ tenantId: 't2' }));

    clock.advance(100);
    fake.on('GET', CONTACTS, { status: 200, json: voiceContact(ID) });
    await client.getContact(ID, 'ALL', scope());
    expect(await metricValue(metrics.circuitState, { tenant: 't1' })).toBe(0);
    expect(fake.calls('GET', CONTACTS)).toHaveLength(5);
  });

  it('one contact that keeps failing never opens the circuit', async () => {
    const clock = new ManualClock();
    const { fake, client } = await start({ resilience: breaker, clock });
    fake.on('GET', CONTACTS, ...Array.from({ length: 10 }, () => ({ status: 500 })), { status: 200, json: voiceContact(IDS[0]) });

    for (let i = 0; i < 10; i += 1) {
      expect(cxoneError(await rejectionOf(client.getContact(ID, 'ALL', scope()))).status).toBe(500);
    }
    expect((await client.getContact(IDS[0], 'ALL', scope())).acdContactId).toBe(IDS[0]);
    expect(fake.calls('GET', CONTACTS)).toHaveLength(11);
  });

  it('a failed trial call opens the circuit again', async () => {
    const clock = new ManualClock();
    const { fake, client } = await start({ resilience: { ...breaker, breaker: { minimumCalls: 1, minimumKeys: 1, halfOpenAfterMs: 80 } }, clock });
    fake.on('GET', CONTACTS, { status: 503 }, { status: 503 });

    await rejectionOf(client.getContact(ID, 'ALL', scope()));
    expect(cxoneError(await rejectionOf(client.getContact(ID, 'ALL', scope()))).kind).toBe('circuit-open');
    clock.advance(100);
    expect(cxoneError(await rejectionOf(client.getContact(ID, 'ALL', scope()))).status).toBe(503);
    expect(cxoneError(await rejectionOf(client.getContact(ID, 'ALL', scope()))).kind).toBe('circuit-open');
    expect(fake.calls('GET', CONTACTS)).toHaveLength(2);
  });

  it('404, 403 and 202 are answers: they keep the failure rate under the threshold', async () => {
    const { fake, client } = await start({
      resilience: { ...breaker, processingRetries: 0, breaker: { minimumCalls: 3, minimumKeys: 1, failureRate: 0.6 } },
    });
    fake.on(
      'GET',
      CONTACTS,
      { status: 503 },
      { status: 503 },
      { status: 404 },
      { status: 403 },
      { status: 202 },
      { status: 503 },
      { status: 503 },
      { status: 200, json: voiceContact(ID) },
    );

    for (let i = 0; i < 7; i += 1) await rejectionOf(client.getContact(ID, 'ALL', scope()));
    await client.getContact(ID, 'ALL', scope());

    expect(fake.calls('GET', CONTACTS)).toHaveLength(8);
  });

  it('opens mid-retry and stops retrying', async () => {
    const { fake, client } = await start({
      resilience: { transientRetries: 5, breaker: { minimumCalls: 2, minimumKeys: 1, halfOpenAfterMs: 10_000 } },
    });
    fake.on('GET', CONTACTS, { status: 503 }, { status: 503 });

    const error = cxoneError(await rejectionOf(client.getContact(ID, 'ALL', scope())));

    expect(error).toMatchObject({ kind: 'http', status: 503 });
    expect(fake.calls('GET', CONTACTS)).toHaveLength(2);
  });
});

describe('unreadable answers', () => {
  it('malformed JSON is invalid-response and not retried', async () => {
    const { fake, client, metrics } = await start();
    fake.on('GET', CONTACTS, { status: 200, text: '{"interactions": [', headers: { 'content-type': 'application/json' } });

    const error = cxoneError(await rejectionOf(client.getContact(ID, 'ALL', scope())));

    expect(error).toMatchObject({ kind: 'invalid-response', resource: { kind: 'contact', acdContactId: ID } });
    expect(await metricValue(metrics.upstreamCalls, { status: 'invalid-response' })).toBe(1);
  });

  it('a 200 with a non-JSON content type is invalid-response', async () => {
    const { fake, client } = await start();
    fake.on('GET', CONTACTS, { status: 200, text: JSON.stringify(voiceContact(ID)), headers: { 'content-type': 'text/html' } });

    const error = cxoneError(await rejectionOf(client.getContact(ID, 'ALL', scope())));

    expect(error.kind).toBe('invalid-response');
  });

  it('JSON that is not a contact is invalid-response (mapping refuses it)', async () => {
    const { fake, client } = await start();
    fake.on('GET', CONTACTS, { status: 200, json: ['not', 'a', 'contact'] }, { status: 200, json: { hello: 'world' } });

    expect(cxoneError(await rejectionOf(client.getContact(ID, 'ALL', scope()))).kind).toBe('invalid-response');
    expect(cxoneError(await rejectionOf(client.getContact(ID, 'ALL', scope()))).kind).toBe('invalid-response');
  });

  it('an answer larger than maxResponseBytes is invalid-response', async () => {
    const { fake, client } = await start({ transport: { maxResponseBytes: 1024 } });
    fake.on('GET', CONTACTS, { status: 200, json: { interactions: [], pad: 'x'.repeat(5000) } });

    expect(cxoneError(await rejectionOf(client.getContact(ID, 'ALL', scope()))).kind).toBe('invalid-response');
  });
});

describe('keep-alive', () => {
  it('sequential calls reuse pooled connections', async () => {
    const { fake, client } = await start();
    fake.always('GET', CONTACTS, { status: 200, json: voiceContact(ID) });

    for (let i = 0; i < 25; i += 1) await client.getContact(ID, 'ALL', scope());

    expect(fake.calls('GET', CONTACTS)).toHaveLength(25);
    // undici frees a socket a tick after the body ends, so the second call may open one more.
    expect(fake.connections).toBeLessThanOrEqual(2);
  });

  it('concurrent calls open at most `connections` sockets', async () => {
    const { fake, client } = await start({ transport: { connections: 2 } });
    fake.always('GET', CONTACTS, { status: 200, json: voiceContact(ID), delayMs: 10 });

    await Promise.all(Array.from({ length: 10 }, () => client.getContact(ID, 'ALL', scope())));

    expect(fake.calls('GET', CONTACTS)).toHaveLength(10);
    expect(fake.connections).toBeLessThanOrEqual(2);
  });
});

describe('credentials', () => {
  it('forward mode without a token fails with no-credentials and no upstream call', async () => {
    const { fake, client, metrics } = await start();

    for (const token of [null, '', '   ']) {
      const error = cxoneError(
        await rejectionOf(client.getContact(ID, 'ALL', scope({ caller: { mode: 'forward', token } }))),
      );
      expect(error).toMatchObject({ kind: 'no-credentials', resource: { kind: 'auth' } });
    }
    expect(fake.requests).toHaveLength(0);
    expect(await metricValue(metrics.upstreamCalls)).toBe(0);
  });

  it('forward mode: a 401 is final (no re-auth, no retry)', async () => {
    const { fake, client } = await start();
    fake.on('GET', CONTACTS, { status: 401, json: { message: 'Unauthorized' } });

    const error = cxoneError(await rejectionOf(client.getContact(ID, 'ALL', scope())));

    expect(error).toMatchObject({ kind: 'http', status: 401 });
    expect(fake.calls('GET', CONTACTS)).toHaveLength(1);
  });

  describe('access-key mode', () => {
    const SECRET = 'S3cr3t+key/with==';
    const CLIENT_SECRET = 'client-SECRET-xyz';
    const accessKey: HarnessOptions['auth'] = ({ transport, clock, logger, fakeUrl }) =>
      new AccessKeyAuth({
        issuerUrl: fakeUrl,
        clientId: 'client-id',
        clientSecret: CLIENT_SECRET,
        accessKeyId: 'AKID',
        accessKeySecret: SECRET,
        clock,
        transport,
        logger,
      });
    const caller = { mode: 'access-key' } as const;

    function scriptAuth(h: Harness, tokens: readonly string[]): void {
      h.fake.on('GET', '/.well-known/openid-configuration', (_request, fake) => ({
        status: 200,
        json: { token_endpoint: `${fake.url}/auth/token` },
      }));
      for (const token of tokens) {
        h.fake.on('POST', '/auth/token', { status: 200, json: { access_token: token, token_type: 'Bearer', expires_in: 3600, refresh_token: `r-${token}` } });
      }
    }

    it('a 401 re-authenticates once and retries with the new token', async () => {
      const h = await start({ auth: accessKey });
      scriptAuth(h, ['tok-SECRET-one', 'tok-SECRET-two']);
      h.fake.on('GET', CONTACTS, { status: 401 }, { status: 200, json: voiceContact(ID) });

      await h.client.getContact(ID, 'ALL', scope({ caller }));

      const calls = h.fake.calls('GET', CONTACTS);
      expect(calls.map((request) => request.headers['authorization'])).toEqual([
        'Bearer tok-SECRET-one',
        'Bearer tok-SECRET-two',
      ]);
      // The rejected session is not refreshed: the access key signs in again.
      const grants = h.fake.calls('POST', '/auth/token').map((request) => new URLSearchParams(request.body).get('grant_type'));
      expect(grants).toEqual(['password', 'password']);
      expect(await metricValue(h.metrics.upstreamRetries, { reason: 'reauth' })).toBe(1);
      expect(h.logs.join('\n')).not.toContain('tok-SECRET');
    });

    it('a second 401 is the answer', async () => {
      const h = await start({ auth: accessKey });
      scriptAuth(h, ['tok-SECRET-one', 'tok-SECRET-two']);
      h.fake.on('GET', CONTACTS, { status: 401 }, { status: 401 });

      const error = cxoneError(await rejectionOf(h.client.getContact(ID, 'ALL', scope({ caller }))));

      expect(error).toMatchObject({ kind: 'http', status: 401, resource: { kind: 'contact' } });
      expect(h.fake.calls('GET', CONTACTS)).toHaveLength(2);
      expect(h.fake.calls('POST', '/auth/token')).toHaveLength(2);
      for (const secret of ['tok-SECRET', SECRET, CLIENT_SECRET, encodeURIComponent(SECRET)]) {
        expect(everyTextOf(error)).not.toContain(secret);
        expect(h.logs.join('\n')).not.toContain(secret);
      }
    });
  });
});
