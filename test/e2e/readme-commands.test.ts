/**
 * The README's commands as typed, the way a new user runs them: a fresh copy of the repository
 * (tracked and new files, no dist/, no generated code), its own `npm ci`, no NODE_ENV and no test
 * variables. Every `sh`, `graphql` and `text` block of the README is taken from the README itself,
 * so an edited example is tested as edited, and every block must be run or named here.
 *
 * Servers (`npm start`, `npm run federated`, `npm run demo`, `npm run simulator`) start in the
 * background on their default ports, side by side, inside a private network namespace, so the
 * ports never collide with other runs on this machine. `npm run demo`'s page is opened in chromium
 * and a contact played.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile, chmod } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { print } from 'graphql';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crmTypeDefsFor } from '../../src/dev/crm-subgraph.js';
import { DEMO_TOKENS } from '../../src/simulator/index.js';
import { CHROMIUM } from '../helpers/browser.js';
import { cleanEnv } from '../helpers/clean-env.js';
import { openNamespace, type Background, type Namespace } from '../helpers/netns.js';

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;
const DAY = 86_400_000;

interface Block {
  readonly lang: string;
  readonly text: string;
  /** 1-based line of the opening fence, for messages. */
  readonly line: number;
}

/** The README's fenced blocks, in order. */
function fencedBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const open = /^```(\w*)/.exec(lines[index] ?? '');
    if (open === null) continue;
    const start = index;
    const body: string[] = [];
    for (index += 1; index < lines.length && !(lines[index] ?? '').startsWith('```'); index += 1) body.push(lines[index] ?? '');
    blocks.push({ lang: open[1] ?? '', text: body.join('\n'), line: start + 1 });
  }
  return blocks;
}

/** Shell lines with their `\` continuations joined. */
function logicalLines(script: string): string[] {
  return script.replace(/\\\n/g, ' ').split('\n').filter((line) => line.trim() !== '' && !line.trim().startsWith('#'));
}

/** A line that starts a server, and the port it listens on. */
function serverPort(line: string): number | null {
  const match = /^(?:npm ci && )?((?:[A-Z_]+=\S+\s+)*)npm (start|run (federated|demo|simulator))\s*(?:#.*)?$/.exec(line.trim());
  if (match === null) return null;
  const port = /(?:^|\s)PORT=(\d+)/.exec(match[1] ?? '')?.[1];
  if (match[2] === 'start') return Number(port ?? 4001);
  return { federated: 4000, demo: 4003, simulator: 4010 }[match[3] as 'federated' | 'demo' | 'simulator'];
}

/** The codes a single contact's recording may fail with, its own error beside the rest of the page. */
const CONTACT_ERRORS = ['RECORDING_NOT_FOUND', 'UPSTREAM_TIMEOUT', 'UPSTREAM_UNAVAILABLE', 'RECORDING_PROCESSING', 'RECORDING_LOCKED', 'SEGMENT_ARCHIVED'];

/** The test command itself: .ci/run runs it, this test is part of it. */
const TEST_COMMAND = 'npm ci && npm test';

let ns: Namespace;
let dir: string;
let env: Record<string, string>;
const servers = new Map<number, { line: string; process: Background }>();
let blocks: Block[];
const covered = new Set<number>();

async function waitForPort(port: number, server: Background): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt += 1) {
    if (server.child.exitCode !== null) throw new Error(`the server on :${String(port)} exited:\n${server.output()}`);
    const probe = await ns.exec(`curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:${String(port)}/`, { cwd: dir, env });
    if (probe.stdout !== '000' && probe.stdout !== '') return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`nothing answered on :${String(port)}:\n${server.output()}`);
}

/** Starts the block's servers (unless the same command already runs), then runs its other lines as one script. */
async function runShellBlock(block: Block): Promise<{ stdout: string; stderr: string }> {
  const rest: string[] = [];
  for (const line of logicalLines(block.text)) {
    if (line.trim().startsWith(TEST_COMMAND)) continue;
    const port = serverPort(line);
    if (port === null) {
      rest.push(line);
      continue;
    }
    const running = servers.get(port);
    if (running !== undefined) {
      expect(running.line.replace(/^npm ci && /, ''), `README line ${String(block.line)}: :${String(port)} is taken by ${running.line}`).toBe(
        line.trim().replace(/^npm ci && /, '').replace(/\s*#.*$/, ''),
      );
      continue;
    }
    const command = line.trim().replace(/\s*#.*$/, '');
    const server = ns.start(command, { cwd: dir, env });
    servers.set(port, { line: command, process: server });
    await waitForPort(port, server);
    // The install as typed is quiet: no engine warning, no dependency install script left unreviewed.
    if (command.startsWith('npm ci && ')) expect(server.output(), `README line ${String(block.line)}: ${command}`).not.toMatch(/npm warn|EBADENGINE/i);
  }
  if (rest.length === 0) return { stdout: '', stderr: '' };
  // `$TOKEN` is set once, in "Try it"; later blocks say so and use it.
  const tokenLine = logicalLines(blocks.map((b) => (b.lang === 'sh' ? b.text : '')).join('\n')).find((l) => l.startsWith('TOKEN='));
  const script = ['set -eo pipefail', ...(tokenLine !== undefined && !rest.some((l) => l.startsWith('TOKEN=')) ? [tokenLine] : []), ...rest].join('\n');
  const result = await ns.exec(script, { cwd: dir, env, timeoutMs: 300_000 });
  expect(result.code, `README line ${String(block.line)}:\n${script}\n${result.stdout}\n${result.stderr}`).toBe(0);
  return result;
}

/** Every JSON line a block printed answers with data and without errors (or only the allowed codes). */
function expectAnswers(output: string, allowed: readonly string[] = []): number {
  let answers = 0;
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    const body = JSON.parse(line) as { data?: unknown; errors?: Array<{ path?: unknown[]; extensions?: { code?: string } }> };
    answers += 1;
    expect(body.data, line.slice(0, 400)).not.toBeNull();
    for (const error of body.errors ?? []) {
      expect(allowed, line.slice(0, 400)).toContain(error.extensions?.code);
      expect(error.path, 'a field error, not a refused request').toBeDefined();
    }
  }
  return answers;
}

beforeAll(async () => {
  blocks = fencedBlocks(await readFile(join(root, 'README.md'), 'utf8'));
  dir = await mkdtemp(join(tmpdir(), 'cxone-readme-'));
  // A fresh clone of this working tree: tracked files and new ones, nothing git ignores.
  const { stdout } = await run('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
  for (const file of stdout.split('\0').filter((name) => name !== '' && existsSync(join(root, name)))) {
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await cp(join(root, file), join(dir, file));
  }
  // The user's own files the examples name.
  await writeFile(join(dir, 'crm.graphql'), print(crmTypeDefsFor('own-id-acd-second-key')));
  await writeFile(join(dir, 'ids.txt'), '100000000001\n100000000005\n200000000001\n');
  env = cleanEnv();
  ns = await openNamespace();
}, 60_000);

afterAll(async () => {
  await ns?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe("the README's commands, as typed", () => {
  it('runs every sh block, every graphql example and checks the demo tokens, from a fresh clone', async () => {
    for (const [index, block] of blocks.entries()) {
      if (block.lang === 'sh') {
        const { stdout } = await runShellBlock(block);
        const allowed = /RECORDING_NOT_FOUND/.test(block.text) ? ['RECORDING_NOT_FOUND'] : [];
        if (/curl /.test(block.text)) expect(expectAnswers(stdout, allowed), `README line ${String(block.line)} printed no answer`).toBeGreaterThan(0);
        covered.add(index);
      } else if (block.lang === 'graphql') {
        const url = /^# POST (\S+)/m.exec(block.text)?.[1] ?? 'http://localhost:4001/graphql';
        const today = Math.floor(Date.now() / DAY);
        const body = JSON.stringify({
          query: block.text,
          variables: /\$from/.test(block.text) ? { from: new Date((today - 1) * DAY).toISOString(), to: new Date(today * DAY).toISOString() } : {},
        });
        await writeFile(join(dir, 'body.json'), body);
        const result = await ns.exec(
          `curl -s ${url} -H 'content-type: application/json' -H 'authorization: Bearer ${DEMO_TOKENS.full}' --data @body.json`,
          { cwd: dir, env },
        );
        // Partial results on purpose: the examples include the simulator's failing contacts (before
        // CXone's cutoff, timing out, failing, processing); each error is that contact's own.
        expect(expectAnswers(result.stdout, CONTACT_ERRORS), `README line ${String(block.line)}: ${result.stdout}`).toBe(1);
        covered.add(index);
      } else if (block.lang === 'text' && /^full\s+eyJ/m.test(block.text)) {
        // The copy-paste tokens are what `npm run demo-tokens` prints (installed by now).
        const tokens = (await ns.exec('npm run -s demo-tokens', { cwd: dir, env })).stdout;
        expect(block.text.replace(/\s+/g, ' ').trim()).toBe(tokens.replace(/\s+/g, ' ').trim());
        covered.add(index);
      } else if (block.lang === 'text' && /@key\(fields:/.test(block.text)) {
        // The CRM shapes: composed and served behind every router by test/e2e/router-matrix.test.ts.
        covered.add(index);
      }
    }
    // Every example block was run or checked.
    expect(blocks.flatMap((block, index) => (covered.has(index) || !['sh', 'graphql', 'text'].includes(block.lang) ? [] : [block.line]))).toEqual([]);
    // The servers the recipes name all ran side by side.
    expect([...servers.keys()].sort()).toEqual([4000, 4001, 4003, 4010, 4011]);
    // What the examples wrote.
    expect((await readFile(join(dir, 'supergraph.graphql'), 'utf8')).length).toBeGreaterThan(1000);
    expect((await readFile(join(dir, 'recordings.csv'), 'utf8')).trim().split('\n').length).toBeGreaterThanOrEqual(4);
    expect((await readFile(join(dir, 'yesterday.csv'), 'utf8')).trim().split('\n').length).toBeGreaterThanOrEqual(2);
  }, 900_000);

  it("plays a contact on `npm run demo`'s page in chromium", async () => {
    // Chromium inside the namespace, where the demo's port is.
    const wrapper = join(dir, 'chromium-in-namespace.sh');
    await writeFile(wrapper, `#!/bin/sh\nexec nsenter ${ns.enter.join(' ')} ${CHROMIUM} "$@"\n`);
    await chmod(wrapper, 0o755);
    const browser = await chromium.launch({
      executablePath: wrapper,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--autoplay-policy=no-user-gesture-required'],
    });
    try {
      const page = await browser.newPage();
      await page.goto('http://127.0.0.1:4003/');
      await page.locator('button[data-contact="100000000001"]').click();
      const player = '#detail [data-media="primary"]';
      await page.waitForSelector(player);
      await page.evaluate((selector) => {
        const element = (globalThis as unknown as { document: { querySelector(s: string): { play(): Promise<void> } | null } }).document.querySelector(selector);
        return element?.play();
      }, player);
      await expect
        .poll(
          () =>
            page.evaluate((selector) => {
              const element = (globalThis as unknown as { document: { querySelector(s: string): { currentTime: number; error: unknown } | null } }).document.querySelector(selector);
              return element !== null && element.error === null ? element.currentTime : 0;
            }, player),
          { timeout: 20_000 },
        )
        .toBeGreaterThan(0);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
