/**
 * POST /graphql before express: a repeated request from the whole-response cache, an `_entities`
 * fetch from its kept entities, any other plain request straight to Apollo. Anything not plain
 * (encoded, too long, wrong secret, `ftv1` asked, no caller scope) goes to `fallback` untouched.
 * What is kept, for whom and until when is the pipeline's policy (src/answers/), never a rule here.
 */
import { createHash, hash } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLResponse } from '@apollo/server';
import { cacheControlOf, entitiesAnswerText, type AnswerPolicy, type AnswerScope, type EntitySlots } from '../answers/policy.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { requestIdOf } from '../request-id.js';
import { ROUTER_SECRET_HEADER, routerSecretMatcher } from '../guards/router-secret.js';
import { graphqlErrorBody } from '../guards/request-errors.js';
import { entityRequestOf, jsonRequestOf, type EntityRequest, type EntityShape, type JsonRequest } from './entity-answers.js';
import { storableHeaders, type ResponseCache, type StoredEntity, type StoredHeaders, type StoredResponse } from './response-cache.js';

interface FrontDoorOptions<TContext extends BaseContext> {
  readonly apollo: ApolloServer<TContext>;
  readonly context: (args: { req: IncomingMessage }) => Promise<TContext>;
  /** What the pipeline decided about the answer it built with this context (src/answers/). */
  readonly policyOf: (context: TContext) => AnswerPolicy | undefined;
  /** The verified caller's answer scope, from headers only; null: the pipeline, never a kept answer. */
  readonly answerScope: (headers: IncomingMessage['headers']) => Promise<AnswerScope | null>;
  readonly responseCache: ResponseCache;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly maxBodyBytes: number;
  /** MAX_RESPONSE_BYTES: an assembled answer larger than this runs the pipeline (and gets its error). */
  readonly maxResponseBytes: number;
  /** When set, only requests carrying it in `x-router-secret` are taken (others get the fallback's 401). */
  readonly routerSecret: string | undefined;
  readonly fallback: RequestListener;
  /** Wraps each request it takes (a tracing span when tracing is on). */
  readonly around?: ((req: IncomingMessage, res: ServerResponse, serve: () => Promise<void>) => Promise<void>) | undefined;
}

const GRAPHQL_PATH = '/graphql';
/** A taken URL is the path alone or followed by its query string (the `search` Apollo is given). */
const GRAPHQL_SEARCH = `${GRAPHQL_PATH}?`;
const TRACE_HEADER = 'apollo-federation-include-trace';

export function createGraphQLFrontDoor<TContext extends BaseContext>(options: FrontDoorOptions<TContext>): RequestListener {
  const { responseCache, clock } = options;
  const secretMatches = options.routerSecret === undefined ? undefined : routerSecretMatcher(options.routerSecret);

  /** The request's body length when the front door takes it, else null. */
  const eligibleLength = (req: IncomingMessage): number | null => {
    if (req.method !== 'POST') return null;
    const url = req.url ?? '';
    if (url !== GRAPHQL_PATH && !url.startsWith(GRAPHQL_SEARCH)) return null;
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
    const scope = await options.answerScope(req.headers);
    if (scope === null) {
      responseCache.count('bypass');
      options.fallback(req, res);
      return;
    }
    const body = await readBody(req, length);
    if (!responseCache.enabled) {
      await execute(req, res, parseJson(body), null);
      return;
    }
    const key = cacheKey(scope.scope, req, body);
    const stored = responseCache.get(key);
    if (stored !== undefined) {
      responseCache.count('hit');
      send(res, stored, requestIdOf(req.headers['x-request-id']));
      return;
    }
    const parsed = parseJson(body);
    const request = jsonRequestOf(parsed, req.url ?? '', req.headers.accept ?? '');
    const keeping = { key, scope, request };
    const shape = request === null ? undefined : responseCache.shapes.get(request.shape);
    const entities = request === null || shape === undefined ? null : entityRequestOf(request, shape);
    const found = entities === null ? undefined : keptEntities(scope.scope, entities);
    if (found !== undefined && entities !== null && request !== null && shape !== undefined) {
      const assembled = found.missing.length === 0 ? assemble(shape.responseKey, found) : undefined;
      if (assembled !== undefined) {
        responseCache.count('assembled');
        send(res, assembled, requestIdOf(req.headers['x-request-id']));
        // The same body again is then a plain hit (kept from its second offer, as any answer).
        responseCache.set(key, { kind: 'response', ...assembled, linksScope: scope.linksScope, generation: responseCache.generationOf(scope.linksScope) });
        return;
      }
      if (found.missing.length > 0 && found.missing.length < entities.representationKeys.length) {
        await executePart(req, res, parsed as Readonly<Record<string, unknown>>, { ...keeping, request }, shape, found);
        return;
      }
    }
    responseCache.count('miss');
    await execute(req, res, parsed, keeping);
  };

  /** Each representation's kept answer, when the operation ran cleanly with at least as many; else undefined. */
  const keptEntities = (scope: string, request: EntityRequest): KeptEntities | undefined => {
    const operation = responseCache.operations.get(request.operationKey);
    if (operation === undefined || request.representationKeys.length > operation.maxRepresentations) return undefined;
    const keys = entityKeys(scope, request);
    const kept = keys.map((key) => responseCache.getEntity(key));
    const missing: number[] = [];
    kept.forEach((entry, slot) => {
      if (entry === undefined) missing.push(slot);
    });
    return { headers: operation.headers, keys, kept, missing };
  };

  /** The page from kept entities and an executed part's slots, earliest expiry; undefined past the byte bound. */
  const assemble = (responseKey: string, found: KeptEntities, part?: EntitySlots): Answer | undefined => {
    let next = 0;
    let expiresAt = part?.expiresAt ?? Number.POSITIVE_INFINITY;
    const bodies = found.kept.map((kept) => {
      if (kept === undefined) return part?.bodies[next++] ?? 'null';
      expiresAt = Math.min(expiresAt, kept.expiresAt);
      return kept.body;
    });
    const errors = (part?.errors ?? []).map(({ slot, error }) => ({ slot: found.missing[slot] ?? slot, error }));
    const body = entitiesAnswerText(responseKey, bodies, errors);
    const bytes = Buffer.byteLength(body, 'utf8');
    return bytes > options.maxResponseBytes ? undefined : { body, bytes, headers: found.headers, expiresAt };
  };

  /** Only the missing representations run; when their answer cannot stand for its part, the whole page runs. */
  const executePart = async (
    req: IncomingMessage,
    res: ServerResponse,
    parsed: Readonly<Record<string, unknown>>,
    keeping: Keeping & { readonly request: JsonRequest },
    shape: EntityShape,
    found: KeptEntities,
  ): Promise<void> => {
    const generation = responseCache.generationOf(keeping.scope.linksScope);
    const representations = keeping.request.variables[shape.variable] as readonly unknown[];
    const variables = { ...keeping.request.variables, [shape.variable]: found.missing.map((slot) => representations[slot]) };
    const { response, contextValue } = await run(req, { ...parsed, variables });
    const policy = contextValue === undefined ? undefined : options.policyOf(contextValue);
    const slots = policy?.slots;
    const standsForPart =
      response.body.kind === 'complete' &&
      (response.status ?? 200) === 200 &&
      slots !== undefined &&
      slots.scope.scope === keeping.scope.scope &&
      slots.responseKey === shape.responseKey &&
      slots.variable === shape.variable &&
      slots.bodies.length === found.missing.length;
    const page = standsForPart ? assemble(shape.responseKey, found, slots) : undefined;
    if (page === undefined) {
      responseCache.count('miss');
      await execute(req, res, parsed, keeping);
      return;
    }
    responseCache.count('partial');
    send(res, page, response.headers.get('x-request-id') ?? requestIdOf(undefined));
    // The part's entities are kept as any execution's: the next page finds them.
    const replay = policy?.replay ?? null;
    if (replay === null || replay.entities === null || replay.scope.scope !== keeping.scope.scope) return;
    if (replay.entities.parts.length !== found.missing.length) return;
    responseCache.keepEntities(found.missing.map((slot) => found.keys[slot] ?? ''), replay.entities, { linksScope: replay.scope.linksScope, generation });
  };

  /** A kept or assembled answer: its headers, a counting-down max-age, the request id. */
  const send = (res: ServerResponse, answer: Answer, requestId: string): void => {
    const cacheControl = cacheControlOf(Math.max(0, answer.expiresAt - clock.now()));
    res.writeHead(200, [...answer.headers, 'cache-control', cacheControl, 'content-length', String(answer.bytes), 'x-request-id', requestId]);
    res.end(answer.body);
  };

  /** The request, with `body` as its parsed body, through Apollo: its response and the context it ran with. */
  const run = async (req: IncomingMessage, body: object): Promise<{ response: HTTPGraphQLResponse; contextValue: TContext | undefined }> => {
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    let contextValue: TContext | undefined;
    const response = await options.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: 'POST', headers, search: (req.url ?? '').slice(GRAPHQL_PATH.length), body },
      context: async () => (contextValue = await options.context({ req })),
    });
    return { response, contextValue };
  };

  const execute = async (req: IncomingMessage, res: ServerResponse, parsed: unknown, keeping: Keeping | null): Promise<void> => {
    // Read before execution: an answer built while a refresh replaced its links is not kept as new.
    const generation = keeping === null ? 0 : responseCache.generationOf(keeping.scope.linksScope);
    // body-parser's strict mode: only an object or an array is a JSON request body.
    if (typeof parsed !== 'object' || parsed === null) {
      sendError(res, 400, 'BAD_REQUEST', 'The request body is not valid JSON.');
      return;
    }
    const { response, contextValue } = await run(req, parsed);
    // graphql 16 has no incremental delivery (`@defer` is an unknown directive): every answer is complete.
    if (response.body.kind === 'chunked') throw new Error('Apollo answered in parts');
    const status = response.status ?? 200;
    const outgoing: string[] = [];
    for (const [name, value] of response.headers) outgoing.push(name, value);
    // A string, not a Buffer: node writes headers and body in one write, not a writev of two.
    const text = response.body.string;
    const bytes = Buffer.byteLength(text, 'utf8');
    outgoing.push('content-length', String(bytes));
    res.writeHead(status, outgoing);
    res.end(text);
    // Kept only as the pipeline's policy says, for the scope it was built for.
    const replay = contextValue === undefined ? null : (options.policyOf(contextValue)?.replay ?? null);
    if (keeping === null || replay === null || replay.scope.scope !== keeping.scope.scope) return;
    const kept = storableHeaders(response.headers);
    const answer = { headers: kept, expiresAt: replay.expiresAt, linksScope: replay.scope.linksScope, generation };
    if (replay.whole) responseCache.set(keeping.key, { kind: 'response', body: text, bytes, ...answer });
    if (replay.entities === null || keeping.request === null) return;
    const shape = { responseKey: replay.entities.responseKey, variable: replay.entities.variable };
    const entities = entityRequestOf(keeping.request, shape);
    if (entities === null || entities.representationKeys.length !== replay.entities.parts.length) return;
    responseCache.shapes.set(keeping.request.shape, shape);
    responseCache.keepEntities(entityKeys(keeping.scope.scope, entities), replay.entities, answer);
    responseCache.operationExecuted(entities.operationKey, entities.representationKeys.length, kept);
  };

  return (req, res) => {
    const length = eligibleLength(req);
    if (length === null) {
      options.fallback(req, res);
      return;
    }
    const served = options.around === undefined ? serve(req, res, length) : options.around(req, res, () => serve(req, res, length));
    served.catch((error: unknown) => {
      if (error instanceof ClientGone || req.destroyed) return;
      options.logger.error({ errName: error instanceof Error ? error.name : typeof error }, 'request failed in the front door');
      if (!res.headersSent) sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal error');
      else res.destroy();
    });
  };
}

type Answer = Pick<StoredResponse, 'body' | 'bytes' | 'headers' | 'expiresAt'>;

interface Keeping {
  readonly key: string;
  readonly scope: AnswerScope;
  readonly request: JsonRequest | null;
}

/** An entity fetch looked up among the kept entities: per slot its key and kept entity, the slots missing, the operation's headers. */
interface KeptEntities {
  readonly headers: StoredHeaders;
  readonly keys: readonly string[];
  readonly kept: ReadonlyArray<StoredEntity | undefined>;
  readonly missing: readonly number[];
}

/** The body as JSON, or undefined when it is not JSON (Apollo then answers 400). */
function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** Each entity's key: a hash of scope and operation (short: looked up 20 a page), and the representation. */
function entityKeys(scope: string, request: EntityRequest): string[] {
  const operation = hash('sha256', `${scope}\n${request.operationKey}`, 'base64');
  return request.representationKeys.map((representation) => `${operation}\n${representation}`);
}

/** Scope + SHA-256 of path, `accept` (it picks Apollo's format) and the body bytes a router re-sends as they were. */
function cacheKey(scope: string, req: IncomingMessage, body: Buffer): string {
  const digest = createHash('sha256').update(`${req.url ?? ''}\n${req.headers.accept ?? ''}\n`).update(body).digest('base64');
  return `${scope}\n${digest}`;
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

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  const body = JSON.stringify(graphqlErrorBody(code, message));
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
