/**
 * A tiny request/reply protocol over a forked child's IPC channel, so the benchmark can ask each
 * process for its own figures (upstream call counts, CPU time, heap after GC, a CPU profile)
 * without adding routes to the servers it measures.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A request from the benchmark to a child. */
interface RpcRequest {
  readonly id: number;
  readonly method: string;
  readonly params: unknown;
}

/** The child's answer: `result` or `error`. */
interface RpcReply {
  readonly id: number;
  readonly result?: unknown;
  readonly error?: string;
}

/** What a child sends once it listens. */
interface ReadyMessage {
  readonly ready: true;
  readonly url: string;
}

function isReply(message: unknown): message is RpcReply {
  return typeof message === 'object' && message !== null && 'id' in message && typeof message.id === 'number';
}

function isReady(message: unknown): message is ReadyMessage {
  return typeof message === 'object' && message !== null && 'ready' in message && 'url' in message && typeof message.url === 'string';
}

/** A child process started from a TypeScript file under bench/procs, with its RPC client. */
export class Child {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private exited = false;

  private constructor(
    readonly name: string,
    private readonly process: ChildProcess,
    readonly url: string,
  ) {
    process.on('message', (message: unknown) => {
      if (!isReply(message)) return;
      const waiter = this.pending.get(message.id);
      if (waiter === undefined) return;
      this.pending.delete(message.id);
      if (message.error !== undefined) waiter.reject(new Error(`${name}: ${message.error}`));
      else waiter.resolve(message.result);
    });
    process.once('exit', (code) => {
      this.exited = true;
      for (const waiter of this.pending.values()) waiter.reject(new Error(`${name} exited (${String(code)})`));
      this.pending.clear();
    });
  }

  /**
   * Forks `bench/procs/<script>.ts` (loaded through tsx by bench/procs/launch.mjs, which then drops
   * tsx's hooks) with the given Node flags and environment, and waits (at most `startTimeoutMs`) for
   * it to report its URL.
   */
  static async start(options: {
    readonly name: string;
    readonly script: string;
    readonly args?: readonly string[];
    readonly env?: Readonly<Record<string, string>>;
    readonly nodeFlags?: readonly string[];
    readonly startTimeoutMs?: number;
  }): Promise<Child> {
    const launcher = fileURLToPath(new URL('./procs/launch.mjs', import.meta.url));
    const child = fork(launcher, [options.script, ...(options.args ?? [])], {
      execArgv: [...(options.nodeFlags ?? [])],
      env: { ...process.env, ...options.env },
      // The servers' own logs go nowhere (they would cost the same in production, to a pipe);
      // stderr stays visible so a crash explains itself.
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${options.name} did not start within ${String(options.startTimeoutMs ?? 60_000)} ms`));
      }, options.startTimeoutMs ?? 60_000);
      const onMessage = (message: unknown): void => {
        if (!isReady(message)) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(message.url);
      };
      child.on('message', onMessage);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${options.name} exited (${String(code)}) before it was ready`));
      });
    });
    return new Child(options.name, child, url);
  }

  /** Calls `method` in the child; rejects after `timeoutMs`. */
  call<T>(method: string, params: unknown = null, timeoutMs = 120_000): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`${this.name} has exited`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: ${method} took longer than ${String(timeoutMs)} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      const request: RpcRequest = { id, method, params };
      this.process.send(request);
    });
  }

  /** Asks the child to close its servers and exit; kills it (this child only) after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.process.once('exit', () => resolve()));
    this.call('stop', null, graceMs).catch(() => undefined);
    const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}

/** The child's side: answers RPC requests with `handlers`, and reports `url` once ready. */
export function serveRpc(
  url: string,
  handlers: Readonly<Record<string, (params: unknown) => unknown>>,
  stop: () => Promise<void>,
): void {
  const send = (message: RpcReply | ReadyMessage): void => {
    process.send?.(message);
  };
  process.on('message', (message: unknown) => {
    if (typeof message !== 'object' || message === null || !('id' in message) || !('method' in message)) return;
    const { id, method, params } = message as RpcRequest;
    if (method === 'stop') {
      stop().then(
        () => {
          send({ id, result: null });
          process.exit(0);
        },
        (error: unknown) => {
          send({ id, error: String(error) });
          process.exit(1);
        },
      );
      return;
    }
    const handler = handlers[method];
    if (handler === undefined) {
      send({ id, error: `unknown method ${method}` });
      return;
    }
    Promise.resolve()
      .then(() => handler(params))
      .then(
        (result) => send({ id, result: result ?? null }),
        (error: unknown) => send({ id, error: error instanceof Error ? error.message : String(error) }),
      );
  });
  // The benchmark going away takes its children with it.
  process.on('disconnect', () => {
    stop().finally(() => process.exit(0));
  });
  send({ ready: true, url });
}
