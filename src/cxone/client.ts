/**
 * The CXone client: one GET per attempt, every status turned into a model or one typed CxoneError;
 * retries, deadline, budget and circuit are the resilience policy's. Small overridable steps.
 */
import type { Clock } from '../clock.js';
import { firstSighting, type Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { MediaTypeName, RecordingModel, SegmentModel, StatementMediaModel } from '../models.js';
import type { z } from 'zod';
import { CxoneError, type CxoneEndpoint } from './errors.js';
import { readJson, redactRequest, type HttpResponse, type HttpTransport } from './http.js';
import { isRecord } from '../json.js';
import { CXONE_MEDIA_TYPES, InvalidCxoneAnswer, mapContactAnswer, mapSegmentAnswer, mapStatementAnswer, readId } from './mapping.js';
import type { AuthProvider, CallScope, CxoneApi } from './ports.js';
import { contactAnswerSchema, mismatchedPaths } from './playback-wire.js';
import { completedContactsAnswerSchema } from './reporting-wire.js';
import { redactUrl } from './redact.js';
import type { CxoneResiliencePolicy } from './resilience.js';
import { authLayer, composeStack, resilienceLayer, type CxoneApiRequest, type Handler, type UpstreamCall } from './stack.js';

/** The published shape of each endpoint's 200 answer. */
const ANSWER_SCHEMAS: Readonly<Partial<Record<CxoneEndpoint, z.ZodType>>> = {
  contacts: contactAnswerSchema,
  statements: contactAnswerSchema,
  segments: contactAnswerSchema,
  'completed-contacts': completedContactsAnswerSchema,
};

/** All injected, so tests point the client at a fake CXone on port 0. */
interface CxoneClientOptions {
  /** e.g. `http://127.0.0.1:4010` or `https://api-na1.niceincontact.com`; the client appends `/media-playback/v1`. */
  apiBaseUrl: string;
  auth: AuthProvider;
  transport: HttpTransport;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  resilience: CxoneResiliencePolicy;
}

const API_PREFIX = '/media-playback/v1';
/** CXone's documented error texts are short; longer ones are cut rather than logged whole. */
const MAX_UPSTREAM_MESSAGE = 300;

/** `CxoneApi` over HTTP. One per process: it holds no per-caller state. */
export class CxoneHttpClient implements CxoneApi {
  /** The API host, without the Media Playback path: other CXone APIs are on it too. */
  private readonly hostUrl: string;
  private readonly stack: Handler;
  /** Distinct mismatches logged per process; past 100, only the metric counts. */
  private readonly firstMismatch = firstSighting(100);

  constructor(private readonly options: CxoneClientOptions) {
    const trimmed = options.apiBaseUrl.trim().replace(/\/+$/, '');
    // Tolerate a base that already names the API path (some NICE examples configure it that way).
    this.hostUrl = trimmed.endsWith(API_PREFIX) ? trimmed.slice(0, -API_PREFIX.length) : trimmed;
    this.stack = composeStack(
      <T>(call: UpstreamCall<T>) => this.sendOnce(call),
      resilienceLayer(options.resilience),
      authLayer({ auth: options.auth, metrics: options.metrics, logger: options.logger }),
    );
  }

  /** One logical GET to any CXone API on this host, through the same stack as the Media Playback calls. */
  send<T>(request: CxoneApiRequest, scope: CallScope, map: (body: unknown, answeredAt: number) => T): Promise<T> {
    return this.stack({ request, scope, map });
  }

  getContact(acdContactId: string, mediaType: MediaTypeName, scope: CallScope): Promise<RecordingModel> {
    const query = new URLSearchParams({
      'acd-call-id': acdContactId,
      'media-type': CXONE_MEDIA_TYPES[mediaType],
      // Waveforms are large PCM arrays nobody here reads.
      'exclude-waveforms': 'true',
    });
    return this.send(
      { endpoint: 'contacts', resource: { kind: 'contact', acdContactId }, path: '/contacts', query },
      scope,
      (body, answeredAt) => mapContactAnswer(body, acdContactId, { answeredAt, requestedMediaType: mediaType }),
    );
  }

  getSegment(segmentId: string, mediaType: MediaTypeName, scope: CallScope): Promise<SegmentModel> {
    const query = new URLSearchParams({ 'media-type': CXONE_MEDIA_TYPES[mediaType], 'exclude-waveforms': 'true' });
    const path = `/segments/${encodeURIComponent(segmentId)}`;
    return this.send(
      { endpoint: 'segments', resource: { kind: 'segment', segmentId }, path, query },
      scope,
      (body, answeredAt) => mapSegmentAnswer(body, segmentId, { answeredAt, requestedMediaType: mediaType }),
    );
  }

  getStatement(acdContactId: string, statementId: string, scope: CallScope): Promise<StatementMediaModel> {
    const query = new URLSearchParams();
    const path = `/acd-contacts/${encodeURIComponent(acdContactId)}/statements/${encodeURIComponent(statementId)}`;
    return this.send(
      { endpoint: 'statements', resource: { kind: 'statement', acdContactId, statementId }, path, query },
      scope,
      // Statements take no media type; they are recorded voice, and CXone treats "none" as all.
      (body, answeredAt) => mapStatementAnswer(body, acdContactId, statementId, { answeredAt, requestedMediaType: 'ALL' }),
    );
  }

  /** The innermost layer: one upstream request and its outcome; metrics and a debug line for every attempt. */
  protected async sendOnce<T>(call: UpstreamCall<T>): Promise<T> {
    const { request, scope, map } = call;
    if (call.token === undefined) throw new Error('sendOnce needs the auth layer above it');
    const url = this.resolveUrl(request);
    const started = performance.now();
    let outcome = 'network';
    try {
      const response = await this.options.transport.send({
        method: 'GET',
        url,
        headers: { authorization: `Bearer ${call.token}`, accept: 'application/json' },
        ...(call.signal === undefined ? {} : { signal: call.signal }),
        endpoint: request.endpoint,
        resource: request.resource,
        attempt: call.attempt ?? 0,
      });
      const answeredAt = this.options.clock.now();
      outcome = String(response.status);
      if (response.status === 204 && request.acceptNoContent === true) return map(null, answeredAt);
      if (response.status !== 200) throw this.errorFor(response, request, url);
      const body = this.parseBody(response);
      this.checkShape(request.endpoint, body);
      return map(body, answeredAt);
    } catch (error: unknown) {
      // Our reading of a 200 failed (parseBody or map); the transport's own failures are CxoneErrors already.
      if (error instanceof InvalidCxoneAnswer) {
        outcome = 'invalid-response';
        throw this.invalidResponse(request, url, error);
      }
      if (error instanceof CxoneError && (error.kind === 'network' || error.kind === 'timeout')) outcome = error.kind;
      throw error;
    } finally {
      const ms = performance.now() - started;
      this.options.metrics.upstreamCalls.inc({ endpoint: request.endpoint, status: outcome });
      this.options.metrics.upstreamDuration.observe({ endpoint: request.endpoint }, ms / 1000);
      // No URL, no token: endpoint and outcome say enough, and the request id ties it to the query.
      this.options.logger.debug(
        { endpoint: request.endpoint, status: outcome, ms: Math.round(ms), attempt: call.attempt ?? 0, requestId: scope.requestId },
        'CXone call',
      );
    }
  }

  /**
   * Holds a 200 answer to its endpoint's published schema. A difference does not fail the call (the
   * mapping reads what it can): it is counted and logged once per endpoint and set of field paths.
   */
  protected checkShape(endpoint: CxoneEndpoint, body: unknown): void {
    const schema = ANSWER_SCHEMAS[endpoint];
    if (schema === undefined || body === null) return;
    const paths = mismatchedPaths(schema, body);
    if (paths.length === 0) return;
    this.options.metrics.wireMismatches.inc({ endpoint });
    if (!this.firstMismatch(`${endpoint}|${paths.join(',')}`)) return;
    this.options.logger.warn({ endpoint, fields: paths }, 'CXone answer differs from the published API (report it with these fields)');
  }

  protected resolveUrl(request: CxoneApiRequest): string {
    const query = request.query.toString();
    return `${this.hostUrl}${request.root ?? API_PREFIX}${request.path}${query === '' ? '' : `?${query}`}`;
  }

  /** A 200 body as JSON; a non-JSON content type or malformed JSON is InvalidCxoneAnswer. */
  protected parseBody(response: HttpResponse): unknown {
    if (!isJsonContentType(response.headers['content-type'])) {
      throw new InvalidCxoneAnswer('CXone answered 200 without a JSON content type');
    }
    const body = readJson(response);
    if (body === undefined) throw new InvalidCxoneAnswer('CXone answered 200 with malformed JSON');
    return body;
  }

  /** Any status but 200: CXone's `{internalCode, message}` when it sent one, and Retry-After. */
  protected errorFor(response: HttpResponse, request: CxoneApiRequest, url: string): CxoneError {
    const body = readErrorBody(response);
    return new CxoneError(`CXone answered ${response.status} on ${request.endpoint}`, {
      kind: 'http',
      resource: request.resource,
      request: redactRequest({ method: 'GET', url, endpoint: request.endpoint }),
      status: response.status,
      internalCode: body.internalCode,
      upstreamMessage: body.message,
      retryAfterSeconds: parseRetryAfter(response.headers['retry-after'], this.options.clock.now()),
    });
  }

  private invalidResponse(request: CxoneApiRequest, url: string, cause: InvalidCxoneAnswer): CxoneError {
    return new CxoneError(cause.message, {
      kind: 'invalid-response',
      resource: request.resource,
      request: redactRequest({ method: 'GET', url, endpoint: request.endpoint }),
      cause,
    });
  }
}

function isJsonContentType(value: string | undefined): boolean {
  if (value === undefined) return false;
  const mediaType = value.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}

/** `Retry-After` (delta-seconds or an HTTP date) in whole seconds from `now`; undefined when unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text));
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

/** CXone's error body `{internalCode, message}`; failing a message, the `icStatusDescription` header some APIs send. */
function readErrorBody(response: HttpResponse): { internalCode?: string; message?: string } {
  const result: { internalCode?: string; message?: string } = {};
  const headerText = response.headers['icstatusdescription'];
  if (typeof headerText === 'string' && headerText.trim() !== '') result.message = sanitiseMessage(headerText.trim());
  const body = readJson(response);
  if (!isRecord(body)) return result;
  const code = readId(body.internalCode);
  if (code !== null) result.internalCode = code.slice(0, 64);
  if (typeof body.message === 'string' && body.message.trim() !== '') result.message = sanitiseMessage(body.message);
  return result;
}

/** An upstream message without signed links in it (each URL keeps host and path only), and short. */
function sanitiseMessage(message: string): string {
  const withoutLinks = message.replace(/https?:\/\/[^\s"'<>]+/gi, (url) => redactUrl(url));
  return withoutLinks.length > MAX_UPSTREAM_MESSAGE ? `${withoutLinks.slice(0, MAX_UPSTREAM_MESSAGE)}…` : withoutLinks;
}
