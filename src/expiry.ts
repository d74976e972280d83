/** When a CXone media link stops working: the earlier of CXone's documented rule and the link's signed expiry. */
import type { RecordingModel, SegmentModel, StatementMediaModel } from './models.js';

const MIN_LINK_LIFETIME_MS = 30 * 60 * 1000;

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** Whole, non-negative numbers only: a sign, a fraction or an exponent means the link is not what we think. */
const DIGITS = /^\d{1,15}$/;

/** CXone's documented rule: a link is valid max(30 min, duration) from when CXone answered. */
export function documentedExpiry(answeredAt: number, durationSeconds: number | null): number {
  // An unknown, negative or non-finite duration falls back to the documented minimum.
  const durationMs =
    durationSeconds !== null && Number.isFinite(durationSeconds) && durationSeconds > 0 ? durationSeconds * 1000 : 0;
  // Rounded down: ending a link's life a fraction of a millisecond early is harmless, late is not.
  return Math.floor(answeredAt + Math.max(MIN_LINK_LIFETIME_MS, durationMs));
}

/** The expiry a signed URL carries itself: `Expires=<epoch seconds>` or AWS SigV4 X-Amz-Date (YYYYMMDDTHHMMSSZ) + X-Amz-Expires (seconds); null when none or unparseable. Parameter names case-insensitive. */
export function signedExpiry(url: string): number | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const expires = queryParam(parsed, 'expires');
  const amzDate = queryParam(parsed, 'x-amz-date');
  const amzExpires = queryParam(parsed, 'x-amz-expires');

  const candidates: number[] = [];
  if (expires !== null && DIGITS.test(expires)) candidates.push(Number(expires) * 1000);
  if (amzDate !== null && amzExpires !== null && DIGITS.test(amzExpires)) {
    const signedAt = parseAmzDate(amzDate);
    if (signedAt !== null) candidates.push(signedAt + Number(amzExpires) * 1000);
  }
  // Both kinds in one link would be odd; if it happens, the stricter one is the one that bites.
  return candidates.length === 0 ? null : Math.min(...candidates);
}

export function linkExpiry(url: string, answeredAt: number, durationSeconds: number | null): number {
  const documented = documentedExpiry(answeredAt, durationSeconds);
  const signed = signedExpiry(url);
  return signed === null ? documented : Math.min(documented, signed);
}

/** The earliest expiresAt among every MediaUrl a model holds (recording mediaUrl, screenUrl, interactions, loaded segments; a segment or statement model's own), or null when it holds none. */
export function earliestLinkExpiry(model: RecordingModel | SegmentModel | StatementMediaModel): number | null {
  const links =
    'interactions' in model
      ? [model.mediaUrl, model.screenUrl, ...model.interactions.map((i) => i.mediaUrl), ...model.segments.map((s) => s.mediaUrl)]
      : [model.mediaUrl];
  // A model we did not build ourselves could hold a bad date; skip it rather than poison the minimum.
  const times = links
    .flatMap((link) => (link === null || link === undefined ? [] : [Date.parse(link.expiresAt)]))
    .filter((time) => !Number.isNaN(time));
  return times.length === 0 ? null : Math.min(...times);
}

/** Any case: signers differ in casing. */
function queryParam(url: URL, lowerCaseName: string): string | null {
  for (const [name, value] of url.searchParams) {
    if (name.toLowerCase() === lowerCaseName) return value.trim();
  }
  return null;
}

/** `YYYYMMDDTHHMMSSZ` to ms since the epoch; null when malformed or not a real date (e.g. month 13). */
function parseAmzDate(text: string): number | null {
  const match = AMZ_DATE.exec(text);
  if (match === null) return null;
  const iso = `${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}.000Z`;
  const time = Date.parse(iso);
  // Date.parse may roll 2024-02-31 over to March; a round trip catches that.
  return !Number.isNaN(time) && new Date(time).toISOString() === iso ? time : null;
}
