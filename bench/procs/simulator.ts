/**
 * The CXone simulator in its own process, so its work (a timer per call, rendering answers) does
 * not share an event loop with the contender being measured. Settings come from BENCH_* variables.
 */
import { startSimulator, type SimulatorConfigPatch } from '../../src/simulator/index.js';
import { serveRpc } from '../ipc.js';

const latencyMs = Number(process.env['BENCH_UPSTREAM_LATENCY_MS'] ?? '50');
const rateLimit = Number(process.env['BENCH_RATE_LIMIT'] ?? '1000000');
const rateWindowSeconds = Number(process.env['BENCH_RATE_WINDOW_SECONDS'] ?? '300');

const simulator = await startSimulator({
  port: 0,
  host: '127.0.0.1',
  latencyMs,
  rateLimit: { limit: rateLimit, windowSeconds: rateWindowSeconds },
});

serveRpc(
  simulator.url,
  {
    /** Calls to the contacts endpoint since the last reset. */
    contactCalls: () => simulator.count('contacts'),
    /** Calls with a status other than 200 since the last reset (429s would mean the budget bit). */
    failedCalls: () => simulator.calls().filter((call) => call.status !== 200).length,
    resetCalls: () => {
      simulator.resetCalls();
      return null;
    },
    configure: (patch) => {
      simulator.configure(patch as SimulatorConfigPatch);
      return null;
    },
  },
  () => simulator.close(),
);
