/**
 * `/__sim/*`: the test controls over HTTP, for other processes (benchmark, demo) that cannot call
 * the in-process API. No auth: the simulator binds loopback only. These requests are not
 * recorded in the call log, so polling it does not change what it reports.
 */
import { DEMO_TOKENS, type MintOptions } from './grants.js';
import { json, type Reply } from './http.js';
import { applyPatch, parsePatch, SimulatorOptionError } from './options.js';
import { SEEDED } from './seed.js';
import { resetState, type SimulatorState } from './state.js';
import { isRecord } from '../json.js';

export const ADMIN_PREFIX = '/__sim/';

const methodNotAllowed = (allow: string): Reply => ({
  ...json(405, { message: `use ${allow}` }),
  headers: { 'content-type': 'application/json; charset=utf-8', allow },
});

/** Handles one admin request; `body` is read by the caller for POSTs only (null when too large). */
export async function handleAdmin(state: SimulatorState, method: string, path: string, body: string | null): Promise<Reply> {
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
    case '/__sim/revoke-links':
      if (method !== 'POST') return methodNotAllowed('POST');
      state.links.revokeAll();
      return json(200, { ok: true });
    case '/__sim/config':
      if (method === 'GET') return json(200, { settings: state.settings });
      if (method !== 'POST') return methodNotAllowed('GET, POST');
      return configure(state, body);
    case '/__sim/seeded':
      if (method !== 'GET') return methodNotAllowed('GET');
      return json(200, { seeded: SEEDED, demoTokens: DEMO_TOKENS });
    case '/__sim/tokens':
      if (method !== 'POST') return methodNotAllowed('POST');
      return mint(state, body);
    case '/__sim/rotate-keys': {
      if (method !== 'POST') return methodNotAllowed('POST');
      const input = readJson(body);
      if (input instanceof Error) return json(400, { message: input.message });
      const issuer = isRecord(input) && input['issuer'] === 'idp' ? 'idp' : 'cxone';
      return json(200, { issuer, kid: await state.keys[issuer].rotate() });
    }
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

function readJson(body: string | null): unknown {
  if (body === null) return new Error('body too large');
  try {
    return JSON.parse(body === '' ? '{}' : body);
  } catch {
    return new Error('body must be JSON');
  }
}


const optionalString = (value: unknown): value is string | undefined => value === undefined || typeof value === 'string';
const stringList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

/**
 * `POST /__sim/tokens`: the test identity provider's (and CXone's) token minting for demos and
 * tests in other processes: `{issuer?: "cxone"|"idp", sub?, aud?, scope?, scp?, tenantId?,
 * expiresInSeconds?, unpublishedKey?}` -> `{token}`.
 */
async function mint(state: SimulatorState, body: string | null): Promise<Reply> {
  const input = readJson(body);
  if (input instanceof Error) return json(400, { message: input.message });
  if (!isRecord(input)) return json(400, { message: 'body must be a JSON object' });
  const { issuer, sub, aud, scope, scp, tenantId, expiresInSeconds, unpublishedKey } = input;
  if (issuer !== undefined && issuer !== 'cxone' && issuer !== 'idp') return json(400, { message: 'issuer must be cxone or idp' });
  if (!optionalString(sub) || !optionalString(scope) || !(optionalString(tenantId) || tenantId === null)) {
    return json(400, { message: 'sub, scope and tenantId must be strings' });
  }
  if (!(optionalString(aud) || stringList(aud)) || !(scp === undefined || stringList(scp))) {
    return json(400, { message: 'aud must be a string or a list of strings; scp a list of strings' });
  }
  if (expiresInSeconds !== undefined && (typeof expiresInSeconds !== 'number' || !Number.isInteger(expiresInSeconds))) {
    return json(400, { message: 'expiresInSeconds must be a whole number' });
  }
  const options: MintOptions = {
    ...(issuer === undefined ? {} : { issuer }),
    ...(sub === undefined ? {} : { sub }),
    ...(aud === undefined ? {} : { aud }),
    ...(scope === undefined ? {} : { scope }),
    ...(scp === undefined ? {} : { scp }),
    ...(tenantId === undefined ? {} : { tenantId }),
    ...(expiresInSeconds === undefined ? {} : { expiresInSeconds }),
    ...(unpublishedKey === true ? { unpublishedKey: true } : {}),
  };
  return json(200, { token: await state.tokens.mint(options) }, { 'cache-control': 'no-store' });
}
