/**
 * The hostile-input settings as configuration: production defaults, overrides, and a bad router
 * secret stopping the start without being echoed.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { DEFAULT_QUERY_LIMITS } from '../../src/guards/limits.js';

describe('hostile-input configuration', () => {
  it('turns introspection and field suggestions off in production, on elsewhere, and keeps the default limits', () => {
    const production = loadConfig({ NODE_ENV: 'production', CXONE_API_URL: 'https://api-na1.niceincontact.com' });
    expect(production.graphql).toMatchObject({ introspection: false, fieldSuggestions: false, routerSecret: undefined });
    expect(production.graphql.limits).toEqual(DEFAULT_QUERY_LIMITS);
    expect(production.graphql.maxBodyBytes).toBe(1024 * 1024);
    expect(loadConfig({ NODE_ENV: 'development' }).graphql).toMatchObject({ introspection: true, fieldSuggestions: true });
  });

  it('reads overrides', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      CXONE_API_URL: 'https://api-na1.niceincontact.com',
      GRAPHQL_INTROSPECTION: 'true',
      GRAPHQL_FIELD_SUGGESTIONS: '1',
      GRAPHQL_MAX_DEPTH: '7',
      GRAPHQL_MAX_ALIASES: '5',
      GRAPHQL_MAX_DIRECTIVES: '3',
      GRAPHQL_MAX_TOKENS: '800',
      GRAPHQL_MAX_COST: '900',
      MAX_BODY_BYTES: '2048',
      ROUTER_SECRET: 'a-long-enough-router-secret',
    });
    expect(config.graphql).toMatchObject({
      introspection: true,
      fieldSuggestions: true,
      limits: { depth: 7, aliases: 5, directives: 3, tokens: 800, cost: 900 },
      maxBodyBytes: 2048,
      routerSecret: 'a-long-enough-router-secret',
    });
  });

  it('refuses a short router secret and nonsense limits, naming each variable, never echoing the secret', () => {
    let error: unknown;
    try {
      loadConfig({ ROUTER_SECRET: 'hunter2', GRAPHQL_MAX_DEPTH: '1', MAX_BODY_BYTES: 'lots' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('ROUTER_SECRET must be at least 16 characters');
    expect(message).toContain('GRAPHQL_MAX_DEPTH');
    expect(message).toContain('MAX_BODY_BYTES');
    expect(message).not.toContain('hunter2');
  });
});
