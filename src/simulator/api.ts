/**
 * The Media Playback API itself (`/media-playback/v1/...`): authentication, throttling and
 * permissions in CXone's order, parameter checks, the seeded contacts' behaviours, then the answer.
 */
import { apiError, delay, json, type Reply } from './http.js';
import { contactHead, renderContact, renderSegment, renderStatement, type Rendered, type RenderOptions } from './render.js';
import { completedContacts } from './reporting.js';
import { analyticsAnswer, type analyticsRoute } from './analytics.js';
import { findContact, findSegment, isLiveId, type SeedContact } from './seed.js';
import type { Grant } from './grants.js';
import type { SimulatorState } from './state.js';
import type { SimulatorEndpoint } from './types.js';
import type { MediaTypeParam } from './wire.js';

export const API_PREFIX = '/media-playback/v1';

const MEDIA_TYPES: ReadonlySet<string> = new Set<MediaTypeParam>(['voice-only', 'voice-and-screen', 'chat', 'email', 'all']);
const ACD_ID = /^\d{1,20}$/;

export interface ApiRequest {
  readonly method: string;
  /** Full path, prefix included. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly authorization: string | undefined;
}

export interface ApiOutcome {
  readonly reply: Reply;
  readonly endpoint: SimulatorEndpoint;
  readonly key: string | null;
  /** The token was accepted and allowed playback. */
  readonly authorized: boolean;
}

type Route =
  | { readonly endpoint: 'contacts'; readonly key: string | null }
  | { readonly endpoint: 'statements'; readonly key: string; readonly acdContactId: string; readonly statementId: string }
  | { readonly endpoint: 'segments'; readonly key: string; readonly segmentId: string }
  | { readonly endpoint: 'other'; readonly key: null };

function decode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** Which endpoint a path names; decided before auth so even 401s are counted per endpoint. */
export function route(path: string, query: URLSearchParams): Route {
  const rest = path.slice(API_PREFIX.length);
  if (rest === '/contacts') return { endpoint: 'contacts', key: query.get('acd-call-id') };
  const statement = /^\/acd-contacts\/([^/]+)\/statements\/([^/]+)$/.exec(rest);
  if (statement?.[1] && statement[2]) {
    const acdContactId = decode(statement[1]);
    const statementId = decode(statement[2]);
    if (acdContactId !== null && statementId !== null) {
      return { endpoint: 'statements', key: `${acdContactId}/${statementId}`, acdContactId, statementId };
    }
  }
  const segment = /^\/segments\/([^/]+)$/.exec(rest);
  if (segment?.[1]) {
    const segmentId = decode(segment[1]);
    if (segmentId !== null) return { endpoint: 'segments', key: segmentId, segmentId };
  }
  return { endpoint: 'other', key: null };
}

interface Params {
  readonly mediaType: MediaTypeParam;
  readonly excludeWaveforms: boolean;
  readonly excludeQmCategories: boolean;
  readonly isDownload: boolean;
}

function flag(query: URLSearchParams, name: string): boolean | Reply {
  const value = query.get(name);
  if (value === null) return false;
  const lower = value.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  return apiError(400, `${name} must be true or false`);
}

/** The optional parameters every endpoint shares; repeated parameters use their first value. */
function params(query: URLSearchParams): Params | Reply {
  const mediaType = query.get('media-type') ?? 'all';
  if (!MEDIA_TYPES.has(mediaType)) {
    return apiError(400, 'media-type must be one of voice-only, voice-and-screen, chat, email, all');
  }
  const excludeWaveforms = flag(query, 'exclude-waveforms');
  const excludeQmCategories = flag(query, 'exclude-qm-categories');
  const isDownload = flag(query, 'isDownload');
  if (typeof excludeWaveforms !== 'boolean') return excludeWaveforms;
  if (typeof excludeQmCategories !== 'boolean') return excludeQmCategories;
  if (typeof isDownload !== 'boolean') return isDownload;
  return { mediaType: mediaType as MediaTypeParam, excludeWaveforms, excludeQmCategories, isDownload };
}

const notFound = (): Reply => apiError(404, 'Interaction Not Found');

/** The contact, if CXone would know it by now: a live contact exists once it has ended by the clock. */
function knownContact(state: SimulatorState, id: string): SeedContact | null {
  const contact = findContact(id);
  if (contact === null) return null;
  return isLiveId(id) && contact.endMs > state.clock.now() ? null : contact;
}
const noSuchMedia = (mediaType: MediaTypeParam): Reply =>
  apiError(404, `No recording of media type ${mediaType} for this interaction`);

/**
 * The seeded behaviours, applied to every endpoint that resolves to the contact. `answer` runs
 * only when the contact answers at all, after any lock hold, so its links are issued at the
 * moment CXone would have answered.
 */
async function gate(state: SimulatorState, contact: SeedContact, answer: () => Reply): Promise<Reply> {
  switch (contact.behaviour) {
    case 'normal':
      return answer();
    case 'preCutoff':
      // CXone's contacts endpoint only finds recordings made on or after 2018-12-13.
      return notFound();
    case 'timeout':
      return apiError(504, 'Gateway Timeout');
    case 'serverError':
      return apiError(500, 'Internal Server Error');
    case 'processing':
      if (state.processing.stillProcessing(contact.acdContactId, state.settings.processingPolls)) {
        return json(202, { message: 'in progress' }, { 'retry-after': '1' });
      }
      return answer();
    case 'locked': {
      const lock = state.locks.tryAcquire(contact.acdContactId);
      if (lock === null) return apiError(425, 'The interaction is locked: an earlier request is still being processed');
      try {
        await delay(state.settings.lockHoldMs);
        return answer();
      } finally {
        lock.release();
      }
    }
  }
}

function renderOptions(state: SimulatorState, p: Params, analytics: boolean): RenderOptions {
  return {
    mediaType: p.mediaType,
    excludeWaveforms: p.excludeWaveforms,
    excludeQmCategories: p.excludeQmCategories,
    analytics,
    links: state.links,
  };
}

function contactAnswer(contact: SeedContact, rendered: Rendered, isDownload: boolean): Reply {
  return json(200, {
    ...contactHead(contact),
    interactions: rendered.interactions,
    ...(isDownload && rendered.primaryUrl !== null ? { redirectUrl: rendered.primaryUrl } : {}),
  });
}

async function contacts(state: SimulatorState, query: URLSearchParams, analytics: boolean): Promise<Reply> {
  const id = query.get('acd-call-id');
  if (id === null || !ACD_ID.test(id)) return apiError(400, 'acd-call-id is required and must be a numeric ACD contact id');
  const p = params(query);
  if (!('mediaType' in p)) return p;
  const contact = knownContact(state, id);
  if (contact === null) return notFound();
  return gate(state, contact, () => {
    const rendered = renderContact(contact, renderOptions(state, p, analytics));
    return rendered ? contactAnswer(contact, rendered, p.isDownload) : noSuchMedia(p.mediaType);
  });
}

async function statements(
  state: SimulatorState,
  r: Extract<Route, { endpoint: 'statements' }>,
  query: URLSearchParams,
  analytics: boolean,
): Promise<Reply> {
  if (!ACD_ID.test(r.acdContactId)) return apiError(400, 'acdContactId must be a numeric ACD contact id');
  if (!ACD_ID.test(r.statementId)) return apiError(400, 'statementId must be numeric');
  const p = params(query);
  if (!('mediaType' in p)) return p;
  const contact = knownContact(state, r.acdContactId);
  if (contact === null) return notFound();
  return gate(state, contact, () => {
    const statement = Object.hasOwn(contact.statements, r.statementId) ? contact.statements[r.statementId] : undefined;
    if (!statement) return apiError(404, 'Statement Not Found');
    const rendered = renderStatement(contact, r.statementId, statement, renderOptions(state, p, analytics));
    return rendered ? contactAnswer(contact, rendered, p.isDownload) : noSuchMedia(p.mediaType);
  });
}

async function segments(state: SimulatorState, segmentId: string, query: URLSearchParams, analytics: boolean): Promise<Reply> {
  const p = params(query);
  if (!('mediaType' in p)) return p;
  const found = findSegment(segmentId);
  if (found === null) return apiError(404, 'Segment Not Found');
  const { contact, segment } = found;
  // Archived media must be restored in CXone first; the contact itself still answers.
  if (segment.archived) return apiError(404, 'Segment is not in active storage');
  return gate(state, contact, () => {
    const rendered = renderSegment(contact, segment, renderOptions(state, p, analytics));
    if (!rendered) return noSuchMedia(p.mediaType);
    // The spec spells this array `Interactions` on this endpoint only; callers must accept both.
    return json(200, { ...contactHead(contact), Interactions: rendered.interactions });
  });
}

/**
 * What every API checks first, in CXone's order: latency, 401 (token), 429 (tenant budget), 403,
 * then the method. A refusal, or the grant to go on with.
 */
async function admit(
  state: SimulatorState,
  req: ApiRequest,
  refusal: string,
): Promise<{ readonly refused: { reply: Reply; authorized: boolean } } | { readonly grant: Grant }> {
  await delay(state.settings.latencyMs);
  // CXone checks who is calling before anything else, so a bad token is 401 even on a bad path.
  const grant = state.tokens.grantFor(req.authorization);
  if (grant === null) return { refused: { reply: apiError(401, 'Authentication failed'), authorized: false } };
  const verdict = state.throttle.take(state.clock.now(), state.settings.rateLimit);
  if (!verdict.allowed) {
    const reply = json(429, { message: 'Too many requests', route: req.path }, { 'retry-after': String(verdict.retryAfterSeconds) });
    return { refused: { reply, authorized: true } };
  }
  if (!grant.playback) return { refused: { reply: apiError(403, refusal), authorized: false } };
  if (req.method !== 'GET') {
    const reply = { ...apiError(405, 'Method Not Allowed'), headers: { ...apiError(405, '').headers, allow: 'GET' } };
    return { refused: { reply, authorized: true } };
  }
  return { grant };
}

/** The Reporting API's completed contacts report (same token, throttle and permission checks). */
export async function handleReportingApi(state: SimulatorState, req: ApiRequest): Promise<ApiOutcome> {
  const admitted = await admit(state, req, 'You do not have permission to view reports');
  if ('refused' in admitted) return { ...admitted.refused, endpoint: 'completed-contacts', key: null };
  return { reply: completedContacts(state, req.path, req.query), endpoint: 'completed-contacts', key: null, authorized: true };
}

/** Interaction Analytics (same token, throttle and playback checks; then its own permission). */
export async function handleAnalyticsApi(
  state: SimulatorState,
  req: ApiRequest,
  r: NonNullable<ReturnType<typeof analyticsRoute>>,
): Promise<ApiOutcome> {
  const admitted = await admit(state, req, 'You do not have permission to view Interaction Analytics');
  if ('refused' in admitted) return { ...admitted.refused, endpoint: r.endpoint, key: r.key };
  return { reply: analyticsAnswer(state, r, req.query, admitted.grant.analytics), endpoint: r.endpoint, key: r.key, authorized: true };
}

/** Answers one API request; the caller records the outcome and writes the reply. */
export async function handleApi(state: SimulatorState, req: ApiRequest): Promise<ApiOutcome> {
  const r = route(req.path, req.query);
  const outcome = (reply: Reply, authorized: boolean): ApiOutcome => ({ reply, endpoint: r.endpoint, key: r.key, authorized });
  const admitted = await admit(state, req, 'You do not have permission to play or download recordings');
  if ('refused' in admitted) return outcome(admitted.refused.reply, admitted.refused.authorized);
  const { grant } = admitted;
  switch (r.endpoint) {
    case 'contacts':
      return outcome(await contacts(state, req.query, grant.analytics), true);
    case 'statements':
      return outcome(await statements(state, r, req.query, grant.analytics), true);
    case 'segments':
      return outcome(await segments(state, r.segmentId, req.query, grant.analytics), true);
    case 'other':
      return outcome(apiError(404, 'Resource Not Found'), true);
  }
}
