import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { configProblems as problems } from '../helpers/config.js';

describe('configuration', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({});
    expect(config.http.port).toBe(4001);
    expect(config.cxone.api).toBeUndefined();
    expect(config.cxone.auth.mode).toBe('forward');
    expect(config.cxone.issuerUrl).toBe('https://cxone.niceincontact.com');
    expect(config.cxone.rateLimit).toEqual({ limit: 150, windowSeconds: 300, callerShare: 0.5 });
    expect(config.cache).toMatchObject({ url: undefined, expiryMarginSeconds: 60, negativeTtlSeconds: 60 });
    expect(Object.isFrozen(config.cxone)).toBe(true);
  });

  it('CXONE_TOKEN_ISSUERS is a comma-separated list of URLs; CXONE_CLIENT_AUTH is basic or post', () => {
    const config = loadConfig({ CXONE_TOKEN_ISSUERS: ' https://auth.na1.nice-incontact.com , https://cxone.niceincontact.com' });
    expect(config.cxone.tokenIssuers).toEqual(['https://auth.na1.nice-incontact.com', 'https://cxone.niceincontact.com']);
    expect(loadConfig({}).cxone.tokenIssuers).toBeUndefined();
    const post = loadConfig({ CXONE_AUTH: 'access-key', CXONE_CLIENT_AUTH: 'post' }).cxone.auth;
    expect(post.mode === 'access-key' ? post.clientAuth : null).toBe('post');
    const found = problems({ CXONE_TOKEN_ISSUERS: 'not a url,', CXONE_CLIENT_AUTH: 'jwt' });
    expect(found.map((line) => line.split(' ')[0]).sort()).toEqual(['CXONE_CLIENT_AUTH', 'CXONE_TOKEN_ISSUERS']);
  });

  it('reports every bad variable at once, each by name', () => {
    const found = problems({ PORT: 'abc', CXONE_AUTH: 'magic', CXONE_API_URL: 'ftp://x', URL_EXPIRY_MARGIN_SECONDS: '-5' });
    expect(found).toHaveLength(4);
    expect(found.join('\n')).toMatch(/PORT/);
    expect(found.join('\n')).toMatch(/CXONE_AUTH must be forward or access-key/);
    expect(found.join('\n')).toMatch(/CXONE_API_URL/);
    expect(found.join('\n')).toMatch(/URL_EXPIRY_MARGIN_SECONDS/);
  });

  it('requires the access key and client when access-key mode talks to a real CXone with the password grant', () => {
    const found = problems({
      CXONE_AUTH: 'access-key',
      CXONE_ACCESS_KEY_LOGIN: 'password-grant',
      CXONE_API_URL: 'https://api-na1.niceincontact.com',
      CXONE_ACCESS_KEY_SECRET: 'top-secret=',
    });
    expect(found.map((line) => line.split(' ')[0])).toEqual([
      'CXONE_ACCESS_KEY_ID',
      'CXONE_CLIENT_ID',
      'CXONE_CLIENT_SECRET',
    ]);
  });

  it('the access-key login (no app registration) requires only the access key', () => {
    const found = problems({
      CXONE_AUTH: 'access-key',
      CXONE_API_URL: 'https://api-na1.niceincontact.com',
      CXONE_ACCESS_KEY_SECRET: 'top-secret=',
    });
    expect(found.map((line) => line.split(' ')[0])).toEqual(['CXONE_ACCESS_KEY_ID']);
  });

  it('never echoes a secret-bearing value back', () => {
    const found = problems({ CACHE_URL: 'http://user:hunter2@redis', PORT: '99999' });
    expect(found.join('\n')).not.toContain('hunter2');
    expect(found.join('\n')).toContain('99999');
  });

  it('turns the budget off with 0 and reads a Redis cache URL', () => {
    const config = loadConfig({ CXONE_RATE_LIMIT: '0', CACHE_URL: 'redis://127.0.0.1:6379' });
    expect(config.cxone.rateLimit.limit).toBe(0);
    expect(config.cache.url).toBe('redis://127.0.0.1:6379');
  });
});

describe('simulated data is never served in production by accident', () => {
  it('refuses NODE_ENV=production without CXONE_API_URL, naming the variable and the explicit switch', () => {
    const found = problems({ NODE_ENV: 'production' }).join('\n');
    expect(found).toContain('CXONE_API_URL');
    expect(found).toContain('CXONE_SIMULATOR=true');
  });

  it('serves the simulator in production only when asked for explicitly', () => {
    const config = loadConfig({ NODE_ENV: 'production', CXONE_SIMULATOR: 'true' });
    expect(config.cxone.api).toBeUndefined();
    expect(config.simulator.enabled).toBe(true);
  });

  it('defaults to the simulator outside production and never when an API URL is given', () => {
    expect(loadConfig({}).simulator.enabled).toBe(true);
    expect(loadConfig({ CXONE_API_URL: 'https://api-na1.niceincontact.com' }).simulator.enabled).toBe(false);
    expect(problems({ CXONE_SIMULATOR: 'true', CXONE_API_URL: 'https://api-na1.niceincontact.com' }).join('\n')).toMatch(
      /CXONE_SIMULATOR/,
    );
    expect(problems({ CXONE_SIMULATOR: 'false' }).join('\n')).toMatch(/CXONE_API_URL/);
  });

  it('lets the simulator be reached from outside a container', () => {
    const config = loadConfig({ SIMULATOR_HOST: '0.0.0.0', SIMULATOR_PORT: '4010', SIMULATOR_PUBLIC_URL: 'http://localhost:4010/' });
    expect(config.simulator).toMatchObject({ host: '0.0.0.0', port: 4010, publicUrl: 'http://localhost:4010' });
  });
});

describe('OpenTelemetry variables', () => {
  it('leaves tracing off without an OTLP endpoint', () => {
    expect(loadConfig({}).telemetry).toMatchObject({ tracesUrl: undefined, serviceName: 'cxone-recordings-subgraph', sampleRatio: 1 });
  });

  it('sends traces to {OTEL_EXPORTER_OTLP_ENDPOINT}/v1/traces unless a traces endpoint is given', () => {
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).telemetry.tracesUrl).toBe(
      'http://collector:4318/v1/traces',
    );
    const both = loadConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example.com/otlp/v1/traces',
      OTEL_EXPORTER_OTLP_HEADERS: 'api-key=abc%3D%3D, x-team = recordings',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
    });
    expect(both.telemetry).toMatchObject({
      tracesUrl: 'https://traces.example.com/otlp/v1/traces',
      headers: { 'api-key': 'abc==', 'x-team': 'recordings' },
      sampleRatio: 0.25,
    });
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' }).telemetry.tracesUrl).toBeUndefined();
  });

  it('names a bad variable without echoing headers, which hold credentials', () => {
    const found = problems({ OTEL_EXPORTER_OTLP_HEADERS: 'no-equals-sign-secret', OTEL_TRACES_SAMPLER_ARG: '2' });
    expect(found.join('\n')).toMatch(/OTEL_EXPORTER_OTLP_HEADERS must be key=value pairs/);
    expect(found.join('\n')).toMatch(/OTEL_TRACES_SAMPLER_ARG/);
    expect(found.join('\n')).not.toContain('no-equals-sign-secret');
  });
});
