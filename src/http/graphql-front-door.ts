/**
 * The HTTP front door of POST /graphql: answers a repeated request from the whole-response cache
 * before anything else runs (no body parser, no GraphQL parse, validation, execution or
 * serialisation), and hands every other eligible request straight to Apollo
 * (`executeHTTPGraphQLRequest`), without express and body-parser in between.
 *
 * Only plain requests are taken: POST /graphql, `application/json` (utf-8), no content encoding, a
 * `content-length` within MAX_BODY_BYTES, the router secret right (when one is set), no federated
 * trace asked for (`apollo-federation-include-trace`: the router wants `ftv1` built by Apollo), and
 * a caller with a cache scope. Everything else goes to `fallback` (the express app) untouched, so
 * its answers (401 for a wrong secret, 413, UNAUTHENTICATED for no caller...) are exactly as before.
 *
 * A router's `_entities` fetch that is not a repeat may still be answered before Apollo: from the
 * kept answers of each of its entities (src/http/entity-answers.ts), when every one is kept.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import type { FormattedExecutionResult } from 'graphql';
import type { Clock } from '../clock.js';
import type { CacheScopeOf, GraphQLContext } from '../context.js';
import type { Logger } from '../logger.js';
import { entitiesBody, entityRequestOf, type EntityRequest } from './entity-answers.js';
import { storableHeaders, type ResponseCache, type StoredHeaders, type StoredResponse } from './response-cache.js';

/** The argument that forces new links (see `serve`). */
const REFRESH_ARGUMENT = Buffer.from('refresh');

export interface FrontDoorOptions {
  readonly apollo: ApolloServer<GraphQLContext>;
  readonly context: (args: { req: IncomingMessage }) => Promise<GraphQLContext>;
  readonly cacheScope: CacheScopeOf;
  readonly responseCache: ResponseCache;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly maxBodyBytes: number;
  /** MAX_RESPONSE_BYTES: an assembled answer larger than this runs the pipeline (and gets its error). */
  readonly maxResponseBytes: number;
  /** When set, only requests carrying it in `x-router-secret` are taken (others get the fallback's 401). */
  readonly routerSecret: string | undefined;
  /** Everything the front door does not take. */
  readonly fallback: RequestListener;
}

const GRAPHQL_PATH = '/graphql';
const TRACE_HEADER = 'apollo-federation-include-trace';
const ROUTER_SECRET_HEADER = 'x-router-secret';
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function createGraphQLFrontDoor(options: FrontDoorOptions): RequestListener {
  const { responseCache, clock } = options;
  const secretMatches = options.routerSecret === undefined ? undefined : routerSecretMatcher(options.routerSecret);

  /** The request's body length when the front door takes it, else null. */
  const eligibleLength = (req: IncomingMessage): number | null => {
    if (req.method !== 'POST') return null;
    const url = req.url ?? '';
    const query = url.indexOf('?');
    if ((query === -1 ? url : url.slice(0, query)) !== GRAPHQL_PATH) return null;
    const headers = req.headers;
    if (headers[TRACE_HEADER] !== undefined) return null;
    if (!isPlainJson(headers['content-type'])) return null;
    const encoding = headers['content-encoding'];
    if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return null;
    const length = Number(headers['content-length']);
    if (!Number.isSafeInteger(length) || length <= 0 || length > options.maxBodyBytes) return null;
    if (secretMatches !== undefined && !secretMatches(headers[ROUTER_SECRET_HEADER])) return null;
    return length;
  };

  const serve = async (req: IncomingMessage, res: ServerResponse, length: number): Promise<void> => {
    // Identity first, from headers only: a caller without a scope reaches the normal pipeline.
    const scope = await options.cacheScope(req.headers);
    if (scope === null) {
      responseCache.count('bypass');
      options.fallback(req, res);
      return;
    }
    const body = await readBody(req, length);
    // `recording(refresh: true)` asks for links newer than any kept answer: never served from the
    // cache nor kept (a kept answer would hand every later refresh the dead link back). A byte
    // check, no parse: `refresh` appears in no other argument or field name, so a false match only
    // costs a bypass.
    if (responseCache.enabled && body.includes(REFRESH_ARGUMENT)) {
      responseCache.count('bypass');
      await execute(req, res, parseJson(body), '', scope, null);
      return;
    }
    if (!responseCache.enabled) {
      await execute(req, res, parseJson(body), '', scope, null);
      return;
    }
    const key = cacheKey(scope, req, body);
    const stored = responseCache.get(key);
    if (stored !== undefined) {
      responseCache.count('hit');
      send(req, res, stored);
      return;
    }
    const parsed = parseJson(body);
    const entities = entityRequestOf(parsed, req.url ?? '', req.headers.accept ?? '');
    if (entities !== null) {
      const assembled = assemble(scope, entities);
      if (assembled !== undefined) {
        responseCache.count('assembled');
        send(req, res, assembled);
        // The same body again is then a plain hit (kept from its second time, as any answer).
        responseCache.set(key, { kind: 'response', ...assembled, scope, generation: responseCache.generationOf(scope) });
        return;
      }
    }
    responseCache.count('miss');
    await execute(req, res, parsed, key, scope, entities);
  };

  /** Every entity of the request from its kept answer, or undefined when one is missing. */
  const assemble = (scope: string, request: EntityRequest): Answer | undefined => {
    const operation = responseCache.operation(request.operationKey);
    if (operation === undefined || request.representationKeys.length > operation.maxRepresentations) return undefined;
    const parts: string[] = [];
    let partBytes = 0;
    let partChars = 0;
    let expiresAt = Number.POSITIVE_INFINITY;
    for (const representation of request.representationKeys) {
      const kept = responseCache.getEntity(entityKey(scope, request.operationKey, representation));
      if (kept === undefined) return undefined;
      parts.push(kept.body);
      partBytes += kept.bytes;
      partChars += kept.body.length;
      if (kept.expiresAt < expiresAt) expiresAt = kept.expiresAt;
    }
    const body = entitiesBody(request.responseKey, parts);
    // Outside the entities the body is ASCII (JSON punctuation and a GraphQL name).
    const bytes = partBytes + body.length - partChars;
    if (bytes > options.maxResponseBytes) return undefined;
    return { body, bytes, headers: operation.headers, expiresAt };
  };

  /** A kept or assembled answer: its headers, a counting-down max-age, the caller's request id. */
  const send = (req: IncomingMessage, res: ServerResponse, answer: Answer): void => {
    const maxAge = Math.max(0, Math.floor((answer.expiresAt - clock.now()) / 1000));
    const headers: string[] = [];
    for (const [name, value] of answer.headers) headers.push(name, value);
    headers.push('cache-control', `private, max-age=${String(maxAge)}`, 'content-length', String(answer.bytes));
    const requestId = req.headers['x-request-id'];
    if (typeof requestId === 'string' && REQUEST_ID.test(requestId)) headers.push('x-request-id', requestId);
    res.writeHead(200, headers);
    res.end(answer.body);
  };

  const execute = async (
    req: IncomingMessage,
    res: ServerResponse,
    parsed: unknown,
    key: string,
    scope: string,
    entities: EntityRequest | null,
  ): Promise<void> => {
    // Read before execution: an answer built while a refresh replaced its links is not kept as new.
    const generation = responseCache.generationOf(scope);
    // body-parser's strict mode: only an object or an array is a JSON request body.
    if (typeof parsed !== 'object' || parsed === null) {
      sendError(res, 400, 'BAD_REQUEST', 'The request body is not valid JSON.');
      return;
    }
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const url = req.url ?? '';
    const query = url.indexOf('?');
    const startedAt = clock.now();
    let contextValue: GraphQLContext | undefined;
    const response = await options.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: 'POST', headers, search: query === -1 ? '' : url.slice(query), body: parsed },
      context: async () => (contextValue = await options.context({ req })),
    });
    const status = response.status ?? 200;
    const outgoing: string[] = [];
    for (const [name, value] of response.headers) outgoing.push(name, value);
    if (response.body.kind === 'chunked') {
      res.writeHead(status, outgoing);
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
      return;
    }
    // A string, not a Buffer: node writes headers and body in one write, not a writev of two.
    const text = response.body.string;
    const bytes = Buffer.byteLength(text, 'utf8');
    outgoing.push('content-length', String(bytes));
    res.writeHead(status, outgoing);
    res.end(text);
    // Kept only when whole and clean: 200, no errors, at least one link, no passing state,
    // lifetime left. The lifetime counts from before execution, so the entry never outlives the
    // earliest link read.
    const remaining = contextValue?.linkLifetime.minRemainingMs ?? null;
    if (key === '' || status !== 200 || contextValue === undefined || remaining === null || remaining <= 0) return;
    if (contextValue.linkLifetime.passingState) return;
    const kept = storableHeaders(response.headers);
    const expiresAt = startedAt + remaining;
    if (responseCache.isErrorFree(contextValue)) {
      responseCache.set(key, { kind: 'response', body: text, bytes, headers: kept, expiresAt, scope, generation });
    }
    const result = responseCache.resultOf(contextValue);
    if (entities !== null && result !== undefined) keepEntities(scope, entities, result, { headers: kept, expiresAt, generation });
  };

  /**
   * Keeps each entity of an executed `_entities` answer that has no error in its slot; nothing
   * when an error sits outside the slots. The request's earliest link bounds every entity of it.
   */
  const keepEntities = (
    scope: string,
    request: EntityRequest,
    result: FormattedExecutionResult,
    answer: { readonly headers: StoredHeaders; readonly expiresAt: number; readonly generation: number },
  ): void => {
    const failed = new Set<number>();
    for (const error of result.errors ?? []) {
      const [slotKey, slot] = error.path ?? [];
      if (slotKey !== request.responseKey || typeof slot !== 'number') return;
      failed.add(slot);
    }
    const data = result.data;
    if (result.extensions !== undefined || data === null || data === undefined || Object.keys(data).length !== 1) return;
    const entities: unknown = data[request.responseKey];
    if (!Array.isArray(entities) || entities.length !== request.representationKeys.length) return;
    request.representationKeys.forEach((representation, slot) => {
      const entity: unknown = entities[slot];
      if (failed.has(slot) || typeof entity !== 'object' || entity === null) return;
      const body = JSON.stringify(entity);
      responseCache.setEntity(entityKey(scope, request.operationKey, representation), {
        kind: 'entity',
        body,
        bytes: Buffer.byteLength(body, 'utf8'),
        expiresAt: answer.expiresAt,
        scope,
        generation: answer.generation,
      });
    });
    responseCache.entitiesStored();
    responseCache.operationExecuted(request.operationKey, request.representationKeys.length, answer.headers);
  };

  return (req, res) => {
    const length = eligibleLength(req);
    if (length === null) {
      options.fallback(req, res);
      return;
    }
    serve(req, res, length).catch((error: unknown) => {
      if (isClientGone(error, req)) return;
      options.logger.error({ errName: error instanceof Error ? error.name : typeof error }, 'request failed in the front door');
      if (!res.headersSent) sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal error');
      else res.destroy();
    });
  };
}

/** What a kept or assembled answer sends. */
type Answer = Pick<StoredResponse, 'body' | 'bytes' | 'headers' | 'expiresAt'>;

/** The body as JSON, or undefined when it is not JSON (Apollo then answers 400). */
function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** One entity's kept answer: scope, operation, and the representation as sent. */
function entityKey(scope: string, operationKey: string, representation: string): string {
  return `${scope}\ne\n${operationKey}\n${representation}`;
}

/**
 * The cache key: scope + a SHA-256 of the exact request (path and query, `accept`, body bytes).
 * Bytes, not a re-serialised form: a router re-sends identical bytes, and two bodies that differ in
 * any byte simply get separate entries. `accept` chooses Apollo's response format and status codes.
 */
function cacheKey(scope: string, req: IncomingMessage, body: Buffer): string {
  const hash = createHash('sha256');
  hash.update(req.url ?? '');
  hash.update('\n');
  hash.update(req.headers.accept ?? '');
  hash.update('\n');
  hash.update(body);
  return `${scope}\n${hash.digest('base64')}`;
}

function isPlainJson(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const [type, ...parameters] = contentType.split(';');
  if (type?.trim().toLowerCase() !== 'application/json') return false;
  return parameters.every((parameter) => {
    const [name, value] = parameter.split('=');
    return name?.trim().toLowerCase() !== 'charset' || /^"?utf-8"?$/i.test(value?.trim() ?? '');
  });
}

/** Reads exactly `length` bytes (node's HTTP parser enforces content-length). */
function readBody(req: IncomingMessage, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > length) {
        reject(new Error('body longer than content-length'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => resolve(chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : Buffer.concat(chunks, received)));
    req.once('error', reject);
    req.once('close', () => {
      if (!req.complete) reject(new ClientGone());
    });
  });
}

class ClientGone extends Error {
  override readonly name = 'ClientGone';
}

function isClientGone(error: unknown, req: IncomingMessage): boolean {
  return error instanceof ClientGone || req.destroyed;
}

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Constant-time check of `x-router-secret` (both sides hashed, as guards/router-secret.ts does). */
function routerSecretMatcher(secret: string): (given: string | string[] | undefined) => boolean {
  const expected = createHash('sha256').update(secret).digest();
  return (given) => {
    const actual = createHash('sha256')
      .update(typeof given === 'string' ? given : '')
      .digest();
    return timingSafeEqual(actual, expected) && typeof given === 'string';
  };
}
