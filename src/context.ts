/**
 * The per-request GraphQL context: who is calling, their tenant, a request id, and fresh loaders.
 * Built for every request by `createContextFactory`; nothing in it outlives the request.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from './logger.js';
import type { Caller, CxoneApi, CxoneReportingApi } from './cxone/ports.js';
import type { RecordingCache } from './cache/recording-cache.js';
import { createLoaders, type Loaders } from './loaders/index.js';
import { hashToken } from './cxone/redact.js';
import { tenantFromToken } from './cxone/auth.js';
import type { Clock } from './clock.js';

export interface GraphQLContext {
  readonly requestId: string;
  readonly caller: Caller;
  readonly tenantId: string;
  readonly loaders: Loaders;
  readonly logger: Logger;
  /** Base of CXone's player and download pages. */
  readonly uiBaseUrl: string;
  /** Longest list argument accepted (`recordings(acdContactIds:)`, `statements(statementIds:)`). */
  readonly maxListIds: number;
  /** The smallest remaining cache lifetime (ms) of any answer used, for Cache-Control; null if none. */
  readonly linkLifetime: { minRemainingMs: number | null };
  /** Longest window `completedContacts` accepts, in days (CXone's reporting limit). */
  readonly reportingMaxWindowDays: number;
}

export interface ContextDependencies {
  readonly api: CxoneApi;
  readonly reporting: CxoneReportingApi;
  readonly cache: RecordingCache;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly authMode: 'forward' | 'access-key';
  /** CXONE_TENANT_ID, or the API base when unset. */
  readonly configuredTenantId: string | undefined;
  readonly defaultTenantId: string;
  readonly uiBaseUrl: string;
  readonly concurrency: number;
  readonly requestDeadlineMs: number;
  readonly maxListIds: number;
  readonly reportingMaxWindowDays: number;
}

/** Reads the bearer token of an `Authorization` header; null when absent or not a bearer token. */
export function bearerToken(headers: IncomingHttpHeaders): string | null {
  const header = headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S.*)$/i.exec(header.trim());
  return match?.[1]?.trim() || null;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Returns the function Apollo calls once per request to build its context. */
export function createContextFactory(deps: ContextDependencies) {
  return ({ req }: { req: { headers: IncomingHttpHeaders } }): Promise<GraphQLContext> => {
    const incomingId = req.headers['x-request-id'];
    const requestId = typeof incomingId === 'string' && REQUEST_ID.test(incomingId) ? incomingId : randomUUID();
    const token = deps.authMode === 'forward' ? bearerToken(req.headers) : null;
    const caller: Caller = deps.authMode === 'forward' ? { mode: 'forward', token } : { mode: 'access-key' };
    // The operator's tenant id wins over an unverified claim; the claim only fills in when unset.
    const tenantId =
      deps.configuredTenantId ?? (token === null ? null : tenantFromToken(token)) ?? deps.defaultTenantId;
    const callerKey = caller.mode === 'access-key' ? 'service' : token === null ? 'anonymous' : hashToken(token);
    const linkLifetime: GraphQLContext['linkLifetime'] = { minRemainingMs: null };
    const logger = deps.logger.child({ requestId });
    const loaders = createLoaders({
      api: deps.api,
      reporting: deps.reporting,
      cache: deps.cache,
      scope: { caller, tenantId, requestId, deadline: deps.clock.now() + deps.requestDeadlineMs },
      callerKey,
      concurrency: deps.concurrency,
      onLifetime: (remainingMs) => {
        linkLifetime.minRemainingMs =
          linkLifetime.minRemainingMs === null ? remainingMs : Math.min(linkLifetime.minRemainingMs, remainingMs);
      },
    });
    return Promise.resolve({
      requestId,
      caller,
      tenantId,
      loaders,
      logger,
      uiBaseUrl: deps.uiBaseUrl,
      maxListIds: deps.maxListIds,
      linkLifetime,
      reportingMaxWindowDays: deps.reportingMaxWindowDays,
    });
  };
}
