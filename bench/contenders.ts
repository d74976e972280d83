/**
 * The two baselines the subgraph is compared with, on the same server stack as ours (express 5,
 * Apollo Server 5, buildSubgraphSchema over the same schema.graphql):
 * (a) `bare`: every resolver returns constants, the ceiling of the stack;
 * (b) `naive`: what a team would write by hand, one plain `fetch` to CXone per contact, every time:
 *     no DataLoader, no cache, no concurrency cap, no budget, no retries.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import responseCachePlugin from '@apollo/server-plugin-response-cache';
import type { GraphQLResolveInfo } from 'graphql';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import express from 'express';
import { readFileSync } from 'node:fs';
import { GraphQLError, parse } from 'graphql';

/** The product's schema, the same file ours serves. */
const typeDefs = parse(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'));

interface BaselineContext {
  readonly authorization: string | undefined;
}

/** The fields every scenario selects, in the shape the schema gives them. */
interface PlainRecording {
  readonly acdContactId: string;
  readonly durationSeconds: number | null;
  readonly mediaUrl: { readonly url: string; readonly expiresAt: string; readonly fileName: string | null } | null;
  readonly agents: ReadonlyArray<{ readonly participantType: string; readonly name: string | null }>;
}

export interface RunningBaseline {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves `resolvers` over schema.graphql the way ours is served (minus our own plugins). With
 * `apolloResponseCache`, Apollo's own response cache (@apollo/server-plugin-response-cache, in
 * memory) keeps whole answers for 60 s per session (the Authorization header), as its docs set it up.
 */
export async function startBaseline(
  resolvers: GraphQLResolverMap<BaselineContext>,
  options: { readonly apolloResponseCache?: boolean } = {},
): Promise<RunningBaseline> {
  const server = new ApolloServer<BaselineContext>({
    schema: buildSubgraphSchema({ typeDefs, resolvers: resolvers as GraphQLResolverMap<unknown> }),
    csrfPrevention: true,
    plugins: [
      ...(options.apolloResponseCache === true
        ? [
            ApolloServerPluginCacheControl({ defaultMaxAge: 60, calculateHttpHeaders: true }),
            responseCachePlugin({
              sessionId: ({ request }) => Promise.resolve(request.http?.headers.get('authorization') ?? null),
            }),
          ]
        : [ApolloServerPluginCacheControlDisabled()]),
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
    ],
  });
  await server.start();
  const app = express();
  app.disable('x-powered-by');
  app.use(
    '/graphql',
    express.json({ limit: 1024 * 1024 }),
    expressMiddleware(server, { context: ({ req }) => Promise.resolve({ authorization: req.headers.authorization }) }),
  );
  const httpServer = http.createServer(app);
  httpServer.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${String(port)}/graphql`,
    async close() {
      await server.stop();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}

/** (a) Constants: what the stack costs when a recording costs nothing. */
export function bareResolvers(): GraphQLResolverMap<BaselineContext> {
  const constant = (acdContactId: string): PlainRecording => ({
    acdContactId,
    durationSeconds: 240,
    mediaUrl: {
      url: `http://127.0.0.1:1/media/${acdContactId}-voice-only.mp4?Expires=1795691626&Signature=e03c11254f9ca04d7f80a4b83909598f2c61dd12d7dc2b070195183df3fb3433`,
      expiresAt: '2026-11-26T12:00:00.000Z',
      fileName: `recording_Alice_Example_20240413T062743Z_${acdContactId}.mp4`,
    },
    agents: [
      { participantType: 'AGENT', name: 'Carol Example' },
      { participantType: 'AGENT', name: 'Dan Example' },
    ],
  });
  return {
    Query: {
      recording: (_: unknown, args: { acdContactId: string }) => constant(args.acdContactId),
      recordings: (_: unknown, args: { acdContactIds: string[] }) => args.acdContactIds.map(constant),
    },
    Contact: {
      __resolveReference: (reference: { acdContactId: string }) => ({ acdContactId: reference.acdContactId }),
      recording: (contact: { acdContactId: string }, _args: unknown, _ctx: unknown, info: GraphQLResolveInfo) => {
        // Per-caller answers, as ours: Apollo's response cache keys PRIVATE answers by session.
        // (A no-op without the cache-control plugin.)
        (info as GraphQLResolveInfo & { cacheControl?: { setCacheHint(hint: { scope: 'PRIVATE' }): void } }).cacheControl?.setCacheHint({
          scope: 'PRIVATE',
        });
        return constant(contact.acdContactId);
      },
    },
  };
}

/** (b) One plain fetch per contact per request, mapped by hand to the selected fields. */
export function naiveResolvers(apiBaseUrl: string): GraphQLResolverMap<BaselineContext> {
  const load = async (acdContactId: string, ctx: BaselineContext): Promise<PlainRecording> => {
    const url = `${apiBaseUrl}/media-playback/v1/contacts?acd-call-id=${encodeURIComponent(acdContactId)}&media-type=all&exclude-waveforms=true`;
    const response = await fetch(url, { headers: { authorization: ctx.authorization ?? '', accept: 'application/json' } });
    if (response.status !== 200) {
      throw new GraphQLError(`CXone answered ${String(response.status)}`, { extensions: { code: 'UPSTREAM_ERROR' } });
    }
    return mapByHand(acdContactId, (await response.json()) as NaiveAnswer);
  };
  return {
    Query: {
      recording: (_: unknown, args: { acdContactId: string }, ctx: BaselineContext) => load(args.acdContactId, ctx),
      recordings: (_: unknown, args: { acdContactIds: string[] }, ctx: BaselineContext) =>
        Promise.all(args.acdContactIds.map((id) => load(id, ctx).catch((error: unknown) => error))),
    },
    Contact: {
      __resolveReference: (reference: { acdContactId: string }) => ({ acdContactId: reference.acdContactId }),
      recording: (contact: { acdContactId: string }, _: unknown, ctx: BaselineContext) => load(contact.acdContactId, ctx),
    },
  };
}

/** Just enough of CXone's answer for the selected fields, trusted as a hand-written resolver would. */
interface NaiveAnswer {
  readonly interactions?: ReadonlyArray<{
    readonly startTime?: string;
    readonly endTime?: string;
    readonly data?: {
      readonly fileToPlayUrl?: string | null;
      readonly participantDataList?: ReadonlyArray<{ readonly participantType?: string; readonly agentName?: string | null }>;
    };
  }>;
}

function mapByHand(acdContactId: string, answer: NaiveAnswer): PlainRecording {
  const first = answer.interactions?.[0];
  const start = first?.startTime === undefined ? NaN : Date.parse(first.startTime);
  const end = first?.endTime === undefined ? NaN : Date.parse(first.endTime);
  const url = first?.data?.fileToPlayUrl ?? null;
  const names = new Set<string>();
  for (const participant of first?.data?.participantDataList ?? []) {
    if (participant.participantType === 'AGENT' && participant.agentName) names.add(participant.agentName);
  }
  return {
    acdContactId,
    durationSeconds: Number.isNaN(end - start) ? null : (end - start) / 1000,
    // CXone's documented minimum: 30 minutes from the answer.
    mediaUrl: url === null ? null : { url, expiresAt: new Date(Date.now() + 30 * 60_000).toISOString(), fileName: null },
    agents: [...names].map((name) => ({ participantType: 'AGENT', name })),
  };
}
