/**
 * A circuit breaker on the upstream's health, not one contact's: it opens when, in a sliding window,
 * enough calls failed from enough distinct contacts, so one contact that always answers 500 shuts
 * nobody out. Like cockatiel's `SamplingBreaker`, but on the injected clock and with distinct keys.
 */
import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock.js';

/** Tuning; defaults are the production values. */
export interface HealthBreakerTuning {
  /** Failures / calls in the window at or above which the circuit opens. Default 0.5. */
  readonly failureRate?: number;
  /** Calls in the window below which the circuit never opens. Default 10. */
  readonly minimumCalls?: number;
  /** Distinct failing resources in the window below which the circuit never opens. Default 5. */
  readonly minimumKeys?: number;
  /** Default 30 000 ms. */
  readonly windowMs?: number;
  /** How long an open circuit fails fast before one trial call is let through. Default 10 000 ms. */
  readonly halfOpenAfterMs?: number;
  /** Circuits kept at most (one per tenant, least recently used forgotten). Default 1000. */
  readonly maxCircuits?: number;
}

export type CircuitChange = 'opened' | 'closed';

type Sample = { readonly at: number; readonly key: string; readonly failed: boolean };

interface Circuit {
  samples: Sample[];
  /** When the circuit opened; null while closed. */
  openedAt: number | null;
  /** A trial call is out while half-open. */
  trialInFlight: boolean;
}

/** The largest number of samples a circuit keeps, whatever the traffic. */
const MAX_SAMPLES = 2000;

/** Per-tenant health breakers, bounded in number, on the injected clock. */
export class HealthBreaker {
  private readonly tuning: Required<Omit<HealthBreakerTuning, 'maxCircuits'>>;
  private readonly circuits: LRUCache<string, Circuit>;

  constructor(
    private readonly clock: Clock,
    tuning: HealthBreakerTuning = {},
    private readonly onChange: (tenantId: string, change: CircuitChange) => void = () => undefined,
  ) {
    this.tuning = {
      failureRate: tuning.failureRate ?? 0.5,
      minimumCalls: tuning.minimumCalls ?? 10,
      minimumKeys: tuning.minimumKeys ?? 5,
      windowMs: tuning.windowMs ?? 30_000,
      halfOpenAfterMs: tuning.halfOpenAfterMs ?? 10_000,
    };
    this.circuits = new LRUCache({ max: tuning.maxCircuits ?? 1000 });
  }

  /** Milliseconds until the tenant's circuit lets a call through, or null now; half-open lets one trial through. */
  acquire(tenantId: string): number | null {
    const circuit = this.circuits.get(tenantId);
    if (circuit === undefined || circuit.openedAt === null) return null;
    const left = circuit.openedAt + this.tuning.halfOpenAfterMs - this.clock.now();
    if (left > 0) return left;
    if (circuit.trialInFlight) return this.tuning.halfOpenAfterMs;
    circuit.trialInFlight = true;
    return null;
  }

  /** Whether the tenant's circuit is open now (no side effect). */
  isOpen(tenantId: string): boolean {
    const circuit = this.circuits.get(tenantId);
    if (circuit === undefined || circuit.openedAt === null) return false;
    return circuit.trialInFlight || circuit.openedAt + this.tuning.halfOpenAfterMs > this.clock.now();
  }

  /** CXone answered with anything but a transient failure. */
  success(tenantId: string, key: string): void {
    const circuit = this.circuits.get(tenantId);
    if (circuit?.openedAt != null) {
      // The trial call succeeded: CXone is back. Forget the failures that opened the circuit.
      circuit.openedAt = null;
      circuit.trialInFlight = false;
      circuit.samples = [];
      this.onChange(tenantId, 'closed');
    }
    this.record(tenantId, { at: this.clock.now(), key, failed: false });
  }

  failure(tenantId: string, key: string): void {
    const circuit = this.record(tenantId, { at: this.clock.now(), key, failed: true });
    if (circuit.openedAt !== null) {
      if (circuit.trialInFlight) {
        // The trial call failed: open again for a full period.
        circuit.trialInFlight = false;
        circuit.openedAt = this.clock.now();
      }
      return;
    }
    const { minimumCalls, minimumKeys, failureRate } = this.tuning;
    if (circuit.samples.length < minimumCalls) return;
    const failed = circuit.samples.filter((sample) => sample.failed);
    const failingKeys = new Set(failed.map((sample) => sample.key));
    if (failed.length / circuit.samples.length < failureRate || failingKeys.size < minimumKeys) return;
    circuit.openedAt = this.clock.now();
    this.onChange(tenantId, 'opened');
  }

  /** Adds a sample and drops those older than the window (and the oldest past the cap). */
  private record(tenantId: string, sample: Sample): Circuit {
    let circuit = this.circuits.get(tenantId);
    if (circuit === undefined) {
      circuit = { samples: [], openedAt: null, trialInFlight: false };
      this.circuits.set(tenantId, circuit);
    }
    const oldest = sample.at - this.tuning.windowMs;
    let drop = 0;
    while (drop < circuit.samples.length && (circuit.samples[drop]?.at ?? 0) <= oldest) drop += 1;
    if (circuit.samples.length - drop >= MAX_SAMPLES) drop = circuit.samples.length - MAX_SAMPLES + 1;
    if (drop > 0) circuit.samples.splice(0, drop);
    circuit.samples.push(sample);
    return circuit;
  }
}
