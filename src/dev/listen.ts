import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Listener {
  readonly port: number;
  close(): Promise<void>;
}

/** Serves `handler` on `port` (0: a free one); a taken port says which variable moves it. */
export async function listen(
  handler: http.RequestListener,
  options: { readonly port?: number | undefined; readonly host?: string | undefined; readonly portVariable?: string | undefined },
): Promise<Listener> {
  const server = http.createServer(handler);
  const port = options.port ?? 0;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, options.host ?? '127.0.0.1', resolve);
    });
  } catch (error) {
    throw portError(error, port, options.portVariable);
  }
  return {
    port: (server.address() as AddressInfo).port,
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
