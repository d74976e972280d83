/**
 * Tracing as layers around the ports the composition root already wires, so no layer below knows
 * OpenTelemetry. Spans never carry a token, a cache key (it holds a caller hash), a URL (links are
 * signed) or an error message (it can quote CXone); failures are `error.type` only.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Span,
} from '@opentelemetry/api';
import type { ApolloServerPlugin } from '@apollo/server';
import { CxoneError } from '../cxone/errors.js';
import type { HttpTransport } from '../cxone/http.js';
import type { RequestBudget } from '../cxone/budget.js';
import type { Store } from '../cache/store.js';
import type { BatchRunner } from '../loaders/index.js';
import type { Telemetry } from './index.js';

/** Runs `work` in a new active span (so spans it starts are children), ended when it settles. */
function inSpan<T>(
  { tracer }: Telemetry,
  name: string,
  options: { kind?: SpanKind; attributes?: Attributes },
  work: (span: Span) => Promise<T>,
): Promise<T> {
  return tracer.startActiveSpan(name, options, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      const type = error instanceof CxoneError ? `cxone.${error.kind}` : error instanceof Error ? error.name : 'unknown';
      span.setAttribute('error.type', type);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** One CLIENT span per HTTP exchange with CXone (every attempt, and the token endpoint), passing on `traceparent`. */
export function tracedTransport(transport: HttpTransport, telemetry: Telemetry): HttpTransport {
  return {
    send(request) {
      const url = new URL(request.url);
      const attributes: Attributes = {
        'http.request.method': request.method,
        'server.address': url.hostname,
        'cxone.endpoint': request.endpoint,
        'cxone.retry': request.attempt ?? 0,
      };
      const contactId = url.searchParams.get('acd-call-id');
      if (contactId !== null) attributes['cxone.acd_contact_id'] = contactId;
      return inSpan(telemetry, `CXone ${request.endpoint}`, { kind: SpanKind.CLIENT, attributes }, async (span) => {
        const headers: Record<string, string> = { ...request.headers };
        telemetry.propagator.inject(context.active(), headers, defaultTextMapSetter);
        const response = await transport.send({ ...request, headers });
        span.setAttribute('http.response.status_code', response.status);
        if (response.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        return response;
      });
    },
    close: () => transport.close(),
  };
}

/** One span per budget point taken (a wait on Redis with a shared budget); `granted` false when refused. */
export function tracedBudget(budget: RequestBudget, telemetry: Telemetry): RequestBudget {
  const traced: RequestBudget = {
    take: (tenantId, priority, kind, resource, callerId) => {
      const attributes = { 'cxone.budget.priority': priority, 'cxone.budget.attempt': kind };
      return inSpan(telemetry, 'CXone budget', { attributes }, async (span) => {
        span.setAttribute('cxone.budget.granted', false);
        await budget.take(tenantId, priority, kind, resource, callerId);
        span.setAttribute('cxone.budget.granted', true);
      });
    },
  };
  // The caller's share and the refund of refused callers pass through untraced.
  if (budget.refund !== undefined) traced.refund = budget.refund.bind(budget);
  return traced;
}

/** Spans for the cache store's reads (`cache.hit`) and writes; it peeks nothing, so every read has its span. */
export function tracedStore(store: Store, telemetry: Telemetry, backend: 'redis' | 'memory'): Store {
  const attributes = { 'cache.backend': backend };
  return {
    peek: () => undefined,
    get: (key) =>
      inSpan(telemetry, 'cache read', { attributes }, async (span) => {
        const value = await store.get(key);
        span.setAttribute('cache.hit', value !== undefined);
        return value;
      }),
    set: (key, value, ttlMs) => inSpan(telemetry, 'cache write', { attributes }, () => store.set(key, value, ttlMs)),
    disconnect: () => store.disconnect(),
  };
}

/**
 * One span per DataLoader batch, parent of its keys' cache, budget and CXone spans: Contact.recording
 * resolvers run after `_entities` returns, outside its span.
 */
export function batchSpans(telemetry: Telemetry): BatchRunner {
  return (loader, size, work) =>
    inSpan(telemetry, `load ${loader} batch`, { attributes: { 'graphql.batch.size': size } }, work);
}

/** The function that starts a span around one resolver call; server.ts ends it when the resolver's value is complete. */
export function resolverSpans(telemetry: Telemetry) {
  return (field: string, args: Readonly<Record<string, unknown>>) => {
    const attributes: Attributes = { 'graphql.field.path': field };
    // A batch: the router's _entities representations, or a report's ids.
    for (const name of ['representations', 'acdContactIds', 'statementIds']) {
      const list = args[name];
      if (Array.isArray(list)) attributes['graphql.batch.size'] = list.length;
    }
    const span = telemetry.tracer.startSpan(`resolve ${field}`, { attributes });
    const active = trace.setSpan(context.active(), span);
    return { run: <T>(work: () => T): T => context.with(active, work), end: () => span.end() };
  };
}

/**
 * The SERVER span of one GraphQL request, continuing the caller's `traceparent`, around `run`.
 * Started after the body parser where one is used: its stream callbacks would lose the active context.
 */
export function inOperationSpan<T>(telemetry: Telemetry, req: IncomingMessage, res: ServerResponse, run: () => T): T {
  const parent = telemetry.propagator.extract(ROOT_CONTEXT, req.headers, defaultTextMapGetter);
  const span = telemetry.tracer.startSpan(
    'POST /graphql',
    { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'POST', 'url.path': '/graphql' } },
    parent,
  );
  res.once('close', () => {
    span.setAttribute('http.response.status_code', res.statusCode);
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
  return context.with(trace.setSpan(parent, span), run);
}

/** Names the operation span after the operation (`query Page`) and counts its errors. */
export const operationNaming: ApolloServerPlugin = {
  requestDidStart: () => {
    const span = trace.getActiveSpan();
    if (span === undefined) return Promise.resolve();
    return Promise.resolve({
      didResolveOperation: ({ operation, operationName }) => {
        if (operation === undefined) return Promise.resolve();
        span.updateName(`${operation.operation}${operationName === null ? '' : ` ${operationName}`}`);
        span.setAttribute('graphql.operation.type', operation.operation);
        if (operationName !== null) span.setAttribute('graphql.operation.name', operationName);
        return Promise.resolve();
      },
      willSendResponse: ({ response }) => {
        const errors = response.body.kind === 'single' ? (response.body.singleResult.errors?.length ?? 0) : 0;
        if (errors > 0) span.setAttribute('graphql.errors.count', errors);
        return Promise.resolve();
      },
    });
  },
};
