/**
 * `npm run bench`: our subgraph against (a) a bare constant-answer subgraph and (b) a naive
 * fetch-per-contact subgraph, side by side in one run, on loopback, against the CXone simulator
 * with a fixed upstream latency. Prints a markdown report and writes it to docs/benchmarks.md.
 *
 * Every process runs on its own: the simulator, each contender (one at a time), and the gateway +
 * CRM subgraph in front of it; autocannon drives from this process. Every load run is bounded in
 * time (BENCH_DURATION_SECONDS) and in requests (MAX_REQUESTS_PER_RUN).
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { DEMO_TOKENS } from '../src/simulator/demo-tokens.js';
import { Child } from './ipc.js';
import { startSpanSink, tracingSection, TRACING_VARIANTS, type TracingRun, type TracingVariant } from './tracing.js';
import { bestRun, markdownTable, num, percentile, ratio, type ProfileSummary } from './report.js';
import { BULK_COUNT, IdCursor, SCENARIOS, bulkIds, drawIds, entitiesBody, type Scenario, type ScenarioName } from './scenarios.js';

/** A profile summary and the contender it was taken of. */
type ProfiledRun = ProfileSummary & { readonly contender: string };

const UPSTREAM_LATENCY_MS = 50;
/** Simulator throttling and our budget, raised the same for every contender (1,000,000 per 5 min). */
const RATE_LIMIT = 1_000_000;
const RATE_WINDOW_SECONDS = 300;
/** Our CXONE_CONCURRENCY for the run (the product default is 8). */
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? '8');
const DURATION_SECONDS = Number(process.env['BENCH_DURATION_SECONDS'] ?? '3');
/** Every load run is repeated this many times (interleaved); the report keeps each one's best. */
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? '3');
const WARMUP_SECONDS = 1;
const MAX_REQUESTS_PER_RUN = 100_000;
const AUTHORIZATION = `Bearer ${DEMO_TOKENS.full}`;
/** Our cache size in the load runs: far below the 10,000 ids the cold runs cycle through (see notes). */
const OURS_CACHE_ENTRIES = 1_000;
const REPORT_PATH = new URL('../docs/benchmarks.md', import.meta.url);
const LOAD_AT_START = os.loadavg()[0];
/** Ours' URL_EXPIRY_MARGIN_SECONDS (the default), for the dead-link audit. */
const MARGIN_MS = 60_000;
/** Requests of each audit (dead links, scopes). */
const AUDIT_REQUESTS = 400;

/**
 * While developing, one scenario at a time: BENCH_ONLY=entities20varied,entities20 runs only those
 * (no memory measure, no cold timing unless report200 is named), BENCH_CONTENDERS=bare,ours only
 * those, BENCH_PROFILE=entities10 BENCH_PROFILE_CONTENDER=bare profiles that run instead; the
 * report is printed, and docs/benchmarks.md is left alone.
 */
const ONLY = new Set((process.env['BENCH_ONLY'] ?? '').split(',').map((name) => name.trim()).filter((name) => name !== ''));
const RUN_SCENARIOS = ONLY.size === 0 ? SCENARIOS : SCENARIOS.filter((scenario) => ONLY.has(scenario.name));
const PARTIAL = ONLY.size > 0 || ['BENCH_CONTENDERS', 'BENCH_PROFILE', 'BENCH_PROFILE_CONTENDER'].some((name) => process.env[name] !== undefined);

type ContenderName = 'bare' | 'naive' | 'ours' | 'apollo' | 'pipeline';
const ALL_CONTENDERS: readonly ContenderName[] = ['bare', 'naive', 'ours', 'apollo', 'pipeline'];
/** Contenders with no cold runs, no probes and no gateway: measured on direct `_entities` hops only. */
const DIRECT_ONLY: ReadonlySet<ContenderName> = new Set(['apollo', 'pipeline']);
const RUN_CONTENDERS = ALL_CONTENDERS.filter(
  (name) => process.env['BENCH_CONTENDERS'] === undefined || process.env['BENCH_CONTENDERS'].split(',').includes(name),
);
/** Apollo's response cache over (a) is measured where a response cache matters: the `_entities` hop. */
const APOLLO_SCENARIOS: ReadonlySet<ScenarioName> = new Set(['entities20', 'entities20varied']);
/** The pipeline alone (e) beside them, and on pages half new to the answer caches. */
const PIPELINE_SCENARIOS: ReadonlySet<ScenarioName> = new Set([...APOLLO_SCENARIOS, 'entities20halfnew']);
/** The floor of a half-new page inside Apollo: (a) and (e) on only the half that runs. */
const FLOOR_SCENARIOS: ReadonlySet<ScenarioName> = new Set(['entities10']);
/** (b) has no cache: a page half new to caches it lacks is its varied page again. */
const NAIVE_SKIPS: ReadonlySet<ScenarioName> = new Set(['entities20halfnew']);
type Temperature = 'cold' | 'warm';
/** The warm run profiled at the end: the report's is (e) on entities20varied. */
const PROFILED_SCENARIO = process.env['BENCH_PROFILE'] ?? 'entities20varied';
const PROFILED_CONTENDER = process.env['BENCH_PROFILE_CONTENDER'] ?? 'pipeline';

interface LoadRun {
  readonly contender: ContenderName;
  readonly scenario: ScenarioName;
  readonly temperature: Temperature;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly ok: number;
  readonly failed: number;
  readonly upstreamPerQuery: number;
  readonly cpuMsPerQuery: number;
  /** Ours only: share of the run's requests answered before Apollo (whole hits + assembled). */
  readonly hitRatio: number | undefined;
  /** Ours only: share of the run's requests that were whole-response hits. */
  readonly wholeHitRatio: number | undefined;
}

interface Probe {
  readonly contender: ContenderName;
  readonly scenario: ScenarioName;
  readonly coldCalls: number;
  readonly warmCalls: number;
}

/** Cold 200-contact queries timed one at a time. */
interface TimedCold {
  readonly contender: ContenderName;
  readonly ms: readonly number[];
}

/** Where warm requests read: always the first ids. */
const WARM_START = 0;
/** Cold single queries timed for the 200-contact target (their median is reported). */
const TIMED_COLD_REPORTS = 3;

interface Posted {
  readonly ms: number;
  readonly recordings: number;
  readonly errors: number;
}

async function post(url: string, scenario: Scenario, start: number): Promise<Posted> {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: AUTHORIZATION },
    body: scenario.body(start),
    signal: AbortSignal.timeout(30_000),
  });
  const body = (await response.json()) as { data?: unknown; errors?: unknown[] };
  return {
    ms: performance.now() - started,
    recordings: scenario.recordingsIn(body.data),
    errors: body.errors?.length ?? 0,
  };
}

/** One request that must come back whole: the benchmark never reports on a contender that errs. */
async function verify(name: ContenderName, url: string, scenario: Scenario, start: number): Promise<Posted> {
  const posted = await post(url, scenario, start);
  if (posted.errors > 0 || posted.recordings !== scenario.keys) {
    throw new Error(
      `${name} answered ${scenario.name} from id index ${String(start)} with ${String(posted.recordings)}/${String(scenario.keys)} recordings and ${String(posted.errors)} errors`,
    );
  }
  return posted;
}

/** Whether `contender` runs `scenario` at `temperature` at all. */
function runs(contender: ContenderName, scenario: Scenario, temperature: Temperature): boolean {
  if (temperature === 'cold' && (scenario.warmOnly === true || contender === 'bare' || DIRECT_ONLY.has(contender))) return false;
  if (contender === 'naive' && NAIVE_SKIPS.has(scenario.name)) return false;
  if (FLOOR_SCENARIOS.has(scenario.name)) return contender === 'bare' || contender === 'pipeline';
  if (contender === 'pipeline') return PIPELINE_SCENARIOS.has(scenario.name);
  return !DIRECT_ONLY.has(contender) || APOLLO_SCENARIOS.has(scenario.name);
}

function drive(
  url: string,
  scenario: Scenario,
  nextStart: () => number,
  seconds: number,
  headers: Readonly<Record<string, string>> = {},
): Promise<autocannon.Result> {
  return autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: AUTHORIZATION, ...headers },
    connections: scenario.connections,
    duration: seconds,
    maxOverallRequests: MAX_REQUESTS_PER_RUN,
    timeout: 30,
    requests: [{ method: 'POST', setupRequest: (request) => ({ ...request, body: scenario.body(nextStart()) }) }],
  });
}

const REPORT = SCENARIOS.find((scenario) => scenario.name === 'report200')!;
/** Seeds of varied bodies, never reused in one benchmark run (every request a body never sent before). */
let variedSeed = 1;

/** Ours' whole-response cache figures (bench/procs/subgraph.ts); null for the other contenders. */
interface ResponseCacheFigures {
  readonly hit: number;
  /** `_entities` answers built from kept entity answers (src/http/entity-answers.ts). */
  readonly assembled: number;
  /** `_entities` answers put together from kept entities and the pipeline's answer for the rest. */
  readonly partial: number;
  readonly miss: number;
  readonly bytes: number;
}

/** A correctness audit of ours under concurrent identical requests: how many answers were wrong. */
interface Audit {
  readonly name: 'dead links' | 'across scopes';
  readonly responses: number;
  readonly violations: number;
  readonly detail: string;
}

/** `total` requests, `concurrency` at a time, each checked by `check` (true = right). */
async function audit(total: number, concurrency: number, send: (index: number) => Promise<boolean>): Promise<number> {
  let next = 0;
  let wrong = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const index = next++;
        if (!(await send(index))) wrong++;
      }
    }),
  );
  return wrong;
}

/**
 * No repeat outlives the earliest link in it minus the margin: every answer of the identical warm
 * page (response cache hits) holds only links usable for longer than the margin, and its max-age
 * ends before the earliest of them does, minus the margin.
 */
async function auditDeadLinks(url: string, bodies: 'identical' | 'varied'): Promise<Audit> {
  const entities = SCENARIOS.find((scenario) => scenario.name === (bodies === 'identical' ? 'entities20' : 'entities20varied'))!;
  const fixed = entities.body(WARM_START);
  let shortest = Infinity;
  const violations = await audit(AUDIT_REQUESTS, 8, async () => {
    // The server answered at or after `sentAt`: its max-age, counted from then, must end by the
    // earliest link's usable-until; the answer must still be usable when it arrives.
    const sentAt = Date.now();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: AUTHORIZATION },
      body: bodies === 'identical' ? fixed : entities.body(variedSeed++),
    });
    const text = await response.text();
    const receivedAt = Date.now();
    const expiries = [...text.matchAll(/"expiresAt":"([^"]+)"/g)].map((match) => Date.parse(match[1] ?? ''));
    const maxAge = Number(/max-age=(\d+)/.exec(response.headers.get('cache-control') ?? '')?.[1] ?? NaN);
    if (expiries.length !== entities.keys || !Number.isFinite(maxAge)) return false;
    const usableUntil = Math.min(...expiries) - MARGIN_MS;
    shortest = Math.min(shortest, usableUntil - receivedAt);
    return usableUntil > receivedAt && sentAt + maxAge * 1000 <= usableUntil;
  });
  return {
    name: 'dead links',
    responses: AUDIT_REQUESTS,
    violations,
    detail: `${bodies === 'identical' ? 'the identical warm page' : 'varied warm pages (a fresh body each)'}, 8 at a time; the shortest remaining usable lifetime seen: ${num(shortest / 1000, 0)} s`,
  };
}

/**
 * Zero answers across scopes: the identical body selecting sentiments, sent alternately with a
 * token granted analytics and one that is not; each answer must be its own caller's.
 */
async function auditScopes(url: string, bodies: 'identical' | 'varied'): Promise<Audit> {
  const fixedIds = Array.from({ length: 20 }, (_, index) => String(200_000_000_001 + index));
  const bodyOf = (ids: readonly string[]): string =>
    JSON.stringify({
      query:
        'query Entities($representations: [_Any!]!) { _entities(representations: $representations) { ... on Contact { recording { acdContactId sentiments { overallSentiment } } } } }',
      variables: { representations: ids.map((acdContactId) => ({ __typename: 'Contact', acdContactId })) },
    });
  const fixed = bodyOf(fixedIds);
  const tokens = [DEMO_TOKENS.full, DEMO_TOKENS.noAnalytics] as const;
  const violations = await audit(AUDIT_REQUESTS, 8, async (index) => {
    const token = tokens[index % 2]!;
    // Varied: 20 of the first 40 contacts, a fresh draw each, so both callers' entities recur.
    const ids = bodies === 'identical' ? fixedIds : drawIds(20, 40, variedSeed++);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: bodies === 'identical' ? fixed : bodyOf(ids),
    });
    const answer = (await response.json()) as { data?: { _entities?: Array<{ recording?: { sentiments?: unknown } | null }> } };
    const entities = answer.data?._entities ?? [];
    return (
      entities.length === ids.length &&
      entities.every((entity) => (token === DEMO_TOKENS.full ? Array.isArray(entity.recording?.sentiments) : entity.recording?.sentiments === null))
    );
  });
  return {
    name: 'across scopes',
    responses: AUDIT_REQUESTS,
    violations,
    detail: `${bodies === 'identical' ? 'one body' : 'varied bodies (a fresh draw of 20 among 40 contacts each)'}, two tokens alternating (one granted sentiments, one not), 8 at a time`,
  };
}

function cpuMicros(usage: NodeJS.CpuUsage): number {
  return usage.user + usage.system;
}

function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

async function startContender(name: ContenderName, simulatorUrl: string, env: Record<string, string> = {}, nodeFlags: string[] = []): Promise<Child> {
  return Child.start({
    name,
    script: 'subgraph',
    args: [name],
    nodeFlags,
    env: {
      BENCH_API_URL: simulatorUrl,
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      CXONE_API_URL: simulatorUrl,
      CXONE_UI_URL: 'https://na1.nice-incontact.com',
      CXONE_ISSUER: simulatorUrl,
      CXONE_AUTH: 'forward',
      CXONE_TENANT_ID: '',
      CACHE_URL: '',
      CXONE_RATE_LIMIT: String(RATE_LIMIT),
      CXONE_RATE_WINDOW_SECONDS: String(RATE_WINDOW_SECONDS),
      CXONE_CONCURRENCY: String(CONCURRENCY),
      CACHE_MAX_ENTRIES: String(OURS_CACHE_ENTRIES),
      ...env,
    },
  });
}

interface Contender {
  readonly name: ContenderName;
  readonly subgraph: Child;
  /** Its gateway + CRM subgraph; none for `apollo`, which runs direct scenarios only. */
  readonly federation: Child | undefined;
  /** Fresh ids for this contender's cold requests and probes. */
  readonly cold: IdCursor;
}

function targetOf(contender: Contender, scenario: Scenario): string {
  if (scenario.via === 'subgraph') return contender.subgraph.url;
  if (contender.federation === undefined) throw new Error(`${contender.name} has no gateway`);
  return contender.federation.url;
}

async function startContenderWithGateway(name: ContenderName, simulatorUrl: string): Promise<Contender> {
  // (e) is ours with both answer caches off: Apollo's pipeline and our resolvers, every request.
  const subgraph = await startContender(name, simulatorUrl, name === 'pipeline' ? { RESPONSE_CACHE_MAX_BYTES: '0' } : {});
  if (DIRECT_ONLY.has(name)) return { name, subgraph, federation: undefined, cold: new IdCursor() };
  const federation = await Child.start({
    name: `gateway for ${name}`,
    script: 'federation',
    env: { BENCH_RECORDINGS_URL: subgraph.url },
  });
  return { name, subgraph, federation, cold: new IdCursor() };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until the simulator has seen no new call for a moment and returns its count: a run leaves
 * GraphQL requests in flight when autocannon stops, and their upstream calls belong to that run,
 * not to the next one.
 */
async function settle(simulator: Child): Promise<number> {
  let last = -1;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const now = await simulator.call<number>('contactCalls');
    if (now === last) return now;
    last = now;
    await sleep(250);
  }
  log('warning: upstream calls still running after 30 s');
  return last;
}

/** Exact upstream calls of one query, cold then repeated, on an otherwise idle system. */
async function probe(contender: Contender, simulator: Child, probes: Probe[]): Promise<void> {
  if (DIRECT_ONLY.has(contender.name)) return;
  for (const scenario of RUN_SCENARIOS) {
    if (scenario.warmOnly === true) continue;
    const start = contender.cold.take(scenario.keys);
    await simulator.call('resetCalls');
    await verify(contender.name, targetOf(contender, scenario), scenario, start);
    const coldCalls = await simulator.call<number>('contactCalls');
    await simulator.call('resetCalls');
    await verify(contender.name, targetOf(contender, scenario), scenario, start);
    const warmCalls = await simulator.call<number>('contactCalls');
    probes.push({ contender: contender.name, scenario: scenario.name, coldCalls, warmCalls });
  }
}

/** One bounded load run of one contender, after an untimed warm-up and a quiet upstream. */
async function loadRun(
  contender: Contender,
  simulator: Child,
  scenario: Scenario,
  temperature: Temperature,
): Promise<LoadRun> {
  const target = targetOf(contender, scenario);
  // Cold: ids nobody asked this contender for before, per request. Warm: the same ids, again and
  // again; or, for a warm-only scenario, a fresh draw (seed) among the warm ids per request.
  const nextStart =
    temperature === 'cold'
      ? () => contender.cold.take(scenario.keys)
      : scenario.warmOnly === true
        ? () => variedSeed++
        : () => WARM_START;
  // A draw may pick any of the warm ids: all of them are cached first, in one reporting query.
  if (scenario.warmOnly === true) await verify(contender.name, contender.subgraph.url, REPORT, WARM_START);
  await verify(contender.name, target, scenario, nextStart());
  // Warm runs warm up untimed; a cold run's JIT is already warm from the probes and warm runs.
  if (temperature === 'warm') await drive(target, scenario, nextStart, WARMUP_SECONDS);
  await settle(simulator);
  await simulator.call('resetCalls');
  const cacheBefore = await contender.subgraph.call<ResponseCacheFigures | null>('responseCache');
  const cpuBefore = await contender.subgraph.call<NodeJS.CpuUsage>('cpu');
  const result = await drive(target, scenario, nextStart, DURATION_SECONDS);
  // Requests still in flight at the end were sent and are finished by the server: they count in
  // the per-request figures (calls, CPU), not in req/s or latency.
  const calls = await settle(simulator);
  const cpuAfter = await contender.subgraph.call<NodeJS.CpuUsage>('cpu');
  const cacheAfter = await contender.subgraph.call<ResponseCacheFigures | null>('responseCache');
  const whole = cacheAfter === null || cacheBefore === null ? undefined : cacheAfter.hit - cacheBefore.hit;
  const hits = cacheAfter === null || cacheBefore === null ? undefined : whole! + cacheAfter.assembled - cacheBefore.assembled;
  const lookups =
    cacheAfter === null || cacheBefore === null ? undefined : hits! + cacheAfter.partial - cacheBefore.partial + cacheAfter.miss - cacheBefore.miss;
  const ok = result['2xx'];
  const sent = Math.max(result.requests.sent, ok);
  const run: LoadRun = {
    contender: contender.name,
    scenario: scenario.name,
    temperature,
    rps: ok / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok,
    failed: result.non2xx + result.errors + result.timeouts,
    upstreamPerQuery: sent === 0 ? NaN : calls / sent,
    cpuMsPerQuery: sent === 0 ? NaN : (cpuMicros(cpuAfter) - cpuMicros(cpuBefore)) / 1000 / sent,
    hitRatio: hits === undefined || lookups === undefined || lookups === 0 ? undefined : hits / lookups,
    wholeHitRatio: whole === undefined || lookups === undefined || lookups === 0 ? undefined : whole / lookups,
  };
  log(
    `${contender.name} ${scenario.name} ${temperature}: ${num(run.rps)} req/s, p50 ${num(run.p50)} ms, p99 ${num(run.p99)} ms, ` +
      `${num(run.upstreamPerQuery, 2)} upstream/request, ${num(run.cpuMsPerQuery, 2)} ms CPU/request, ${String(run.failed)} failed` +
      (run.hitRatio === undefined ? '' : `, answered before Apollo ${num(run.hitRatio * 100, 1)}% (whole-response hits ${num((run.wholeHitRatio ?? NaN) * 100, 1)}%)`),
  );
  return run;
}

/**
 * All three contenders run side by side: for each scenario and temperature, (a), (b) and (c)
 * back to back, so a busy moment on the machine hits all of them alike rather than one.
 */
async function benchAll(
  simulator: Child,
  runsDone: LoadRun[],
  probes: Probe[],
  timedCold: TimedCold[],
  audits: Audit[],
  afterLoad: { responseCache: ResponseCacheFigures | null },
): Promise<ProfiledRun | undefined> {
  log(`starting the contenders (${RUN_CONTENDERS.join(', ')}) and their gateways`);
  const contenders = await Promise.all(RUN_CONTENDERS.map((name) => startContenderWithGateway(name, simulator.url)));
  try {
    for (const contender of contenders) await probe(contender, simulator, probes);
    for (let round = 1; round <= ROUNDS; round++) {
      log(`round ${String(round)} of ${String(ROUNDS)}`);
      for (const scenario of RUN_SCENARIOS) {
        for (const temperature of ['cold', 'warm'] as const) {
          for (const contender of contenders) {
            // (a) answers constants: it has no cold or warm, and runs once per scenario.
            if (!runs(contender.name, scenario, temperature)) continue;
            runsDone.push(await loadRun(contender, simulator, scenario, temperature));
          }
        }
      }
    }
    const ours = contenders.find((contender) => contender.name === 'ours');
    if (ours !== undefined) afterLoad.responseCache = await ours.subgraph.call<ResponseCacheFigures | null>('responseCache');
    if (ours !== undefined && RUN_SCENARIOS.some((scenario) => scenario.name === 'entities20')) {
      for (const bodies of ['identical', 'varied'] as const) {
        audits.push(await auditDeadLinks(ours.subgraph.url, bodies), await auditScopes(ours.subgraph.url, bodies));
      }
      for (const audit of audits) log(`audit ${audit.name}: ${String(audit.violations)} of ${String(audit.responses)} responses wrong`);
    }
    // The cold 200-contact target: single queries, one at a time, on fresh ids, once the JIT is warm.
    const report = REPORT;
    for (const contender of contenders) {
      if (!RUN_SCENARIOS.includes(report)) break;
      if (contender.name === 'bare' || DIRECT_ONLY.has(contender.name)) continue;
      await settle(simulator);
      const ms: number[] = [];
      for (let time = 0; time < TIMED_COLD_REPORTS; time++) {
        ms.push((await verify(contender.name, contender.subgraph.url, report, contender.cold.take(report.keys))).ms);
      }
      timedCold.push({ contender: contender.name, ms });
      log(`${contender.name} cold report200, one query at a time: ${ms.map((value) => num(value, 0)).join(', ')} ms`);
    }
    // The warm pipeline under a profiler: varied _entities hops straight at (e), ours without the
    // answer caches (ours itself answers them from kept entities), else at ours; BENCH_PROFILE* pick another.
    const entities = RUN_SCENARIOS.find((scenario) => scenario.name === PROFILED_SCENARIO);
    const profiled = contenders.find((contender) => contender.name === PROFILED_CONTENDER) ?? ours;
    if (profiled === undefined || entities === undefined) return undefined;
    // The cold runs above evicted warm ids from ours' 1,000-entry cache: all 200 cached again first.
    await verify(profiled.name, profiled.subgraph.url, REPORT, WARM_START);
    await settle(simulator);
    const profileDir = mkdtempSync(join(os.tmpdir(), 'cxone-bench-'));
    const profilePath = join(profileDir, `${profiled.name}-warm-${PROFILED_SCENARIO}.cpuprofile`);
    await profiled.subgraph.call('profileStart');
    const cpuBefore = await profiled.subgraph.call<NodeJS.CpuUsage>('cpu');
    const driven = await drive(profiled.subgraph.url, entities, () => variedSeed++, Math.min(DURATION_SECONDS, 4));
    const cpuAfter = await profiled.subgraph.call<NodeJS.CpuUsage>('cpu');
    const summary = await profiled.subgraph.call<ProfileSummary>('profileStop', profilePath);
    // Per request, so two profiles taken at different moments can be compared function by function.
    const cpuMsPerRequest = (cpuMicros(cpuAfter) - cpuMicros(cpuBefore)) / 1000 / Math.max(1, driven.requests.total);
    log(`CPU profile of the warm path: ${profilePath} (${String(driven.requests.total)} requests, ${num(cpuMsPerRequest, 2)} ms of process CPU each, the profiler's own cost included)`);
    return { ...summary, contender: profiled.name };
  } finally {
    for (const contender of contenders) {
      await contender.federation?.stop();
      await contender.subgraph.stop();
    }
  }
}

interface MemoryFigures {
  /** Bytes the whole-response cache held after the repeat pass (its 50 reporting answers). */
  readonly responseCacheBytes: number | undefined;
  /** What it held when the heap was measured (the fill's answers): part of the heap delta. */
  readonly responseCacheBytesInHeap: number | undefined;
  readonly responseCacheAnswers: number;
  readonly entries: number;
  readonly heapDeltaBytes: number;
  readonly rssDeltaBytes: number;
  readonly fillCalls: number;
  readonly repeatCalls: number;
  /** Entity answers for all 10,000 contacts (`_entities`, 200 a request): bytes as the cache counts them, and heap. */
  readonly entityAnswers: { readonly countedBytes: number; readonly heapDeltaBytes: number; readonly calls: number } | undefined;
}

/** Heap after GC before and after caching the bulk contacts (the first window is warm-up, not counted). */
async function measureMemory(simulator: Child): Promise<MemoryFigures | undefined> {
  log('memory: filling a fresh instance with the 10,000 bulk contacts');
  const report = SCENARIOS.find((scenario) => scenario.name === 'report200')!;
  const windows = BULK_COUNT / report.keys;
  const subgraph = await startContender(
    'ours',
    simulator.url,
    { CACHE_MAX_ENTRIES: String(BULK_COUNT), CXONE_CONCURRENCY: '32', LOG_LEVEL: 'warn' },
    ['--expose-gc'],
  );
  // Latency only stretches the fill; it changes nothing in what is cached.
  await simulator.call('configure', { latencyMs: 0 });
  try {
    await verify('ours', subgraph.url, report, 0);
    const before = await subgraph.call<NodeJS.MemoryUsage | null>('heap');
    if (before === null) return undefined;
    await simulator.call('resetCalls');
    const parallel = 4;
    for (let k = 1; k < windows; k += parallel) {
      const batch = Array.from({ length: Math.min(parallel, windows - k) }, (_, index) => k + index);
      await Promise.all(batch.map((window) => verify('ours', subgraph.url, report, window * report.keys)));
    }
    const fillCalls = await simulator.call<number>('contactCalls');
    const after = await subgraph.call<NodeJS.MemoryUsage | null>('heap');
    if (after === null) return undefined;
    const storedDuringFill = (await subgraph.call<ResponseCacheFigures | null>('responseCache'))?.bytes;
    await simulator.call('resetCalls');
    for (let k = 0; k < windows; k += parallel) {
      const batch = Array.from({ length: Math.min(parallel, windows - k) }, (_, index) => k + index);
      await Promise.all(batch.map((window) => verify('ours', subgraph.url, report, window * report.keys)));
    }
    const repeatCalls = await simulator.call<number>('contactCalls');
    const responseCache = await subgraph.call<ResponseCacheFigures | null>('responseCache');
    // Entity answers: every contact twice through `_entities` (a router's batches of 200), all warm;
    // the second time in reverse order, another body: each entity is kept (from its second offer), no whole answer is.
    const entityBefore = await subgraph.call<NodeJS.MemoryUsage | null>('heap');
    await simulator.call('resetCalls');
    for (const order of ['asked', 'reversed'] as const) {
      for (let k = 0; k < windows; k += parallel) {
        const batch = Array.from({ length: Math.min(parallel, windows - k) }, (_, index) => k + index);
        await Promise.all(
          batch.map(async (window) => {
            const ids = bulkIds(report.keys, window * report.keys);
            const response = await fetch(subgraph.url, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: AUTHORIZATION },
              body: entitiesBody(order === 'asked' ? ids : ids.reverse()),
            });
            const answer = (await response.json()) as { errors?: unknown[] };
            if (!response.ok || answer.errors !== undefined) throw new Error(`entity answers fill failed: ${String(response.status)}`);
          }),
        );
      }
    }
    const entityCalls = await simulator.call<number>('contactCalls');
    const entityAfter = await subgraph.call<NodeJS.MemoryUsage | null>('heap');
    const withEntities = await subgraph.call<ResponseCacheFigures | null>('responseCache');
    const entries = BULK_COUNT - report.keys;
    const scale = BULK_COUNT / entries;
    return {
      responseCacheBytes: responseCache?.bytes,
      responseCacheBytesInHeap: storedDuringFill,
      responseCacheAnswers: windows,
      entries,
      heapDeltaBytes: (after.heapUsed - before.heapUsed) * scale,
      rssDeltaBytes: (after.rss - before.rss) * scale,
      fillCalls,
      repeatCalls,
      entityAnswers:
        entityBefore === null || entityAfter === null || withEntities === null || responseCache === null
          ? undefined
          : {
              countedBytes: withEntities.bytes - responseCache.bytes,
              heapDeltaBytes: entityAfter.heapUsed - entityBefore.heapUsed,
              calls: entityCalls,
            },
    };
  } finally {
    await simulator.call('configure', { latencyMs: UPSTREAM_LATENCY_MS });
    await subgraph.stop();
  }
}

function render(
  runsDone: readonly LoadRun[],
  probes: readonly Probe[],
  timedCold: readonly TimedCold[],
  audits: readonly Audit[],
  responseCacheAfterLoad: ResponseCacheFigures | null,
  memory: MemoryFigures | undefined,
  profile: ProfiledRun | undefined,
  elapsedS: number,
  tracing: readonly TracingRun[],
  cachedTracing: CachedTracing | undefined,
): string {
  // The best of the rounds (highest req/s, with that run's latencies): a busy moment on a shared
  // machine only ever makes a run worse.
  const find = (contender: ContenderName, scenario: ScenarioName, temperature: Temperature): LoadRun | undefined =>
    bestRun(
      runsDone.filter(
        (run) =>
          run.contender === contender &&
          run.scenario === scenario &&
          (contender === 'bare' || contender === 'apollo' || run.temperature === temperature),
      ),
    );
  const probe = (contender: ContenderName, scenario: ScenarioName): Probe | undefined =>
    probes.find((entry) => entry.contender === contender && entry.scenario === scenario);
  const cpu = os.cpus();
  const lines: string[] = [];
  lines.push('# Benchmarks');
  lines.push('');
  lines.push('Generated by `npm run bench` (bench/run.ts); rerun it to refresh this page. Figures from one run on one machine:');
  lines.push('compare the ratios, not the absolute numbers.');
  lines.push('');
  lines.push(`- Date: ${new Date().toISOString()}`);
  lines.push(`- Machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${String(cpu.length)} cores, ${String(Math.round(os.totalmem() / 2 ** 30))} GiB, ${os.platform()} ${os.release()}`);
  lines.push(`- Node ${process.version}; whole run ${num(elapsedS, 0)} s; load average (1 min) ${num(LOAD_AT_START, 2)} at the start, ${num(os.loadavg()[0], 2)} at the end (anything above the core count means other work shared the machine: compare ratios, and prefer CPU per request)`);
  lines.push(
    `- Upstream: the CXone simulator, ${String(UPSTREAM_LATENCY_MS)} ms per call, throttling raised to ${RATE_LIMIT.toLocaleString('en-US')} calls per ${String(RATE_WINDOW_SECONDS)} s for every contender (our CXONE_RATE_LIMIT the same); ours with CXONE_CONCURRENCY=${String(CONCURRENCY)}${CONCURRENCY === 8 ? ' (the default)' : ''}, NODE_ENV=production, LOG_LEVEL=info, in-memory cache.`,
  );
  lines.push(`- Each load run: ${String(DURATION_SECONDS)} s (warm runs after ${String(WARMUP_SECONDS)} s of untimed warm-up), ${String(ROUNDS)} rounds with the contenders interleaved, the best round reported, at most ${MAX_REQUESTS_PER_RUN.toLocaleString('en-US')} requests, autocannon on loopback, the full demo token (\`DEMO_TOKENS.full\`, verified as a CXone JWT on every request).`);
  lines.push('');
  lines.push('Contenders, each in its own process (all started together, driven one at a time), each behind its own gateway + CRM subgraph (src/dev) for the federated page:');
  lines.push('');
  lines.push('- **(a) bare**: the same server stack (express 5, Apollo Server 5, buildSubgraphSchema over schema.graphql) with resolvers returning constants: the ceiling.');
  lines.push('- **(b) naive**: the same stack, one plain `fetch` to CXone per contact per request: no loader, no cache, no concurrency cap, no budget, no retries.');
  lines.push('- **(c) ours**: `startApp` from the tsc build (`npm run build`, dist/app.js) configured from the environment, as `npm start` runs it, with its answer caches on (whole responses and entity answers; the default, RESPONSE_CACHE_MAX_BYTES=64 MiB).');
  lines.push('- **(e) pipeline**: (c) with RESPONSE_CACHE_MAX_BYTES=0 (no whole-response cache, no entity answers): every request through Apollo and our resolvers (warm contacts from the recording cache), measured on the `_entities` scenarios only, to show what the answer caches add and what the pipeline costs alone.');
  lines.push("- **(d) apollo**: (a) with Apollo's own response cache (`@apollo/server-plugin-response-cache`, in memory, PRIVATE answers keyed by the Authorization header, max-age 60 s), measured on the `_entities` scenarios only: the most Apollo's plugin can give, since its resolvers cost nothing.");
  lines.push('');
  lines.push('## Ours against the baselines');
  lines.push('');
  lines.push('Ratios are ours / baseline: above 1 is more requests per second, but longer latency. (a) answers constants, so it has no cold or warm: its one run is the base of both.');
  lines.push('');
  const ratioRows: string[][] = [];
  for (const scenario of SCENARIOS) {
    for (const temperature of ['cold', 'warm'] as const) {
      if (!runs('ours', scenario, temperature)) continue;
      const ours = find('ours', scenario.name, temperature);
      const bare = find('bare', scenario.name, temperature);
      const naive = find('naive', scenario.name, temperature);
      ratioRows.push([
        scenario.name,
        temperature,
        String(scenario.connections),
        num(ours?.rps),
        ratio(ours?.rps, bare?.rps),
        ratio(ours?.rps, naive?.rps),
        num(ours?.p50),
        ratio(ours?.p50, bare?.p50),
        ratio(ours?.p50, naive?.p50),
        num(ours?.p99),
        ratio(ours?.p99, bare?.p99),
        ratio(ours?.p99, naive?.p99),
      ]);
    }
  }
  lines.push(
    markdownTable(
      ['scenario', '', 'conns', 'ours req/s', 'vs (a)', 'vs (b)', 'ours p50 ms', 'vs (a)', 'vs (b)', 'ours p99 ms', 'vs (a)', 'vs (b)'],
      ratioRows,
    ),
  );
  lines.push('');
  lines.push('## Every contender');
  lines.push('');
  lines.push('Upstream calls per query are exact, from the simulator\'s call log: one query on an idle system with ids never asked before (cold), then the same query again (warm). CPU is the contender process\'s own CPU time (user + system) over the load run, per request sent.');
  lines.push('');
  const rawRows: string[][] = [];
  for (const scenario of SCENARIOS) {
    for (const temperature of ['cold', 'warm'] as const) {
      for (const contender of ALL_CONTENDERS) {
        if (!runs(contender, scenario, temperature)) continue;
        const run = find(contender, scenario.name, temperature);
        const entry = probe(contender, scenario.name);
        const calls = entry === undefined ? undefined : temperature === 'cold' ? entry.coldCalls : entry.warmCalls;
        rawRows.push([
          scenario.name,
          contender === 'bare' || contender === 'apollo' ? '-' : temperature,
          { bare: '(a) bare', naive: '(b) naive', ours: '(c) ours', apollo: '(d) apollo', pipeline: '(e) pipeline' }[contender],
          num(run?.rps),
          num(run?.p50),
          num(run?.p99),
          calls === undefined ? 'n/a' : String(calls),
          num(run?.upstreamPerQuery, 2),
          num(run?.cpuMsPerQuery, 2),
          run?.hitRatio === undefined ? '' : `${num(run.hitRatio * 100, 1)}% (${num((run.wholeHitRatio ?? NaN) * 100, 1)}%)`,
          String(run?.failed ?? 'n/a'),
        ]);
      }
    }
  }
  lines.push(
    markdownTable(
      ['scenario', '', 'contender', 'req/s', 'p50 ms', 'p99 ms', 'upstream calls / query', 'upstream / request under load', 'CPU ms / request', 'answered before Apollo (whole hits)', 'failed'],
      rawRows,
    ),
  );
  lines.push('');
  lines.push('Scenarios:');
  lines.push('');
  for (const scenario of SCENARIOS) lines.push(`- \`${scenario.name}\`: ${scenario.label}; ${String(scenario.connections)} connections.`);
  lines.push('');
  lines.push('## Targets');
  lines.push('');
  const warmPageOurs = find('ours', 'page20', 'warm');
  const warmPageBare = find('bare', 'page20', 'warm');
  const pageShare = warmPageOurs !== undefined && warmPageBare !== undefined ? warmPageOurs.rps / warmPageBare.rps : NaN;
  const entitiesOurs = find('ours', 'entities20', 'warm');
  const entitiesBare = find('bare', 'entities20', 'warm');
  const entitiesShare = entitiesOurs !== undefined && entitiesBare !== undefined ? entitiesOurs.rps / entitiesBare.rps : NaN;
  const identicalOurs = entitiesOurs;
  const variedOurs = find('ours', 'entities20varied', 'warm');
  const variedBare = find('bare', 'entities20varied', 'warm');
  const identicalApollo = find('apollo', 'entities20', 'warm');
  const identicalPipeline = find('pipeline', 'entities20', 'warm');
  const variedPipeline = find('pipeline', 'entities20varied', 'warm');
  const identicalShare = identicalOurs !== undefined && entitiesBare !== undefined ? identicalOurs.rps / entitiesBare.rps : NaN;
  const variedShare = variedOurs !== undefined && variedBare !== undefined ? variedOurs.rps / variedBare.rps : NaN;
  const halfOurs = find('ours', 'entities20halfnew', 'warm');
  const halfBare = find('bare', 'entities20halfnew', 'warm');
  const halfPipeline = find('pipeline', 'entities20halfnew', 'warm');
  const floorPipeline = find('pipeline', 'entities10', 'warm');
  const floorBare = find('bare', 'entities10', 'warm');
  const halfShare = halfOurs !== undefined && halfBare !== undefined ? halfOurs.rps / halfBare.rps : NaN;
  const tracedIdentical = cachedTracing === undefined ? undefined : tracedShare(cachedTracing, 'entities20');
  const tracedVaried = cachedTracing === undefined ? undefined : tracedShare(cachedTracing, 'entities20varied');
  const callsOk = SCENARIOS.filter((scenario) => scenario.warmOnly !== true).every((scenario) => {
    const entry = probe('ours', scenario.name);
    return entry !== undefined && entry.coldCalls === scenario.keys && entry.warmCalls === 0;
  });
  const oursCold = timedCold.find((entry) => entry.contender === 'ours')?.ms ?? [];
  const naiveCold = timedCold.find((entry) => entry.contender === 'naive')?.ms ?? [];
  const coldReportMs = percentile(oursCold, 50);
  const ideal = (200 / CONCURRENCY) * UPSTREAM_LATENCY_MS;
  const met = (ok: boolean): string => (ok ? '**met**' : '**not met**');
  lines.push(
    markdownTable(
      ['target', 'figure', ''],
      [
        [
          'warm 20-contact federated page >= 70% of (a)\'s throughput',
          `${num(pageShare * 100, 0)}% via the gateway (${num(warmPageOurs?.rps)} vs ${num(warmPageBare?.rps)} req/s); the subgraph's own \`_entities\` hop alone: ${num(entitiesShare * 100, 0)}%`,
          met(pageShare >= 0.7),
        ],
        [
          'upstream calls = distinct keys cold, 0 warm',
          SCENARIOS.filter((scenario) => scenario.warmOnly !== true).map((scenario) => {
            const entry = probe('ours', scenario.name);
            return `${scenario.name} ${String(entry?.coldCalls ?? 'n/a')}/${String(scenario.keys)} then ${String(entry?.warmCalls ?? 'n/a')}`;
          }).join('; ') +
            `; entities20varied under load: ${num(variedOurs?.upstreamPerQuery, 2)} per request ((b) makes one per contact every time)`,
          met(callsOk && variedOurs?.upstreamPerQuery === 0),
        ],
        [
          "identical warm page (`entities20` warm) >= 3x (a)'s throughput, p99 no worse",
          `${ratio(identicalOurs?.rps, entitiesBare?.rps)} (${num(identicalOurs?.rps)} vs ${num(entitiesBare?.rps)} req/s), p99 ${num(identicalOurs?.p99)} vs ${num(entitiesBare?.p99)} ms, whole-response hits ${identicalOurs?.wholeHitRatio === undefined ? 'n/a' : `${num(identicalOurs.wholeHitRatio * 100, 1)}%`}; Apollo's own response cache on (a): ${ratio(identicalApollo?.rps, entitiesBare?.rps)}; ours without answer caches (e): ${ratio(identicalPipeline?.rps, entitiesBare?.rps)}`,
          met(identicalShare >= 3 && identicalOurs !== undefined && entitiesBare !== undefined && identicalOurs.p99 <= entitiesBare.p99),
        ],
        [
          "varied warm pages (`entities20varied`, a fresh body per request) >= 1.0x (a)'s throughput",
          `${ratio(variedOurs?.rps, variedBare?.rps)} (${num(variedOurs?.rps)} vs ${num(variedBare?.rps)} req/s, p99 ${num(variedOurs?.p99)} vs ${num(variedBare?.p99)} ms; CPU ${num(variedOurs?.cpuMsPerQuery, 2)} vs ${num(variedBare?.cpuMsPerQuery, 2)} ms per request; answered before Apollo ${variedOurs?.hitRatio === undefined ? 'n/a' : `${num(variedOurs.hitRatio * 100, 1)}%`}, from kept entity answers); the pipeline alone (e): ${ratio(variedPipeline?.rps, variedBare?.rps)} (${num(variedPipeline?.rps)} req/s, CPU ${num(variedPipeline?.cpuMsPerQuery, 2)} ms per request)`,
          met(variedShare >= 1),
        ],
        [
          "a page half new to the answer caches (`entities20halfnew`: 10 kept entities, 10 through the pipeline, all warm in the recording cache) >= 1.0x (a)'s throughput",
          `${ratio(halfOurs?.rps, halfBare?.rps)} (${num(halfOurs?.rps)} vs ${num(halfBare?.rps)} req/s, p99 ${num(halfOurs?.p99)} vs ${num(halfBare?.p99)} ms; CPU ${num(halfOurs?.cpuMsPerQuery, 2)} vs ${num(halfBare?.cpuMsPerQuery, 2)} ms per request; upstream ${num(halfOurs?.upstreamPerQuery, 2)} per request); every contact through the pipeline (e): ${ratio(halfPipeline?.rps, halfBare?.rps)} (${num(halfPipeline?.rps)} req/s); the floor inside Apollo, (e) on only the 10 contacts that run (\`entities10\`, nothing assembled or kept): ${ratio(floorPipeline?.rps, halfBare?.rps)} (${num(floorPipeline?.rps)} req/s, CPU ${num(floorPipeline?.cpuMsPerQuery, 2)} ms), and (a) itself on 10 constants: ${ratio(floorBare?.rps, halfBare?.rps)}`,
          met(halfShare >= 1),
        ],
        [
          "with OpenTelemetry on at 10% sampling: identical warm page >= 2.5x (a)'s throughput",
          tracedIdentical === undefined ? 'not measured' : `${num(tracedIdentical.share, 2)}x (${num(tracedIdentical.ours)} vs ${num(tracedIdentical.bare)} req/s, same rounds)`,
          met(tracedIdentical !== undefined && tracedIdentical.share >= 2.5),
        ],
        [
          "with OpenTelemetry on at 10% sampling: varied warm pages >= 0.9x (a)'s throughput",
          tracedVaried === undefined ? 'not measured' : `${num(tracedVaried.share, 2)}x (${num(tracedVaried.ours)} vs ${num(tracedVaried.bare)} req/s, same rounds)`,
          met(tracedVaried !== undefined && tracedVaried.share >= 0.9),
        ],
        ...audits.map((entry) => [
          `zero ${entry.name === 'dead links' ? 'dead links (no repeat outlives the earliest link in it minus the margin)' : 'answers across cache scopes'}`,
          `${String(entry.violations)} of ${String(entry.responses)} (${entry.detail})`,
          met(entry.violations === 0),
        ]),
        [
          `cold 200-contact query within 1.3x of (200 / ${String(CONCURRENCY)}) x ${String(UPSTREAM_LATENCY_MS)} ms = ${num(ideal, 0)} ms`,
          `${num(coldReportMs, 0)} ms = ${ratio(coldReportMs, ideal)} (median of ${String(oursCold.length)} queries sent one at a time on fresh ids after the load runs: ${oursCold.map((ms) => num(ms, 0)).join(', ')} ms; (b), with no cap: ${num(percentile(naiveCold, 50), 0)} ms)`,
          met(coldReportMs !== undefined && coldReportMs <= 1.3 * ideal),
        ],
      ],
    ),
  );
  lines.push('');
  lines.push('## Memory and CPU');
  lines.push('');
  if (memory === undefined) {
    lines.push('Memory not measured (run with `--expose-gc` available to child processes).');
  } else {
    lines.push(
      `- Memory per 10,000 cached contacts: **${num(memory.heapDeltaBytes / 2 ** 20, 1)} MiB** of heap (${num(memory.heapDeltaBytes / BULK_COUNT / 1024, 2)} KiB per contact; RSS grew ${num(memory.rssDeltaBytes / 2 ** 20, 1)} MiB). ` +
        `Measured on a fresh instance (CACHE_MAX_ENTRIES=10000): heap after a forced GC, before and after caching ${memory.entries.toLocaleString('en-US')} bulk contacts (${String(memory.fillCalls)} upstream calls), scaled to 10,000; the first 200 were cached before the baseline so one-time costs (compiled queries, pools) stay out. Asking for all 10,000 again made ${String(memory.repeatCalls)} upstream calls.`,
    );
    lines.push(
      `- The whole-response cache (on, as by default) held **${num((memory.responseCacheBytes ?? NaN) / 2 ** 20, 2)} MiB** (as it counts: bodies, headers and keys; bounded by RESPONSE_CACHE_MAX_BYTES) for the ${String(memory.responseCacheAnswers)} reporting answers covering those 10,000 contacts (200 contacts each): ${num((memory.responseCacheBytes ?? NaN) / memory.responseCacheAnswers / 1024, 1)} KiB per 200-contact answer. ${heapShare(memory.responseCacheBytesInHeap)}`,
    );
  }
  if (memory?.entityAnswers !== undefined) {
    const entity = memory.entityAnswers;
    lines.push(
      `- Entity answers (src/http/entity-answers.ts) for the same 10,000 contacts, each asked twice through \`_entities\` in batches of 200, the second time in reverse order (${String(entity.calls)} upstream calls: all warm; an entity is kept from its second offer, and no whole answer, each body being asked once): **${num(entity.countedBytes / 2 ** 20, 2)} MiB** as the cache counts them (${num(entity.countedBytes / BULK_COUNT, 0)} bytes per contact: its JSON, key and bookkeeping; under the same RESPONSE_CACHE_MAX_BYTES bound), heap +${num(entity.heapDeltaBytes / 2 ** 20, 2)} MiB after a forced GC.`,
    );
  }
  if (responseCacheAfterLoad !== null) {
    lines.push(
      `- After every load run, ours' answer caches (whole answers and entity answers, one bound) held ${num(responseCacheAfterLoad.bytes / 2 ** 20, 2)} MiB (bound: 64 MiB, the default); ${responseCacheAfterLoad.hit.toLocaleString('en-US')} whole-response hits, ${responseCacheAfterLoad.assembled.toLocaleString('en-US')} answers assembled from kept entities and ${responseCacheAfterLoad.miss.toLocaleString('en-US')} requests through the pipeline in the whole run.`,
    );
  }
  const warm = (scenario: ScenarioName, contender: ContenderName): string => num(find(contender, scenario, 'warm')?.cpuMsPerQuery, 2);
  lines.push(
    `- CPU time per warm query (ours / (a) / (b), ms; ours' identical repeats are whole-response hits, its varied pages assembled entity answers; (e), the pipeline alone, in brackets where measured): ${SCENARIOS.map((scenario) => `${scenario.name} ${warm(scenario.name, 'ours')} / ${warm(scenario.name, 'bare')} / ${warm(scenario.name, 'naive')}${find('pipeline', scenario.name, 'warm') === undefined ? '' : ` (${warm(scenario.name, 'pipeline')})`}`).join('; ')}.`,
  );
  lines.push('');
  if (profile !== undefined) {
    lines.push('## Where a warm query spends its CPU');
    lines.push('');
    const [whose, what] =
      profile.contender === 'pipeline'
        ? ['(e), our subgraph with the answer caches off', ': the pipeline every miss of the answer caches runs']
        : [`the \`${profile.contender}\` contender (BENCH_PROFILE_CONTENDER)`, ''];
    lines.push(`V8 CPU profile of ${whose} (the sampler \`node --cpu-prof\` uses, started and stopped through \`node:inspector\` so only the warm window is profiled), during a warm \`${PROFILED_SCENARIO}\` run${what}; ${num(profile.totalMs, 0)} ms of samples.`);
    lines.push('');
    lines.push(
      markdownTable(
        ['self time by package', 'ms', '%'],
        profile.packages.slice(0, 10).map((row) => [row.name, num(row.selfMs, 0), num(row.percent, 1)]),
      ),
    );
    lines.push('');
    lines.push(
      markdownTable(
        ['top functions by self time', 'where', 'ms', '%'],
        profile.functions.map((row) => [row.name, row.where, num(row.selfMs, 0), num(row.percent, 1)]),
      ),
    );
    lines.push('');
  }
  lines.push('## Why the warm path is fast');
  lines.push('');
  lines.push(...WARM_PATH);
  lines.push('');
  lines.push(...tracingSection(tracing));
  if (cachedTracing !== undefined) lines.push(...cachedTracingSection(cachedTracing));
  lines.push('## Method notes');
  lines.push('');
  lines.push(...METHOD_NOTES);
  lines.push('');
  return lines.join('\n');
}

/** What of the whole-response cache the memory figure holds: its bodies are strings in the V8 heap. */
function heapShare(bytesWhenMeasured: number | undefined): string {
  if (bytesWhenMeasured === 0) {
    return 'The heap figure above holds none of it: a whole answer is kept from its second offer, and each was asked once before the heap was measured.';
  }
  return `Its bodies are strings in the V8 heap, so the heap figure above includes the ${num((bytesWhenMeasured ?? NaN) / 2 ** 20, 2)} MiB it held when the heap was measured.`;
}

/** How the warm path avoids the work the profile found, each with where it lives. */
const WARM_PATH = [
  '- **Identical requests** are answered by the whole-response cache (src/http/response-cache.ts) in front of Apollo: the stored JSON, its headers and a counting-down `Cache-Control: private, max-age`, before any parsing, validation, execution or serialisation, keyed by cache scope + the request bytes, kept from the second identical request on until the earliest link in it expires minus the margin. Apollo\'s own response-cache plugin, measured side by side as (d) on (a)\'s constant resolvers, still runs express, body-parser, Apollo\'s request pipeline and serialisation for every hit.',
  '- **Varied pages are answered before Apollo, from kept entity answers** (src/http/entity-answers.ts, in the front door). A router\'s `_entities` fetch with a body never seen before is still made of entities seen before: each entity\'s JSON, as Apollo serialised it, is kept per cache scope and operation (query text, other variables, path, `accept`), from the second time it is answered, until the earliest link of the request that produced it expires minus the margin, or its scope is force-refreshed. A request whose every representation is kept gets `{"data":{"_entities":[...]}}` assembled from them: the bytes Apollo would send (a test compares them), with a counting-down max-age. Only operations that were executed before with at least as many representations are answered (so every limit they passed still holds). Whether an answer may be kept, for whom and until when is the pipeline\'s decision (src/answers/): errors in a slot, a passing `recordingStatus`, a refresh and anything without a link are never replayed. This is what Apollo Router\'s entity cache does per subgraph; here it serves every router and gateway.',
  '- **Pages half new to the answer caches** (`entities20halfnew`): the front door sends Apollo only the representations it has no kept answer for (one sub-request, the same operation and other variables) and puts the page together from the kept entities and the pipeline\'s slots, errors in their slots, max-age the earliest of both (src/http/graphql-front-door.ts `executePart`, the slots from src/answers/plugin.ts). The new half carries a field beside the key that changes per request (as a router sends `@requires` fields), so its representations are new to the answer caches while the recording cache holds every contact: the figure is the pipeline for 10 contacts plus the assembly, against (a) answering 20 constants. The new half is never stored: answers are kept from their second offer (src/http/doorkeeper.ts), so a one-off entity costs no insertion into the answer caches and evicts nothing that recurs. `entities10` is that page\'s floor inside Apollo: (e) on only the 10 contacts that run, nothing assembled or kept. (a) on 10 constants is only about 1.2x as fast as on 20, so most of (a)\'s cost is Apollo\'s fixed per-request work, which the half that runs pays in full: the page reaches (a) only where the front door\'s lookups and our per-request and per-contact work cost less than express, body-parser and 10 more constants cost (a). Demand control\'s estimate is remembered per operation and variable sizes (src/guards/demand.ts), so a router\'s next page of the same operation costs a lookup, not a walk of the selection.',
  '- **What the pipeline still costs, measured as (e):** ours with both answer caches off, on the `_entities` scenarios. Its gap to (a) is the work (a) does not do: verifying the caller, the request id, child logger and log line, the link-lifetime and error bookkeeping, demand control with variables, the recording-cache read per contact, the histogram and counters. A miss of the answer caches pays that, once, and keeps what it read for the next requests.',
  '- **No express or body-parser on plain `POST /graphql`:** the front door (src/http/graphql-front-door.ts) reads the body and calls `executeHTTPGraphQLRequest` itself; everything else (a wrong router secret, no caller, oversized or odd bodies, GET, /health, /metrics) goes through express.',
  '- **A warm contact is a plain value:** `Contact.recording` reads `RecordingCache.peek`, a synchronous read of the in-process LRU, so graphql-js completes a warm `_entities` list synchronously, as in (a); the loaders (4 DataLoaders + a p-limit) are built only when a request misses.',
  '- **In-process entries are deep-frozen objects**, not JSON (src/cache/store.ts; Redis entries are serialised): a warm read parses nothing, and no entry is held as a rope of small strings (the memory section above gives the heap per 10,000 contacts).',
  '- **Only the resolvers that load recordings are timed**, wrapped directly (src/server.ts): no `willResolveField` hook makes Apollo wrap every field of every response. Their histogram is bound to its label once, so no label object is built per contact (prom-client still validates and hashes the labels on every observation: about 1.3 µs per contact).',
  '- **Times pass through:** the mapping stores the ISO form `DateTime` sends, so no `new Date(..).toISOString()` per field (src/resolvers/DateTime.ts).',
  '- **The store timeout guards Redis only** (src/app.ts): the in-process LRU cannot hang, so its reads start no timer.',
  '- **Verified tokens are remembered** (sha256 of the token, at most 5 min and never past `exp` plus the leeway), and the caller decision built from them (tenant check, the user and caller digests) is made once per remembered token (src/callers/identity.ts): an RS256 check per request would be about a fifth of a varied page.',
  '- **Links only**: `recording { playerUrl downloadUrl }` (with ids) makes no upstream call (src/resolvers/recording-field.ts).',
  '- **Response bodies are strings**: node writes them with their headers in one write (a Buffer body is a `writev` of two).',
];

const METHOD_NOTES = [
  '- **Processes.** The simulator, the contender, and the gateway + CRM subgraph each run in their own process (forked; the harness is TypeScript run by tsx, ours is the tsc build, since tsx\'s transform adds a name helper to every function our per-request code creates), and autocannon drives from the benchmark process. (a) and (b) are tsx-transformed too, but their per-request work is all in node_modules, which tsx leaves alone. Each process drops tsx\'s module hooks once it is serving (bench/procs/launch.mjs): with them in place, every `require` at run time went through tsx\'s resolver, and Apollo Server requires `crypto` for every request\'s query hash, so every contender paid a cost production does not (ours most, up to a tenth of a half-new page\'s CPU in a profile). In one process the gateway and autocannon would share the event loop with the contender being measured; separate processes are the same for every contender. The machine has few cores, so everything still competes for them: the federated figures include the gateway\'s own cost, which is why the direct `entities20` row is there.',
  '- **Cold.** Every cold request (and probe) asks for ids that contender was never asked for: the bulk contacts after the first 200, handed out in order, starting over only after 9,800 others, while ours holds at most 1,000 entries in the load runs (CACHE_MAX_ENTRIES=1000), so nothing cold is ever a hit. The exact upstream calls of a cold query come from single probes on fresh ids on an idle system; the load runs\' "upstream / request" column confirms it under load (requests still in flight when a run stops count as sent).',
  '- **Warm.** Every request asks for the first ids again; one untimed request fills the cache and 1 s of untimed load warms the JIT first. (b) has no cache, so its warm figures are its cold ones again, and (a) answers constants, so its one run per scenario is the base of both.',
  '- **Varied.** `entities20varied` draws a fresh body for every request (a seeded shuffle: 20 of the 200 warm contacts, in a new order), so no whole-response cache, ours or (d), can answer it; ours answers it from kept entity answers, which the 1 s warm-up fills. (e) shows the same requests through the pipeline.',
  '- **Fairness.** The same token, selection, connections, durations and upstream for all three; (b) is allowed what a hand-written resolver does: unlimited parallel calls. Ours caps upstream concurrency at CXONE_CONCURRENCY per request and its HTTP pool at max(CXONE_CONCURRENCY, 4) sockets to CXone for the whole process, because the real CXone budget is 150 calls per 5 minutes per tenant: cold throughput under concurrent load is bounded by sockets / latency by design (8 sockets / 50 ms = 160 upstream calls per second here, 8 cold 20-contact pages per second), where (b) fires every call at once and against the real CXone would be throttled after its first 150.',
  '- **CPU per request** is the contender process alone (process.cpuUsage, user + system, JIT and GC included); the gateway and CRM subgraph are not in it. It is the steadiest figure on a shared machine: when the load average at the top of this page is above the core count, other work shared the machine, and a client-bound figure (an identical page is about a tenth of (a)\'s CPU) says more about the client than the server.',
];

/**
 * Tracing on and off: ours with no OTLP endpoint (off), ours exporting every span to a sink in this
 * process (OpenTelemetry on, every request sampled: the worst case), and the off process with every
 * request asking for an inline trace (`ftv1`, as a router reporting field statistics does).
 * Interleaved rounds, the best of each kept; warm `single` and `entities20`, cold `entities20`.
 */
async function benchTracing(simulator: Child): Promise<TracingRun[]> {
  const sink = await startSpanSink();
  // Answer caches off in both: an ftv1 request bypasses them, so against cache hits the ratio would
  // measure the caches, not tracing (benchCachedTracing measures tracing with the caches on).
  const noAnswerCaches = { RESPONSE_CACHE_MAX_BYTES: '0' };
  const off = await startContender('ours', simulator.url, noAnswerCaches);
  const on = await startContender('ours', simulator.url, { ...noAnswerCaches, OTEL_EXPORTER_OTLP_ENDPOINT: sink.url });
  const cursors = new Map([
    [off, new IdCursor()],
    [on, new IdCursor()],
  ]);
  const processOf = (variant: TracingVariant): Child => (variant === 'otel' ? on : off);
  const headersOf = (variant: TracingVariant): Record<string, string> =>
    variant === 'ftv1' ? { 'apollo-federation-include-trace': 'ftv1' } : {};
  const runs: TracingRun[] = [];
  const cases = [
    ['single', 'warm'],
    ['entities20', 'warm'],
    ['entities20', 'cold'],
  ] as const;
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      log(`tracing on/off: round ${String(round)} of ${String(ROUNDS)}`);
      for (const [name, temperature] of cases) {
        const scenario = SCENARIOS.find((candidate) => candidate.name === name)!;
        for (const variant of TRACING_VARIANTS) {
          const child = processOf(variant);
          const cursor = cursors.get(child)!;
          const nextStart = temperature === 'cold' ? () => cursor.take(scenario.keys) : () => WARM_START;
          await verify('ours', child.url, scenario, nextStart());
          if (temperature === 'warm') await drive(child.url, scenario, nextStart, WARMUP_SECONDS, headersOf(variant));
          await settle(simulator);
          await child.call('flushTraces');
          const spansBefore = sink.spans();
          const cpuBefore = await child.call<NodeJS.CpuUsage>('cpu');
          const result = await drive(child.url, scenario, nextStart, DURATION_SECONDS, headersOf(variant));
          await settle(simulator);
          // The spans of this run leave now, on this run's CPU and in its count.
          await child.call('flushTraces');
          const cpuAfter = await child.call<NodeJS.CpuUsage>('cpu');
          const sent = Math.max(result.requests.sent, result['2xx']);
          const run: TracingRun = {
            variant,
            scenario: name,
            temperature,
            rps: result['2xx'] / result.duration,
            p50: result.latency.p50,
            p99: result.latency.p99,
            failed: result.non2xx + result.errors + result.timeouts,
            cpuMsPerQuery: sent === 0 ? NaN : (cpuMicros(cpuAfter) - cpuMicros(cpuBefore)) / 1000 / sent,
            spansPerQuery: sent === 0 ? NaN : (sink.spans() - spansBefore) / sent,
          };
          runs.push(run);
          log(
            `${variant} ${name} ${temperature}: ${num(run.rps)} req/s, p50 ${num(run.p50)} ms, p99 ${num(run.p99)} ms, ` +
              `${num(run.cpuMsPerQuery, 2)} ms CPU/request, ${num(run.spansPerQuery, 1)} spans/request, ${String(run.failed)} failed`,
          );
        }
      }
    }
    return runs;
  } finally {
    await on.stop();
    await off.stop();
    await sink.close();
  }
}

/**
 * The answer caches with OpenTelemetry on at 10% sampling, beside them with tracing off and beside
 * the constants-only ceiling (a): warm `entities20` (identical bodies) and `entities20varied`,
 * direct. Printed only (BENCH_ONLY=tracing-cached), with the load average.
 */
async function benchCachedTracing(simulator: Child): Promise<CachedTracing> {
  const sink = await startSpanSink();
  const bare = await startContender('bare', simulator.url);
  const off = await startContender('ours', simulator.url);
  const on = await startContender('ours', simulator.url, { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OTEL_TRACES_SAMPLER_ARG: '0.1' });
  const variants = [
    ['(a) bare', bare],
    ['ours, tracing off', off],
    ['ours, OpenTelemetry 10%', on],
  ] as const;
  const best = new Map<string, { rps: number; p99: number }>();
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      for (const name of ['entities20', 'entities20varied'] as const) {
        const scenario = SCENARIOS.find((candidate) => candidate.name === name)!;
        for (const [label, child] of variants) {
          const nextStart = scenario.warmOnly === true ? () => variedSeed++ : () => WARM_START;
          if (scenario.warmOnly === true && child !== bare) await verify('ours', child.url, REPORT, WARM_START);
          await verify(child === bare ? 'bare' : 'ours', child.url, scenario, nextStart());
          await drive(child.url, scenario, nextStart, WARMUP_SECONDS);
          await settle(simulator);
          const result = await drive(child.url, scenario, nextStart, DURATION_SECONDS);
          const rps = result['2xx'] / result.duration;
          const key = `${name}\n${label}`;
          const known = best.get(key);
          if (known === undefined || rps > known.rps) best.set(key, { rps, p99: result.latency.p99 });
          log(`tracing-cached round ${String(round)}: ${label} ${name}: ${num(rps)} req/s, p99 ${num(result.latency.p99)} ms, ${String(result.non2xx + result.errors)} failed`);
        }
      }
    }
  } finally {
    await on.stop();
    await off.stop();
    await bare.stop();
    await sink.close();
  }
  return best;
}

/** Best req/s and p99 of each `scenario\nvariant` of benchCachedTracing. */
type CachedTracing = ReadonlyMap<string, { readonly rps: number; readonly p99: number }>;

const CACHED_TRACING_VARIANTS = ['(a) bare', 'ours, tracing off', 'ours, OpenTelemetry 10%'] as const;

/** ours with OpenTelemetry at 10% over (a), on `scenario`, from one benchCachedTracing run. */
function tracedShare(figures: CachedTracing, scenario: string): { share: number; ours?: number; bare?: number } {
  const ours = figures.get(`${scenario}\nours, OpenTelemetry 10%`)?.rps;
  const bare = figures.get(`${scenario}\n(a) bare`)?.rps;
  return { share: ours !== undefined && bare !== undefined ? ours / bare : NaN, ...(ours === undefined ? {} : { ours }), ...(bare === undefined ? {} : { bare }) };
}

function cachedTracingSection(figures: CachedTracing): string[] {
  const lines = [
    '## Answer caches with OpenTelemetry on',
    '',
    "The answer caches stay on with tracing. Warm, direct to the subgraph, best of the rounds, each variant beside the constants-only ceiling (a) measured in the same rounds: ours with tracing off and ours with OpenTelemetry on (10% of requests sampled, `OTEL_TRACES_SAMPLER_ARG=0.1`, spans exported over OTLP/HTTP to a sink in the benchmark process).",
    '',
    '| scenario | contender | req/s | p99 ms | x (a) |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const name of ['entities20', 'entities20varied']) {
    const ceiling = figures.get(`${name}\n(a) bare`)?.rps ?? NaN;
    for (const label of CACHED_TRACING_VARIANTS) {
      const entry = figures.get(`${name}\n${label}`);
      if (entry !== undefined) lines.push(`| ${name} | ${label} | ${num(entry.rps)} | ${num(entry.p99)} | ${num(entry.rps / ceiling, 2)} |`);
    }
  }
  lines.push('');
  return lines;
}

async function main(): Promise<void> {
  const started = performance.now();
  if (process.env['BENCH_OURS'] !== 'source') {
    // Ours runs from dist/, as `npm start` does (codegen + tsc), never from a stale build.
    log('building (npm run build)');
    execFileSync('npm', ['run', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  log(`simulator: ${String(UPSTREAM_LATENCY_MS)} ms per call; ours: CXONE_CONCURRENCY=${String(CONCURRENCY)}; ${String(DURATION_SECONDS)} s per run`);
  const simulator = await Child.start({
    name: 'simulator',
    script: 'simulator',
    env: {
      BENCH_UPSTREAM_LATENCY_MS: String(UPSTREAM_LATENCY_MS),
      BENCH_RATE_LIMIT: String(RATE_LIMIT),
      BENCH_RATE_WINDOW_SECONDS: String(RATE_WINDOW_SECONDS),
    },
  });
  const runs: LoadRun[] = [];
  const probes: Probe[] = [];
  const timedCold: TimedCold[] = [];
  const audits: Audit[] = [];
  const afterLoad: { responseCache: ResponseCacheFigures | null } = { responseCache: null };
  let profile: ProfiledRun | undefined;
  let memory: MemoryFigures | undefined;
  let tracing: TracingRun[] = [];
  let cachedTracing: CachedTracing | undefined;
  // BENCH_ONLY=tracing: just the tracing on/off comparison, printed, docs/benchmarks.md untouched.
  const only = process.env['BENCH_ONLY'];
  try {
    if (only === 'tracing-cached') {
      process.stdout.write(`${cachedTracingSection(await benchCachedTracing(simulator)).join('\n')}\nload average (1 min) at start ${num(LOAD_AT_START, 2)}, at end ${num(os.loadavg()[0] ?? NaN, 2)}\n`);
      return;
    }
    if (only === 'tracing') {
      tracing = await benchTracing(simulator);
      process.stdout.write(`${tracingSection(tracing).join('\n')}\n`);
      return;
    }
    profile = await benchAll(simulator, runs, probes, timedCold, audits, afterLoad);
    if (ONLY.size === 0 && RUN_CONTENDERS.includes('ours')) memory = await measureMemory(simulator);
    if (ONLY.size === 0) tracing = await benchTracing(simulator);
    if (ONLY.size === 0 && RUN_CONTENDERS.includes('ours') && RUN_CONTENDERS.includes('bare')) cachedTracing = await benchCachedTracing(simulator);
    await simulator.call('resetCalls');
  } finally {
    await simulator.stop();
  }
  const markdown = render(runs, probes, timedCold, audits, afterLoad.responseCache, memory, profile, (performance.now() - started) / 1000, tracing, cachedTracing);
  process.stdout.write(`${markdown}\n`);
  if (PARTIAL) {
    log('BENCH_ONLY/BENCH_CONTENDERS/BENCH_PROFILE: a partial run; docs/benchmarks.md left as it was');
  } else {
    writeFileSync(REPORT_PATH, markdown);
    log(`written to docs/benchmarks.md`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
