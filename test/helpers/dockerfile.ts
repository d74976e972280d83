/**
 * Reads a Dockerfile into its stages, and runs a stage's steps without Docker: COPY from the build
 * context (or an earlier stage's folder) into the stage's folder, RUN with `sh -c` there. What a
 * stage copies is exactly what it can use, so a build that needs a file it never copies fails here
 * as it would in `docker build`.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

export interface Stage {
  readonly name: string;
  readonly instructions: readonly Instruction[];
}

/** The stages in order; continuation lines joined, comments and the parser directive dropped. */
export async function readDockerfile(path: string): Promise<Stage[]> {
  const text = (await readFile(path, 'utf8')).replace(/\\\n/g, ' ');
  const stages: Array<{ name: string; instructions: Instruction[] }> = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(trimmed) ?? [];
    if (keyword.toUpperCase() === 'FROM') {
      const name = / AS (\S+)$/i.exec(args)?.[1] ?? String(stages.length);
      stages.push({ name, instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (stage === undefined) throw new Error(`${keyword} before FROM`);
    stage.instructions.push({ keyword: keyword.toUpperCase(), args: args.replace(/\s+/g, ' ').trim() });
  }
  return stages;
}

export interface StageRun {
  /** The build context (the repository). */
  readonly context: string;
  /** An empty folder standing for the stage's WORKDIR. */
  readonly dir: string;
  /** Earlier stages, by name: the folder that stood for their WORKDIR, and that WORKDIR. */
  readonly stages?: Readonly<Record<string, { readonly dir: string; readonly workdir: string }>>;
  /** Rewrites a RUN line before it runs (a step that must not touch this machine). */
  readonly rewriteRun?: (command: string) => string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Runs a stage's COPY and RUN steps; returns what it copied from the build context. */
export async function runStage(stage: Stage, options: StageRun): Promise<string[]> {
  const copied: string[] = [];
  for (const { keyword, args } of stage.instructions) {
    if (keyword === 'COPY') {
      const words = args.split(' ');
      const from = words.find((word) => word.startsWith('--from='))?.slice('--from='.length);
      const paths = words.filter((word) => !word.startsWith('--'));
      const destination = paths.pop();
      if (destination === undefined || paths.length === 0) throw new Error(`COPY ${args}: no source`);
      const target = join(options.dir, destination);
      for (const source of paths) {
        const origin = from === undefined ? join(options.context, source) : stagePath(options, from, source);
        // `COPY a b ./` copies into the folder; `COPY src ./src` copies the folder's contents there.
        const into = destination.endsWith('/') ? join(target, posix.basename(source)) : target;
        await mkdir(join(into, '..'), { recursive: true });
        await cp(origin, into, { recursive: true });
        if (from === undefined) copied.push(source);
      }
    }
    if (keyword === 'RUN') {
      const command = options.rewriteRun?.(args) ?? args;
      try {
        await run('sh', ['-c', command], { cwd: options.dir, env: { ...(options.env ?? process.env) }, maxBuffer: 64 * 1024 * 1024 });
      } catch (error) {
        const failure = error as { stdout?: string; stderr?: string; message: string };
        throw new Error(`RUN ${command} failed in the ${stage.name} stage:\n${failure.stdout ?? ''}\n${failure.stderr ?? failure.message}`);
      }
    }
  }
  return copied;
}

/** Where an absolute path of an earlier stage's filesystem is here (it must lie in its WORKDIR). */
function stagePath(options: StageRun, name: string, source: string): string {
  const stage = options.stages?.[name];
  if (stage === undefined) throw new Error(`COPY --from=${name}: that stage has not run`);
  const relative = posix.relative(stage.workdir, source);
  if (relative.startsWith('..')) throw new Error(`COPY --from=${name} ${source}: outside its WORKDIR ${stage.workdir}`);
  return join(stage.dir, relative);
}

/** A stage's WORKDIR (the last one it sets). */
export function workdirOf(stage: Stage): string {
  return stage.instructions.filter((instruction) => instruction.keyword === 'WORKDIR').at(-1)?.args ?? '/';
}
