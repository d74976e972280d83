/**
 * A replica's one Redis connection (CACHE_URL), for the cache and the budget. A dead or hung Redis
 * never makes a request wait, and the client keeps reconnecting so both come back on their own.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { createClient } from '@redis/client';
import type { Logger } from './logger.js';

export type RedisClient = ReturnType<typeof buildClient>;

/** How long start-up waits for a first connection before serving without Redis. */
const STARTUP_WAIT_MS = 2_000;

export interface RedisConnection {
  readonly client: RedisClient;
  /** At once (after the drain); safe to call twice. */
  close(): void;
}

/** Waits a bounded time for the first connection: a Redis down at start is not fatal. */
export async function openRedis(options: {
  /** `redis://host:port` or `rediss://...`. Never logged: it can hold a password. */
  readonly url: string;
  readonly logger: Logger;
}): Promise<RedisConnection> {
  const client = buildClient(options.url);

  // Log transitions, not every failed reconnect attempt (one per second while Redis is down).
  let down = false;
  client.on('error', (error: unknown) => {
    if (!down) options.logger.warn({ err: describe(error) }, 'redis unavailable; serving without the shared cache and budget');
    down = true;
  });
  client.on('ready', () => {
    if (down) options.logger.info('redis reachable again; shared cache and budget restored');
    down = false;
  });

  // With a never-give-up strategy connect() only rejects when closed during start-up.
  const connecting = client.connect().catch(() => undefined);
  // Unref'd: the wait never keeps the process alive on its own.
  await Promise.race([connecting, delay(STARTUP_WAIT_MS, undefined, { ref: false })]);

  return {
    client,
    close() {
      // isOpen is false once closed (by us or by Keyv's disconnect): destroying twice would throw.
      if (client.isOpen) client.destroy();
    },
  };
}

function buildClient(url: string) {
  return createClient({
    url,
    // Queued commands would wait for a reconnect that may never come; reject them instead.
    disableOfflineQueue: true,
    // An unanswered command is abandoned: a cache miss is cheaper than a stalled request.
    commandOptions: { timeout: 500 },
    socket: {
      connectTimeout: 1_000,
      // Never give up (false would close the client for good); back within a second of Redis.
      reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 1_000),
    },
  });
}

/** Class and message only: a connection error can echo the URL, which can hold a password. */
function describe(error: unknown): { name: string; code?: string } {
  if (!(error instanceof Error)) return { name: typeof error };
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? { name: error.name, code } : { name: error.name };
}
