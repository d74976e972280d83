/** A federation gateway composing the CRM subgraph with ours, as a router would. */
import type http from 'node:http';
import type { DocumentNode } from 'graphql';
import { composeServices } from '@apollo/composition';
import { ApolloGateway, IntrospectAndCompose, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import type { Trace } from '@apollo/usage-reporting-protobuf';
import { expressMiddleware } from '@as-integrations/express5';
import compression from 'compression';
import express from 'express';
import { crmTypeDefsFor, type CrmShape } from './crm-subgraph.js';
import { servedTypeDefs } from '../schema.js';
import { serveApollo, type RunningService } from './listen.js';

/** As a router that propagates auth and W3C trace context. */
const FORWARDED_HEADERS = ['authorization', 'traceparent', 'tracestate'];

interface GatewayContext {
  /** Absent on the gateway's own requests (schema loading), which have no incoming request. */
  readonly forwarded?: Readonly<Record<string, string>>;
}

export interface RunningGateway extends RunningService {
  readonly supergraphSdl: string;
}

/**
 * Our SDL beside a CRM schema, as `rover supergraph compose`; `authorizationDirectives: false` is for
 * a router without their licence.
 */
export function composeSupergraph(
  crm: { readonly url: string; readonly typeDefs?: DocumentNode; readonly shape?: CrmShape | undefined },
  recordingsUrl: string,
  options: { readonly authorizationDirectives?: boolean; readonly reporting?: boolean | undefined } = {},
): string {
  const recordings = servedTypeDefs({ authDirectives: options.authorizationDirectives, reporting: options.reporting });
  const result = composeServices([
    { name: 'crm', typeDefs: crm.typeDefs ?? crmTypeDefsFor(crm.shape ?? 'acd-key'), url: crm.url },
    { name: 'recordings', typeDefs: recordings, url: recordingsUrl },
  ]);
  if (result.errors !== undefined && result.errors.length > 0) {
    throw new Error(`composition failed: ${result.errors.map((e) => e.message).join('; ')}`);
  }
  if (result.supergraphSdl === undefined) throw new Error('composition produced no supergraph');
  return result.supergraphSdl;
}

/** @apollo/gateway refuses authorization links `for: SECURITY`; without the purpose it ignores them (we enforce them). */
function withoutSecurityPurpose(supergraphSdl: string): string {
  return supergraphSdl.replace(
    /(@link\(url: "https:\/\/specs\.apollo\.dev\/(?:authenticated|requiresScopes|policy)\/v[\d.]+"), for: SECURITY\)/g,
    '$1)',
  );
}

/** Vite names built assets by their content (`assets/index-B1x2y3z4.js`): such a file never changes. */
const HASHED_ASSET = /[\\/]assets[\\/][^\\/]+-[\w-]{8,}\.[a-z0-9]+$/i;

function setStaticCaching(res: http.ServerResponse, file: string): void {
  res.setHeader('cache-control', HASHED_ASSET.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache');
}

export async function startGateway(options: {
  crmUrl: string;
  recordingsUrl: string;
  /** How the CRM declares Contact (default: keyed by acdContactId). */
  crmShape?: CrmShape;
  headers?: Record<string, string>;
  port?: number;
  /** A directory served as static files beside /graphql (the player demo's built page: same origin, no CORS). */
  staticDir?: string;
  /** Collect field traces as a router reporting to Apollo Studio: each operation's query plan trace, with the ftv1s. */
  onQueryPlanTrace?: (trace: Trace.IQueryPlanNode) => void;
  /** The variable that sets `port`, named when the port is taken. */
  portVariable?: string;
  reporting?: boolean;
  /** Compose from the running subgraphs' `_service.sdl` (IntrospectAndCompose) instead of from files. */
  introspect?: boolean;
}): Promise<RunningGateway> {
  // `introspect` reads each `_service.sdl`: ours must then be served with FEDERATION_AUTH_DIRECTIVES=false.
  let supergraphSdl = options.introspect
    ? ''
    : composeSupergraph({ url: options.crmUrl, shape: options.crmShape }, options.recordingsUrl, { reporting: options.reporting });
  const gateway = new ApolloGateway({
    ...(options.introspect
      ? {
          supergraphSdl: new IntrospectAndCompose({
            subgraphs: [
              { name: 'crm', url: options.crmUrl },
              { name: 'recordings', url: options.recordingsUrl },
            ],
          }),
        }
      : { supergraphSdl: withoutSecurityPurpose(supergraphSdl) }),
    buildService: ({ url }) =>
      new RemoteGraphQLDataSource<GatewayContext>({
        ...(url === undefined ? {} : { url }),
        willSendRequest({ request, context }) {
          const headers: Readonly<Record<string, string>> = { ...context.forwarded, ...options.headers };
          for (const [name, value] of Object.entries(headers)) request.http?.headers.set(name, value);
        },
      }),
  });
  const plugins: ApolloServerPlugin<GatewayContext>[] = [];
  const { onQueryPlanTrace } = options;
  if (onQueryPlanTrace !== undefined) {
    plugins.push({
      requestDidStart: ({ metrics }) => {
        metrics.captureTraces = true;
        return Promise.resolve({
          willSendResponse: ({ metrics: done }) => {
            if (done.queryPlanTrace !== undefined) onQueryPlanTrace(done.queryPlanTrace);
            return Promise.resolve();
          },
        });
      },
    });
  }
  if (options.introspect === true) {
    gateway.onSchemaLoadOrUpdate(({ coreSupergraphSdl }) => {
      supergraphSdl = coreSupergraphSdl;
    });
  }
  const server = new ApolloServer<GatewayContext>({ gateway, plugins });
  await server.start();
  const graphql = expressMiddleware(server, {
    context: ({ req }) =>
      Promise.resolve({
        forwarded: Object.fromEntries(
          FORWARDED_HEADERS.flatMap((name): Array<[string, string]> => {
            const value = req.headers[name];
            return typeof value === 'string' ? [[name, value]] : [];
          }),
        ),
      }),
  });
  // Static files compressed (brotli or gzip, as the browser accepts); content-hashed files cached for good.
  const others = options.staticDir === undefined ? [] : [compression(), express.static(options.staticDir, { setHeaders: setStaticCaching })];
  const service = await serveApollo(server, graphql, { port: options.port, portVariable: options.portVariable, others });
  return {
    ...service,
    get supergraphSdl() {
      return supergraphSdl;
    },
  };
}
