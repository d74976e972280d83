/**
 * What the reporting connections share: the window and page size checked before any upstream call,
 * and opaque page cursors (base64url JSON, so clients cannot read or build them, validated field by
 * field when they come back: tampered, truncated or another version is BAD_USER_INPUT).
 */
import type { z } from 'zod';
import { badUserInput } from '../errors.js';

/** The longest cursor accepted; ours are far shorter. */
const MAX_CURSOR_LENGTH = 1024;
const DEFAULT_PAGE_SIZE = 50;
const DAY_MS = 24 * 3600 * 1000;

/** Limits from configuration: the largest `first` (every node may cost one recording call), the longest window. */
export interface ReportLimits {
  readonly maxPageSize: number;
  readonly maxWindowDays: number;
}

/** The window as canonical ISO and the page size, or BAD_USER_INPUT with a clear message. */
export function reportWindow(
  args: { readonly from: string; readonly to: string; readonly first?: number | null | undefined },
  limits: ReportLimits,
): { from: string; to: string; first: number } {
  const fromMs = Date.parse(args.from);
  const toMs = Date.parse(args.to);
  if (!(fromMs < toMs)) throw badUserInput('`from` must be before `to`.', 'from');
  if (toMs - fromMs > limits.maxWindowDays * DAY_MS) {
    throw badUserInput(
      `The window from ${args.from} to ${args.to} is longer than CXone's reporting allows ` +
        `(${limits.maxWindowDays} days); split it into shorter windows.`,
      'to',
    );
  }
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > limits.maxPageSize) {
    throw badUserInput(`\`first\` must be 1 to ${limits.maxPageSize} (got ${String(first)}).`, 'first');
  }
  return { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), first };
}

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
