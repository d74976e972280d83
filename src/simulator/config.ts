/**
 * The standalone simulator's settings from the environment. Pure: the env is a parameter, so
 * main.ts stays the only reader of process.env and tests pass plain objects.
 */
import { SIMULATOR_VARIANTS, type RateLimitOptions, type SimulatorVariant } from './types.js';

/** What `npm run simulator` starts with; assignable to SimulatorOptions. */
export interface SimulatorEnvSettings {
  readonly port: number;
  readonly host: string;
  readonly latencyMs: number;
  readonly linkLifetimeSeconds: number | null;
  readonly rateLimit: RateLimitOptions | null;
  /** SIMULATOR_VARIANT: which generation of NICE's API it speaks. */
  readonly variant: SimulatorVariant;
}

/** One or more variables were unusable; the message names each of them. */
export class SimulatorConfigError extends Error {
  override readonly name = 'SimulatorConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid simulator configuration: ${problems.join('; ')}`);
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads an integer variable; unset or empty gives `fallback`. Problems are collected rather than
 * thrown so a user fixing their env sees every bad variable at once.
 */
function integer(env: Env, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    problems.push(`${name} must be an integer from ${String(min)} to ${String(max)}, got ${JSON.stringify(raw)}`);
    return fallback;
  }
  return Number(raw);
}

/** Parses SIMULATOR_* variables; throws SimulatorConfigError naming every bad one. */
export function parseSimulatorEnv(env: Env): SimulatorEnvSettings {
  const problems: string[] = [];
  const port = integer(env, 'SIMULATOR_PORT', 4010, 0, 65535, problems);
  const host = env['SIMULATOR_HOST']?.trim() || '127.0.0.1';
  const latencyMs = integer(env, 'SIMULATOR_LATENCY_MS', 0, 0, 600_000, problems);
  const lifetimeRaw = env['SIMULATOR_LINK_LIFETIME_SECONDS']?.trim();
  const linkLifetimeSeconds =
    lifetimeRaw === undefined || lifetimeRaw === ''
      ? null
      : integer(env, 'SIMULATOR_LINK_LIFETIME_SECONDS', 0, 0, 7 * 24 * 3600, problems);
  // CXone's documented default budget: 150 requests per 5 minutes per tenant.
  const limit = integer(env, 'SIMULATOR_RATE_LIMIT', 150, 0, 1_000_000, problems);
  const windowSeconds = integer(env, 'SIMULATOR_RATE_WINDOW_SECONDS', 300, 1, 86_400, problems);
  const variantRaw = env['SIMULATOR_VARIANT']?.trim() || 'published';
  const variant = SIMULATOR_VARIANTS.find((name) => name === variantRaw);
  if (variant === undefined) problems.push(`SIMULATOR_VARIANT must be one of ${SIMULATOR_VARIANTS.join(', ')}, got ${JSON.stringify(variantRaw)}`);
  if (problems.length > 0) throw new SimulatorConfigError(problems);
  return { port, host, latencyMs, linkLifetimeSeconds, rateLimit: limit === 0 ? null : { limit, windowSeconds }, variant: variant ?? 'published' };
}
