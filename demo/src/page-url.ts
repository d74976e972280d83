/**
 * The page's own addresses: `?contact=<acdContactId>` opens that recording, with `&statement=<id>`
 * a statement of it or `&segment=<segmentId>` one of its segments. A shared link names only these
 * ids: never a signed media URL, never the demo user. Ids are checked as the subgraph checks them,
 * so a bad link opens the list instead of sending a request that can only fail.
 */

export interface PageTarget {
  readonly contact: string;
  readonly statement?: string;
  readonly segment?: string;
}

const ACD_ID = /^\d{1,20}$/;
const SEGMENT_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The target a query string names, or null (the list). */
export function parseTarget(search: string): PageTarget | null {
  const params = new URLSearchParams(search);
  const contact = params.get('contact');
  if (contact === null || !ACD_ID.test(contact)) return null;
  const statement = params.get('statement');
  const segment = params.get('segment');
  return {
    contact,
    ...(statement !== null && ACD_ID.test(statement) ? { statement } : {}),
    ...(segment !== null && SEGMENT_ID.test(segment) ? { segment } : {}),
  };
}

/**
 * The page's URL for `target` (null: the list), from the current one: the same path, other
 * parameters (e.g. `token`, the demo user) kept when `keep` is true; a link to share drops them.
 */
export function targetUrl(current: string, target: PageTarget | null, keep = true): string {
  const url = new URL(current);
  url.hash = '';
  const params = keep ? new URLSearchParams(url.search) : new URLSearchParams();
  for (const name of ['contact', 'statement', 'segment']) params.delete(name);
  if (target !== null) {
    params.set('contact', target.contact);
    if (target.statement !== undefined) params.set('statement', target.statement);
    if (target.segment !== undefined) params.set('segment', target.segment);
  }
  const search = params.toString();
  url.search = search === '' ? '' : `?${search}`;
  return url.href;
}
