/**
 * The Dockerfile's runtime stage without Docker: compiled output plus `npm ci --omit=dev` in a
 * clean directory, started as production would start it. Proves the production dependency list is
 * complete, the process starts on the embedded simulator, answers /health and GraphQL, stops
 * cleanly on SIGTERM, and refuses bad configuration with one clear message.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TOKENS } from '../../src/simulator/index.js';
import { freePort } from '../helpers/ports.js';

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;
let dir: string;

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
  await run('npm', ['run', 'build'], { cwd: root });
  dir = await mkdtemp(join(tmpdir(), 'cxone-prod-'));
  for (const entry of ['package.json', 'package-lock.json', 'schema.graphql', 'dist']) {
    await cp(join(root, entry), join(dir, entry), { recursive: true });
  }
  await run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: dir });
}, 300_000);

afterAll(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
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
