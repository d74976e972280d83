/** Keeping secrets out of logs and errors: a pre-signed media link's query string is its credential. */

/** A URL safe to log: scheme, host and path, the query as `?[redacted]`, no user info or fragment. Never throws. */
export function redactUrl(url: string): string {
  const querySuffix = (search: string): string => (search === '' ? '' : '?[redacted]');
  try {
    // A path-only URL (an upstream request path) keeps its path; the stand-in base is never shown.
    if (url.startsWith('/') && !url.startsWith('//')) {
      const parsed = new URL(url, 'http://redact.invalid');
      return `${parsed.pathname}${querySuffix(parsed.search)}`;
    }
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}${querySuffix(parsed.search)}`;
  } catch {
    // Not a URL at all: it could be the secret itself, so nothing of it is echoed.
    return '[invalid url]';
  }
}
