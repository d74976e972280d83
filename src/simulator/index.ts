/**
 * The embedded CXone Media Playback simulator: a faithful fake of the real API (paths,
 * parameters, shapes, quirks and status codes) for `npm start` without CXONE_API_URL,
 * `npm run simulator`, end-to-end tests, the demo and the benchmark. See README.md here.
 */
export { startSimulator } from './simulator.js';
export { SEEDED, bulkContactId, liveContactId, LIVE_PER_DAY } from './seed.js';
export { SIM_SKILLS, simAgentId, MAX_WINDOW_DAYS as SIM_REPORTING_MAX_WINDOW_DAYS } from './reporting.js';
export { DEMO_SUBJECTS, DEMO_TOKENS, type MintOptions } from './grants.js';
export { DEMO_SIGNING_KEY, SIMULATOR_ISSUER, publicJwk } from './keys.js';
export { DEFAULT_SIM_CREDENTIALS, DEFAULT_TENANT_ID, SimulatorOptionError } from './options.js';
export { parseSimulatorEnv, SimulatorConfigError } from './config.js';
export { SIMULATOR_VARIANTS } from './types.js';
export type {
  CompletedContactSpec,
  FaultOptions,
  FaultStatus,
  RateLimitOptions,
  RunningSimulator,
  SimulatorCall,
  SimulatorConfigPatch,
  SimulatorCredentials,
  SimulatorEndpoint,
  SimulatorOptions,
  SimulatorVariant,
} from './types.js';
