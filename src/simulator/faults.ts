/**
 * Fault injection for the Media Playback API: error statuses, extra latency, stalls, dropped
 * connections, malformed JSON and wrong content types, each at a configured rate. Every decision
 * comes from a seeded PRNG, so a run with the same seed and the same request order sees the same
 * faults (a failing soak can be replayed). Off by default: no rate set, no draw changes anything.
 */
import type { FaultStatus } from './types.js';
import { apiError, json, type Reply } from './http.js';

/** The statuses a fault can answer with, each as CXone (or what sits in front of it) sends it. */
const FAULT_STATUSES: readonly FaultStatus[] = [202, 425, 429, 500, 502, 503, 504];

/** What one API request suffers; `extraLatencyMs` applies before any of them. */
export type FaultDecision =
  | PlainDecision<'none'>
  | { readonly kind: 'status'; readonly status: FaultStatus; readonly extraLatencyMs: number }
  | PlainDecision<'stall'>
  | PlainDecision<'drop'>
  | PlainDecision<'malformed-json'>
  | PlainDecision<'wrong-content-type'>;

interface PlainDecision<K extends string> {
  readonly kind: K;
  readonly extraLatencyMs: number;
}

/** The fault settings, resolved: every rate present (0 when off). */
export interface ResolvedFaults {
  readonly seed: number;
  readonly rates: Readonly<Record<FaultStatus, number>>;
  readonly latencyMs: number;
  readonly stallRate: number;
  readonly dropRate: number;
  readonly malformedJsonRate: number;
  readonly wrongContentTypeRate: number;
  readonly retryAfterSeconds: number;
}

export const NO_FAULTS: ResolvedFaults = Object.freeze({
  seed: 1,
  rates: Object.freeze({ 202: 0, 425: 0, 429: 0, 500: 0, 502: 0, 503: 0, 504: 0 }),
  latencyMs: 0,
  stallRate: 0,
  dropRate: 0,
  malformedJsonRate: 0,
  wrongContentTypeRate: 0,
  retryAfterSeconds: 1,
});

/** A fault setting that does not make sense; the message names it. */
export class FaultOptionError extends Error {
  override readonly name = 'FaultOptionError';
}

function rate(name: string, value: unknown): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new FaultOptionError(`${name} must be a number from 0 to 1`);
  }
  return value;
}

function whole(name: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new FaultOptionError(`${name} must be an integer from ${String(min)} to ${String(max)}`);
  }
  return value;
}

/**
 * Validates fault options that may come from untrusted JSON (`POST /__sim/config`) or typed code.
 * `null` turns every fault off. The rates together may not exceed 1: one draw picks one fault.
 */
export function parseFaults(input: unknown): ResolvedFaults {
  if (input === null) return NO_FAULTS;
  if (typeof input !== 'object' || Array.isArray(input)) throw new FaultOptionError('faults must be null or an object');
  const record = input as Record<string, unknown>;
  const known = new Set(['seed', 'rates', 'latencyMs', 'stallRate', 'dropRate', 'malformedJsonRate', 'wrongContentTypeRate', 'retryAfterSeconds']);
  for (const key of Object.keys(record)) {
    if (!known.has(key)) throw new FaultOptionError(`unknown faults key ${JSON.stringify(key)}`);
  }
  const ratesInput = record['rates'] ?? {};
  if (typeof ratesInput !== 'object' || ratesInput === null || Array.isArray(ratesInput)) {
    throw new FaultOptionError('faults.rates must be an object of status -> rate');
  }
  const rates: Record<FaultStatus, number> = { ...NO_FAULTS.rates };
  for (const [key, value] of Object.entries(ratesInput)) {
    const status = FAULT_STATUSES.find((candidate) => String(candidate) === key);
    if (status === undefined) {
      throw new FaultOptionError(`faults.rates.${key}: only ${FAULT_STATUSES.join(', ')} can be injected`);
    }
    rates[status] = rate(`faults.rates.${key}`, value);
  }
  const resolved: ResolvedFaults = {
    seed: whole('faults.seed', record['seed'], NO_FAULTS.seed, 0, 2 ** 32 - 1),
    rates,
    latencyMs: whole('faults.latencyMs', record['latencyMs'], 0, 0, 600_000),
    stallRate: rate('faults.stallRate', record['stallRate']),
    dropRate: rate('faults.dropRate', record['dropRate']),
    malformedJsonRate: rate('faults.malformedJsonRate', record['malformedJsonRate']),
    wrongContentTypeRate: rate('faults.wrongContentTypeRate', record['wrongContentTypeRate']),
    retryAfterSeconds: whole('faults.retryAfterSeconds', record['retryAfterSeconds'], NO_FAULTS.retryAfterSeconds, 0, 86_400),
  };
  if (totalRate(resolved) > 1 + 1e-9) throw new FaultOptionError('fault rates add up to more than 1');
  return resolved;
}

function totalRate(faults: ResolvedFaults): number {
  const statuses = FAULT_STATUSES.reduce((sum, status) => sum + faults.rates[status], 0);
  return statuses + faults.stallRate + faults.dropRate + faults.malformedJsonRate + faults.wrongContentTypeRate;
}

/**
 * mulberry32: tiny, fast and good enough to spread faults; not for anything secret. Returns
 * numbers in [0, 1).
 */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Decides each API request's fault from the settings in force. The PRNG restarts from the seed
 * whenever the settings object changes (every configure) and on `reseed` (simulator reset).
 */
export class FaultInjector {
  private seenFaults: ResolvedFaults;
  private random: () => number;

  constructor(private readonly current: () => ResolvedFaults) {
    this.seenFaults = current();
    this.random = mulberry32(this.seenFaults.seed);
  }

  /** Restarts the PRNG, so a reset run replays the same faults. */
  reseed(): void {
    this.seenFaults = this.current();
    this.random = mulberry32(this.seenFaults.seed);
  }

  /**
   * One request's fault. Always two draws (latency, then fault) while faults are on, so the
   * sequence does not depend on which fault the previous request got; none at all while off.
   */
  next(): FaultDecision {
    if (this.current() !== this.seenFaults) this.reseed();
    const f = this.seenFaults;
    if (f.latencyMs === 0 && totalRate(f) === 0) return { kind: 'none', extraLatencyMs: 0 };
    const extraLatencyMs = Math.floor(this.random() * f.latencyMs);
    let roll = this.random();
    const pick = (rateOf: number): boolean => {
      if (roll < rateOf) return true;
      roll -= rateOf;
      return false;
    };
    if (pick(f.stallRate)) return { kind: 'stall', extraLatencyMs };
    if (pick(f.dropRate)) return { kind: 'drop', extraLatencyMs };
    for (const status of FAULT_STATUSES) {
      if (pick(f.rates[status])) return { kind: 'status', status, extraLatencyMs };
    }
    if (pick(f.malformedJsonRate)) return { kind: 'malformed-json', extraLatencyMs };
    if (pick(f.wrongContentTypeRate)) return { kind: 'wrong-content-type', extraLatencyMs };
    return { kind: 'none', extraLatencyMs };
  }
}

/** The answer of a status, malformed-JSON or wrong-content-type fault, shaped like the real thing. */
export function faultReply(
  decision: Extract<FaultDecision, { kind: 'status' | 'malformed-json' | 'wrong-content-type' }>,
  retryAfterSeconds: number,
  path: string,
): Reply {
  const retryAfter = { 'retry-after': String(retryAfterSeconds) };
  switch (decision.kind) {
    case 'malformed-json':
      // A 200 cut short: the JSON never closes, as when a proxy truncates a body.
      return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{"contactId":"00000000-0000-0000-0000-000000000000","interactions":[{"@type":' };
    case 'wrong-content-type':
      // A captive portal or load balancer answering 200 with its own page.
      return {
        status: 200,
        headers: { 'content-type': 'text/html; charset=utf-8' },
        body: '<html><body><h1>Please wait</h1><p>The service is warming up.</p></body></html>',
      };
    case 'status':
      switch (decision.status) {
        case 202:
          return json(202, { message: 'in progress' }, retryAfter);
        case 425:
          return apiError(425, 'The interaction is locked: an earlier request is still being processed', retryAfter);
        case 429:
          return json(429, { message: 'Too many requests', route: path }, retryAfter);
        case 500:
          return apiError(500, 'Internal Server Error');
        case 502:
          // Gateways answer with their own HTML, not CXone's JSON.
          return { status: 502, headers: { 'content-type': 'text/html' }, body: '<html><body>502 Bad Gateway</body></html>' };
        case 503:
          return {
            status: 503,
            headers: { 'content-type': 'text/html', ...retryAfter },
            body: '<html><body>503 Service Temporarily Unavailable</body></html>',
          };
        case 504:
          return apiError(504, 'Gateway Timeout');
      }
  }
}
