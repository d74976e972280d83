/**
 * createLoaders and createRefusingLoaders alone, over the real RecordingCache on a ManualClock and
 * a CXone API that counts its calls: one upstream call per key per request, each key's error in its
 * own slot, cache keys that hold tenant and caller, the one refresh rule, the fan-out cap, and a
 * refused caller whose loaders touch neither the cache nor CXone.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { CxoneError } from '../../src/cxone/errors.js';
import { AppError, ErrorCode } from '../../src/errors.js';
import { createLoaders, createRefusingLoaders, type LoaderDependencies } from '../../src/loaders/index.js';
import { cacheOver, countingStore, fakeApis, scriptedGate, type FakeApis } from '../helpers/loader-stubs.js';

const TENANT = 'tenant-1';

function setup(overrides: Partial<LoaderDependencies> = {}, gateAllows: readonly string[] = []) {
  const clock = new ManualClock();
  const fake = fakeApis(clock);
  const store = countingStore();
  const cache = cacheOver(store, clock);
  const gate = scriptedGate(gateAllows);
  const lifetimes: Array<[number, string | null]> = [];
  const events = { refreshAsked: 0, linksRefreshed: 0 };
  const loadersFor = (more: Partial<LoaderDependencies> = {}) =>
    createLoaders({
      api: fake.api,
      reporting: fake.reporting,
      analytics: fake.analytics,
      cache,
      refreshGate: gate,
      scope: { caller: { mode: 'forward', token: 'token-1' }, tenantId: TENANT, callerId: 'u-1' },
      callerKey: 'u-1',
      concurrency: 4,
      onLifetime: (remainingMs, contact) => lifetimes.push([remainingMs, contact]),
      onRefresh: () => (events.refreshAsked += 1),
      onLinksRefreshed: () => (events.linksRefreshed += 1),
      ...overrides,
      ...more,
    });
  return { clock, fake, store, cache, gate, lifetimes, events, loadersFor };
}

function contactCalls(fake: FakeApis, key: string): number {
  return fake.count('contacts', key);
}

describe('createLoaders: one request', () => {
  it('makes one upstream call per key, however often the request asks for it', async () => {
    const { fake, loadersFor } = setup();
    const loaders = loadersFor();
    const answers = await Promise.all([
      loaders.recording.load({ acdContactId: '1', mediaType: 'ALL' }),
      loaders.recording.load({ acdContactId: '1', mediaType: 'ALL' }),
      loaders.recording.load({ acdContactId: '2', mediaType: 'ALL' }),
      loaders.recording.load({ acdContactId: '1', mediaType: 'VOICE_ONLY' }),
    ]);
    expect(answers.map((answer) => answer.acdContactId)).toEqual(['1', '1', '2', '1']);
    expect(contactCalls(fake, '1:ALL')).toBe(1);
    expect(contactCalls(fake, '2:ALL')).toBe(1);
    expect(contactCalls(fake, '1:VOICE_ONLY')).toBe(1);
    // A later load in the same request is DataLoader's memo: still one call.
    await loaders.recording.load({ acdContactId: '1', mediaType: 'ALL' });
    expect(fake.calls).toHaveLength(3);
  });

  it("puts a failing key's error in its own slot; the other keys stand", async () => {
    const { fake, loadersFor } = setup();
    const notFound = new CxoneError('no such contact', { kind: 'http', status: 404, resource: { kind: 'contact', acdContactId: '2' } });
    fake.failing.set('2', notFound);
    const results = await loadersFor().recording.loadMany([
      { acdContactId: '1', mediaType: 'ALL' },
      { acdContactId: '2', mediaType: 'ALL' },
      { acdContactId: '3', mediaType: 'ALL' },
    ]);
    expect(results[0]).toMatchObject({ acdContactId: '1' });
    expect(results[1]).toBe(notFound);
    expect(results[2]).toMatchObject({ acdContactId: '3' });
  });

  it('reads a later request from the shared cache, and tells the lifetime of each read', async () => {
    const { fake, lifetimes, loadersFor } = setup();
    await loadersFor().recording.load({ acdContactId: '1', mediaType: 'ALL' });
    const next = loadersFor();
    expect(next.cachedRecording({ acdContactId: '1', mediaType: 'ALL' })).toMatchObject({ acdContactId: '1' });
    await next.recording.load({ acdContactId: '1', mediaType: 'ALL' });
    expect(contactCalls(fake, '1:ALL')).toBe(1);
    // 30 minutes of link, less the 1-minute margin, for contact 1, on every read.
    expect(lifetimes).toEqual([
      [29 * 60_000, '1'],
      [29 * 60_000, '1'],
      [29 * 60_000, '1'],
    ]);
  });

  it('keys the cache by tenant and cache scope: another user or tenant never gets these answers', async () => {
    const { fake, loadersFor } = setup();
    const key = { acdContactId: '1', mediaType: 'ALL' } as const;
    await loadersFor().recording.load(key);
    await loadersFor({ callerKey: 'u-2' }).recording.load(key);
    await loadersFor({ scope: { caller: { mode: 'forward', token: 'token-1' }, tenantId: 'tenant-2', callerId: 'u-1' } }).recording.load(key);
    expect(contactCalls(fake, '1:ALL')).toBe(3);
    expect(loadersFor({ callerKey: 'u-3' }).cachedRecording(key)).toBeUndefined();
  });

  it('calls CXone at interactive priority, bulk for reporting loaders, with the request scope', async () => {
    const { fake, loadersFor } = setup();
    const loaders = loadersFor();
    await loaders.recording.load({ acdContactId: '1', mediaType: 'ALL' });
    await loaders.recording.load({ acdContactId: '2', mediaType: 'ALL', bulk: true });
    await loaders.segment.load({ segmentId: 's1', mediaType: 'ALL', bulk: true });
    await loaders.statement.load({ acdContactId: '3', statementId: '9' });
    expect(fake.calls.map((call) => [call.endpoint, call.scope.priority])).toEqual([
      ['contacts', 'interactive'],
      ['contacts', 'bulk'],
      ['segments', 'bulk'],
      ['statements', 'interactive'],
    ]);
    expect(fake.calls[0]!.scope).toMatchObject({ tenantId: TENANT, callerId: 'u-1', caller: { mode: 'forward', token: 'token-1' } });
  });

  it('caps the upstream calls of one request in flight at `concurrency`', async () => {
    const { fake, loadersFor } = setup({ concurrency: 2 });
    let release: () => void = () => undefined;
    fake.hold = new Promise<void>((resolve) => (release = resolve));
    const pending = loadersFor().recording.loadMany(['1', '2', '3', '4', '5'].map((id) => ({ acdContactId: id, mediaType: 'ALL' as const })));
    await new Promise((resolve) => setImmediate(resolve));
    expect(fake.inFlight.now).toBe(2);
    release();
    await pending;
    expect(fake.calls).toHaveLength(5);
    expect(fake.inFlight.most).toBe(2);
  });
});

describe('createLoaders: refresh: true', () => {
  it('the gate allows: a new upstream answer replaces the cached one, on the refresh allowance', async () => {
    const gateKey = `v1:${TENANT}:u-1:contact:1:VOICE_ONLY`;
    const { fake, gate, events, loadersFor } = setup({}, [gateKey]);
    const key = { acdContactId: '1', mediaType: 'VOICE_ONLY' } as const;
    const cached = await loadersFor().recording.load(key);
    const refreshed = await loadersFor().recordingRefresh.load(key);
    expect(gate.asked).toEqual([gateKey]);
    expect(refreshed.mediaUrl?.url).not.toBe(cached.mediaUrl?.url);
    expect(fake.calls.map((call) => call.scope.priority)).toEqual(['interactive', 'refresh']);
    expect(events).toEqual({ refreshAsked: 1, linksRefreshed: 1 });
    // The next ordinary request reads the refreshed answer.
    expect(loadersFor().cachedRecording(key)?.mediaUrl?.url).toBe(refreshed.mediaUrl?.url);
  });

  it('the gate refuses: the cached answer, no upstream call, and the answer is still a refresh', async () => {
    const { fake, gate, events, loadersFor } = setup();
    const key = { acdContactId: '1', mediaType: 'ALL' } as const;
    const cached = await loadersFor().recording.load(key);
    const again = await loadersFor().recordingRefresh.load(key);
    expect(gate.asked).toEqual([`v1:${TENANT}:u-1:contact:1:ALL`]);
    expect(again.mediaUrl?.url).toBe(cached.mediaUrl?.url);
    expect(fake.calls).toHaveLength(1);
    expect(events).toEqual({ refreshAsked: 1, linksRefreshed: 0 });
  });

  it("asks the gate under each link's own key: segments and statements as recordings", async () => {
    const { gate, loadersFor } = setup();
    const loaders = loadersFor();
    await loaders.segmentRefresh.load({ segmentId: 'a/b', mediaType: 'CHAT' });
    await loaders.statementRefresh.load({ acdContactId: '7', statementId: '8' });
    expect(gate.asked).toEqual([`v1:${TENANT}:u-1:segment:a%2Fb:CHAT`, `v1:${TENANT}:u-1:statement:7:8`]);
  });
});

describe('createRefusingLoaders', () => {
  it('refuses every load with the caller error, before any cache read or upstream call', async () => {
    const { fake, store } = setup();
    const refusal = new AppError(ErrorCode.Unauthenticated, 'No credentials');
    const loaders = createRefusingLoaders(refusal);
    const key = { acdContactId: '1', mediaType: 'ALL' } as const;
    await expect(loaders.recording.load(key)).rejects.toBe(refusal);
    await expect(loaders.recording.load({ ...key, bulk: true })).rejects.toBe(refusal);
    await expect(loaders.recordingRefresh.load(key)).rejects.toBe(refusal);
    await expect(loaders.segment.load({ segmentId: 's', mediaType: 'ALL' })).rejects.toBe(refusal);
    await expect(loaders.segmentRefresh.load({ segmentId: 's', mediaType: 'ALL' })).rejects.toBe(refusal);
    await expect(loaders.statement.load({ acdContactId: '1', statementId: '2' })).rejects.toBe(refusal);
    await expect(loaders.statementRefresh.load({ acdContactId: '1', statementId: '2' })).rejects.toBe(refusal);
    await expect(loaders.segmentAnalysis.load('s')).rejects.toBe(refusal);
    const window = { from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' };
    await expect(loaders.completedContacts({ ...window, agentId: null, skillId: null, mediaType: null, skip: 0, top: 10 })).rejects.toBe(refusal);
    await expect(loaders.analyzedSegments({ ...window, mediaType: null, pageSize: 10, cursor: null })).rejects.toBe(refusal);
    expect(loaders.cachedRecording(key)).toBeUndefined();
    expect(fake.calls).toHaveLength(0);
    expect(store.touches).toBe(0);
  });
});
