/**
 * A private network namespace for commands that must run as typed, on their default ports (4000,
 * 4001, 4010...), while other test runs on this machine use the same ports: loopback inside is its
 * own. Needs root (`unshare --net`, `nsenter`); everything started here is killed by `close()`.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface Namespace {
  /** `nsenter` arguments that enter it (for a wrapper script, e.g. a browser's). */
  readonly enter: readonly string[];
  /** Runs a bash script inside, to completion. */
  exec(script: string, options: { cwd: string; env: Readonly<Record<string, string>>; timeoutMs?: number }): Promise<CommandResult>;
  /** Starts a bash script inside that keeps running (a server); its output is kept for failures. */
  start(script: string, options: { cwd: string; env: Readonly<Record<string, string>> }): Background;
  /** Stops every background process and the namespace. */
  close(): Promise<void>;
}

export interface Background {
  readonly child: ChildProcess;
  output(): string;
}

export async function openNamespace(): Promise<Namespace> {
  if (process.getuid?.() !== 0) throw new Error('commands-as-typed tests need root for `unshare --net` (.ci/run runs as root)');
  // unshare execs sh in the new namespace, sh execs sleep: the pid stays the namespace's holder.
  const holder = spawn('unshare', ['--net', 'sh', '-c', 'ip link set lo up && exec sleep 86400'], { stdio: 'ignore' });
  const pid = holder.pid;
  if (pid === undefined) throw new Error('unshare did not start');
  const enter = [`--net=/proc/${String(pid)}/ns/net`, '--'];
  // Wait until loopback is up inside.
  for (let attempt = 0; ; attempt += 1) {
    const { stdout } = await run('nsenter', [...enter, 'ip', '-o', 'link', 'show', 'lo']).catch(() => ({ stdout: '' }));
    if (/[<,]UP[,>]/.test(stdout)) break;
    if (attempt > 100) throw new Error('loopback did not come up in the namespace');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const background: Background[] = [];
  return {
    enter,
    async exec(script, options) {
      try {
        const { stdout, stderr } = await run('nsenter', [...enter, 'bash', '-c', script], {
          cwd: options.cwd,
          env: { ...options.env },
          timeout: options.timeoutMs ?? 120_000,
          maxBuffer: 64 * 1024 * 1024,
        });
        return { code: 0, stdout, stderr };
      } catch (error) {
        const failure = error as { code?: number; stdout?: string; stderr?: string };
        return { code: typeof failure.code === 'number' ? failure.code : 1, stdout: failure.stdout ?? '', stderr: failure.stderr ?? String(error) };
      }
    },
    start(script, options) {
      const child = spawn('nsenter', [...enter, 'bash', '-c', script], {
        cwd: options.cwd,
        env: { ...options.env },
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const started = { child, output: () => output };
      background.push(started);
      return started;
    },
    async close() {
      for (const { child } of background.reverse()) {
        if (child.exitCode !== null || child.pid === undefined) continue;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          continue;
        }
        const timer = setTimeout(() => {
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {
            // already gone
          }
        }, 10_000);
        await exited;
        clearTimeout(timer);
      }
      holder.kill('SIGKILL');
    },
  };
}
