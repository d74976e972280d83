/**
 * Routing: which part of the simulator a request is for, then recording it and writing the
 * answer. Every answer goes through here so the call log is complete and written before the
 * response, and nothing is logged per request.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { ADMIN_PREFIX, handleAdmin } from './admin.js';
import { API_PREFIX, handleAnalyticsApi, handleApi, handleReportingApi, route } from './api.js';
import { analyticsRoute } from './analytics.js';
import { REPORTING_PATH } from './reporting.js';
import {
  accessKeyLogin,
  accessKeyRefresh,
  CXONE_JWKS_PATH,
  cxoneConfiguration,
  IDP_PREFIX,
  identityProvider,
  jwksDocument,
  openIdConfiguration,
  tokenEndpoint,
} from './auth.js';
import { delay, firstValues, header, json, readBody, send, type Reply } from './http.js';
import { faultReply, type FaultDecision } from './faults.js';
import { serveMedia, uiPage } from './media.js';
import type { SimulatorState } from './state.js';
import type { SimulatorEndpoint } from './types.js';

interface Outcome {
  readonly reply: Reply;
  readonly endpoint: SimulatorEndpoint;
  readonly key: string | null;
  readonly authorized: boolean;
}

const DISCOVERY_PATHS: ReadonlySet<string> = new Set(['/.well-known/openid-configuration', '/.well-known/cxone-configuration']);

async function dispatch(state: SimulatorState, req: IncomingMessage, method: string, url: URL): Promise<Outcome> {
  const path = url.pathname;
  if (isApiPath(path)) {
    return handleApi(state, { method, path, query: url.searchParams, authorization: header(req, 'authorization') });
  }
  const analytics = analyticsRoute(path);
  if (analytics !== null) {
    return handleAnalyticsApi(state, { method, path, query: url.searchParams, authorization: header(req, 'authorization') }, analytics);
  }
  if (REPORTING_PATH.test(path)) {
    return handleReportingApi(state, { method, path, query: url.searchParams, authorization: header(req, 'authorization') });
  }
  if (DISCOVERY_PATHS.has(path)) {
    await delay(state.settings.latencyMs);
    const reply =
      method !== 'GET'
        ? json(405, { message: 'use GET' })
        : path.endsWith('openid-configuration')
          ? openIdConfiguration(state.baseUrl)
          : cxoneConfiguration(state.baseUrl, url.searchParams);
    return { reply, endpoint: 'discovery', key: null, authorized: true };
  }
  if (path === CXONE_JWKS_PATH) {
    const reply = method === 'GET' ? await jwksDocument(state.keys.cxone) : json(405, { message: 'use GET' });
    return { reply, endpoint: 'jwks', key: null, authorized: true };
  }
  if (path.startsWith(`${IDP_PREFIX}/`)) {
    const reply = method === 'GET' ? await identityProvider(state.baseUrl, path, state.keys.idp) : json(405, { message: 'use GET' });
    return { reply: reply ?? json(404, { message: 'Not Found' }), endpoint: 'idp', key: null, authorized: reply !== null };
  }
  if (path === '/auth/token') {
    const body = method === 'POST' ? await readBody(req) : '';
    await delay(state.settings.latencyMs);
    const { reply, authorized } = await tokenEndpoint(
      { method, authorization: header(req, 'authorization'), contentType: header(req, 'content-type'), body },
      state.credentials,
      state.tokens,
      state.settings.accessTokenTtlSeconds,
    );
    return { reply, endpoint: 'token', key: null, authorized };
  }
  if (path === '/authentication/v1/token/access-key' || path === '/public/user/refresh') {
    const body = method === 'POST' ? await readBody(req) : '';
    await delay(state.settings.latencyMs);
    const request = { method, authorization: undefined, contentType: header(req, 'content-type'), body };
    const ttl = state.settings.accessTokenTtlSeconds;
    const { reply, authorized } =
      path === '/public/user/refresh'
        ? await accessKeyRefresh(request, state.tokens, ttl, state.variant, state.clock.now())
        : await accessKeyLogin(request, state.credentials, state.tokens, ttl);
    return { reply, endpoint: 'token', key: null, authorized };
  }
  if (path.startsWith('/media/')) {
    // Media is served without latency: it stands in for a CDN, not for the API.
    const reply = serveMedia(state.links, method, path, url.searchParams, header(req, 'range'));
    return { reply, endpoint: 'media', key: path.slice('/media/'.length), authorized: reply.status < 400 };
  }
  const page = method === 'GET' ? uiPage(path) : null;
  if (page !== null) return { reply: page, endpoint: 'other', key: null, authorized: true };
  return { reply: json(404, { internalCode: '404', message: 'Not Found' }), endpoint: 'other', key: null, authorized: false };
}

const isApiPath = (path: string): boolean => path === API_PREFIX || path.startsWith(`${API_PREFIX}/`);

/**
 * Answers an API request with an injected fault instead of the API. Faults come before auth, as
 * they would from a load balancer or a failing node in front of CXone. A stall records the call and
 * never answers (closing the simulator destroys the socket); a drop sends the head and part of a
 * body, then destroys the socket.
 */
function injectFault(
  state: SimulatorState,
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  url: URL,
  at: number,
  fault: Exclude<FaultDecision, { kind: 'none' }>,
): void {
  const { endpoint, key } = route(url.pathname, url.searchParams);
  const reply =
    fault.kind === 'stall' || fault.kind === 'drop'
      ? null
      : faultReply(fault, state.settings.faults.retryAfterSeconds, url.pathname);
  state.calls.record({
    endpoint,
    method,
    path: url.pathname,
    query: firstValues(url.searchParams),
    status: reply?.status ?? 0,
    key,
    authorized: false,
    at,
    fault: fault.kind,
    ...traceparentOf(req),
  });
  if (fault.kind === 'stall') return;
  if (reply !== null) {
    send(res, reply, method);
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': '4096' });
  res.write('{"contactId":"', () => res.destroy());
}

function traceparentOf(req: IncomingMessage): { traceparent?: string } {
  const header = req.headers.traceparent;
  return typeof header === 'string' ? { traceparent: header } : {};
}

async function handle(state: SimulatorState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const at = state.clock.now();
  const method = req.method ?? 'GET';
  // The base is irrelevant: only path and query are read, and req.url is always origin-form here.
  const url = new URL(req.url ?? '/', 'http://simulator.invalid');
  if (url.pathname.startsWith(ADMIN_PREFIX)) {
    const body = method === 'POST' ? await readBody(req) : '';
    send(res, await handleAdmin(state, method, url.pathname, body), method);
    return;
  }
  if (isApiPath(url.pathname)) {
    const fault = state.faults.next();
    await delay(fault.extraLatencyMs);
    if (fault.kind !== 'none') {
      injectFault(state, req, res, method, url, at, fault);
      return;
    }
  }
  const outcome = await dispatch(state, req, method, url);
  state.calls.record({
    endpoint: outcome.endpoint,
    method,
    path: url.pathname,
    query: firstValues(url.searchParams),
    status: outcome.reply.status,
    key: outcome.key,
    authorized: outcome.authorized,
    at,
    ...traceparentOf(req),
  });
  send(res, outcome.reply, method);
}

/** The node:http listener for one simulator instance. */
export function createRequestListener(state: SimulatorState): RequestListener {
  return (req, res) => {
    handle(state, req, res).catch((error: unknown) => {
      // A bug in the simulator must surface in the test that hit it, not hang the client.
      const message = error instanceof Error ? error.message : String(error);
      send(res, json(500, { internalCode: '500', message: `simulator error: ${message}` }), req.method ?? 'GET');
    });
  };
}
