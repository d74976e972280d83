/**
 * The record of what reached the simulator, so tests can fail when an expected upstream call did
 * not happen or an unexpected one did.
 */
import type { SimulatorCall, SimulatorEndpoint } from './types.js';

const ENDPOINTS: readonly SimulatorEndpoint[] = ['contacts', 'statements', 'segments', 'completed-contacts', 'analyzed-transcript', 'analyzed-segments', 'token', 'discovery', 'jwks', 'idp', 'media', 'other'];

// Media signatures are credentials of a sort; the log (also served over /__sim/calls) never holds them.
const SECRET_PARAMS = new Set(['signature', 'x-amz-signature', 'x-amz-credential']);

/**
 * The embedded simulator behind `npm start` can run for days; beyond this many entries the oldest
 * are dropped so the log cannot grow without bound. Tests and benchmarks reset long before.
 */
const MAX_ENTRIES = 100_000;

export class CallLog {
  private entries: SimulatorCall[] = [];

  record(call: SimulatorCall): void {
    if (this.entries.length >= MAX_ENTRIES) this.entries.splice(0, MAX_ENTRIES / 10);
    const query: Record<string, string> = {};
    for (const [key, value] of Object.entries(call.query)) {
      query[key] = SECRET_PARAMS.has(key.toLowerCase()) ? '[redacted]' : value;
    }
    this.entries.push(Object.freeze({ ...call, query: Object.freeze(query) }));
  }

  all(): readonly SimulatorCall[] {
    return [...this.entries];
  }

  count(endpoint: SimulatorEndpoint, key?: string): number {
    return this.entries.filter((c) => c.endpoint === endpoint && (key === undefined || c.key === key)).length;
  }

  byEndpoint(): Record<SimulatorEndpoint, number> {
    const counts = Object.fromEntries(ENDPOINTS.map((e) => [e, 0])) as Record<SimulatorEndpoint, number>;
    for (const call of this.entries) counts[call.endpoint] += 1;
    return counts;
  }

  reset(): void {
    this.entries = [];
  }
}
