/**
 * `Query.analyzedSegments`: argument checks, the opaque cursor and the page -> connection mapping.
 * Pure functions; the resolver in Query.ts only wires them to the loader. Self-contained (its own
 * cursor, limits and media types) so it can move with `completedContacts` into a reporting schema.
 *
 * Paging: Interaction Analytics pages by its own numeric cursor (`links.next`). The connection's
 * end cursor carries CXone's next cursor; an edge's cursor carries the cursor of the page it came
 * from, that page's size and its position, so resuming after an edge asks for the same page and
 * drops the rows up to it (one upstream call either way).
 */
import { z } from 'zod';
import type { AnalyzedSegmentConnectionModel, AnalyzedSegmentsPage, AnalyzedSegmentsQuery, MediaTypeName } from '../models.js';
import { badUserInput } from '../errors.js';
import { decodeCursor, encodeCursor } from './cursor.js';

/** A page's size when `first` is omitted. */
export const DEFAULT_ANALYZED_PAGE_SIZE = 50;

const DAY_MS = 24 * 3600 * 1000;

/**
 * Our media types as Interaction Analytics' `mediaType` parameter. The published client types it
 * as a plain string; these are the media names its answers carry. ALL sends none.
 */
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

/** The arguments as GraphQL hands them over (DateTime already canonical ISO). */
interface AnalyzedSegmentsArgs {
  readonly from: string;
  readonly to: string;
  readonly mediaType?: MediaTypeName | null | undefined;
  readonly first?: number | null | undefined;
  readonly after?: string | null | undefined;
}

/** Limits from configuration. */
interface AnalyzedSegmentsLimits {
  readonly maxPageSize: number;
  readonly maxWindowDays: number;
}

/** The upstream call to make, and how much of its page this connection page returns. */
interface AnalyzedPageRequest {
  readonly query: AnalyzedSegmentsQuery;
  readonly skip: number;
  readonly first: number;
}

/** Validates the arguments before any upstream call; throws BAD_USER_INPUT with a clear message. */
export function analyzedPageRequest(args: AnalyzedSegmentsArgs, limits: AnalyzedSegmentsLimits): AnalyzedPageRequest {
  const fromMs = Date.parse(args.from);
  const toMs = Date.parse(args.to);
  if (!(fromMs < toMs)) throw badUserInput('`from` must be before `to`.', 'from');
  if (toMs - fromMs > limits.maxWindowDays * DAY_MS) {
    throw badUserInput(`The window is longer than ${limits.maxWindowDays} days; split it into shorter windows.`, 'to');
  }
  const first = args.first ?? DEFAULT_ANALYZED_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > limits.maxPageSize) {
    throw badUserInput(`\`first\` must be 1 to ${limits.maxPageSize} (got ${String(first)}).`, 'first');
  }
  const from = new Date(fromMs).toISOString();
  const to = new Date(toMs).toISOString();
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

/** One upstream page -> the connection page. */
export function toAnalyzedConnection(request: AnalyzedPageRequest, page: AnalyzedSegmentsPage): AnalyzedSegmentConnectionModel {
  const { query, skip, first } = request;
  const base = { v: 1 as const, from: query.from, to: query.to, mediaType: query.mediaType };
  const rows = page.segments.slice(skip, skip + first);
  const edges = rows.map((row, index) => ({
    row,
    cursor: encodeCursor<CursorState>({ ...base, page: query.cursor, size: query.pageSize, skip: skip + index + 1 }),
  }));
  const restOfPage = skip + rows.length < page.segments.length;
  const endCursor = restOfPage
    ? encodeCursor<CursorState>({ ...base, page: query.cursor, size: query.pageSize, skip: skip + rows.length })
    : page.nextCursor === null
      ? null
      : encodeCursor<CursorState>({ ...base, page: page.nextCursor, size: query.pageSize, skip: 0 });
  return { edges, hasNextPage: restOfPage || page.nextCursor !== null, endCursor, totalCount: page.totalRecords };
}
