import type { MintOptions } from './grants.js';
import type { Clock } from '../clock.js';

/** Credentials the simulator's token endpoint accepts (client pair plus access key pair). */
export interface SimulatorCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
}

/** Tenant-wide throttling: at most `limit` API calls per `windowSeconds`. */
export interface RateLimitOptions {
  readonly limit: number;
  readonly windowSeconds: number;
}

/** Statuses fault injection can answer with (see faults.ts for each one's body and headers). */
export type FaultStatus = 202 | 425 | 429 | 500 | 502 | 503 | 504;

/**
 * Injected faults on the Media Playback API (never media, token, discovery or controls). Each rate
 * is a probability from 0 to 1 per request; together at most 1, since one draw picks one fault.
 * Decisions come from a PRNG seeded with `seed`, restarted on every configure and reset, so a run
 * is reproducible. Every field defaults to off.
 */
export interface FaultOptions {
  /** PRNG seed. Default 1. */
  readonly seed?: number;
  /** Per-status rates, e.g. `{ 500: 0.1, 429: 0.05 }`. 202/425/429/503 carry `Retry-After`. */
  readonly rates?: Partial<Record<FaultStatus, number>>;
  /** Extra latency before each API answer, uniformly drawn from [0, latencyMs) real milliseconds. */
  readonly latencyMs?: number;
  /** Accept the request and never answer (the socket stays open until the client gives up). */
  readonly stallRate?: number;
  /** Send the status line and part of the body, then destroy the socket. */
  readonly dropRate?: number;
  /** 200 with a JSON content type and a body cut short. */
  readonly malformedJsonRate?: number;
  /** 200 with an HTML page instead of JSON. */
  readonly wrongContentTypeRate?: number;
  /** `Retry-After` of the statuses that carry one. Default 1. */
  readonly retryAfterSeconds?: number;
}

/**
 * Which generation of NICE's API the simulator speaks. `published` (the default): the names of
 * NICE's published OpenAPI spec (reporting rows with `contactStartDate`, `mediaTypeId`,
 * `acwSeconds`, `fromAddress`, `divisionNo`). `legacy`: the older samples' reporting names
 * (`contactStart`, `mediaType`, `ACWSeconds`, `fromAddr`) and the OAuth-shaped session refresh answer.
 */
export type SimulatorVariant = 'published' | 'legacy';

/** The simulator variants, for suites that run on each (`describe.each(SIMULATOR_VARIANTS)`). */
export const SIMULATOR_VARIANTS: readonly SimulatorVariant[] = Object.freeze(['published', 'legacy']);

/** How to start a simulator. Every field has a default; see DEFAULTS in options.ts. */
export interface SimulatorOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to bind; loopback by default because the admin routes have no auth. */
  host?: string;
  /**
   * Base of the media links it signs, when clients reach it under another name than the address
   * it listens on (a container's published port). Default: that address.
   */
  publicUrl?: string;
  /** All time logic (link expiry, token expiry, "answered at") reads this clock. */
  clock?: Clock;
  /** Real delay added before every API and token answer (never media or admin). */
  latencyMs?: number;
  /** Fixed link lifetime; null/undefined applies CXone's rule max(30 min, call duration). */
  linkLifetimeSeconds?: number | null;
  /** How many 202 answers the "processing" contact gives before 200. */
  processingPolls?: number;
  /** How long a request on the "locked" contact stays in flight (real milliseconds). */
  lockHoldMs?: number;
  /** Tenant-wide throttling answered with 429; null turns it off. */
  rateLimit?: RateLimitOptions | null;
  /** The token endpoint's `expires_in`. */
  accessTokenTtlSeconds?: number;
  /** What the token endpoint accepts. */
  credentials?: SimulatorCredentials;
  /** The tenant every token belongs to. */
  tenantId?: string;
  /** Fault injection on the API; null or absent: none. */
  faults?: FaultOptions | null;
  /** Which generation of the API it speaks; default `published`. */
  variant?: SimulatorVariant;
  /** The tenant has CXone Interaction Analytics (default true); false: its endpoints answer 403. */
  interactionAnalytics?: boolean;
}

/** The knobs that can change while the simulator runs (API and `POST /__sim/config`). */
export type SimulatorConfigPatch = Partial<
  Pick<
    SimulatorOptions,
    | 'latencyMs'
    | 'linkLifetimeSeconds'
    | 'processingPolls'
    | 'lockHoldMs'
    | 'rateLimit'
    | 'accessTokenTtlSeconds'
    | 'faults'
    | 'interactionAnalytics'
  >
>;

/** Which part of the simulator a request reached. */
/** `jwks`: CXone's key set; `idp`: the test identity provider's discovery document and key set. */
export type SimulatorEndpoint =
  | 'contacts'
  | 'statements'
  | 'segments'
  | 'completed-contacts'
  | 'analyzed-transcript'
  | 'analyzed-segments'
  | 'token'
  | 'discovery'
  | 'jwks'
  | 'idp'
  | 'media'
  | 'other';

/** One request the simulator received, recorded after it was answered. */
export interface SimulatorCall {
  readonly endpoint: SimulatorEndpoint;
  readonly method: string;
  readonly path: string;
  /** Query parameters; the first value wins when one is repeated. */
  readonly query: Record<string, string>;
  readonly status: number;
  /** acdContactId, segmentId or `${acdContactId}/${statementId}`; null where none applies. */
  readonly key: string | null;
  /** Whether the request carried a bearer token the simulator accepted (or needed none). */
  readonly authorized: boolean;
  /** Clock time when the request arrived (ms since the epoch). */
  readonly at: number;
  /** The injected fault, when one was (`status` is 0 for a stall or a drop). */
  readonly fault?: 'status' | 'stall' | 'drop' | 'malformed-json' | 'wrong-content-type';
  /** The W3C `traceparent` header the caller sent, when it sent one (tests of trace propagation). */
  readonly traceparent?: string;
}

/** A call added to the completed contacts report at run time. */
interface CompletedContactSpec {
  /** Digits; choose ids no seeded contact uses (e.g. 4xxxxxxxxxxx). */
  readonly acdContactId: string;
  readonly startTime: string;
  readonly durationSeconds: number;
  /** One of the simulated agents (Alice Example ... Frank Example); Alice by default. */
  readonly agentName?: string;
}

/** A started simulator and its test controls. */
export interface RunningSimulator {
  /** Root URL, e.g. `http://127.0.0.1:43123`; the API lives under `${url}/media-playback/v1`. */
  readonly url: string;
  /** Every request received since start or the last reset. */
  calls(): readonly SimulatorCall[];
  /** How many requests reached `endpoint` (for `key`, when given). */
  count(endpoint: SimulatorEndpoint, key?: string): number;
  /** Forgets the recorded calls only. */
  resetCalls(): void;
  /** Calls, processing counters, locks, rate window and issued tokens back to their initial state. */
  reset(): void;
  /**
   * Changes runtime knobs; fields left out keep their value, `rateLimit: null` turns throttling off,
   * `faults` replaces the whole fault set (`null` turns faults off) and restarts its PRNG.
   */
  configure(patch: SimulatorConfigPatch): void;
  /**
   * Adds voice calls to the completed contacts report (not to /contacts), as if they had just
   * completed: how a test makes the report grow in the middle while a client pages. `reset` removes them.
   */
  addCompletedContacts(contacts: readonly CompletedContactSpec[]): void;
  /** A signed token with chosen claims (CXone's, accepted by the API, or the test IdP's for access-key callers). */
  mintToken(options?: MintOptions): Promise<string>;
  /** Publishes the staged signing key of `issuer` and signs with it from now on; resolves with its `kid`. */
  rotateKeys(issuer?: 'cxone' | 'idp'): Promise<string>;
  /** The test identity provider's issuer, `{url}/idp`, for `CALLER_JWT_ISSUER`. */
  readonly idpIssuer: string;
  /** Every media link issued so far answers 403 from now on (signing key rotated); new ones work. */
  revokeLinks(): void;
  /** Stops listening and destroys every open socket, so keep-alive clients do not hold it open. */
  close(): Promise<void>;
}
