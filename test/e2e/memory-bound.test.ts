/**
 * Memory bound at the deploy's heap: the subgraph runs as its own process, `node
 * --max-old-space-size=320 src/main.ts` (deploy/configmap.yaml's NODE_OPTIONS), with the limits
 * checked before execution opened wide, so every request below reaches execution and only the
 * response budget (GRAPHQL_MAX_RESPONSE_POSITIONS, counted while executing) stands between it and
 * the heap. The probes: the requests that crashed the process (statement lists x aliases,
 * `__typename` aliases, anonymous `_entities` floods) and a seeded generated family like them.
 * None may end the process or push its RSS past RSS_BOUND_MIB, and /health keeps answering.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { ACCESS_KEY_ENV, bulkIds } from '../helpers/stack.js';
import { freePort } from '../helpers/ports.js';

/** RSS the process may reach under any of the probes: the 320 MiB heap cap plus the runtime (code, tsx, buffers). */
const RSS_BOUND_MIB = 450;
const HEAP_MIB = 320;
const SEED = Number(process.env['MEMORY_SEED'] ?? 23);

const aliases = (n: number, field: string): string => Array.from({ length: n }, (_, i) => `a${String(i)}: ${field}`).join(' ');
const statementIds = (n: number): string[] => Array.from({ length: n }, (_, i) => String(700 + i));

interface Probe {
  readonly name: string;
  readonly query: string;
  readonly variables: Record<string, unknown>;
}

/** fast-check prints a failing probe by its name, not its 30 KB query. */
const named = (probe: Probe): Probe => Object.assign(probe, { [fc.toStringMethod]: () => probe.name });

function statementsProbe(name: string, contacts: number, statements: number, selection: string): Probe {
  return named({
    name,
    query: `query($ids: [ID!]!, $st: [ID!]!) { recordings(acdContactIds: $ids) { statements(statementIds: $st) { ${selection} } } }`,
    variables: { ids: Array.from({ length: contacts }, () => bulkIds(1)[0]), st: statementIds(statements) },
  });
}

function entitiesProbe(name: string, representations: number, selection: string): Probe {
  return named({
    name,
    query: `query($r: [_Any!]!) { _entities(representations: $r) { ${selection} } }`,
    variables: { r: bulkIds(representations).map((acdContactId) => ({ __typename: 'Contact', acdContactId })) },
  });
}

const ISSUE_PROBES: readonly Probe[] = [
  statementsProbe('99 x 499 statements x 32 scalars', 99, 499, `playerUrl downloadUrl ${aliases(30, 'playerUrl')}`),
  statementsProbe('99 x 499 statements x 1,500 __typename', 99, 499, aliases(1500, '__typename')),
  entitiesProbe('_entities 1,000 x 1,600 __typename', 1000, aliases(1600, '__typename')),
];

/** Requests like those: aliases x lists x __typename x representations, random within the opened limits. */
const generatedProbe: fc.Arbitrary<Probe> = fc.oneof(
  fc
    .record({ contacts: fc.integer({ min: 1, max: 99 }), statements: fc.integer({ min: 1, max: 499 }), scalars: fc.integer({ min: 0, max: 30 }), typenames: fc.integer({ min: 0, max: 1500 }) })
    .map(({ contacts, statements, scalars, typenames }) =>
      statementsProbe(`${String(contacts)} x ${String(statements)} statements x (${String(scalars)} scalars, ${String(typenames)} __typename)`, contacts, statements, `playerUrl ${aliases(scalars, 'downloadUrl')} ${aliases(typenames, '__typename').replaceAll(': ', 'T: ')}`),
    ),
  fc
    .record({ representations: fc.integer({ min: 1, max: 1000 }), typenames: fc.integer({ min: 1, max: 1600 }), recording: fc.boolean() })
    .map(({ representations, typenames, recording }) =>
      entitiesProbe(
        `_entities ${String(representations)} x ${String(typenames)} __typename${recording ? ' + recording' : ''}`,
        representations,
        `${aliases(typenames, '__typename')} ${recording ? '... on Contact { recording { acdContactId playerUrl segments { segmentId } } }' : ''}`,
      ),
    ),
);

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${String(pid)}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match === null ? 0 : Number(match[1]) / 1024;
}

describe(`one process at --max-old-space-size=${String(HEAP_MIB)}`, () => {
  let simulator: RunningSimulator;
  let child: ChildProcess;
  let base: string;
  let exited: string | undefined;
  let peakRss = 0;
  let sampler: NodeJS.Timeout | undefined;
  const health = { ok: 0, failed: 0, slowestMs: 0 };
  let probing = true;

  beforeAll(async () => {
    simulator = await startSimulator({});
    const port = await freePort();
    base = `http://127.0.0.1:${String(port)}`;
    const root = fileURLToPath(new URL('../..', import.meta.url));
    child = spawn(process.execPath, [`--max-old-space-size=${String(HEAP_MIB)}`, '--import', 'tsx', 'src/main.ts'], {
      cwd: root,
      env: {
        PATH: process.env['PATH'] ?? '',
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
        CXONE_API_URL: simulator.url,
        CXONE_ISSUER: simulator.url,
        CXONE_UI_URL: 'https://na1.nice-incontact.com',
        CXONE_RATE_LIMIT: '0',
        ...ACCESS_KEY_ENV,
        // Opened wide: only the execution-time budget is left to bound these requests.
        GRAPHQL_MAX_ESTIMATED_COST: '100000000',
        GRAPHQL_MAX_COST: '10000000',
        GRAPHQL_MAX_ALIASES: '2000',
        GRAPHQL_MAX_TOKENS: '50000',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    child.once('exit', (code, signal) => {
      exited = `code ${String(code)} signal ${String(signal)}`;
    });
    for (let tries = 0; ; tries += 1) {
      if (exited !== undefined) throw new Error(`the subgraph exited at start: ${exited}`);
      const ready = await fetch(`${base}/health`).then((r) => r.ok, () => false);
      if (ready) break;
      if (tries > 300) throw new Error('the subgraph did not start');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const pid = child.pid ?? 0;
    console.info(`[memory] RSS at start ${rssMiB(pid).toFixed(0)} MiB (bound ${String(RSS_BOUND_MIB)} MiB)`);
    sampler = setInterval(() => {
      if (exited === undefined) peakRss = Math.max(peakRss, rssMiB(pid));
    }, 50);
    void (async () => {
      while (probing) {
        const asked = performance.now();
        const answered = await fetch(`${base}/health`, { signal: AbortSignal.timeout(5000) }).then((r) => r.ok, () => false);
        health.slowestMs = Math.max(health.slowestMs, performance.now() - asked);
        if (answered) health.ok += 1;
        else health.failed += 1;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();
  }, 60_000);

  afterAll(async () => {
    probing = false;
    if (sampler !== undefined) clearInterval(sampler);
    if (exited === undefined) child.kill('SIGKILL');
    await simulator.close();
  });

  async function send(probe: Probe): Promise<{ status: number; codes: unknown[] }> {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: probe.query, variables: probe.variables }),
      signal: AbortSignal.timeout(30_000),
    });
    const body = (await response.json()) as { errors?: Array<{ extensions?: Record<string, unknown> }> };
    return { status: response.status, codes: (body.errors ?? []).map((error) => error.extensions?.['code']) };
  }

  it("the issue's requests end with RESPONSE_TOO_LARGE, the process stays up", async () => {
    for (const probe of ISSUE_PROBES) {
      const answer = await send(probe);
      console.info(`[memory] ${probe.name}: ${String(answer.status)} ${JSON.stringify(answer.codes)}, RSS peak ${peakRss.toFixed(0)} MiB`);
      expect(answer.codes).toEqual(['RESPONSE_TOO_LARGE']);
      expect(exited).toBeUndefined();
    }
    expect(peakRss).toBeLessThan(RSS_BOUND_MIB);
  }, 120_000);

  it('a generated family of such requests never ends the process or passes the RSS bound', async () => {
    await fc.assert(
      fc.asyncProperty(generatedProbe, async (probe) => {
        const answer = await send(probe);
        expect(exited).toBeUndefined();
        // Answered (data or the budget's error), never a crash or an internal error.
        expect(answer.codes.filter((code) => code !== 'RESPONSE_TOO_LARGE' && code !== 'RECORDING_NOT_FOUND')).toEqual([]);
        expect(peakRss).toBeLessThan(RSS_BOUND_MIB);
      }),
      { seed: SEED, numRuns: 30, endOnFailure: true },
    );
    console.info(`[memory] seed ${String(SEED)}: RSS peak ${peakRss.toFixed(0)} MiB, /health ${String(health.ok)} ok / ${String(health.failed)} failed, slowest ${health.slowestMs.toFixed(0)} ms`);
    expect(health.failed).toBe(0);
    expect(health.ok).toBeGreaterThan(0);
  }, 180_000);
});
