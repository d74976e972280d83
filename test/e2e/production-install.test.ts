/**
 * The Dockerfile without Docker. The build stage: exactly its COPY set in an empty folder, then
 * its RUN lines there (a build that needs a file the stage never copies, such as demo/, fails).
 * The runtime stage: its COPY set (the build stage's output included) and `npm ci --omit=dev` in
 * another empty folder, started as production would start it. Proves the production dependency
 * list is complete, the image holds no dev tooling, demo, simulator or demo signing key, the process
 * starts against the CXone it is pointed at (a simulator this test runs), answers /health and
 * GraphQL, stops cleanly on SIGTERM, and refuses bad configuration with one clear message. The demo
 * target, the same runtime plus the simulator and the dev entry, serves the embedded simulator.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TOKENS, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { DEMO_SIGNING_KEY } from '../../src/simulator/keys.js';
import { cleanEnv } from '../helpers/clean-env.js';
import { readDockerfile, runStage, workdirOf, type Stage } from '../helpers/dockerfile.js';
import { freePort } from '../helpers/ports.js';

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;
/** The build stage's folder and the runtime stage's. */
let buildDir: string;
let dir: string;
let buildCopies: string[];
let buildStage: Stage;
let demoStage: Stage;
let demoDir: string | undefined;

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
  const demo = stages.find((stage) => stage.name === 'demo');
  if (build === undefined || runtime === undefined || demo === undefined) throw new Error('the Dockerfile has no build, runtime or demo stage');
  buildStage = build;
  demoStage = demo;
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
  if (demoDir !== undefined) await rm(demoDir, { recursive: true, force: true });
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
    expect(existsSync(join(dir, 'dist', 'simulator'))).toBe(false);
    expect(existsSync(join(dir, 'demo'))).toBe(false);
    expect(existsSync(join(dir, 'node_modules', 'vite'))).toBe(false);
  });
});

/** Every compiled file of a folder, as text. */
async function compiledFiles(folder: string): Promise<Array<{ path: string; text: string }>> {
  const names = await readdir(folder, { recursive: true, withFileTypes: true });
  const files = names.filter((entry) => entry.isFile());
  return Promise.all(files.map(async (entry) => ({ path: join(entry.parentPath, entry.name), text: await readFile(join(entry.parentPath, entry.name), 'utf8') })));
}

describe('the production image holds no simulator', () => {
  it('has no simulator module and no demo signing key anywhere in its compiled code', async () => {
    const files = await compiledFiles(join(dir, 'dist'));
    expect(files.length).toBeGreaterThan(20);
    const privateExponent = DEMO_SIGNING_KEY.d;
    expect(privateExponent).toBeTypeOf('string');
    const leaks = files.filter(
      ({ text }) => text.includes(privateExponent ?? '') || text.includes(DEMO_SIGNING_KEY.kid ?? '') || /(from |import\()['"][^'"]*simulator\//.test(text),
    );
    expect(leaks.map(({ path }) => path)).toEqual([]);
  });
});

/** Spawns a stage's entry with a clean environment plus `env`; its output is collected. */
function startEntry(cwd: string, entry: string, env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [entry], { cwd, env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

/** The production entry run with a clean environment plus `env`: its exit code and stderr, or null when it exited 0. */
function failedStart(env: Record<string, string>): Promise<{ code: number; stderr: string } | null> {
  return run(process.execPath, ['dist/main.js'], { cwd: dir, env: { PATH: process.env['PATH'] ?? '', ...env } }).then(
    () => null,
    (error: { code: number; stderr: string }) => error,
  );
}

describe('production install', () => {
  let cxone: RunningSimulator;
  beforeAll(async () => {
    cxone = await startSimulator({});
  });
  afterAll(async () => {
    await cxone?.close();
  });

  it('starts from a production-only install against the CXone it is pointed at, serves /health and a recording, drains on SIGTERM', async () => {
    const port = await freePort();
    const { child, output } = startEntry(dir, 'dist/main.js', {
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      CXONE_API_URL: cxone.url,
      CXONE_ISSUER: cxone.url,
      CXONE_UI_URL: 'https://na1.nice-incontact.com',
    });
    try {
      const health = await waitForHealth(`http://127.0.0.1:${port}/health`, child);
      expect(health.status).toBe(200);
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${DEMO_TOKENS.full}` },
        body: JSON.stringify({ query: '{ recording(acdContactId: "100000000001") { mediaUrl { url } playerUrl } }' }),
      });
      const body = (await response.json()) as { data: { recording: { mediaUrl: { url: string }; playerUrl: string } } };
      const link = new URL(body.data.recording.mediaUrl.url);
      expect(link.origin).toBe(cxone.url);
      expect(body.data.recording.playerUrl).toMatch(/^https:\/\/na1\.nice-incontact\.com\/player\//);
      const media = await fetch(link);
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
    expect(output()).not.toMatch(/Signature=[0-9a-f]/);
    expect(output()).not.toContain(DEMO_TOKENS.full);
  }, 60_000);

  it('says the simulator is not in this build when asked for it, and which image has it', async () => {
    for (const env of [{ NODE_ENV: 'production', CXONE_SIMULATOR: 'true' }, {}]) {
      const failure = await failedStart({ PORT: '0', ...env });
      expect(failure?.code).toBe(1);
      expect(failure?.stderr).toContain('the embedded CXone simulator is not in this build');
      expect(failure?.stderr).toContain('CXONE_API_URL');
      expect(failure?.stderr).toContain('docker build --target demo');
      expect(failure?.stderr).toContain('npm start');
      expect(failure?.stderr).not.toContain('at ');
    }
  }, 30_000);

  it('refuses to serve simulated data in production unless asked for explicitly', async () => {
    const failure = await failedStart({ NODE_ENV: 'production', PORT: '0' });
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain('CXONE_API_URL is required when NODE_ENV=production');
    expect(failure?.stderr).toContain('CXONE_SIMULATOR=true');
  }, 30_000);

  it('stops at start with one clear message naming a bad variable', async () => {
    const failure = await failedStart({ PORT: 'not-a-port', CXONE_AUTH: 'sometimes' });
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain('PORT');
    expect(failure?.stderr).toContain('CXONE_AUTH');
    expect(failure?.stderr).not.toContain('at ');
  }, 30_000);
});

/** A stage's `ENV a=b c=d` lines, as one record. */
function envOf(stage: Stage): Record<string, string> {
  const pairs = stage.instructions.filter(({ keyword }) => keyword === 'ENV').flatMap(({ args }) => args.split(' '));
  return Object.fromEntries(pairs.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
}

describe('the demo image (docker build --target demo)', () => {
  it('adds the simulator and the dev entry to the runtime, and serves the embedded simulator as its CMD says', async () => {
    // `FROM runtime AS demo`: the runtime's files (its node_modules shared, not copied), then the demo's own steps.
    demoDir = await mkdtemp(join(tmpdir(), 'cxone-demo-'));
    await cp(dir, demoDir, { recursive: true, filter: (source) => !source.startsWith(join(dir, 'node_modules')) });
    await symlink(join(dir, 'node_modules'), join(demoDir, 'node_modules'));
    await runStage(demoStage, { context: root, dir: demoDir, env: cleanEnv(), stages: { build: { dir: buildDir, workdir: workdirOf(buildStage) } } });
    expect(existsSync(join(demoDir, 'dist', 'simulator', 'main.js'))).toBe(true);
    const cmd = demoStage.instructions.filter(({ keyword }) => keyword === 'CMD').at(-1);
    const [executable, entry] = JSON.parse(cmd?.args ?? '[]') as string[];
    expect(executable).toBe('node');
    const port = await freePort();
    const { child, output } = startEntry(demoDir, entry ?? '', {
      NODE_ENV: 'production',
      ...envOf(demoStage),
      // Loopback and free ports here; the image publishes 4001 and 4010.
      PORT: String(port),
      HOST: '127.0.0.1',
      SIMULATOR_HOST: '127.0.0.1',
      SIMULATOR_PORT: '0',
    });
    try {
      await waitForHealth(`http://127.0.0.1:${port}/health`, child);
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${DEMO_TOKENS.full}` },
        body: JSON.stringify({ query: '{ recording(acdContactId: "100000000001") { mediaUrl { url } } }' }),
      });
      const body = (await response.json()) as { data: { recording: { mediaUrl: { url: string } } } };
      // Links carry the public base, so they work from outside a container; here we fetch them
      // from the address the simulator really listens on.
      const link = new URL(body.data.recording.mediaUrl.url);
      expect(link.origin).toBe(envOf(demoStage)['SIMULATOR_PUBLIC_URL']);
      const simulatorOrigin = /"simulatorUrl":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(output())?.[1];
      expect(simulatorOrigin).toBeDefined();
      const media = await fetch(`${simulatorOrigin ?? ''}${link.pathname}${link.search}`);
      expect(media.headers.get('content-type')).toBe('video/mp4');
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  }, 60_000);
});
