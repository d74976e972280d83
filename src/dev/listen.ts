import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';

/** A dev server's GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql */
export interface RunningService {
  readonly url: string;
  close(): Promise<void>;
}

interface ListenOptions {
  readonly port?: number | undefined;
  readonly host?: string | undefined;
  readonly portVariable?: string | undefined;
}

/** Serves `handler` on `port` (0: a free one) with GraphQL at /graphql; a taken port says which variable moves it. */
export async function listen(handler: http.RequestListener, options: ListenOptions = {}): Promise<RunningService> {
  const server = http.createServer(handler);
  const port = options.port ?? 0;
  const host = options.host ?? '127.0.0.1';
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, resolve);
    });
  } catch (error) {
    throw portError(error, port, options.portVariable);
  }
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${(server.address() as AddressInfo).port}/graphql`,
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A started Apollo server's `middleware` at /graphql, then `others` (static files); closing stops Apollo too. */
export async function serveApollo(
  apollo: { stop(): Promise<void> },
  middleware: express.RequestHandler,
  options: ListenOptions & { readonly others?: readonly express.RequestHandler[] } = {},
): Promise<RunningService> {
  const app = express();
  app.use('/graphql', express.json({ limit: '5mb' }), middleware);
  for (const handler of options.others ?? []) app.use(handler);
  const listener = await listen(app, options).catch(async (error: unknown) => {
    await apollo.stop();
    throw error;
  });
  return {
    url: listener.url,
    async close() {
      await apollo.stop();
      await listener.close();
    },
  };
}

function portError(error: unknown, port: number, variable: string | undefined): Error {
  if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE') {
    const hint = variable === undefined ? '' : `: set ${variable} to a free port (e.g. ${variable}=${String(port + 10)})`;
    return new Error(`port ${String(port)} is already in use${hint}`);
  }
  return error instanceof Error ? error : new Error(String(error));
}
