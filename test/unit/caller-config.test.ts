/**
 * Caller trust as configuration: forward mode verifies by default; access-key mode in
 * production refuses to start unless a router secret or a caller issuer guards it; caller settings
 * that would be ignored stop the start instead of being silently ignored.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { configProblems as problems } from '../helpers/config.js';

const ACCESS_KEY = {
  CXONE_AUTH: 'access-key',
  CXONE_API_URL: 'https://api-na1.niceincontact.com',
  CXONE_ACCESS_KEY_ID: 'AKID',
  CXONE_ACCESS_KEY_SECRET: 'secret=',
  CXONE_CLIENT_ID: 'client',
  CXONE_CLIENT_SECRET: 'client-secret',
};


describe('caller trust configuration', () => {
  it('verifies forward-mode tokens unless CXONE_VERIFY_TOKENS=false', () => {
    expect(loadConfig({}).cxone.verifyTokens).toBe(true);
    expect(loadConfig({ CXONE_VERIFY_TOKENS: 'false' }).cxone.verifyTokens).toBe(false);
    expect(loadConfig({ CXONE_VERIFY_TOKENS: '1' }).cxone.verifyTokens).toBe(true);
    expect(problems({ CXONE_VERIFY_TOKENS: 'maybe' }).join('\n')).toMatch(/^CXONE_VERIFY_TOKENS /);
  });

  it('refuses production access-key mode with neither ROUTER_SECRET nor CALLER_JWT_ISSUER', () => {
    const found = problems({ NODE_ENV: 'production', ...ACCESS_KEY });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^CALLER_JWT_ISSUER or ROUTER_SECRET is required when NODE_ENV=production and CXONE_AUTH=access-key/);
  });

  it('starts production access-key mode with a router secret (the router is trusted) or a caller issuer', () => {
    const trusted = loadConfig({ NODE_ENV: 'production', ...ACCESS_KEY, ROUTER_SECRET: 'a-long-enough-router-secret' });
    expect(trusted.callerJwt).toBeUndefined();
    const verified = loadConfig({
      NODE_ENV: 'production',
      ...ACCESS_KEY,
      CALLER_JWT_ISSUER: 'https://login.example.com/tenant/',
      CALLER_JWT_AUDIENCE: 'api://crm-graph',
    });
    // Kept exactly: `iss` is compared as a string and this issuer ends with a slash.
    expect(verified.callerJwt).toEqual({ issuer: 'https://login.example.com/tenant/', audience: 'api://crm-graph', jwksUrl: undefined });
  });

  it('allows access-key mode without either outside production (callers trusted, with a warning at start)', () => {
    expect(problems({ NODE_ENV: 'development', ...ACCESS_KEY })).toEqual([]);
  });

  it('refuses caller settings that would be ignored', () => {
    expect(problems({ ...ACCESS_KEY, CALLER_JWT_AUDIENCE: 'x' })).toEqual(['CALLER_JWT_AUDIENCE needs CALLER_JWT_ISSUER (got "x")']);
    expect(problems({ ...ACCESS_KEY, CALLER_JWKS_URL: 'https://idp.example.com/keys' })).toEqual(['CALLER_JWKS_URL needs CALLER_JWT_ISSUER (got "https://idp.example.com/keys")']);
    expect(problems({ CALLER_JWT_ISSUER: 'https://idp.example.com' }).join('\n')).toMatch(/^CALLER_JWT_ISSUER applies to CXONE_AUTH=access-key only/);
    expect(problems({ ...ACCESS_KEY, CALLER_JWT_ISSUER: 'not a url' }).join('\n')).toMatch(/^CALLER_JWT_ISSUER must be an http\(s\) URL/);
  });
});
