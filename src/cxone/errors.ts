/** The one typed upstream error, a CxoneError with a `kind` (src/errors.ts maps them); `request` is redacted. */

/** Which CXone endpoint a call went to (also the metrics label). */
export type CxoneEndpoint =
  | 'contacts'
  | 'statements'
  | 'segments'
  | 'completed-contacts'
  | 'analyzed-transcript'
  | 'analyzed-segments'
  | 'token'
  | 'discovery';

/** What a failed call was about, for a message the caller can act on. */
export type CxoneResource =
  | { readonly kind: 'contact'; readonly acdContactId: string }
  /** `acdContactId`, when the segment was reached through its contact: the breaker counts it as that contact. */
  | { readonly kind: 'segment'; readonly segmentId: string; readonly acdContactId?: string }
  | { readonly kind: 'statement'; readonly acdContactId: string; readonly statementId: string }
  | { readonly kind: 'completed-contacts' }
  | { readonly kind: 'segment-analysis'; readonly segmentId: string }
  | { readonly kind: 'analyzed-segments' }
  | { readonly kind: 'auth' };

/** A copy of the request that is safe to log: method, endpoint and path with ids, no headers, no query secrets. */
export interface RedactedRequest {
  readonly method: string;
  readonly endpoint: CxoneEndpoint;
  readonly path: string;
}

export type CxoneErrorKind =
  | 'http'
  /** Connection refused, reset or dropped before a full answer. */
  | 'network'
  /** No answer within the per-call timeout or the request's total deadline. */
  | 'timeout'
  /** An answer we cannot read: malformed JSON, wrong content type, not an object. */
  | 'invalid-response'
  | 'circuit-open'
  /** The tenant's request budget is spent (ours, before CXone throttles). */
  | 'budget'
  /** No credentials to call with (forward mode without an Authorization header). */
  | 'no-credentials';

interface CxoneErrorOptions {
  readonly kind: CxoneErrorKind;
  readonly resource: CxoneResource;
  readonly request?: RedactedRequest | undefined;
  readonly status?: number | undefined;
  readonly internalCode?: string | undefined;
  /** CXone's `message`, when its error body had one (never echoed if it could hold a URL). */
  readonly upstreamMessage?: string | undefined;
  /** From Retry-After, the budget, or our retry policy. */
  readonly retryAfterSeconds?: number | undefined;
  readonly cause?: unknown;
}

export class CxoneError extends Error {
  override readonly name = 'CxoneError';
  readonly kind: CxoneErrorKind;
  readonly resource: CxoneResource;
  readonly request: RedactedRequest | undefined;
  readonly status: number | undefined;
  readonly internalCode: string | undefined;
  readonly upstreamMessage: string | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(message: string, options: CxoneErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = options.kind;
    this.resource = options.resource;
    this.request = options.request;
    this.status = options.status;
    this.internalCode = options.internalCode;
    this.upstreamMessage = options.upstreamMessage;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** What a remembered failure keeps (JSON: it may sit in Redis). */
type FailureDetail = { readonly resource: CxoneResource; readonly status: number; readonly internalCode: string | null };

/**
 * CXone's failures the recording cache remembers (its `FailureRules`), raised again as they were: a 404
 * (briefly: a contact can appear moments later) and a 5xx after every retry.
 */
export const cxoneFailureRules = {
  remember(error: unknown): { kind: 'not-found' | 'failing'; detail: FailureDetail } | null {
    if (!(error instanceof CxoneError) || error.kind !== 'http' || error.status === undefined) return null;
    const detail = { resource: error.resource, status: error.status, internalCode: error.internalCode ?? null };
    if (error.status === 404) return { kind: 'not-found', detail };
    return error.status >= 500 ? { kind: 'failing', detail } : null;
  },
  recall(failure: { kind: 'not-found' | 'failing'; detail: unknown }, retryAfterSeconds: number): Error {
    const { resource, status, internalCode } = failure.detail as FailureDetail;
    if (failure.kind === 'not-found') {
      const details = { kind: 'http', status: 404, resource, internalCode: internalCode ?? undefined } as const;
      return new CxoneError('not found (remembered)', details);
    }
    const details = { kind: 'http', status, resource, retryAfterSeconds } as const;
    return new CxoneError(`CXone answered ${String(status)} (remembered briefly)`, details);
  },
};
