/**
 * The one HTTP transport to CXone: an undici `Agent` with keep-alive pools and per-attempt timeouts.
 * It knows no CXone statuses; it only turns "no usable answer" into kinds `network` and `timeout`.
 */
import { Agent, errors as undiciErrors } from 'undici';
import { CxoneError, type CxoneEndpoint, type CxoneResource, type RedactedRequest } from './errors.js';

/** One HTTP exchange. `endpoint` and `resource` only label errors; they are never sent. */
export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  /** Absolute URL. Its query never appears in errors (it can carry ids we keep out of metrics, and worse). */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Aborting it (the request deadline) ends the exchange with kind `timeout`. */
  readonly signal?: AbortSignal;
  readonly endpoint: CxoneEndpoint;
  readonly resource: CxoneResource;
  /** 0 for a first try, n for the n-th retry; a label for traces, never sent. */
  readonly attempt?: number;
}

/** A complete answer, whatever its status: the body is read in full so the socket goes back to the pool. */
export interface HttpResponse {
  readonly status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
}

/** Sends requests to CXone. Injectable so tests and the simulator can swap the wire. */
export interface HttpTransport {
  /** Resolves with any status; rejects only with CxoneError kind `network`, `timeout` or `invalid-response` (oversized). */
  send(request: HttpRequest): Promise<HttpResponse>;
  /** Closes pooled connections; in-flight requests finish first. */
  close(): Promise<void>;
}

/** Tuning of `UndiciTransport`; every field has a production default. */
export interface UndiciTransportOptions {
  /** Sockets per origin. CXone allows 150 requests / 5 min per tenant, so a few sockets are plenty. Default 8. */
  readonly connections?: number;
  /** Per-attempt limit, in ms. Default 10 000. */
  readonly attemptTimeoutMs?: number;
  /** Largest answer body accepted, in bytes (waveforms are excluded, so answers are small). Default 16 MiB. */
  readonly maxResponseBytes?: number;
}

/** undici error codes that mean "no answer in time" rather than "the connection failed". */
const TIMEOUT_CODES: ReadonlySet<string> = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_ABORTED',
]);

/** The transport over an undici `Agent`: keep-alive pooling, bounded concurrency, per-attempt timeouts. */
export class UndiciTransport implements HttpTransport {
  private readonly agent: Agent;
  private readonly maxInFlight: number;
  private readonly attemptTimeoutMs: number;
  private inFlight = 0;

  constructor(options: UndiciTransportOptions = {}) {
    const connections = options.connections ?? 8;
    this.attemptTimeoutMs = options.attemptTimeoutMs ?? 10_000;
    // undici queues without bound when every socket is busy, so past this we fail fast (kind `network`).
    this.maxInFlight = connections * 32;
    this.agent = new Agent({
      connections,
      // One request per socket at a time: a slow CXone answer must not hold up others behind it.
      pipelining: 1,
      keepAliveTimeout: 10_000,
      // Coarse (~0.5 s ticks); the attempt's own signal below is the precise cap.
      headersTimeout: this.attemptTimeoutMs,
      bodyTimeout: this.attemptTimeoutMs,
      connectTimeout: 5_000,
      maxResponseSize: options.maxResponseBytes ?? 16 * 1024 * 1024,
    });
  }

  async send(request: HttpRequest): Promise<HttpResponse> {
    const redacted = redactRequest(request);
    if (request.signal?.aborted === true) throw timeoutError(request, redacted, request.signal.reason);
    if (this.inFlight >= this.maxInFlight) {
      const details = { kind: 'network', resource: request.resource, request: redacted } as const;
      throw new CxoneError('Too many CXone requests in flight; refusing to queue more', details);
    }
    this.inFlight += 1;
    // undici's own timers tick every ~0.5 s; this one bounds the whole attempt to the millisecond.
    const attemptSignal = AbortSignal.timeout(this.attemptTimeoutMs);
    const signal = request.signal === undefined ? attemptSignal : AbortSignal.any([request.signal, attemptSignal]);
    try {
      const url = new URL(request.url);
      const response = await this.agent.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: request.method,
        headers: { ...request.headers },
        body: request.body ?? null,
        signal,
      });
      // The body is always read to the end: an unread body keeps its socket out of the pool.
      const text = await response.body.text();
      return { status: response.statusCode, headers: flattenHeaders(response.headers), text };
    } catch (error: unknown) {
      throw toTransportError(error, request, redacted, signal);
    } finally {
      this.inFlight -= 1;
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

/** Method, endpoint and path only: the query and every header stay out of errors and logs. */
export function redactRequest(request: Pick<HttpRequest, 'method' | 'url' | 'endpoint'>): RedactedRequest {
  return { method: request.method, endpoint: request.endpoint, path: URL.parse(request.url)?.pathname ?? '[invalid url]' };
}

/** An answer's JSON, or undefined when it is not JSON (never the parse error: it quotes the text, which may hold secrets). */
export function readJson(response: HttpResponse): unknown {
  try {
    return JSON.parse(response.text) as unknown;
  } catch {
    return undefined;
  }
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function toTransportError(error: unknown, request: HttpRequest, redacted: RedactedRequest, signal: AbortSignal): CxoneError {
  if (error instanceof CxoneError) return error;
  if (signal.aborted) return timeoutError(request, redacted, error);
  const code = errorCode(error);
  if (code !== undefined && TIMEOUT_CODES.has(code)) return timeoutError(request, redacted, error);
  if (error instanceof Error && error.name === 'AbortError') return timeoutError(request, redacted, error);
  if (error instanceof undiciErrors.ResponseExceededMaxSizeError) {
    const details = { kind: 'invalid-response', resource: request.resource, request: redacted, cause: error } as const;
    return new CxoneError('CXone answer exceeded the size limit', details);
  }
  // Refused, reset, closed mid-answer, DNS: the message names the code only, never the URL.
  const failure = code ?? (error instanceof Error ? error.name : 'unknown error');
  const details = { kind: 'network', resource: request.resource, request: redacted, cause: error } as const;
  return new CxoneError(`Could not reach CXone (${failure})`, details);
}

function timeoutError(request: HttpRequest, redacted: RedactedRequest, cause: unknown): CxoneError {
  return new CxoneError('CXone did not answer in time', { kind: 'timeout', resource: request.resource, request: redacted, cause });
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}
