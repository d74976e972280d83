/** The per-request GraphQL context: caller, tenant, request id, fresh loaders; nothing outlives the request. */
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
import type { DemandEstimate } from './guards/demand.js';

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
  readonly uiBaseUrl: string;
  readonly maxListIds: number;
  readonly answer: AnswerRecord;
  readonly reportingMaxWindowDays: number;
  /** Set by demand control (src/guards/demand.ts) once the operation is known, before execution. */
  demand?: DemandEstimate | undefined;
}

export interface ContextDependencies {
  readonly api: CxoneApi;
  readonly reporting: CxoneReportingApi;
  readonly analytics: CxoneAnalyticsApi;
  readonly cache: RecordingCache;
  readonly refreshGate: RefreshGate;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly authenticate: CallerAuthenticator;
  /** The tenant a refused caller is logged under (it never reaches a budget or a cache). */
  readonly defaultTenantId: string;
  readonly uiBaseUrl: string;
  readonly concurrency: number;
  readonly requestDeadlineMs: number;
  readonly maxListIds: number;
  readonly reportingMaxWindowDays: number;
  /** A tracing span per loader batch, when set. */
  readonly runBatch?: BatchRunner | undefined;
  /** Told the links scope (`AnswerScope.linksScope`) whose links a forced refresh replaced. */
  readonly onLinksRefreshed?: ((linksScope: string) => void) | undefined;
}

/** Null when absent or not a bearer token. */
export function bearerToken(headers: IncomingHttpHeaders): string | null {
  const header = headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S.*)$/i.exec(header.trim());
  return match?.[1]?.trim() || null;
}

/** The scopes that gate fields (schema.graphql's `@requiresScopes`), in a fixed order. */
const FIELD_SCOPES = Object.values(SCOPE).sort();

/**
 * Who may share a kept answer: tenant, cache scope and, since a kept answer is served before any
 * field rule runs, the field scopes held. A forced refresh replaces the links of the whole cache
 * scope, so `linksScope` has no scopes part.
 */
function answerScope({ tenantId, cacheScope, scopes }: AcceptedCaller): AnswerScope {
  const linksScope = `${encodeURIComponent(tenantId)}:${cacheScope}`;
  if (scopes === null) return { scope: linksScope, linksScope };
  return { scope: `${linksScope}|${FIELD_SCOPES.filter((scope) => scopes.has(scope)).join(',')}`, linksScope };
}

type Verified = Exclude<CallerCheck, { accepted: true }> | (Extract<CallerCheck, { accepted: true }> & { readonly scope: AnswerScope });

/** One verification per request (front door and context both ask), keyed by its headers object. */
const verified = new WeakMap<IncomingHttpHeaders, Promise<Verified>>();

function verifyOnce(authenticate: CallerAuthenticator, headers: IncomingHttpHeaders): Promise<Verified> {
  let check = verified.get(headers);
  if (check === undefined) {
    check = authenticate(bearerToken(headers)).then((access) => (access.accepted ? { ...access, scope: answerScope(access.caller) } : access));
    verified.set(headers, check);
  }
  return check;
}

/** Null for a refused caller (its request reaches the pipeline). */
export function createAnswerScope(deps: Pick<ContextDependencies, 'authenticate'>) {
  return async (headers: IncomingHttpHeaders): Promise<AnswerScope | null> => {
    const access = await verifyOnce(deps.authenticate, headers);
    return access.accepted ? access.scope : null;
  };
}

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
