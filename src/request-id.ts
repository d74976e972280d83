/**
 * The caller's `x-request-id` when it is a sane id (echoed in answers and logs), else a new one:
 * an arbitrary header value must not reach a log line or a response header.
 */
import { randomUUID } from 'node:crypto';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdOf(header: string | string[] | undefined): string {
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
}
