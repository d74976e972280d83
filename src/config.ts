/** The only reader of process.env: every variable validated at start, all problems reported at once; typed, frozen. */
import { z } from 'zod';
import { uiBaseFromApiBase } from './ui-links.js';
import { deepFreeze } from './freeze.js';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from './guards/limits.js';

const optionalString = z.string().optional();
const httpUrlSchema = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const trimmedUrl = httpUrlSchema.transform((value) => value.replace(/\/+$/, ''));
const httpUrl = trimmedUrl.optional();
const exactHttpUrl = httpUrlSchema.optional();
const flag = z
  .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
  .transform((value) => value === 'true' || value === '1')
  .optional();
const wholeNumber = (min: number, max: number) =>
  z.coerce
    .number({ error: 'must be a whole number' })
    .int({ error: 'must be a whole number' })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` });
const integer = (defaultValue: number, min: number, max: number) => wholeNumber(min, max).default(defaultValue);
const optionalInteger = (min: number, max: number) => wholeNumber(min, max).optional();

const environmentSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: integer(4001, 0, 65535),
    // Shutdown: how long /health answers 503 while requests are still served, before the listener closes.
    SHUTDOWN_DELAY_MS: optionalInteger(0, 120_000),
    HOST: z.string().default('0.0.0.0'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    CXONE_API_URL: httpUrl,
    CXONE_UI_URL: httpUrl,
    CXONE_AUTH: z.enum(['forward', 'access-key'], { error: 'must be forward or access-key' }).default('forward'),
    CXONE_ISSUER: trimmedUrl.default('https://cxone.niceincontact.com'),
    // Unset: password-grant when a client id and secret are given, else access-key.
    CXONE_ACCESS_KEY_LOGIN: z.enum(['access-key', 'password-grant'], { error: 'must be access-key or password-grant' }).optional(),
    // The access-key login's host; unset: discovery's auth_endpoint, else the UI host.
    CXONE_AUTH_URL: httpUrl,
    CXONE_ACCESS_KEY_ID: optionalString,
    CXONE_ACCESS_KEY_SECRET: optionalString,
    CXONE_CLIENT_ID: optionalString,
    CXONE_CLIENT_SECRET: optionalString,
    CXONE_TENANT_ID: optionalString,
    // Reporting: the incontactapi version the tenant serves, and its longest window.
    CXONE_REPORTING_API_VERSION: z.string().regex(/^v\d{1,3}\.\d{1,3}$/, { error: 'must look like v30.0' }).default('v30.0'),
    CXONE_REPORTING_MAX_WINDOW_DAYS: integer(31, 1, 366),
    // Forward mode verifies bearer tokens as CXone JWTs unless turned off.
    CXONE_VERIFY_TOKENS: flag,
    // The `iss` CXone tokens must carry, when it differs from the `issuer` CXone's discovery names.
    CXONE_TOKEN_ISSUER: optionalString,
    // Forward mode: every `iss` accepted; unset: the discovery issuer and the tenant's auth host.
    CXONE_TOKEN_ISSUERS: z
      .string()
      .transform((list) => list.split(',').map((item) => item.trim()).filter((item) => item !== ''))
      .refine((list) => list.length > 0 && list.every((item) => /^https?:\/\/[^\s,]+$/i.test(item)), {
        error: 'must be a comma-separated list of http(s) issuer URLs',
      })
      .optional(),
    // How the app registration authenticates at the token endpoint; unset: what discovery asks for.
    CXONE_CLIENT_AUTH: z.enum(['basic', 'post'], { error: 'must be basic or post' }).optional(),
    // Kept as given, trailing '/' included: `iss` is compared as a string.
    CALLER_JWT_ISSUER: exactHttpUrl,
    CALLER_JWT_AUDIENCE: optionalString,
    CALLER_JWKS_URL: exactHttpUrl,
    CXONE_RATE_LIMIT: integer(150, 0, 1_000_000),
    CXONE_RATE_WINDOW_SECONDS: integer(300, 1, 86_400),
    // Fair use: one caller's share of the tenant budget window; 1 turns it off.
    CXONE_CALLER_SHARE: z.coerce.number({ error: 'must be a number' }).gt(0, { error: 'must be more than 0' }).max(1, { error: 'must be at most 1' }).default(0.5),
    CXONE_CONCURRENCY: integer(8, 1, 256),
    // How long CXone's 403 for a caller (401 for a forwarded token) is remembered; 0: not at all.
    CXONE_REFUSAL_MEMORY_SECONDS: integer(30, 0, 3600),
    CXONE_TIMEOUT_MS: integer(10_000, 100, 120_000),
    REQUEST_DEADLINE_MS: integer(25_000, 500, 300_000),
    CACHE_URL: z.string().regex(/^rediss?:\/\/.+/, { error: 'must be a redis:// or rediss:// URL' }).optional(),
    CACHE_MAX_ENTRIES: integer(10_000, 1, 10_000_000),
    // Keys and seals of the shared cache (HMAC-SHA256); every replica sharing a Redis needs the same one.
    CACHE_SECRET: z.string().min(32, { error: 'must be at least 32 characters' }).optional(),
    URL_EXPIRY_MARGIN_SECONDS: integer(60, 0, 1_700),
    NEGATIVE_CACHE_SECONDS: integer(60, 0, 3_600),
    // Interaction Analytics transcripts carry no links: kept this long (default 24 h).
    CXONE_TRANSCRIPT_CACHE_SECONDS: integer(86_400, 0, 30 * 86_400),
    // How long a contact CXone answered 5xx for (after retries) is remembered as failing.
    FAILING_CONTACT_SECONDS: integer(10, 0, 600),
    // One `recording(refresh: true)` upstream call per caller and contact per this long.
    LINK_REFRESH_INTERVAL_SECONDS: integer(30, 1, 3_600),
    MAX_LIST_IDS: integer(500, 1, 10_000),
    // Whole responses kept for identical requests (src/http/response-cache.ts); 0 turns it off.
    RESPONSE_CACHE_MAX_BYTES: integer(64 * 1024 * 1024, 0, 16 * 1024 * 1024 * 1024),
    // The embedded simulator: on by default only outside production and without CXONE_API_URL.
    CXONE_SIMULATOR: flag,
    SIMULATOR_PORT: integer(0, 0, 65535),
    SIMULATOR_HOST: z.string().default('127.0.0.1'),
    // Base of the simulator's signed links when reached under another name (a published port).
    SIMULATOR_PUBLIC_URL: httpUrl,
    SIMULATOR_LINK_LIFETIME_SECONDS: optionalInteger(1, Number.MAX_SAFE_INTEGER),
    GATEWAY_PORT: integer(4000, 0, 65535),
    // `npm run demo`'s page and gateway: its own default, so it runs beside `npm run federated`.
    DEMO_PORT: integer(4003, 0, 65535),
    // The served SDL (src/schema.ts): the reporting part, the authorization directives.
    FEDERATION_REPORTING: flag,
    FEDERATION_AUTH_DIRECTIVES: flag,
    GRAPHQL_INTROSPECTION: flag,
    // "Did you mean ...?" in validation errors (they reveal the schema).
    GRAPHQL_FIELD_SUGGESTIONS: flag,
    // Hostile input limits that a router's real queries never reach; see src/guards/.
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
    // A larger response becomes a RESPONSE_TOO_LARGE error.
    MAX_RESPONSE_BYTES: integer(8 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    // Long enough that it cannot be guessed; the router sends it in x-router-secret.
    ROUTER_SECRET: z.string().min(16, { error: 'must be at least 16 characters' }).optional(),
    // OpenTelemetry tracing, the standard variables: off unless an OTLP endpoint is set.
    OTEL_SDK_DISABLED: z.enum(['true', 'false']).optional(),
    OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl,
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: httpUrl,
    // `key=value,key2=value2` (the OTLP headers format; values may be percent-encoded).
    OTEL_EXPORTER_OTLP_HEADERS: z
      .string()
      .regex(/^\s*[^=,\s]+\s*=[^,]*(,\s*[^=,\s]+\s*=[^,]*)*$/, { error: 'must be key=value pairs separated by commas' })
      .transform((list) =>
        Object.fromEntries(
          list.split(',').map((pair): [string, string] => {
            const at = pair.indexOf('=');
            return [pair.slice(0, at).trim(), decodeURIComponent(pair.slice(at + 1).trim())];
          }),
        ),
      )
      .optional(),
    OTEL_SERVICE_NAME: z.string().default('cxone-recordings-subgraph'),
    // Share of new traces sampled; a caller's sampled `traceparent` is always followed.
    OTEL_TRACES_SAMPLER_ARG: z.coerce.number({ error: 'must be a number from 0 to 1' }).min(0).max(1).default(1),
  })
  // A transform: every cross-variable problem at once, and the usable CXone API (with its UI host) handed on.
  .transform((env, ctx) => {
    const problem = (variable: string, message: string): void => ctx.addIssue({ code: 'custom', path: [variable], message });
    const simulator = env.CXONE_SIMULATOR;
    if (simulator === true && env.CXONE_API_URL !== undefined) {
      problem('CXONE_SIMULATOR', 'is true but CXONE_API_URL is set: choose the real CXone or the embedded simulator');
    }
    // A real CXone: an API URL, or a tenant to discover one for. Otherwise the embedded simulator.
    const realCxone = simulator !== true && (env.CXONE_API_URL !== undefined || env.CXONE_TENANT_ID !== undefined);
    // A production process never serves simulated data by accident.
    if (simulator === false && !realCxone) {
      problem('CXONE_API_URL', 'is required when CXONE_SIMULATOR=false (or CXONE_TENANT_ID, to discover it)');
    } else if (simulator === undefined && !realCxone && env.NODE_ENV === 'production') {
      problem(
        'CXONE_API_URL',
        'is required when NODE_ENV=production (or CXONE_TENANT_ID, to discover it; CXONE_SIMULATOR=true serves the embedded CXone simulator on purpose, from `npm start` or the demo image)',
      );
    }
    const login: 'access-key' | 'password-grant' =
      env.CXONE_ACCESS_KEY_LOGIN ??
      (env.CXONE_CLIENT_ID !== undefined && env.CXONE_CLIENT_SECRET !== undefined ? 'password-grant' : 'access-key');
    if (env.CXONE_AUTH === 'access-key' && realCxone) {
      const client = login === 'password-grant' ? (['CXONE_CLIENT_ID', 'CXONE_CLIENT_SECRET'] as const) : [];
      for (const name of ['CXONE_ACCESS_KEY_ID', 'CXONE_ACCESS_KEY_SECRET', ...client] as const) {
        if (env[name] === undefined) problem(name, `is required when CXONE_AUTH=access-key (${login} login)`);
      }
    }
    // Player and download links need the UI host; never a guessed area.
    let api: { readonly url: string; readonly uiUrl: string } | undefined;
    if (env.CXONE_API_URL !== undefined) {
      const uiUrl = env.CXONE_UI_URL ?? uiBaseFromApiBase(env.CXONE_API_URL);
      if (uiUrl === null) {
        problem(
          'CXONE_UI_URL',
          `is required: CXONE_API_URL's host names no CXone area, so player and download links cannot be derived (e.g. https://na1.nice-incontact.com)`,
        );
      } else {
        api = { url: env.CXONE_API_URL, uiUrl };
      }
    }
    // Without either, nothing would stand between the internet and every recording.
    const production = env.NODE_ENV === 'production';
    if (production && env.CXONE_AUTH === 'access-key' && env.ROUTER_SECRET === undefined && env.CALLER_JWT_ISSUER === undefined) {
      problem(
        'CALLER_JWT_ISSUER',
        'or ROUTER_SECRET is required when NODE_ENV=production and CXONE_AUTH=access-key (otherwise any caller would get every recording)',
      );
    }
    // Shared answers are sealed with this key: a built-in one anyone can read would seal forgeries.
    if (production && env.CACHE_URL !== undefined && env.CACHE_SECRET === undefined) {
      problem('CACHE_SECRET', 'is required when NODE_ENV=production and CACHE_URL is set (32+ characters, the same on every replica)');
    }
    for (const name of ['CALLER_JWT_AUDIENCE', 'CALLER_JWKS_URL'] as const) {
      if (env[name] !== undefined && env.CALLER_JWT_ISSUER === undefined) problem(name, 'needs CALLER_JWT_ISSUER');
    }
    if (env.CXONE_AUTH === 'forward' && env.CALLER_JWT_ISSUER !== undefined) {
      problem('CALLER_JWT_ISSUER', 'applies to CXONE_AUTH=access-key only (forward mode verifies CXone tokens; see CXONE_VERIFY_TOKENS)');
    }
    return ctx.issues.length > 0 ? z.NEVER : { ...env, api, login, realCxone };
  });

type Environment = z.output<typeof environmentSchema>;

type DeepReadonly<T> = T extends readonly (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

export type AppConfig = DeepReadonly<ReturnType<typeof grouped>>;

function grouped(env: Environment) {
  const production = env.NODE_ENV === 'production';
  const client =
    env.CXONE_CLIENT_ID !== undefined && env.CXONE_CLIENT_SECRET !== undefined
      ? { id: env.CXONE_CLIENT_ID, secret: env.CXONE_CLIENT_SECRET }
      : undefined;
  // undefined only with the embedded simulator, which supplies its own demo key.
  const credentials =
    env.CXONE_ACCESS_KEY_ID !== undefined &&
    env.CXONE_ACCESS_KEY_SECRET !== undefined &&
    (env.login === 'access-key' || client !== undefined)
      ? { accessKeyId: env.CXONE_ACCESS_KEY_ID, accessKeySecret: env.CXONE_ACCESS_KEY_SECRET, client }
      : undefined;
  const auth =
    env.CXONE_AUTH === 'forward'
      ? { mode: 'forward' as const }
      : { mode: 'access-key' as const, login: env.login, clientAuth: env.CXONE_CLIENT_AUTH, credentials };
  const limits: QueryLimits = {
    depth: env.GRAPHQL_MAX_DEPTH,
    aliases: env.GRAPHQL_MAX_ALIASES,
    directives: env.GRAPHQL_MAX_DIRECTIVES,
    tokens: env.GRAPHQL_MAX_TOKENS,
    cost: env.GRAPHQL_MAX_COST,
    estimatedCost: env.GRAPHQL_MAX_ESTIMATED_COST,
    responsePositions: env.GRAPHQL_MAX_RESPONSE_POSITIONS,
    assumedListSize: env.GRAPHQL_ASSUMED_LIST_SIZE,
    representations: env.GRAPHQL_MAX_REPRESENTATIONS,
  };
  const otlpEndpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT === undefined ? undefined : `${env.OTEL_EXPORTER_OTLP_ENDPOINT}/v1/traces`;
  return {
    env: env.NODE_ENV,
    // 5 s lets a readiness probe (period 5 s) see the 503 before the listener closes; tests need none.
    http: { port: env.PORT, host: env.HOST, shutdownDelayMs: env.SHUTDOWN_DELAY_MS ?? (env.NODE_ENV === 'test' ? 0 : 5000) },
    logLevel: env.LOG_LEVEL,
    graphql: {
      introspection: env.GRAPHQL_INTROSPECTION ?? !production,
      fieldSuggestions: env.GRAPHQL_FIELD_SUGGESTIONS ?? !production,
      maxListIds: env.MAX_LIST_IDS,
      limits,
      maxBodyBytes: env.MAX_BODY_BYTES,
      maxResponseBytes: env.MAX_RESPONSE_BYTES,
      routerSecret: env.ROUTER_SECRET,
    },
    cxone: {
      // undefined: discovered from `tenantId` when set, else the embedded simulator.
      api: env.api,
      // As given: it overrides discovery's and the embedded CXone's UI host too.
      uiUrl: env.CXONE_UI_URL,
      authUrl: env.CXONE_AUTH_URL,
      auth,
      issuerUrl: env.CXONE_ISSUER,
      tenantId: env.CXONE_TENANT_ID,
      verifyTokens: env.CXONE_VERIFY_TOKENS ?? true,
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
    // Undefined: the router (ROUTER_SECRET) is trusted to have checked callers, or, outside production, everyone is.
    callerJwt:
      env.CALLER_JWT_ISSUER === undefined
        ? undefined
        : { issuer: env.CALLER_JWT_ISSUER, audience: env.CALLER_JWT_AUDIENCE, jwksUrl: env.CALLER_JWKS_URL },
    cache: {
      url: env.CACHE_URL,
      // undefined: a random key of this process (never in production with Redis).
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
      enabled: !env.realCxone,
      requested: env.CXONE_SIMULATOR === true,
      port: env.SIMULATOR_PORT,
      host: env.SIMULATOR_HOST,
      publicUrl: env.SIMULATOR_PUBLIC_URL,
      linkLifetimeSeconds: env.SIMULATOR_LINK_LIFETIME_SECONDS,
    },
    dev: { gatewayPort: env.GATEWAY_PORT, demoPort: env.DEMO_PORT },
    federation: { reporting: env.FEDERATION_REPORTING ?? true, authDirectives: env.FEDERATION_AUTH_DIRECTIVES ?? true },
    // `tracesUrl` undefined means off (no SDK loaded, nothing traced).
    telemetry: {
      tracesUrl: env.OTEL_SDK_DISABLED === 'true' ? undefined : (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? otlpEndpoint),
      headers: env.OTEL_EXPORTER_OTLP_HEADERS ?? {},
      serviceName: env.OTEL_SERVICE_NAME,
      sampleRatio: env.OTEL_TRACES_SAMPLER_ARG,
    },
  };
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Validates an environment (process.env by default) into an AppConfig, or throws ConfigError. */
export function loadConfig(source: Readonly<Record<string, string | undefined>> = process.env): AppConfig {
  // An empty variable counts as unset.
  const parsed = environmentSchema.safeParse(Object.fromEntries(Object.entries(source).filter(([, value]) => value?.trim() !== '')));
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
  return deepFreeze(grouped(parsed.data));
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
