/**
 * The only reader of process.env. Every variable is validated at start; all problems are reported
 * at once, each naming its variable, and the process stops. The result is typed and frozen.
 */
import { z } from 'zod';
import { uiBaseFromApiBase } from './ui-links.js';
import { deepFreeze } from './freeze.js';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from './guards/limits.js';

const emptyAsUndefined = (value: unknown): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const optionalString = z.preprocess(emptyAsUndefined, z.string().optional());
const httpUrl = z.preprocess(
  emptyAsUndefined,
  z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .transform((value) => value.replace(/\/+$/, ''))
    .optional(),
);
const exactHttpUrl = z.preprocess(
  emptyAsUndefined,
  z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
);
const integer = (defaultValue: number, min: number, max: number) =>
  z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: 'must be a whole number' })
      .int({ error: 'must be a whole number' })
      .min(min, { error: `must be at least ${min}` })
      .max(max, { error: `must be at most ${max}` })
      .default(defaultValue),
  );
const environmentSchema = z
  .object({
    NODE_ENV: z.preprocess(emptyAsUndefined, z.enum(['development', 'production', 'test']).default('development')),
    PORT: integer(4001, 0, 65535),
    // Shutdown: how long /health answers 503 while requests are still served, before the listener closes.
    SHUTDOWN_DELAY_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(120_000).optional()),
    HOST: z.preprocess(emptyAsUndefined, z.string().default('0.0.0.0')),
    LOG_LEVEL: z.preprocess(
      emptyAsUndefined,
      z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    ),
    CXONE_API_URL: httpUrl,
    CXONE_UI_URL: httpUrl,
    CXONE_AUTH: z.preprocess(
      emptyAsUndefined,
      z.enum(['forward', 'access-key'], { error: 'must be forward or access-key' }).default('forward'),
    ),
    CXONE_ISSUER: httpUrl,
    // Access-key mode's login: `access-key` (JSON to {auth}/authentication/v1/token/access-key) or
    // `password-grant` (OAuth with an app registration). Unset: password-grant when a client id and
    // secret are given, else access-key.
    CXONE_ACCESS_KEY_LOGIN: z.preprocess(
      emptyAsUndefined,
      z.enum(['access-key', 'password-grant'], { error: 'must be access-key or password-grant' }).optional(),
    ),
    // The access-key login's host; unset: discovery's auth_endpoint, else the UI host.
    CXONE_AUTH_URL: httpUrl,
    CXONE_ACCESS_KEY_ID: optionalString,
    CXONE_ACCESS_KEY_SECRET: optionalString,
    CXONE_CLIENT_ID: optionalString,
    CXONE_CLIENT_SECRET: optionalString,
    CXONE_TENANT_ID: optionalString,
    // Reporting: the incontactapi version the tenant serves, and its longest window.
    CXONE_REPORTING_API_VERSION: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .regex(/^v\d{1,3}\.\d{1,3}$/, { error: 'must look like v30.0' })
        .default('v30.0'),
    ),
    CXONE_REPORTING_MAX_WINDOW_DAYS: integer(31, 1, 366),
    // Caller trust: forward mode verifies bearer tokens as CXone JWTs unless turned off.
    CXONE_VERIFY_TOKENS: z.preprocess(emptyAsUndefined, z.enum(['true', 'false', '1', '0']).optional()),
    // The `iss` CXone tokens must carry, when it differs from the `issuer` CXone's discovery names.
    CXONE_TOKEN_ISSUER: optionalString,
    // Forward mode: every `iss` accepted, comma-separated; unset: the discovery issuer and the
    // tenant's auth host (cxone-configuration's auth_endpoint).
    CXONE_TOKEN_ISSUERS: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .transform((list) => list.split(',').map((item) => item.trim()).filter((item) => item !== ''))
        .refine((list) => list.length > 0 && list.every((item) => /^https?:\/\/[^\s,]+$/i.test(item)), {
          error: 'must be a comma-separated list of http(s) issuer URLs',
        })
        .optional(),
    ),
    // How the app registration authenticates at the token endpoint; unset: what discovery asks for.
    CXONE_CLIENT_AUTH: z.preprocess(emptyAsUndefined, z.enum(['basic', 'post'], { error: 'must be basic or post' }).optional()),
    // Access-key mode: the organisation's identity provider that signs callers' JWTs. Kept exactly
    // as given (no trailing-slash trimming): `iss` is compared as a string, and some issuers end in '/'.
    CALLER_JWT_ISSUER: exactHttpUrl,
    CALLER_JWT_AUDIENCE: optionalString,
    CALLER_JWKS_URL: exactHttpUrl,
    CXONE_RATE_LIMIT: integer(150, 0, 1_000_000),
    CXONE_RATE_WINDOW_SECONDS: integer(300, 1, 86_400),
    // Fair use: one caller's share of the tenant budget window; 1 turns it off.
    CXONE_CALLER_SHARE: z.preprocess(
      emptyAsUndefined,
      z.coerce.number({ error: 'must be a number' }).gt(0, { error: 'must be more than 0' }).max(1, { error: 'must be at most 1' }).default(0.5),
    ),
    CXONE_CONCURRENCY: integer(8, 1, 256),
    CXONE_REFUSAL_MEMORY_SECONDS: integer(30, 0, 3600),
    CXONE_TIMEOUT_MS: integer(10_000, 100, 120_000),
    REQUEST_DEADLINE_MS: integer(25_000, 500, 300_000),
    CACHE_URL: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .regex(/^rediss?:\/\/.+/, { error: 'must be a redis:// or rediss:// URL' })
        .optional(),
    ),
    CACHE_MAX_ENTRIES: integer(10_000, 1, 10_000_000),
    // Keys and seals of the shared cache (HMAC-SHA256); every replica sharing a Redis needs the same one.
    CACHE_SECRET: z.preprocess(emptyAsUndefined, z.string().min(32, { error: 'must be at least 32 characters' }).optional()),
    URL_EXPIRY_MARGIN_SECONDS: integer(60, 0, 1_700),
    NEGATIVE_CACHE_SECONDS: integer(60, 0, 3_600),
    // Interaction Analytics transcripts carry no links: kept this long (default 24 h).
    CXONE_TRANSCRIPT_CACHE_SECONDS: integer(86_400, 0, 30 * 86_400),
    FAILING_CONTACT_SECONDS: integer(10, 0, 600),
    LINK_REFRESH_INTERVAL_SECONDS: integer(30, 1, 3_600),
    MAX_LIST_IDS: integer(500, 1, 10_000),
    // Whole responses kept for identical requests (src/http/response-cache.ts); 0 turns it off.
    RESPONSE_CACHE_MAX_BYTES: integer(64 * 1024 * 1024, 0, 16 * 1024 * 1024 * 1024),
    // The embedded simulator: on by default only outside production and without CXONE_API_URL.
    CXONE_SIMULATOR: z.preprocess(emptyAsUndefined, z.enum(['true', 'false', '1', '0'], { error: 'must be true or false' }).optional()),
    SIMULATOR_PORT: integer(0, 0, 65535),
    SIMULATOR_HOST: z.preprocess(emptyAsUndefined, z.string().default('127.0.0.1')),
    // Base of the links the embedded simulator signs, when it is reached under another name
    // (a container's published port); default: the address it listens on.
    SIMULATOR_PUBLIC_URL: httpUrl,
    GATEWAY_PORT: integer(4000, 0, 65535),
    // `npm run demo`'s page and gateway: its own default, so it runs beside `npm run federated`.
    DEMO_PORT: integer(4003, 0, 65535),
    // The served SDL (src/schema.ts): the reporting part, and the authorization directives'
    // `for: SECURITY` links that @apollo/gateway refuses (the subgraph enforces the rules either way).
    FEDERATION_REPORTING: z.preprocess(emptyAsUndefined, z.enum(['true', 'false', '1', '0'], { error: 'must be true or false' }).optional()),
    FEDERATION_AUTH_DIRECTIVES: z.preprocess(emptyAsUndefined, z.enum(['true', 'false', '1', '0'], { error: 'must be true or false' }).optional()),
    SIMULATOR_LINK_LIFETIME_SECONDS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).optional()),
    GRAPHQL_INTROSPECTION: z.preprocess(emptyAsUndefined, z.enum(['true', 'false', '1', '0']).optional()),
    // Hostile input limits that a router's real queries never reach; see src/guards/.
    GRAPHQL_FIELD_SUGGESTIONS: z.preprocess(emptyAsUndefined, z.enum(['true', 'false', '1', '0']).optional()),
    GRAPHQL_MAX_DEPTH: integer(DEFAULT_QUERY_LIMITS.depth, 5, 100),
    GRAPHQL_MAX_ALIASES: integer(DEFAULT_QUERY_LIMITS.aliases, 0, 10_000),
    GRAPHQL_MAX_DIRECTIVES: integer(DEFAULT_QUERY_LIMITS.directives, 0, 10_000),
    GRAPHQL_MAX_TOKENS: integer(DEFAULT_QUERY_LIMITS.tokens, 100, 1_000_000),
    GRAPHQL_MAX_COST: integer(DEFAULT_QUERY_LIMITS.cost, 10, 10_000_000),
    GRAPHQL_MAX_ESTIMATED_COST: integer(DEFAULT_QUERY_LIMITS.estimatedCost, 1, 100_000_000),
    GRAPHQL_MAX_RESPONSE_POSITIONS: integer(DEFAULT_QUERY_LIMITS.responsePositions, 1, 100_000_000),
    GRAPHQL_ASSUMED_LIST_SIZE: integer(DEFAULT_QUERY_LIMITS.assumedListSize, 1, 10_000),
    GRAPHQL_MAX_REPRESENTATIONS: integer(DEFAULT_QUERY_LIMITS.representations, 1, 100_000),
    MAX_BODY_BYTES: integer(1024 * 1024, 1024, 64 * 1024 * 1024),
    MAX_RESPONSE_BYTES: integer(8 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    // Long enough that it cannot be guessed; the router sends it in x-router-secret.
    ROUTER_SECRET: z.preprocess(emptyAsUndefined, z.string().min(16, { error: 'must be at least 16 characters' }).optional()),
    // OpenTelemetry tracing, the standard variables: off unless an OTLP endpoint is set.
    OTEL_SDK_DISABLED: z.preprocess(emptyAsUndefined, z.enum(['true', 'false']).optional()),
    OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl,
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: httpUrl,
    OTEL_EXPORTER_OTLP_HEADERS: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .regex(/^\s*[^=,\s]+\s*=[^,]*(,\s*[^=,\s]+\s*=[^,]*)*$/, { error: 'must be key=value pairs separated by commas' })
        .optional(),
    ),
    OTEL_SERVICE_NAME: z.preprocess(emptyAsUndefined, z.string().default('cxone-recordings-subgraph')),
    OTEL_TRACES_SAMPLER_ARG: z.preprocess(
      emptyAsUndefined,
      z.coerce.number({ error: 'must be a number from 0 to 1' }).min(0).max(1).default(1),
    ),
  })
  // A transform, not a refinement: it reports every cross-variable problem at once and hands on the
  // CXone API it found usable (with its UI host), so the UI check lives here only.
  .transform((env, ctx) => {
    const simulator = booleanFlag(env.CXONE_SIMULATOR);
    if (simulator === true && env.CXONE_API_URL !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['CXONE_SIMULATOR'],
        message: 'is true but CXONE_API_URL is set: choose the real CXone or the embedded simulator',
      });
    }
    // A real CXone: an API URL, or a tenant to discover one for. Otherwise the embedded simulator.
    const realCxone = simulator !== true && (env.CXONE_API_URL !== undefined || env.CXONE_TENANT_ID !== undefined);
    if (simulator !== true && !realCxone && (simulator === false || env.NODE_ENV === 'production')) {
      // A production process never serves simulated data by accident.
      ctx.addIssue({
        code: 'custom',
        path: ['CXONE_API_URL'],
        message:
          simulator === false
            ? 'is required when CXONE_SIMULATOR=false (or CXONE_TENANT_ID, to discover it)'
            : 'is required when NODE_ENV=production (or CXONE_TENANT_ID, to discover it; CXONE_SIMULATOR=true serves the embedded CXone simulator on purpose, from `npm start` or the demo image)',
      });
    }
    if (env.CXONE_AUTH === 'access-key' && realCxone) {
      const login = accessKeyLogin(env);
      const required =
        login === 'password-grant'
          ? (['CXONE_ACCESS_KEY_ID', 'CXONE_ACCESS_KEY_SECRET', 'CXONE_CLIENT_ID', 'CXONE_CLIENT_SECRET'] as const)
          : (['CXONE_ACCESS_KEY_ID', 'CXONE_ACCESS_KEY_SECRET'] as const);
      for (const name of required) {
        if (env[name] === undefined) {
          ctx.addIssue({ code: 'custom', path: [name], message: `is required when CXONE_AUTH=access-key (${login} login)` });
        }
      }
    }
    // Player and download links need the tenant's UI host: from CXONE_UI_URL, discovery, or a
    // recognisable api-{area}.niceincontact.com host. Never a guessed area.
    let api: { readonly url: string; readonly uiUrl: string } | undefined;
    if (env.CXONE_API_URL !== undefined) {
      const uiUrl = env.CXONE_UI_URL ?? uiBaseFromApiBase(env.CXONE_API_URL);
      if (uiUrl === null) {
        ctx.addIssue({
          code: 'custom',
          path: ['CXONE_UI_URL'],
          message: `is required: CXONE_API_URL's host names no CXone area, so player and download links cannot be derived (e.g. https://na1.nice-incontact.com)`,
        });
      } else {
        api = { url: env.CXONE_API_URL, uiUrl };
      }
    }
    // Without either, nothing would stand between the internet and every recording.
    if (
      env.NODE_ENV === 'production' &&
      env.CXONE_AUTH === 'access-key' &&
      env.ROUTER_SECRET === undefined &&
      env.CALLER_JWT_ISSUER === undefined
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['CALLER_JWT_ISSUER'],
        message:
          'or ROUTER_SECRET is required when NODE_ENV=production and CXONE_AUTH=access-key (otherwise any caller would get every recording)',
      });
    }
    // Shared answers are sealed with this key: a built-in one anyone can read would seal forgeries.
    if (env.NODE_ENV === 'production' && env.CACHE_URL !== undefined && env.CACHE_SECRET === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['CACHE_SECRET'],
        message: 'is required when NODE_ENV=production and CACHE_URL is set (32+ characters, the same on every replica)',
      });
    }
    for (const name of ['CALLER_JWT_AUDIENCE', 'CALLER_JWKS_URL'] as const) {
      if (env[name] !== undefined && env.CALLER_JWT_ISSUER === undefined) {
        ctx.addIssue({ code: 'custom', path: [name], message: 'needs CALLER_JWT_ISSUER' });
      }
    }
    if (env.CXONE_AUTH === 'forward' && env.CALLER_JWT_ISSUER !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['CALLER_JWT_ISSUER'],
        message: 'applies to CXONE_AUTH=access-key only (forward mode verifies CXone tokens; see CXONE_VERIFY_TOKENS)',
      });
    }
    return ctx.issues.length > 0 ? z.NEVER : { ...env, api };
  });

function accessKeyLogin(env: {
  CXONE_ACCESS_KEY_LOGIN?: 'access-key' | 'password-grant' | undefined;
  CXONE_CLIENT_ID?: string | undefined;
  CXONE_CLIENT_SECRET?: string | undefined;
}): 'access-key' | 'password-grant' {
  return env.CXONE_ACCESS_KEY_LOGIN ?? (env.CXONE_CLIENT_ID !== undefined && env.CXONE_CLIENT_SECRET !== undefined ? 'password-grant' : 'access-key');
}

/** The subgraph's settings, typed and grouped. */
export interface AppConfig {
  readonly env: 'development' | 'production' | 'test';
  readonly http: {
    readonly port: number;
    readonly host: string;
    /** After SIGTERM, /health answers 503 this long while requests are still served; then the drain. */
    readonly shutdownDelayMs: number;
  };
  readonly logLevel: string;
  readonly graphql: {
    readonly introspection: boolean;
    /** "Did you mean ...?" in validation errors (they reveal the schema). */
    readonly fieldSuggestions: boolean;
    readonly maxListIds: number;
    readonly limits: QueryLimits;
    /** Largest accepted request body, in bytes. */
    readonly maxBodyBytes: number;
    /** Largest response body, in bytes; a larger one becomes a RESPONSE_TOO_LARGE error. */
    readonly maxResponseBytes: number;
    /** When set, only requests carrying it in `x-router-secret` get GraphQL answers. */
    readonly routerSecret: string | undefined;
  };
  readonly cxone: {
    /** CXONE_API_URL and the UI host of its links (CXONE_UI_URL, else the API host's area); undefined: discovered from `tenantId` when set, else the embedded simulator. */
    readonly api: { readonly url: string; readonly uiUrl: string } | undefined;
    /** CXONE_UI_URL as given (it overrides discovery's and the embedded CXone's UI host too). */
    readonly uiUrl: string | undefined;
    /** The access-key login's host; undefined: discovery's auth_endpoint, else the UI host. */
    readonly authUrl: string | undefined;
    readonly auth:
      | { readonly mode: 'forward' }
      | {
          readonly mode: 'access-key';
          readonly login: 'access-key' | 'password-grant';
          /** CXONE_CLIENT_AUTH; undefined: from discovery's token_endpoint_auth_methods_supported. */
          readonly clientAuth: 'basic' | 'post' | undefined;
          /** undefined only with the embedded simulator, which supplies its own demo key. */
          readonly credentials:
            | {
                readonly accessKeyId: string;
                readonly accessKeySecret: string;
                /** The app registration (password-grant only). */
                readonly client: { readonly id: string; readonly secret: string } | undefined;
              }
            | undefined;
        };
    readonly issuerUrl: string;
    readonly tenantId: string | undefined;
    /** Forward mode: verify each bearer token as a CXone JWT (CXONE_VERIFY_TOKENS, default true). */
    readonly verifyTokens: boolean;
    /** The `iss` to require (CXONE_TOKEN_ISSUER); undefined: the discovery document's `issuer`. */
    readonly tokenIssuer: string | undefined;
    /** CXONE_TOKEN_ISSUERS: exactly these `iss` values; undefined: the discovery issuer and the tenant's auth host. */
    readonly tokenIssuers: readonly string[] | undefined;
    readonly rateLimit: {
      readonly limit: number;
      readonly windowSeconds: number;
      /** Fraction of the limit one caller may spend per window. */
      readonly callerShare: number;
    };
    readonly concurrency: number;
    /** How long CXone's 403 for a caller (401 for a forwarded token) is remembered; 0: not at all. */
    readonly refusalMemorySeconds: number;
    readonly timeoutMs: number;
    readonly requestDeadlineMs: number;
    readonly reporting: { readonly apiVersion: string; readonly maxWindowDays: number };
  };
  /**
   * Access-key mode: the identity provider whose JWTs callers bring (CALLER_JWT_*). Undefined: the
   * router (ROUTER_SECRET) is trusted to have checked callers, or, outside production, everyone is.
   */
  readonly callerJwt:
    | { readonly issuer: string; readonly audience: string | undefined; readonly jwksUrl: string | undefined }
    | undefined;
  readonly cache: {
    readonly url: string | undefined;
    /** HMAC key for Redis keys and value seals; undefined: a random key of this process (never in production with Redis). */
    readonly secret: string | undefined;
    readonly maxEntries: number;
    readonly expiryMarginSeconds: number;
    readonly negativeTtlSeconds: number;
    /** How long a segment's analyzed transcript (and summary, sentiment) is kept. */
    readonly transcriptSeconds: number;
    /** How long a contact CXone answered 5xx for (after retries) is remembered as failing. */
    readonly failingTtlSeconds: number;
    /** LINK_REFRESH_INTERVAL_SECONDS: one `recording(refresh: true)` upstream call per caller and contact per this long. */
    readonly refreshIntervalSeconds: number;
    /** Bytes of whole responses kept for identical requests; 0 = off. */
    readonly responseMaxBytes: number;
  };
  readonly simulator: {
    /** Serve the embedded CXone simulator (CXONE_API_URL unset); only a dev entry or the demo image brings it. Never by default in production. */
    readonly enabled: boolean;
    /** CXONE_SIMULATOR=true: asked for explicitly, not only the default of an unconfigured process. */
    readonly requested: boolean;
    readonly port: number;
    readonly host: string;
    /** Base of the media links it signs; undefined: the address it listens on. */
    readonly publicUrl: string | undefined;
    readonly linkLifetimeSeconds: number | undefined;
  };
  /** OpenTelemetry tracing; `tracesUrl` undefined means off (no SDK loaded, nothing traced). */
  readonly telemetry: {
    /** Where spans go (OTLP/HTTP, JSON): OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, else OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces. */
    readonly tracesUrl: string | undefined;
    /** OTEL_EXPORTER_OTLP_HEADERS, e.g. a collector's API key. */
    readonly headers: Readonly<Record<string, string>>;
    readonly serviceName: string;
    /** Share of new traces sampled; a caller's sampled `traceparent` is always followed. */
    readonly sampleRatio: number;
  };
  /** `npm run federated` / `npm run demo` only: where their gateway listens. */
  readonly dev: { readonly gatewayPort: number; readonly demoPort: number };
  /** What the served SDL holds (src/schema.ts). */
  readonly federation: {
    /** The reporting root fields (reporting.graphql), which need a CRM that resolves Contact by acdContactId. */
    readonly reporting: boolean;
    /** `@authenticated`/`@requiresScopes` in the served SDL; enforced by the subgraph either way. */
    readonly authDirectives: boolean;
  };
}

/** Thrown with every problem found, one line each. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Validates an environment (process.env by default) into an AppConfig, or throws ConfigError. */
export function loadConfig(source: Readonly<Record<string, string | undefined>> = process.env): AppConfig {
  const parsed = environmentSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = issue.path.join('.') || 'environment';
        const received = typeof issue.path[0] === 'string' ? source[issue.path[0]] : undefined;
        // Echo a bad value only for variables that can't hold a secret.
        const shown = received !== undefined && !/SECRET|KEY|CACHE_URL|HEADERS/.test(name) ? ` (got "${received}")` : '';
        return `${name} ${issue.message}${shown}`;
      }),
    );
  }
  const env = parsed.data;
  const production = env.NODE_ENV === 'production';
  const login = accessKeyLogin(env);
  const client =
    env.CXONE_CLIENT_ID !== undefined && env.CXONE_CLIENT_SECRET !== undefined
      ? { id: env.CXONE_CLIENT_ID, secret: env.CXONE_CLIENT_SECRET }
      : undefined;
  const credentials =
    env.CXONE_ACCESS_KEY_ID !== undefined &&
    env.CXONE_ACCESS_KEY_SECRET !== undefined &&
    (login === 'access-key' || client !== undefined)
      ? { accessKeyId: env.CXONE_ACCESS_KEY_ID, accessKeySecret: env.CXONE_ACCESS_KEY_SECRET, client }
      : undefined;
  const config: AppConfig = {
    env: env.NODE_ENV,
    // 5 s lets a readiness probe (period 5 s) see the 503 before the listener closes; tests need none.
    http: { port: env.PORT, host: env.HOST, shutdownDelayMs: env.SHUTDOWN_DELAY_MS ?? (env.NODE_ENV === 'test' ? 0 : 5000) },
    logLevel: env.LOG_LEVEL,
    graphql: {
      introspection:
        env.GRAPHQL_INTROSPECTION === undefined
          ? !production
          : env.GRAPHQL_INTROSPECTION === 'true' || env.GRAPHQL_INTROSPECTION === '1',
      fieldSuggestions: booleanFlag(env.GRAPHQL_FIELD_SUGGESTIONS) ?? !production,
      maxListIds: env.MAX_LIST_IDS,
      limits: {
        depth: env.GRAPHQL_MAX_DEPTH,
        aliases: env.GRAPHQL_MAX_ALIASES,
        directives: env.GRAPHQL_MAX_DIRECTIVES,
        tokens: env.GRAPHQL_MAX_TOKENS,
        cost: env.GRAPHQL_MAX_COST,
        estimatedCost: env.GRAPHQL_MAX_ESTIMATED_COST,
        responsePositions: env.GRAPHQL_MAX_RESPONSE_POSITIONS,
        assumedListSize: env.GRAPHQL_ASSUMED_LIST_SIZE,
        representations: env.GRAPHQL_MAX_REPRESENTATIONS,
      },
      maxBodyBytes: env.MAX_BODY_BYTES,
      maxResponseBytes: env.MAX_RESPONSE_BYTES,
      routerSecret: env.ROUTER_SECRET,
    },
    cxone: {
      api: env.api,
      uiUrl: env.CXONE_UI_URL,
      authUrl: env.CXONE_AUTH_URL,
      auth:
        env.CXONE_AUTH === 'forward'
          ? { mode: 'forward' }
          : { mode: 'access-key', login, clientAuth: env.CXONE_CLIENT_AUTH, credentials },
      issuerUrl: env.CXONE_ISSUER ?? 'https://cxone.niceincontact.com',
      tenantId: env.CXONE_TENANT_ID,
      verifyTokens: booleanFlag(env.CXONE_VERIFY_TOKENS) ?? true,
      tokenIssuer: env.CXONE_TOKEN_ISSUER,
      tokenIssuers: env.CXONE_TOKEN_ISSUERS,
      rateLimit: {
        limit: env.CXONE_RATE_LIMIT,
        windowSeconds: env.CXONE_RATE_WINDOW_SECONDS,
        callerShare: env.CXONE_CALLER_SHARE,
      },
      concurrency: env.CXONE_CONCURRENCY,
      refusalMemorySeconds: env.CXONE_REFUSAL_MEMORY_SECONDS,
      timeoutMs: env.CXONE_TIMEOUT_MS,
      requestDeadlineMs: env.REQUEST_DEADLINE_MS,
      reporting: { apiVersion: env.CXONE_REPORTING_API_VERSION, maxWindowDays: env.CXONE_REPORTING_MAX_WINDOW_DAYS },
    },
    callerJwt:
      env.CALLER_JWT_ISSUER === undefined
        ? undefined
        : { issuer: env.CALLER_JWT_ISSUER, audience: env.CALLER_JWT_AUDIENCE, jwksUrl: env.CALLER_JWKS_URL },
    cache: {
      url: env.CACHE_URL,
      secret: env.CACHE_SECRET,
      maxEntries: env.CACHE_MAX_ENTRIES,
      expiryMarginSeconds: env.URL_EXPIRY_MARGIN_SECONDS,
      negativeTtlSeconds: env.NEGATIVE_CACHE_SECONDS,
      transcriptSeconds: env.CXONE_TRANSCRIPT_CACHE_SECONDS,
      failingTtlSeconds: env.FAILING_CONTACT_SECONDS,
      refreshIntervalSeconds: env.LINK_REFRESH_INTERVAL_SECONDS,
      responseMaxBytes: env.RESPONSE_CACHE_MAX_BYTES,
    },
    simulator: {
      // Discovery (a tenant without an API URL) is a real CXone, unless the simulator is asked for.
      enabled: env.CXONE_API_URL === undefined && (booleanFlag(env.CXONE_SIMULATOR) === true || env.CXONE_TENANT_ID === undefined),
      requested: booleanFlag(env.CXONE_SIMULATOR) === true,
      port: env.SIMULATOR_PORT,
      host: env.SIMULATOR_HOST,
      publicUrl: env.SIMULATOR_PUBLIC_URL,
      linkLifetimeSeconds: env.SIMULATOR_LINK_LIFETIME_SECONDS,
    },
    dev: { gatewayPort: env.GATEWAY_PORT, demoPort: env.DEMO_PORT },
    federation: {
      reporting: booleanFlag(env.FEDERATION_REPORTING) ?? true,
      authDirectives: booleanFlag(env.FEDERATION_AUTH_DIRECTIVES) ?? true,
    },
    telemetry: {
      tracesUrl:
        env.OTEL_SDK_DISABLED === 'true'
          ? undefined
          : (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
            (env.OTEL_EXPORTER_OTLP_ENDPOINT === undefined ? undefined : `${env.OTEL_EXPORTER_OTLP_ENDPOINT}/v1/traces`)),
      headers: parseHeaderList(env.OTEL_EXPORTER_OTLP_HEADERS),
      serviceName: env.OTEL_SERVICE_NAME,
      sampleRatio: env.OTEL_TRACES_SAMPLER_ARG,
    },
  };
  return deepFreeze(config);
}

/** `key=value,key2=value2` (the OTLP headers format; values may be percent-encoded). */
function parseHeaderList(list: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of list?.split(',') ?? []) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    headers[pair.slice(0, at).trim()] = decodeURIComponent(pair.slice(at + 1).trim());
  }
  return headers;
}

function booleanFlag(value: 'true' | 'false' | '1' | '0' | undefined): boolean | undefined {
  return value === undefined ? undefined : value === 'true' || value === '1';
}

/** For process entries: the configuration, or one clear message on stderr and exit code 1. */
export function loadConfigOrExit(source: Readonly<Record<string, string | undefined>> = process.env): AppConfig {
  try {
    return loadConfig(source);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
