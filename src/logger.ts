import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Credentials are redacted by path as a second line of defence: the code
 * never logs tokens or signed URLs in the first place (see cxone/redact.ts).
 */
export function createLogger(options: { level: string; destination?: DestinationStream }): Logger {
  const settings: LoggerOptions<never> = {
    name: 'cxone-recordings',
    level: options.level,
    redact: {
      paths: [
        'authorization',
        'token',
        'accessToken',
        'refreshToken',
        'secret',
        'headers.authorization',
        'req.headers.authorization',
        'req.headers["x-router-secret"]',
        '*.authorization',
        '*.token',
        '*.secret',
      ],
      censor: '[redacted]',
    },
    base: { service: 'cxone-recordings' },
  };
  // A destination lets tests capture exactly what production would write, redaction included.
  return options.destination === undefined ? pino(settings) : pino(settings, options.destination);
}

/** True the first time a key is seen, for at most `max` keys: one warning per distinct shape, in bounded memory. */
export function firstSighting(max: number): (key: string) => boolean {
  const seen = new Set<string>();
  return (key) => {
    if (seen.has(key) || seen.size >= max) return false;
    seen.add(key);
    return true;
  };
}
