/**
 * The Dockerfile without Docker. The build stage: exactly its COPY set in an empty folder, then
 * its RUN lines there (a build that needs a file the stage never copies, such as demo/, fails).
 * The runtime stage: its COPY set (the build stage's output included) and `npm ci --omit=dev` in
 * another empty folder, started as production would start it. Proves the production dependency
 * list is complete, the image holds no dev tooling or demo, the process starts on the embedded
 * simulator, answers /health and GraphQL, stops cleanly on SIGTERM, and refuses bad configuration
 * with one clear message.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TOKENS } from '../../src/simulator/index.js';
import { cleanEnv } from '../helpers/clean-env.js';
import { readDockerfile, runStage, workdirOf } from '../helpers/dockerfile.js';
import { freePort } from '../helpers/ports.js';

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;
/** The build stage's folder and the runtime stage's. */
let buildDir: string;
let dir: string;
let buildCopies: string[];

async function waitForHealth(url: string, child: ChildProcess): Promise<Response> {
  for (let attempt = 0; attempt < 150; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`process exited with ${child.exitCode}`);
    try {
      return await fetch(url);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error('no /health answer');
}

beforeAll(async () => {
  const stages = await readDockerfile(join(root, 'Dockerfile'));
  const build = stages.find((stage) => stage.name === 'build');
  const runtime = stages.find((stage) => stage.name === 'runtime');
  if (build === undefined || runtime === undefined) throw new Error('the Dockerfile has no build or runtime stage');
  // No NODE_ENV or test variables: the image's build runs in a plain environment.
  const env = cleanEnv();
  buildDir = await mkdtemp(join(tmpdir(), 'cxone-build-stage-'));
  buildCopies = await runStage(build, { context: root, dir: buildDir, env });
  dir = await mkdtemp(join(tmpdir(), 'cxone-prod-'));
  await runStage(runtime, {
    context: root,
    dir,
    env,
    stages: { build: { dir: buildDir, workdir: workdirOf(build) } },
    // The image empties its own npm cache; here that cache is this machine's, shared by every install.
    rewriteRun: (command) => command.replace(/\s*&&\s*npm cache clean --force/, ''),
  });
}, 600_000);

afterAll(async () => {
  if (buildDir !== undefined) await rm(buildDir, { recursive: true, force: true });
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('the Docker build stage', () => {
  it('builds from exactly what it copies: no demo/, no leftovers of a local build', () => {
    expect(buildCopies).not.toContain('demo');
    expect(existsSync(join(buildDir, 'demo'))).toBe(false);
    expect(existsSync(join(buildDir, 'dist', 'main.js'))).toBe(true);
  });

  it('gives the runtime stage compiled code without the dev tooling, and no demo page', () => {
    expect(existsSync(join(dir, 'dist', 'main.js'))).toBe(true);
    expect(existsSync(join(dir, 'dist', 'dev'))).toBe(false);
    expect(existsSync(join(dir, 'demo'))).toBe(false);
    expect(existsSync(join(dir, 'node_modules', 'vite'))).toBe(false);
  });
});

describe('production install', () => {
  it('starts from a production-only install, serves /health and a recording, drains on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['dist/main.js'], {
      cwd: dir,
      env: {
        PATH: process.env['PATH'] ?? '',
        NODE_ENV: 'production',
        PORT: String(port),
        HOST: '127.0.0.1',
        // Asked for explicitly: production without CXONE_API_URL refuses to start otherwise (below).
        CXONE_SIMULATOR: 'true',
        SIMULATOR_PUBLIC_URL: 'http://recordings-demo.example:4010',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const health = await waitForHealth(`http://127.0.0.1:${port}/health`, child);
      expect(health.status).toBe(200);
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${DEMO_TOKENS.full}` },
        body: JSON.stringify({ query: '{ recording(acdContactId: "100000000001") { mediaUrl { url } } }' }),
      });
      const body = (await response.json()) as { data: { recording: { mediaUrl: { url: string } } } };
      // Links carry the public base, so they work from outside a container; here we fetch them
      // from the address the simulator really listens on.
      const link = new URL(body.data.recording.mediaUrl.url);
      expect(link.origin).toBe('http://recordings-demo.example:4010');
      const simulatorOrigin = /"simulatorUrl":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(output)?.[1];
      expect(simulatorOrigin).toBeDefined();
      const media = await fetch(`${simulatorOrigin ?? ''}${link.pathname}${link.search}`);
      expect(media.headers.get('content-type')).toBe('video/mp4');
      // Production hides the stack trace and introspection.
      const introspection = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __schema { queryType { name } } }' }),
      });
      expect(JSON.stringify(await introspection.json())).not.toContain('"queryType":{"name":"Query"}');
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
    expect(output).not.toMatch(/Signature=[0-9a-f]/);
    expect(output).not.toContain(DEMO_TOKENS.full);
  }, 60_000);

  it('refuses to serve simulated data in production unless asked for explicitly', async () => {
    const failure = await run(process.execPath, ['dist/main.js'], {
      cwd: dir,
      env: { PATH: process.env['PATH'] ?? '', NODE_ENV: 'production', PORT: '0' },
    }).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain('CXONE_API_URL is required when NODE_ENV=production');
    expect(failure?.stderr).toContain('CXONE_SIMULATOR=true');
  }, 30_000);

  it('stops at start with one clear message naming a bad variable', async () => {
    const failure = await run(process.execPath, ['dist/main.js'], {
      cwd: dir,
      env: { PATH: process.env['PATH'] ?? '', PORT: 'not-a-port', CXONE_AUTH: 'sometimes' },
    }).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain('PORT');
    expect(failure?.stderr).toContain('CXONE_AUTH');
    expect(failure?.stderr).not.toContain('at ');
  }, 30_000);
});
