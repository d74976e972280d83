/**
 * `Query.completedContacts`: arguments to the upstream page, the page to the connection.
 *
 * CXone pages the report by `skip` over a list ordered by contact id. Contacts that complete while a
 * client pages are inserted (never removed), so one inserted before the offset pushes the last row
 * read onto the next page: a repeat, never a gap. The cursor therefore carries the last row's
 * contact id with the next `skip`, and the next page drops rows at or before it. Every contact
 * completed when paging began comes exactly once; one completing meanwhile comes if it sorts after
 * the rows read (a fresh query finds the others); `totalCount` is CXone's as of each page.
 */
import { z } from 'zod';
import type { QueryCompletedContactsArgs } from '../__generated__/resolvers-types.js';
import type { CompletedContactConnectionModel, CompletedContactsPage, CompletedContactsQuery } from '../models.js';
import { badUserInput } from '../errors.js';
import { decodeCursor, encodeCursor, reportWindow, type ReportLimits } from './cursor.js';
import { requireAcdId } from './validate.js';

const ID = /^\d{1,20}$/;

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

interface PageRequest {
  readonly query: CompletedContactsQuery;
  /** The contact id of the last row returned so far: rows at or before it were returned already. */
  readonly lastKey: string | null;
}

export function pageRequest(args: QueryCompletedContactsArgs, limits: ReportLimits): PageRequest {
  const { from, to, first: top } = reportWindow(args, limits);
  const agentId = args.agentId == null ? null : requireAcdId(args.agentId, 'agentId');
  const skillId = args.skillId == null ? null : requireAcdId(args.skillId, 'skillId');
  const mediaType = args.mediaType ?? null;
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

export function decodeReportCursor(cursor: string): CursorState {
  return decodeCursor(cursor, cursorSchema);
}

/** Sort order of the report: contact id, numerically (ids are digit strings without leading zeros). */
function compareKey(a: string, b: string): number {
  const byLength = a.length - b.length;
  return byLength !== 0 ? byLength : a < b ? -1 : a > b ? 1 : 0;
}

export function toConnection(request: PageRequest, page: CompletedContactsPage): CompletedContactConnectionModel {
  const { query, lastKey } = request;
  const { from, to, agentId, skillId, mediaType } = query;
  const cursor = (skip: number, lastContactId: string | null) =>
    encodeCursor<CursorState>({ v: 3, from, to, agentId, skillId, mediaType, skip, lastContactId });
  const edges: Array<CompletedContactConnectionModel['edges'][number]> = [];
  let key = lastKey;
  page.contacts.forEach((row, index) => {
    // Pushed down by a contact that completed since the last page: already returned.
    if (lastKey !== null && compareKey(row.contactId, lastKey) <= 0) return;
    key = row.contactId;
    edges.push({ row, cursor: cursor(query.skip + (page.positions[index] ?? index) + 1, row.contactId) });
  });
  const nextSkip = query.skip + page.rows;
  return {
    edges,
    // CXone's total says whether rows lie beyond this page (an empty page ends it whatever the total).
    hasNextPage: page.rows > 0 && nextSkip < page.totalRecords,
    // Even an empty page hands back where it stopped, so a client can poll the window later.
    endCursor: cursor(nextSkip, key),
    totalCount: page.totalRecords,
  };
}
