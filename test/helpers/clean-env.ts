/**
 * The environment of a new user's shell: no NODE_ENV, no test variables (vitest's own, ours), only
 * PATH, HOME, a locale and this machine's network settings (its CA bundle and proxies, which npm
 * needs to reach the registry when its cache misses). npm prefers its cache: tests have no
 * network beyond loopback, and an `npm ci` just ran for the same lockfile.
 */
import { tmpdir } from 'node:os';

const MACHINE = /^(NODE_EXTRA_CA_CERTS|SSL_CERT_FILE|SSL_CERT_DIR|https?_proxy|no_proxy)$/i;

export function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? tmpdir(),
    LANG: 'C.UTF-8',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_prefer_offline: 'true',
  };
  for (const [name, value] of Object.entries(process.env)) if (MACHINE.test(name) && value !== undefined) env[name] = value;
  return env;
}
