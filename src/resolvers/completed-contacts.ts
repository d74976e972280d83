/**
 * `Query.completedContacts`: argument checks, the opaque cursor and the page -> connection mapping.
 * Pure functions; the resolver in Query.ts only wires them to the loader.
 *
 * What skip-paging over a growing report can promise. CXone pages the report by `skip` over a list
 * ordered by contact id (the one sort field both generations of the report name alike). Contacts
 * that complete while a client pages are inserted into that list (never removed), so an insertion
 * before the current offset pushes the last row of the page just read onto the next page: a
 * repeat, never a gap. The cursor therefore carries the last row's sort key (its contact id) as
 * well as the next `skip`, and the next page drops rows at or before that key. Result: every contact that had completed when paging began is returned exactly once; one
 * that completes meanwhile is returned if it sorts after the rows already read (otherwise a fresh
 * query finds it); `totalCount` is CXone's count as of each page, so it may grow.
 */
import { z } from 'zod';
import type { CompletedContactConnectionModel, CompletedContactsPage, CompletedContactsQuery, ReportingMediaTypeName } from '../models.js';
import { badUserInput } from '../errors.js';
import { decodeCursor, encodeCursor } from './cursor.js';

/** A page's size when `first` is omitted. */
const DEFAULT_PAGE_SIZE = 50;

const DAY_MS = 24 * 3600 * 1000;
const ID = /^\d{1,20}$/;

/** What the cursor carries: the window and filters it belongs to, the next skip, the last row's key. */
const cursorSchema = z.object({
  v: z.literal(3),
  from: z.string(),
  to: z.string(),
  agentId: z.string().regex(ID).nullable(),
  skillId: z.string().regex(ID).nullable(),
  mediaType: z.string().max(32).nullable(),
  skip: z.number().int().min(0).max(10_000_000),
  lastContactId: z.string().regex(ID).nullable(),
});
type CursorState = z.infer<typeof cursorSchema>;

/** The arguments as GraphQL hands them over (DateTime already canonical ISO). */
export interface CompletedContactsArgs {
  readonly from: string;
  readonly to: string;
  readonly agentId?: string | null | undefined;
  readonly skillId?: string | null | undefined;
  readonly mediaType?: ReportingMediaTypeName | null | undefined;
  readonly first?: number | null | undefined;
  readonly after?: string | null | undefined;
}

/** Where the next upstream call starts, and which rows it must not return again. */
export interface PageRequest {
  readonly query: CompletedContactsQuery;
  /** The contact id of the last row returned so far: rows at or before it were returned already. */
  readonly lastKey: string | null;
}

/** Limits from configuration. */
export interface CompletedContactsLimits {
  /** Largest `first` (MAX_LIST_IDS: every node may cost one recording call). */
  readonly maxPageSize: number;
  /** Longest window CXone's report accepts, in days. */
  readonly maxWindowDays: number;
}

/** Validates the arguments before any upstream call; throws BAD_USER_INPUT with a clear message. */
export function pageRequest(args: CompletedContactsArgs, limits: CompletedContactsLimits): PageRequest {
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
  const agentId = optionalId(args.agentId, 'agentId');
  const skillId = optionalId(args.skillId, 'skillId');
  const mediaType = args.mediaType ?? null;
  const top = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(top) || top < 1 || top > limits.maxPageSize) {
    throw badUserInput(`\`first\` must be 1 to ${limits.maxPageSize} (got ${String(top)}).`, 'first');
  }
  const from = new Date(fromMs).toISOString();
  const to = new Date(toMs).toISOString();
  if (args.after == null) {
    return { query: { from, to, agentId, skillId, mediaType, skip: 0, top }, lastKey: null };
  }
  const cursor = decodeReportCursor(args.after);
  if (
    cursor.from !== from ||
    cursor.to !== to ||
    cursor.agentId !== agentId ||
    cursor.skillId !== skillId ||
    cursor.mediaType !== mediaType
  ) {
    throw badUserInput('`after` belongs to another window or other filters: page on with the same arguments.', 'after');
  }
  return { query: { from, to, agentId, skillId, mediaType, skip: cursor.skip, top }, lastKey: cursor.lastContactId };
}

function optionalId(value: string | null | undefined, argumentName: string): string | null {
  if (value == null) return null;
  if (!ID.test(value)) throw badUserInput(`${argumentName} must be a CXone id: 1 to 20 digits.`, argumentName);
  return value;
}

/** The report's cursor state, or BAD_USER_INPUT when it is not one of ours (tampered, truncated, another version). */
export function decodeReportCursor(cursor: string): CursorState {
  return decodeCursor(cursor, cursorSchema);
}

/** Sort order of the report: contact id, numerically (ids are digit strings without leading zeros). */
function compareKey(a: string, b: string): number {
  const byLength = a.length - b.length;
  return byLength !== 0 ? byLength : a < b ? -1 : a > b ? 1 : 0;
}

/** One upstream page -> the connection, dropping rows a previous page already returned. */
export function toConnection(request: PageRequest, page: CompletedContactsPage): CompletedContactConnectionModel {
  const { query, lastKey } = request;
  const base = {
    v: 3 as const,
    from: query.from,
    to: query.to,
    agentId: query.agentId,
    skillId: query.skillId,
    mediaType: query.mediaType,
  };
  const edges: Array<CompletedContactConnectionModel['edges'][number]> = [];
  let key = lastKey;
  page.contacts.forEach((row, index) => {
    // Pushed down by a contact that completed since the last page: already returned.
    if (lastKey !== null && compareKey(row.contactId, lastKey) <= 0) return;
    key = row.contactId;
    const position = page.positions[index] ?? index;
    edges.push({ row, cursor: encodeCursor<CursorState>({ ...base, skip: query.skip + position + 1, lastContactId: row.contactId }) });
  });
  const nextSkip = query.skip + page.rows;
  const endCursor = encodeCursor<CursorState>({
    ...base,
    skip: nextSkip,
    lastContactId: key,
  });
  return {
    edges,
    // CXone's total says whether rows lie beyond this page (an empty page ends it whatever the total).
    hasNextPage: page.rows > 0 && nextSkip < page.totalRecords,
    // Even an empty page hands back where it stopped, so a client can poll the window later.
    endCursor,
    totalCount: page.totalRecords,
  };
}
