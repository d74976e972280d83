/**
 * The upstream stack as layers `(next) => (call) => ...`, from the inside out: one HTTP attempt
 * (client.ts `sendOnce`), auth, resilience. Nothing below steers the layers above through shared state.
 */
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { CxoneEndpoint, CxoneResource } from './errors.js';
import type { AuthProvider, CallScope } from './ports.js';
import { refusedStatus, type CxoneResiliencePolicy } from './resilience.js';

/** One upstream request, before the base URL and credentials are added. */
export interface CxoneApiRequest {
  readonly endpoint: CxoneEndpoint;
  readonly resource: CxoneResource;
  /** Under `root` (default `/media-playback/v1`), ids already encoded. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Another API on the same host, e.g. `/incontactapi/services/v30.0` for reporting. */
  readonly root?: string;
  /** 204 No Content is an answer (reporting: nothing matched); `map` gets a null body. */
  readonly acceptNoContent?: boolean;
}

/** What travels down the stack: the request, whose it is, and what each layer adds. */
export interface UpstreamCall<T> {
  readonly request: CxoneApiRequest;
  readonly scope: CallScope;
  /** Turns CXone's 200 body into our model; throws InvalidCxoneAnswer when it cannot. */
  readonly map: (body: unknown, answeredAt: number) => T;
  /** Set by the resilience layer: aborted at the request deadline. */
  readonly signal?: AbortSignal;
  /** Set by the resilience layer: 0 for the first attempt. */
  readonly attempt?: number;
  /** Set by the auth layer. */
  readonly token?: string;
}

export type Handler = <T>(call: UpstreamCall<T>) => Promise<T>;

export type Middleware = (next: Handler) => Handler;

/** Wraps `innermost` in `layers`, the first listed outermost. */
export function composeStack(innermost: Handler, ...layers: readonly Middleware[]): Handler {
  return layers.reduceRight<Handler>((next, layer) => layer(next), innermost);
}

/**
 * The caller's token on every attempt (a retry may need a renewed one); after CXone's 401, once a fresh
 * one when the provider says that can help, so one attempt is at most two requests.
 */
export function authLayer(deps: { readonly auth: AuthProvider; readonly metrics: Metrics; readonly logger: Logger }): Middleware {
  return (next) =>
    async <T>(call: UpstreamCall<T>): Promise<T> => {
      const token = await deps.auth.tokenFor(call.scope.caller);
      try {
        return await next({ ...call, token });
      } catch (error: unknown) {
        // Only the API's own 401: a refused token-endpoint call is not re-tried this way.
        if (refusedStatus(error) !== 401 || !(await deps.auth.invalidate(call.scope.caller, token))) throw error;
        deps.metrics.upstreamRetries.inc({ endpoint: call.request.endpoint, reason: 'reauth' });
        deps.logger.debug({ endpoint: call.request.endpoint, requestId: call.scope.requestId }, 'CXone answered 401; re-authenticating once');
        // A second 401 with a brand-new token is the answer.
        return await next({ ...call, token: await deps.auth.tokenFor(call.scope.caller) });
      }
    };
}

/** The resilience policy as a layer: each of its attempts is one trip through `next`. */
export function resilienceLayer(policy: CxoneResiliencePolicy): Middleware {
  return (next) =>
    <T>(call: UpstreamCall<T>): Promise<T> =>
      policy.run(
        { endpoint: call.request.endpoint, resource: call.request.resource, scope: call.scope },
        ({ signal, attempt }) => next({ ...call, signal, attempt }),
      );
}

