/**
 * Opaque page cursors for the reporting connections: base64url JSON, so clients cannot read or
 * build them, validated field by field when they come back (tampered, truncated or another
 * version: BAD_USER_INPUT before any upstream call).
 */
import type { z } from 'zod';
import { badUserInput } from '../errors.js';

/** The longest cursor accepted; ours are far shorter. */
const MAX_CURSOR_LENGTH = 1024;

/** A connection's cursor for `state` (name the state's type: `encodeCursor<State>(...)`). */
export function encodeCursor<T extends object>(state: T): string {
  return Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');
}

/** The state `cursor` carries, as `schema` reads it, or BAD_USER_INPUT on `after` when it is not one of ours. */
export function decodeCursor<T>(cursor: string, schema: z.ZodType<T>): T {
  const invalid = () => badUserInput('`after` is not a cursor of this connection.', 'after');
  if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const result = schema.safeParse(parsed);
  if (!result.success) throw invalid();
  return result.data;
}
