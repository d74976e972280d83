/**
 * createContextFactory and createAnswerScope alone, with a stub authenticator and the loader stubs:
 * verification first and once per request, a refused caller's context reaching neither cache nor
 * CXone, the verified tenant and identities carried into every upstream call, and who may share a
 * kept answer (tenant, cache scope, and the field scopes the caller holds).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { SCOPE, type AcceptedCaller, type CallerAuthenticator } from '../../src/callers/identity.js';
import { ManualClock } from '../../src/clock.js';
import { bearerToken, createAnswerScope, createContextFactory, type ContextDependencies } from '../../src/context.js';
import { AppError, ErrorCode } from '../../src/errors.js';
import { cacheOver, countingStore, fakeApis, scriptedGate } from '../helpers/loader-stubs.js';

const DEADLINE_MS = 10_000;

function caller(overrides: Partial<AcceptedCaller> = {}): AcceptedCaller {
  return { caller: { mode: 'forward', token: 'tok' }, tenantId: 'acme', cacheScope: 'u-alice', callerId: 'u-alice', scopes: null, ...overrides };
}

function setup(authenticate: CallerAuthenticator, gateAllows: readonly string[] = []) {
  const clock = new ManualClock();
  const fake = fakeApis(clock);
  const store = countingStore();
  const linksRefreshed: string[] = [];
  const deps: ContextDependencies = {
    api: fake.api,
    reporting: fake.reporting,
    analytics: fake.analytics,
    cache: cacheOver(store, clock),
    refreshGate: scriptedGate(gateAllows),
    clock,
    logger: pino({ level: 'silent' }),
    authenticate,
    defaultTenantId: 'default-tenant',
    uiBaseUrl: 'https://ui.example',
    concurrency: 4,
    requestDeadlineMs: DEADLINE_MS,
    maxListIds: 100,
    reportingMaxWindowDays: 31,
    onLinksRefreshed: (scope) => linksRefreshed.push(scope),
  };
  return { clock, fake, store, linksRefreshed, contextFor: createContextFactory(deps), answerScopeOf: createAnswerScope(deps) };
}

/** An authenticator that accepts `accepted` tokens (or refuses everything), counting its calls. */
function authenticator(byToken: Record<string, AcceptedCaller>) {
  const seen: Array<string | null> = [];
  const authenticate: CallerAuthenticator = (token) => {
    seen.push(token);
    const found = token === null ? undefined : byToken[token];
    return Promise.resolve(
      found === undefined ? { accepted: false, error: new AppError(ErrorCode.Unauthenticated, 'refused') } : { accepted: true, caller: found },
    );
  };
  return { authenticate, seen };
}

describe('bearerToken', () => {
  it('reads a Bearer token, in any case and with spaces, and nothing else', () => {
    expect(bearerToken({ authorization: 'Bearer abc.def' })).toBe('abc.def');
    expect(bearerToken({ authorization: '  bearer   abc  ' })).toBe('abc');
    expect(bearerToken({ authorization: 'Basic dXNlcg==' })).toBeNull();
    expect(bearerToken({ authorization: 'Bearer ' })).toBeNull();
    expect(bearerToken({})).toBeNull();
  });
});

describe('createContextFactory', () => {
  it("a refused caller: refusing loaders, the default tenant, no answer scope, and nothing read or called", async () => {
    const { authenticate } = authenticator({});
    const { contextFor, fake, store } = setup(authenticate);
    const ctx = await contextFor({ req: { headers: { authorization: 'Bearer forged' } } });
    expect(ctx.access.accepted).toBe(false);
    expect(ctx.tenantId).toBe('default-tenant');
    expect(ctx.callerId).toBe('refused');
    expect(ctx.answer.scope).toBeNull();
    await expect(ctx.loaders.recording.load({ acdContactId: '1', mediaType: 'ALL' })).rejects.toMatchObject({ code: ErrorCode.Unauthenticated });
    expect(ctx.loaders.cachedRecording({ acdContactId: '1', mediaType: 'ALL' })).toBeUndefined();
    expect(fake.calls).toHaveLength(0);
    expect(store.touches).toBe(0);
  });

  it('an accepted caller: its verified tenant, identity and a deadline reach every upstream call', async () => {
    const { authenticate } = authenticator({ tok: caller() });
    const { contextFor, fake, clock } = setup(authenticate);
    const ctx = await contextFor({ req: { headers: { authorization: 'Bearer tok', 'x-request-id': 'req-1' } } });
    expect(ctx).toMatchObject({ requestId: 'req-1', tenantId: 'acme', callerId: 'u-alice', caller: { mode: 'forward', token: 'tok' } });
    await ctx.loaders.recording.load({ acdContactId: '1', mediaType: 'ALL' });
    expect(fake.calls[0]!.scope).toEqual({
      caller: { mode: 'forward', token: 'tok' },
      tenantId: 'acme',
      callerId: 'u-alice',
      requestId: 'req-1',
      deadline: clock.now() + DEADLINE_MS,
      priority: 'interactive',
    });
    // What the loaders read is on the request's AnswerRecord.
    expect(ctx.answer.remainingMsOf('1')).toBe(29 * 60_000);
  });

  it('gives every request fresh loaders: nothing of one request is memoised into the next', async () => {
    const { authenticate } = authenticator({ tok: caller() });
    const { contextFor } = setup(authenticate);
    const a = await contextFor({ req: { headers: { authorization: 'Bearer tok' } } });
    const b = await contextFor({ req: { headers: { authorization: 'Bearer tok' } } });
    expect(a.loaders).not.toBe(b.loaders);
    expect(a.answer).not.toBe(b.answer);
  });

  it('an invalid x-request-id is replaced, never echoed', async () => {
    const { authenticate } = authenticator({ tok: caller() });
    const { contextFor } = setup(authenticate);
    const ctx = await contextFor({ req: { headers: { authorization: 'Bearer tok', 'x-request-id': 'a\nb' } } });
    expect(ctx.requestId).not.toContain('\n');
    expect(ctx.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a refresh marks the answer as a refresh, and names the links scope it replaced', async () => {
    const { authenticate } = authenticator({ tok: caller() });
    const { contextFor, linksRefreshed } = setup(authenticate, ['v1:acme:u-alice:contact:1:ALL']);
    const ctx = await contextFor({ req: { headers: { authorization: 'Bearer tok' } } });
    await ctx.loaders.recordingRefresh.load({ acdContactId: '1', mediaType: 'ALL' });
    expect(ctx.answer.askedRefresh).toBe(true);
    expect(linksRefreshed).toEqual(['acme:u-alice']);
  });
});

describe('verification once per request', () => {
  it('the answer scope and the context share one verification of the same headers', async () => {
    const { authenticate, seen } = authenticator({ tok: caller() });
    const { contextFor, answerScopeOf } = setup(authenticate);
    const headers: IncomingHttpHeaders = { authorization: 'Bearer tok' };
    await answerScopeOf(headers);
    await contextFor({ req: { headers } });
    expect(seen).toEqual(['tok']);
    // Another request (another headers object) is verified again.
    await contextFor({ req: { headers: { authorization: 'Bearer tok' } } });
    expect(seen).toEqual(['tok', 'tok']);
  });
});

describe('createAnswerScope', () => {
  it('is null for a refused caller: its request always reaches the pipeline', async () => {
    const { authenticate } = authenticator({});
    expect(await setup(authenticate).answerScopeOf({})).toBeNull();
  });

  it('forward: tenant and user, the same as the links the loaders keep', async () => {
    const { authenticate } = authenticator({ tok: caller({ tenantId: 'a/b' }) });
    const { answerScopeOf, contextFor } = setup(authenticate);
    const scope = await answerScopeOf({ authorization: 'Bearer tok' });
    expect(scope).toEqual({ scope: 'a%2Fb:u-alice', linksScope: 'a%2Fb:u-alice' });
    expect((await contextFor({ req: { headers: { authorization: 'Bearer tok' } } })).answer.scope).toEqual(scope);
  });

  it('access-key: one links scope for the tenant, but answers kept apart by the field scopes held', async () => {
    const tenantWide = { caller: { mode: 'access-key' as const }, cacheScope: 'tenant' };
    const { authenticate } = authenticator({
      full: caller({ ...tenantWide, callerId: 'c-1', scopes: new Set([SCOPE.transcripts, SCOPE.read, SCOPE.analytics]) }),
      read: caller({ ...tenantWide, callerId: 'c-2', scopes: new Set([SCOPE.read, 'unrelated:scope']) }),
      readToo: caller({ ...tenantWide, callerId: 'c-3', scopes: new Set([SCOPE.read]) }),
    });
    const { answerScopeOf } = setup(authenticate);
    const full = await answerScopeOf({ authorization: 'Bearer full' });
    const read = await answerScopeOf({ authorization: 'Bearer read' });
    const readToo = await answerScopeOf({ authorization: 'Bearer readToo' });
    expect(full).toEqual({ scope: 'acme:tenant|recordings:analytics,recordings:read,recordings:transcripts', linksScope: 'acme:tenant' });
    expect(read).toEqual({ scope: 'acme:tenant|recordings:read', linksScope: 'acme:tenant' });
    expect(readToo).toEqual(read);
  });
});
