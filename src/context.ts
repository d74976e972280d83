/**
 * The per-request GraphQL context: who is calling, their tenant, a request id, and fresh loaders.
 * Built for every request by `createContextFactory`; nothing in it outlives the request.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from './logger.js';
import type { Caller, CxoneAnalyticsApi, CxoneApi, CxoneReportingApi } from './cxone/ports.js';
import type { RecordingCache } from './cache/recording-cache.js';
import type { RefreshGate } from './cache/refresh-gate.js';
import { createLoaders, createRefusingLoaders, type BatchRunner, type Loaders } from './loaders/index.js';
import { SCOPE, type AcceptedCaller, type CallerAuthenticator, type CallerCheck } from './callers/identity.js';
import type { Clock } from './clock.js';
import { requestIdOf } from './request-id.js';
import { AnswerRecord, type AnswerScope } from './answers/policy.js';

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
  /** Base of CXone's player and download pages. */
  readonly uiBaseUrl: string;
  /** Longest list argument accepted (`recordings(acdContactIds:)`, `statements(statementIds:)`). */
  readonly maxListIds: number;
  /** What execution saw that decides whether and how long the answer may be kept (src/answers/). */
  readonly answer: AnswerRecord;
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
  /** Told the links scope (`AnswerScope.linksScope`) whose links a forced refresh replaced. */
  readonly onLinksRefreshed?: ((linksScope: string) => void) | undefined;
}

/** Reads the bearer token of an `Authorization` header; null when absent or not a bearer token. */
export function bearerToken(headers: IncomingHttpHeaders): string | null {
  const header = headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S.*)$/i.exec(header.trim());
  return match?.[1]?.trim() || null;
}

/** The scopes that gate fields (schema.graphql's `@requiresScopes`), in a fixed order. */
const FIELD_SCOPES = Object.values(SCOPE).sort();

/**
 * Who may share a kept answer with a caller (src/http/): the tenant and the cache scope, as the
 * loaders' keys hold them (verified user, token hash, or the tenant), and, when scopes gate fields,
 * which of them the caller holds. The loaders' cache may be shared by a whole tenant (access-key
 * mode: the rules apply per field, after it), but a kept answer is served before any field runs:
 * one kept for a caller granted the analytics must never reach one who is not. A forced refresh
 * replaces the links of every caller of the loaders' cache scope, so `linksScope` has no scopes part.
 */
function answerScope({ tenantId, cacheScope, scopes }: AcceptedCaller): AnswerScope {
  const linksScope = `${encodeURIComponent(tenantId)}:${cacheScope}`;
  if (scopes === null) return { scope: linksScope, linksScope };
  return { scope: `${linksScope}|${FIELD_SCOPES.filter((scope) => scopes.has(scope)).join(',')}`, linksScope };
}

/** A caller check, with the answer scope of an accepted caller. */
type Verified = Exclude<CallerCheck, { accepted: true }> | (Extract<CallerCheck, { accepted: true }> & { readonly scope: AnswerScope });

/**
 * One verification per request: the front door and the context both ask, and share the answer
 * (keyed by the request's headers object, which lives as long as the request).
 */
const verified = new WeakMap<IncomingHttpHeaders, Promise<Verified>>();

function verifyOnce(authenticate: CallerAuthenticator, headers: IncomingHttpHeaders): Promise<Verified> {
  let check = verified.get(headers);
  if (check === undefined) {
    check = authenticate(bearerToken(headers)).then((access) => (access.accepted ? { ...access, scope: answerScope(access.caller) } : access));
    verified.set(headers, check);
  }
  return check;
}

/** The verified caller's answer scope, from the request's headers; null for a refused caller (its request reaches the pipeline). */
export function createAnswerScope(deps: Pick<ContextDependencies, 'authenticate'>) {
  return async (headers: IncomingHttpHeaders): Promise<AnswerScope | null> => {
    const access = await verifyOnce(deps.authenticate, headers);
    return access.accepted ? access.scope : null;
  };
}

/** Returns the function Apollo calls once per request to build its context. */
export function createContextFactory(deps: ContextDependencies) {
  return async ({ req }: { req: { headers: IncomingHttpHeaders } }): Promise<GraphQLContext> => {
    const requestId = requestIdOf(req.headers['x-request-id']);
    // Verification first: a refused caller's request never builds a loader that could reach CXone.
    const access = await verifyOnce(deps.authenticate, req.headers);
    const shared = { requestId, access, uiBaseUrl: deps.uiBaseUrl, maxListIds: deps.maxListIds, reportingMaxWindowDays: deps.reportingMaxWindowDays };
    if (!access.accepted) {
      return {
        ...shared,
        caller: { mode: 'forward', token: null },
        tenantId: deps.defaultTenantId,
        callerId: 'refused',
        loaders: createRefusingLoaders(access.error),
        answer: new AnswerRecord(null, deps.clock.now()),
      };
    }
    const { caller, tenantId, callerId, cacheScope } = access.caller;
    const { scope } = access;
    const answer = new AnswerRecord(scope, deps.clock.now());
    const loaders = createLoaders({
      api: deps.api,
      reporting: deps.reporting,
      analytics: deps.analytics,
      cache: deps.cache,
      refreshGate: deps.refreshGate,
      scope: { caller, callerId, tenantId, requestId, deadline: deps.clock.now() + deps.requestDeadlineMs },
      callerKey: cacheScope,
      concurrency: deps.concurrency,
      runBatch: deps.runBatch,
      onRefresh: () => answer.refreshAsked(),
      onLinksRefreshed: () => deps.onLinksRefreshed?.(scope.linksScope),
      onLifetime: (remainingMs, acdContactId) => answer.linkRead(remainingMs, acdContactId),
    });
    return { ...shared, caller, tenantId, callerId, loaders, answer };
  };
}
