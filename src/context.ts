/**
 * The per-request GraphQL context: who is calling, their tenant, a request id, and fresh loaders.
 * Built for every request by `createContextFactory`; nothing in it outlives the request.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from './logger.js';
import type { Caller, CxoneAnalyticsApi, CxoneApi, CxoneReportingApi } from './cxone/ports.js';
import type { RecordingCache } from './cache/recording-cache.js';
import type { RefreshGate } from './cache/refresh-gate.js';
import { createLoaders, createRefusingLoaders, type BatchRunner, type Loaders } from './loaders/index.js';
import { SCOPE, type CallerAuthenticator, type CallerCheck } from './callers/identity.js';
import type { Clock } from './clock.js';

export interface GraphQLContext {
  readonly requestId: string;
  /** Who is calling, verified before anything else (src/callers/); a refused caller gets its error on every guarded field. */
  readonly access: CallerCheck;
  readonly caller: Caller;
  /** The verified or configured tenant; never an unverified claim. */
  readonly tenantId: string;
  /** The verified identity charged for a share of the tenant's budget (user, token hash, or access-key caller). */
  readonly callerId: string;
  readonly loaders: Loaders;
  readonly logger: Logger;
  /** Base of CXone's player and download pages. */
  readonly uiBaseUrl: string;
  /** Longest list argument accepted (`recordings(acdContactIds:)`, `statements(statementIds:)`). */
  readonly maxListIds: number;
  /**
   * The smallest remaining cache lifetime (ms) of any answer used, for Cache-Control; null if none.
   * `passingState`: the answer holds a state that may change any moment (a `recordingStatus` other
   * than AVAILABLE): then no cache, ours or the client's, may keep it for the links' lifetime.
   */
  readonly linkLifetime: { minRemainingMs: number | null; passingState: boolean };
  /** Longest window `completedContacts` accepts, in days (CXone's reporting limit). */
  readonly reportingMaxWindowDays: number;
}

export interface ContextDependencies {
  readonly api: CxoneApi;
  readonly reporting: CxoneReportingApi;
  readonly analytics: CxoneAnalyticsApi;
  readonly cache: RecordingCache;
  /** Bounds `recording(refresh: true)` per caller and contact. */
  readonly refreshGate: RefreshGate;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Verifies the caller's bearer token (or trusts the router), per CXONE_AUTH and the caller settings. */
  readonly authenticate: CallerAuthenticator;
  /** The tenant a refused caller is logged under (it never reaches a budget or a cache). */
  readonly defaultTenantId: string;
  readonly uiBaseUrl: string;
  readonly concurrency: number;
  readonly requestDeadlineMs: number;
  readonly maxListIds: number;
  readonly reportingMaxWindowDays: number;
  /** Runs every loader batch when set (a tracing span per batch). */
  readonly runBatch?: BatchRunner | undefined;
  /** Told the cache scope (as `createCacheScope` names it) whose links a forced refresh replaced. */
  readonly onLinksRefreshed?: ((scope: string) => void) | undefined;
}

/** Reads the bearer token of an `Authorization` header; null when absent or not a bearer token. */
export function bearerToken(headers: IncomingHttpHeaders): string | null {
  const header = headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S.*)$/i.exec(header.trim());
  return match?.[1]?.trim() || null;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * One verification per request: the response cache's scope and the context both ask, and share
 * the answer (keyed by the request's headers object, which lives as long as the request).
 */
const verified = new WeakMap<IncomingHttpHeaders, Promise<CallerCheck>>();

function verifyOnce(authenticate: CallerAuthenticator, headers: IncomingHttpHeaders): Promise<CallerCheck> {
  let check = verified.get(headers);
  if (check === undefined) {
    check = authenticate(bearerToken(headers));
    verified.set(headers, check);
  }
  return check;
}

/**
 * Who may share a cached whole response with this request (src/http/response-cache.ts): the
 * verified tenant and cache scope the loaders use (verified user, token hash, or the tenant), or
 * null when the caller is refused, so such a request always reaches the pipeline and its
 * UNAUTHENTICATED. The one place the response cache learns identity.
 */
export type CacheScopeOf = (headers: IncomingHttpHeaders) => Promise<string | null>;

export function createCacheScope(deps: Pick<ContextDependencies, 'authenticate'>): CacheScopeOf {
  return async (headers) => {
    const access = await verifyOnce(deps.authenticate, headers);
    return access.accepted ? responseScope(access.caller.tenantId, access.caller.cacheScope, access.caller.scopes) : null;
  };
}

/** The scopes that gate fields (schema.graphql's `@requiresScopes`), in a fixed order. */
const FIELD_SCOPES = Object.values(SCOPE).sort();

/**
 * The scope of whole-response caching: the tenant and the cache scope, as the loaders' keys hold
 * them, and, when scopes gate fields, which of them the caller holds. The loaders' cache may be
 * shared by a whole tenant (access-key mode: the rules apply per field, after it), but a kept
 * answer is served before any field runs: one kept for a caller granted the analytics must never
 * reach one who is not.
 */
function responseScope(tenantId: string, cacheScope: string, scopes: ReadonlySet<string> | null): string {
  const base = `${encodeURIComponent(tenantId)}:${cacheScope}`;
  if (scopes === null) return base;
  return `${base}${SCOPES_SEPARATOR}${FIELD_SCOPES.filter((scope) => scopes.has(scope)).join(',')}`;
}

const SCOPES_SEPARATOR = '|';

/**
 * Whose links a kept answer holds: its response scope without the scopes part. A forced refresh
 * replaces the links every caller of that cache scope reads (the loaders' cache has no scopes
 * part), so it supersedes the kept answers of all of them.
 */
export function linksScopeOf(responseScope: string): string {
  const separator = responseScope.indexOf(SCOPES_SEPARATOR);
  return separator === -1 ? responseScope : responseScope.slice(0, separator);
}

/** Returns the function Apollo calls once per request to build its context. */
export function createContextFactory(deps: ContextDependencies) {
  return async ({ req }: { req: { headers: IncomingHttpHeaders } }): Promise<GraphQLContext> => {
    const incomingId = req.headers['x-request-id'];
    const requestId = typeof incomingId === 'string' && REQUEST_ID.test(incomingId) ? incomingId : randomUUID();
    // Verification first: a refused caller's request never builds a loader that could reach CXone.
    const access = await verifyOnce(deps.authenticate, req.headers);
    const linkLifetime: GraphQLContext['linkLifetime'] = { minRemainingMs: null, passingState: false };
    const logger = deps.logger.child({ requestId });
    if (!access.accepted) {
      return {
        requestId,
        access,
        caller: { mode: 'forward', token: null },
        tenantId: deps.defaultTenantId,
        callerId: 'refused',
        loaders: createRefusingLoaders(access.error),
        logger,
        uiBaseUrl: deps.uiBaseUrl,
        maxListIds: deps.maxListIds,
        linkLifetime,
        reportingMaxWindowDays: deps.reportingMaxWindowDays,
      };
    }
    const { caller, tenantId, callerId } = access.caller;
    // The cache scope: who may share cached answers (verified user, token hash, or the tenant).
    const callerKey = access.caller.cacheScope;
    const loaders = createLoaders({
      api: deps.api,
      reporting: deps.reporting,
      analytics: deps.analytics,
      cache: deps.cache,
      refreshGate: deps.refreshGate,
      scope: { caller, callerId, tenantId, requestId, deadline: deps.clock.now() + deps.requestDeadlineMs },
      callerKey,
      concurrency: deps.concurrency,
      runBatch: deps.runBatch,
      onLinksRefreshed: () => deps.onLinksRefreshed?.(responseScope(tenantId, callerKey, null)),
      onLifetime: (remainingMs) => {
        linkLifetime.minRemainingMs =
          linkLifetime.minRemainingMs === null ? remainingMs : Math.min(linkLifetime.minRemainingMs, remainingMs);
      },
    });
    return {
      requestId,
      access,
      caller,
      tenantId,
      callerId,
      loaders,
      logger,
      uiBaseUrl: deps.uiBaseUrl,
      maxListIds: deps.maxListIds,
      linkLifetime,
      reportingMaxWindowDays: deps.reportingMaxWindowDays,
    };
  };
}
