import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A dev server's GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql */
export interface RunningService {
  readonly url: string;
  close(): Promise<void>;
}

/** Serves `handler` on `port` (0: a free one) with GraphQL at /graphql; a taken port says which variable moves it. */
export async function listen(
  handler: http.RequestListener,
  options: { readonly port?: number | undefined; readonly host?: string | undefined; readonly portVariable?: string | undefined } = {},
): Promise<RunningService> {
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

function portError(error: unknown, port: number, variable: string | undefined): Error {
  if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE') {
    const hint = variable === undefined ? '' : `: set ${variable} to a free port (e.g. ${variable}=${String(port + 10)})`;
    return new Error(`port ${String(port)} is already in use${hint}`);
  }
  return error instanceof Error ? error : new Error(String(error));
}
