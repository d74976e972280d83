/**
 * The response budget: no response grows past its limit.
 */
import type { FormattedExecutionResult } from 'graphql';
import type { LimitName } from './limits.js';

/**
 * Apollo's `stringifyResult` with a bound: a response whose JSON would pass `maxBytes` is replaced
 * by one error (`RESPONSE_TOO_LARGE`, `extensions.limit`), so no caller receives, and no proxy
 * buffers, more than the limit. The demand-control limit keeps execution itself bounded; this is
 * the backstop for what the estimate cannot see (long transcripts, many segments).
 */
export function boundedStringify(maxBytes: number): (result: FormattedExecutionResult) => string {
  return (result) => {
    const text = JSON.stringify(result);
    // UTF-16 length <= UTF-8 bytes <= 3 x length: count bytes only when it can matter.
    if (text.length * 3 <= maxBytes || Buffer.byteLength(text) <= maxBytes) return text;
    return JSON.stringify({
      errors: [
        {
          message: `The response would be larger than ${String(maxBytes)} bytes (limit set by MAX_RESPONSE_BYTES). Ask for fewer ids or fields at once.`,
          extensions: { code: 'RESPONSE_TOO_LARGE', limit: 'maxResponseBytes' satisfies LimitName },
        },
      ],
      data: null,
    });
  };
}

