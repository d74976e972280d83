/** The HTTP server (/graphql, /health, /metrics) from its dependencies; `listen` starts it. */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { defaultFieldResolver, type GraphQLSchema } from 'graphql';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginInlineTrace } from '@apollo/server/plugin/inlineTrace';
import { expressMiddleware } from '@as-integrations/express5';
import { buildRecordingsSchema } from './schema.js';
import { createAnswerScope, createContextFactory, type ContextDependencies, type GraphQLContext } from './context.js';
import { answerPolicyPlugin } from './answers/plugin.js';
import { isPromiseLike } from './promise-like.js';
import { createGraphQLFrontDoor } from './http/graphql-front-door.js';
import { ResponseCache } from './http/response-cache.js';
import { createErrorFormatter, isExpectedError } from './errors.js';
import { unwrapResolverError } from '@apollo/server/errors';
import { enforceAccessRules } from './callers/access-rules.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import type { Telemetry } from './telemetry/index.js';
import { inOperationSpan, operationNaming, resolverSpans } from './telemetry/layers.js';
import type { AppConfig } from './config.js';
import { queryLimitRules, tokenLimitError } from './guards/query-rules.js';
import { demandControl, isObjectType } from './guards/demand.js';
import { positionBudget } from './guards/response-budget.js';
import { guardEntityRepresentations } from './guards/entity-representations.js';
import { routerSecretGuard } from './guards/router-secret.js';
import { requestErrorHandler } from './guards/request-errors.js';

type FromConfig = 'concurrency' | 'requestDeadlineMs' | 'maxListIds' | 'reportingMaxWindowDays';

type ServerDependencies = Omit<ContextDependencies, FromConfig> & {
  readonly config: Pick<AppConfig, 'env' | 'graphql' | 'cxone' | 'cache' | 'federation'>;
  readonly metrics: Metrics;
  /** OpenTelemetry, when on: a span per operation and per Query resolver. */
  readonly telemetry: Telemetry | undefined;
};

export function createServer(deps: ServerDependencies) {
  const app = express();
  app.disable('x-powered-by');
  // Until Apollo has started, express answers everything; then the GraphQL front door goes first.
  let handle: http.RequestListener = app;
  const httpServer = http.createServer((req, res) => handle(req, res));
  const { graphql, cxone } = deps.config;
  const { telemetry, clock, metrics } = deps;
  const responseCache = new ResponseCache({ maxBytes: deps.config.cache.responseMaxBytes, clock, metrics });
  // Keep-alive from the router outlives Node's default; the router's own timeout is shorter.
  httpServer.keepAliveTimeout = 65_000;

  const { limits, maxBodyBytes, maxResponseBytes, routerSecret, fieldSuggestions: suggestions } = graphql;
  const production = deps.config.env === 'production';
  const formatError = createErrorFormatter({ production, suggestions });
  const responseBudget = positionBudget<GraphQLContext>(limits.responsePositions);
  // Decides each answer's policy (Cache-Control and what the answer caches may keep) as it is sent.
  const answers = answerPolicyPlugin<GraphQLContext>({
    recordOf: (context) => context.answer,
    maxResponseBytes,
  });
  const apollo = new ApolloServer<GraphQLContext>({
    // Outermost: once a response is over its budget, no resolver below runs.
    schema: responseBudget.wrap(timeRecordingResolvers(
      // The schema's @authenticated/@requiresScopes, enforced here too (one source of truth).
      // Representations are checked first: a malformed one is BAD_USER_INPUT in its own slot.
      guardEntityRepresentations(
        enforceAccessRules(buildRecordingsSchema(deps.config.federation)),
      ),
      metrics,
      telemetry === undefined ? undefined : resolverSpans(telemetry),
    )),
    csrfPrevention: true,
    // main.ts owns signals and drains in order; Apollo's own handler would re-raise SIGTERM.
    stopOnTerminationSignals: false,
    introspection: graphql.introspection,
    hideSchemaDetailsFromClientErrors: !suggestions,
    includeStacktraceInErrorResponses: !production,
    // The router sends one operation per request; a batch would multiply every limit below.
    allowBatchedHttpRequests: false,
    validationRules: queryLimitRules(limits),
    parseOptions: { maxTokens: limits.tokens },
    formatError: (formatted, error) => formatError(tokenLimitError(formatted), error),
    stringifyResult: answers.stringify,
    plugins: [
      // First, so a stopped response is replaced before anything reads or keeps it.
      responseBudget.plugin,
      demandControl(limits),
      // Apollo's default grace (10 s) would cut off queries still within their deadline.
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: cxone.requestDeadlineMs + 1000 }),
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      // Masked: a raw resolver error has not been through formatError and must not leave in the trace.
      ApolloServerPluginInlineTrace({ includeErrors: { masked: true } }),
      requestLogging(deps.logger),
      ...(telemetry === undefined ? [] : [operationNaming]),
      // Last: it reads the answer as every other plugin left it.
      answers.plugin,
    ],
  });

  // A forced refresh (a player's link failed) must not be undone by a kept answer with the old link.
  const contextFactory = createContextFactory({
    ...deps,
    concurrency: cxone.concurrency,
    requestDeadlineMs: cxone.requestDeadlineMs,
    maxListIds: graphql.maxListIds,
    reportingMaxWindowDays: cxone.reporting.maxWindowDays,
    onLinksRefreshed: (scope) => responseCache.linksRefreshed(scope),
  });
  let started = false;
  let draining = false;

  // Readiness: 503 once draining (a Kubernetes readiness probe stops routing here).
  app.get('/health', (_req, res) => {
    res.status(draining ? 503 : 200).json({ status: draining ? 'draining' : 'ok' });
  });
  app.get('/metrics', async (_req, res) => {
    res.setHeader('content-type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });

  return {
    /** Starts Apollo and listens; resolves with the URL of /graphql. */
    async listen(port: number, host: string): Promise<{ url: string; port: number }> {
      await apollo.start();
      started = true;
      // The secret is checked before the body is read: a caller without it costs no parsing.
      if (routerSecret !== undefined) app.use('/graphql', routerSecretGuard(routerSecret));
      const pipeline = expressMiddleware(apollo, { context: contextFactory });
      const traced: typeof pipeline =
        telemetry === undefined ? pipeline : (req, res, next) => inOperationSpan(telemetry, req, res, () => pipeline(req, res, next));
      app.use('/graphql', express.json({ limit: maxBodyBytes }), traced);
      app.use(requestErrorHandler({ maxBodyBytes, logger: deps.logger }));
      handle = createGraphQLFrontDoor({
        apollo,
        context: contextFactory,
        policyOf: (context) => context.answer.policy,
        answerScope: createAnswerScope(deps),
        responseCache,
        clock,
        logger: deps.logger,
        maxBodyBytes,
        maxResponseBytes,
        routerSecret,
        fallback: app,
        around: telemetry === undefined ? undefined : (req, res, next) => inOperationSpan(telemetry, req, res, next),
      });
      // Rejects on an 'error' before 'listening' (a port in use).
      await once(httpServer.listen(port, host), 'listening');
      const address = httpServer.address() as AddressInfo;
      const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      return { url: `http://${shownHost}:${address.port}/graphql`, port: address.port };
    },
    /** /health answers 503 from now on (a readiness probe takes this replica out); requests are served. */
    beginDrain() {
      draining = true;
    },
    async stop() {
      draining = true;
      if (started) await apollo.stop();
      else await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeAllConnections();
    },
  };
}

/** Times the resolvers that load recordings; wrapping these few spares every other field a willResolveField hook. */
function timeRecordingResolvers(schema: GraphQLSchema, metrics: Metrics, startSpan: ReturnType<typeof resolverSpans> | undefined): GraphQLSchema {
  // Every Query field; of Contact, `recording` only.
  for (const [typeName, only] of [['Query', undefined], ['Contact', 'recording']] as const) {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      if (only !== undefined && field.name !== only) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      const labels = { field: `${typeName}.${field.name}` };
      // Bound once: no label object per call (prom-client still validates and hashes it on each observe).
      const duration = metrics.resolverDuration.labels(labels);
      field.resolve = (source, args, context, info) => {
        const started = performance.now();
        // Contact.recording gets no span per contact: its loader batch has one.
        const span = typeName === 'Query' ? startSpan?.(labels.field, args) : undefined;
        const done = (): void => {
          duration.observe((performance.now() - started) / 1000);
          span?.end();
        };
        let result: unknown;
        try {
          result = span === undefined ? resolve(source, args, context, info) : span.run(() => resolve(source, args, context, info));
        } catch (error) {
          done();
          throw error;
        }
        // Finished when the value is, or every item of a list of promises (`_entities`) is.
        if (isPromiseLike(result)) {
          Promise.resolve(result).then(done, done);
        } else if (Array.isArray(result) && result.some(isPromiseLike)) {
          Promise.allSettled(result).then(done, done);
        } else {
          done();
        }
        return result;
      };
    }
  }
  return schema;
}

/** The request id on every answer; one log line per operation, and one per distinct unexpected error with its count. */
function requestLogging(logger: Logger): ApolloServerPlugin<GraphQLContext> {
  return {
    requestDidStart: ({ contextValue }) => {
      const started = performance.now();
      const unexpected = new Map<string, { error: unknown; count: number }>();
      return Promise.resolve({
        didEncounterErrors: ({ errors }) => {
          for (const error of errors) {
            const original = unwrapResolverError(error);
            if (isExpectedError(original)) continue;
            const key = original instanceof Error ? `${original.name}: ${original.message}` : typeof original;
            const seen = unexpected.get(key);
            if (seen === undefined) unexpected.set(key, { error: original, count: 1 });
            else seen.count += 1;
          }
          return Promise.resolve();
        },
        willSendResponse: ({ operationName, response }) => {
          response.http.headers.set('x-request-id', contextValue.requestId);
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          const errorCodes: Record<string, number> = {};
          for (const error of errors) {
            const code = String(error.extensions?.['code'] ?? 'UNKNOWN');
            errorCodes[code] = (errorCodes[code] ?? 0) + 1;
          }
          for (const { error, count } of unexpected.values()) {
            logger.error({ requestId: contextValue.requestId, err: error, count }, 'unexpected error in a resolver');
          }
          logger.info(
            {
              requestId: contextValue.requestId,
              operationName: operationName ?? null,
              durationMs: Math.round(performance.now() - started),
              errorCodes,
            },
            'graphql request',
          );
          return Promise.resolve();
        },
      });
    },
  };
}
