/** Keeping secrets out of logs and errors: a pre-signed media link's query string is its credential. */

/** Stand-in base for parsing a path-only URL; never appears in the output. */
const PATH_BASE = 'http://redact.invalid';

/** A URL safe to log: scheme, host and path, the query as `?[redacted]`, no user info or fragment. Never throws. */
export function redactUrl(url: string): string {
  const querySuffix = (search: string): string => (search === '' ? '' : '?[redacted]');
  try {
    // A path-only URL (an upstream request path) keeps its path; it has no host to show.
    if (url.startsWith('/') && !url.startsWith('//')) {
      const parsed = new URL(url, PATH_BASE);
      return `${parsed.pathname}${querySuffix(parsed.search)}`;
    }
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}${querySuffix(parsed.search)}`;
  } catch {
    // Not a URL at all: it could be the secret itself, so nothing of it is echoed.
    return '[invalid url]';
  }
}

export { hashToken } from '../credential.js';
