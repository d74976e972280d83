/** Hive Gateway configured as in production (docs/routers.md): `@defer`, JWTs verified, demand control. */
import { createGatewayRuntime, type GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { unifiedGraphHandler as hiveRouterPlanner } from '@graphql-hive/router-runtime';
import { listen, type RunningService } from './listen.js';
import useJWT, { createRemoteJwksSigningKeyProvider } from '@graphql-mesh/plugin-jwt-auth';

export type RunningHiveGateway = RunningService;

export async function startHiveGateway(options: {
  readonly supergraphSdl: string;
  /** Verify callers' JWTs (RS256) before planning; without it, any caller passes through. */
  readonly jwt?: { readonly key: { readonly jwksUri: string }; readonly issuer: string; readonly audience?: string };
  /** Extra Hive plugins (tests hold a subgraph call with one). */
  readonly plugins?: readonly GatewayPlugin[];
  /** Hive Gateway's JavaScript planner (default), or Hive Router's Rust one. */
  readonly planner?: 'gateway' | 'hive-router';
}): Promise<RunningHiveGateway> {
  const jwt = options.jwt;
  const gateway = createGatewayRuntime({
    supergraph: options.supergraphSdl,
    ...(options.planner === 'hive-router' ? { unifiedGraphHandler: hiveRouterPlanner } : {}),
    // A CRM list renders before its recordings arrive: the deferred part is planned as its own fetch.
    deferStream: true,
    logging: false,
    // The subgraph forwards the caller's token to CXone (forward mode) or verifies it (access-key mode).
    propagateHeaders: {
      fromClientToSubgraphs: ({ request }) => {
        const authorization = request.headers.get('authorization');
        return authorization === null ? {} : { authorization };
      },
    },
    // @authenticated / @requiresScopes against the verified JWT's `scope`, before planning.
    ...(jwt === undefined
      ? {}
      : {
          genericAuth: {
            mode: 'protect-granular' as const,
            resolveUserFn: (context) => verifiedClaims(context['jwt']),
            rejectUnauthenticated: false,
          },
        }),
    demandControl: { includeExtensionMetadata: true },
    plugins: () => [
      ...(jwt === undefined
        ? []
        : [
            useJWT({
              signingKeyProviders: [createRemoteJwksSigningKeyProvider({ jwksUri: jwt.key.jwksUri })],
              tokenVerification: {
                algorithms: ['RS256'],
                issuer: jwt.issuer,
                ...(jwt.audience === undefined ? {} : { audience: jwt.audience }),
              },
              reject: { missingToken: true, invalidToken: true },
              // Its typings name Hive's Logger through CJS declaration files; the runtime object is the same.
            }) as unknown as GatewayPlugin,
          ]),
      ...(options.plugins ?? []),
    ],
  });
  const listener = await listen(gateway);
  return {
    url: listener.url,
    async close() {
      await listener.close();
      await gateway.dispose();
    },
  };
}

/** The claims the JWT plugin verified (`context.jwt.payload`), or null without a verified token. */
function verifiedClaims(jwt: unknown): Record<string, unknown> | null {
  if (typeof jwt !== 'object' || jwt === null || !('payload' in jwt)) return null;
  const payload: unknown = jwt.payload;
  return typeof payload === 'object' && payload !== null ? { ...payload } : null;
}
