/**
 * The embedded CXone Media Playback simulator: a faithful fake of the real API (paths,
 * parameters, shapes, quirks and status codes) for `npm start` without CXONE_API_URL,
 * `npm run simulator`, end-to-end tests, the demo and the benchmark. See README.md here.
 */
export { startSimulator } from './simulator.js';
export { SEEDED, bulkContactId, liveContactId, LIVE_PER_DAY } from './seed.js';
export { SIM_SKILLS, simAgentId } from './reporting.js';
export { DEMO_SUBJECTS, DEMO_TOKENS, type MintOptions } from './grants.js';
export { DEMO_SIGNING_KEY, SIMULATOR_ISSUER } from './keys.js';
export { DEFAULT_SIM_CREDENTIALS, DEFAULT_TENANT_ID } from './options.js';
export { parseSimulatorEnv, SimulatorConfigError } from './config.js';
export { SIMULATOR_VARIANTS } from './types.js';
export type {
  FaultOptions,
  RunningSimulator,
  SimulatorConfigPatch,
  SimulatorCredentials,
  SimulatorOptions,
} from './types.js';
