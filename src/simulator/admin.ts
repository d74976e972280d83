/**
 * `/__sim/*`: the test controls over HTTP, for other processes (benchmark, demo) that cannot call
 * the in-process API. No auth: the simulator binds loopback only. These requests are not
 * recorded in the call log, so polling it does not change what it reports.
 */
import { DEMO_TOKENS } from './grants.js';
import { json, type Reply } from './http.js';
import { applyPatch, parsePatch, SimulatorOptionError } from './options.js';
import { SEEDED } from './seed.js';
import { resetState, type SimulatorState } from './state.js';

export const ADMIN_PREFIX = '/__sim/';

const methodNotAllowed = (allow: string): Reply => ({
  ...json(405, { message: `use ${allow}` }),
  headers: { 'content-type': 'application/json; charset=utf-8', allow },
});

/** Handles one admin request; `body` is read by the caller for POSTs only (null when too large). */
export function handleAdmin(state: SimulatorState, method: string, path: string, body: string | null): Reply {
  switch (path) {
    case '/__sim/calls':
      if (method !== 'GET') return methodNotAllowed('GET');
      return json(200, { calls: state.calls.all(), byEndpoint: state.calls.byEndpoint() });
    case '/__sim/reset':
      if (method !== 'POST') return methodNotAllowed('POST');
      resetState(state);
      return json(200, { ok: true });
    case '/__sim/reset-calls':
      if (method !== 'POST') return methodNotAllowed('POST');
      state.calls.reset();
      return json(200, { ok: true });
    case '/__sim/config':
      if (method === 'GET') return json(200, { settings: state.settings });
      if (method !== 'POST') return methodNotAllowed('GET, POST');
      return configure(state, body);
    case '/__sim/seeded':
      if (method !== 'GET') return methodNotAllowed('GET');
      return json(200, { seeded: SEEDED, demoTokens: DEMO_TOKENS });
    default:
      return json(404, { message: 'unknown simulator control' });
  }
}

function configure(state: SimulatorState, body: string | null): Reply {
  if (body === null) return json(413, { message: 'body too large' });
  let input: unknown;
  try {
    input = JSON.parse(body === '' ? '{}' : body);
  } catch {
    return json(400, { message: 'body must be JSON' });
  }
  try {
    applyPatch(state.settings, parsePatch(input));
  } catch (error) {
    if (error instanceof SimulatorOptionError) return json(400, { message: error.message });
    throw error;
  }
  return json(200, { ok: true, settings: state.settings });
}
