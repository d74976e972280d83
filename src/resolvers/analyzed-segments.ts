/**
 * `Query.analyzedSegments`: arguments to the upstream page, the page to the connection.
 *
 * Interaction Analytics pages by its own numeric cursor (`links.next`). The connection's end
 * cursor carries CXone's next cursor; an edge's cursor carries the cursor of the page it came from,
 * that page's size and its position, so resuming after an edge asks for the same page and drops
 * the rows up to it (one upstream call either way).
 */
import { z } from 'zod';
import type { QueryAnalyzedSegmentsArgs } from '../__generated__/resolvers-types.js';
import type { AnalyzedSegmentConnectionModel, AnalyzedSegmentsPage, AnalyzedSegmentsQuery, MediaTypeName } from '../models.js';
import { badUserInput } from '../errors.js';
import { decodeCursor, encodeCursor, reportWindow, type ReportLimits } from './cursor.js';

/** Interaction Analytics' `mediaType` values, as its answers name media; ALL sends none. */
const IA_MEDIA_TYPES: Readonly<Record<MediaTypeName, string | null>> = {
  ALL: null,
  VOICE_ONLY: 'voice',
  VOICE_AND_SCREEN: 'voice',
  CHAT: 'chat',
  EMAIL: 'email',
};

const cursorSchema = z.object({
  v: z.literal(1),
  from: z.string(),
  to: z.string(),
  mediaType: z.string().nullable(),
  /** CXone's cursor of the page to ask for; null: the first page. */
  page: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullable(),
  /** The size that page was asked with (its boundaries depend on it). */
  size: z.number().int().min(1).max(10_000),
  /** Rows of that page already returned. */
  skip: z.number().int().min(0).max(10_000),
});
type CursorState = z.infer<typeof cursorSchema>;

/** The upstream call to make, and how much of its page this connection page returns. */
interface AnalyzedPageRequest {
  readonly query: AnalyzedSegmentsQuery;
  readonly skip: number;
  readonly first: number;
}

export function analyzedPageRequest(args: QueryAnalyzedSegmentsArgs, limits: ReportLimits): AnalyzedPageRequest {
  const { from, to, first } = reportWindow(args, limits);
  const mediaType = args.mediaType == null ? null : IA_MEDIA_TYPES[args.mediaType];
  if (args.after == null) {
    return { query: { from, to, mediaType, pageSize: first, cursor: null }, skip: 0, first };
  }
  const cursor = decodeCursor(args.after, cursorSchema);
  if (cursor.from !== from || cursor.to !== to || cursor.mediaType !== mediaType) {
    throw badUserInput('`after` belongs to another window or media type: page on with the same arguments.', 'after');
  }
  // Mid-page: the same page again (same size, same boundaries), from the row after the edge.
  const pageSize = cursor.skip === 0 ? first : cursor.size;
  return { query: { from, to, mediaType, pageSize, cursor: cursor.page }, skip: cursor.skip, first };
}

export function toAnalyzedConnection(request: AnalyzedPageRequest, page: AnalyzedSegmentsPage): AnalyzedSegmentConnectionModel {
  const { query, skip, first } = request;
  const cursor = (pageCursor: number | null, rowsSkipped: number) =>
    encodeCursor<CursorState>({
      v: 1,
      from: query.from,
      to: query.to,
      mediaType: query.mediaType,
      page: pageCursor,
      size: query.pageSize,
      skip: rowsSkipped,
    });
  const rows = page.segments.slice(skip, skip + first);
  const edges = rows.map((row, index) => ({ row, cursor: cursor(query.cursor, skip + index + 1) }));
  const restOfPage = skip + rows.length < page.segments.length;
  const endCursor = restOfPage
    ? cursor(query.cursor, skip + rows.length)
    : page.nextCursor === null
      ? null
      : cursor(page.nextCursor, 0);
  return { edges, hasNextPage: restOfPage || page.nextCursor !== null, endCursor, totalCount: page.totalRecords };
}
