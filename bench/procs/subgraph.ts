/**
 * One contender in its own process: `bare` (a), `naive` (b), `ours` (c), `apollo` (d) or `pipeline` (e), chosen by the first
 * argument. Answers the benchmark's questions over IPC: its CPU time, its heap after a full GC
 * (needs --expose-gc), and a V8 CPU profile of a window the benchmark chooses.
 */
import { writeFileSync } from 'node:fs';
import type * as AppModule from '../../src/app.js';
import type * as ConfigModule from '../../src/config.js';
import { Session } from 'node:inspector/promises';
import { bareResolvers, naiveResolvers, startBaseline } from '../contenders.js';
import { serveRpc } from '../ipc.js';
import { summarizeProfile, type CpuProfile } from '../report.js';

const mode = process.argv[2];
const apiUrl = process.env['BENCH_API_URL'] ?? '';

/** Ours' whole-response cache counters and size, read from its metrics registry. */
interface ResponseCacheFigures {
  readonly hit: number;
  readonly assembled: number;
  readonly partial: number;
  readonly miss: number;
  readonly bytes: number;
}

async function start(): Promise<{ url: string; close: () => Promise<void>; responseCache?: () => Promise<ResponseCacheFigures>; flushTraces?: () => Promise<void> }> {
  if (mode === 'bare') return startBaseline(bareResolvers());
  if (mode === 'apollo') return startBaseline(bareResolvers(), { apolloResponseCache: true });
  if (mode === 'naive') return startBaseline(naiveResolvers(apiUrl));
  // `pipeline` is ours with both answer caches off (bench/run.ts sets RESPONSE_CACHE_MAX_BYTES=0).
  if (mode === 'ours' || mode === 'pipeline') {
    // As `npm start` runs it: the tsc build in dist/ (bench/run.ts builds it first), not the sources
    // through tsx, whose transform adds work production never does (e.g. a name helper around every
    // function). BENCH_OURS=source runs src/ instead. Configured from the environment, as main.ts.
    const fromSource = process.env['BENCH_OURS'] === 'source';
    const root = new URL(fromSource ? '../../src/' : '../../dist/', import.meta.url);
    const extension = fromSource ? 'ts' : 'js';
    const { startApp } = (await import(new URL(`app.${extension}`, root).href)) as typeof AppModule;
    const { loadConfig } = (await import(new URL(`config.${extension}`, root).href)) as typeof ConfigModule;
    const app = await startApp(loadConfig(process.env));
    const { telemetry } = app;
    const value = async (name: string, event?: string): Promise<number> => {
      const metric = app.metrics.registry.getSingleMetric(name);
      if (metric === undefined) return 0;
      const { values } = await metric.get();
      return values.filter((sample) => event === undefined || sample.labels['event'] === event).reduce((sum, sample) => sum + sample.value, 0);
    };
    return {
      url: app.url,
      close: () => app.close(),
      responseCache: async () => ({
        hit: await value('graphql_response_cache_events_total', 'hit'),
        assembled: await value('graphql_response_cache_events_total', 'assembled'),
        partial: await value('graphql_response_cache_events_total', 'partial'),
        miss: await value('graphql_response_cache_events_total', 'miss'),
        bytes: await value('graphql_response_cache_bytes'),
      }),
      ...(telemetry === undefined ? {} : { flushTraces: () => telemetry.flush() }),
    };
  }
  throw new Error(`unknown contender ${String(mode)}`);
}

const server = await start();
let session: Session | undefined;

serveRpc(
  server.url,
  {
    cpu: () => process.cpuUsage(),
    /** Exports every finished span now (tracing on), so the spans of a run are counted in that run. */
    flushTraces: async () => {
      await server.flushTraces?.();
      return null;
    },
    responseCache: () => server.responseCache?.() ?? null,
    heap: () => {
      if (globalThis.gc === undefined) return null;
      // Twice: the first pass can leave finalisation work for the second.
      globalThis.gc();
      globalThis.gc();
      return process.memoryUsage();
    },
    profileStart: async () => {
      session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 200 });
      await session.post('Profiler.start');
      return null;
    },
    profileStop: async (params) => {
      if (session === undefined) throw new Error('profileStart first');
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      session = undefined;
      const path = typeof params === 'string' ? params : undefined;
      if (path !== undefined) writeFileSync(path, JSON.stringify(profile));
      return summarizeProfile(profile as CpuProfile, 15);
    },
  },
  () => server.close(),
);
