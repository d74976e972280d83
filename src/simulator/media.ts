/**
 * Signed media links, as CXone hands them out: pre-signed, fetched with no Authorization header,
 * and really expiring. The signature covers the path and the expiry, so a link cannot be extended
 * by editing its query, and the per-process secret means links never survive a restart.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Reply } from './http.js';
import { SAMPLE_MP4 } from './sample-media.js';
import type { LinkStyle } from './seed.js';

/** CXone's documented floor: links live at least 30 minutes. */
const MIN_LIFETIME_SECONDS = 30 * 60;
/** S3 presigned links in the wild carry 15 minutes, shorter than CXone's rule. */
const SIGV4_MAX_EXPIRES_SECONDS = 900;

const MEDIA_PATH = /^\/media\/([A-Za-z0-9._-]{1,160})\.mp4$/;

export interface LinkRequest {
  /** Names the file in the path; any id is servable, the signature is what matters. */
  readonly fileId: string;
  /** The recording's duration, for CXone's max(30 min, duration) rule. */
  readonly durationSeconds: number;
  readonly style: LinkStyle;
}

/** Why a link was refused; the HTTP answer mimics S3's AccessDenied XML. */
export type LinkCheck = { readonly ok: true } | { readonly ok: false; readonly reason: 'expired' | 'signature' | 'malformed' };

function amzDate(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/[-:]/g, '').replace('.000', '');
}

function parseAmzDate(value: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return null;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

export class LinkSigner {
  private secret = randomBytes(32);

  constructor(
    private readonly baseUrl: string,
    private readonly clock: Clock,
    /** Read at issue time so `configure({linkLifetimeSeconds})` applies to the next answer. */
    private readonly fixedLifetimeSeconds: () => number | null,
  ) {}

  /** Lifetime in whole seconds for a recording of this duration, counted from now. */
  lifetimeSeconds(durationSeconds: number): number {
    return this.fixedLifetimeSeconds() ?? Math.max(MIN_LIFETIME_SECONDS, Math.ceil(durationSeconds));
  }

  /** A fresh link: every call signs anew, so a re-fetch after expiry gets a different URL. */
  issue(request: LinkRequest): string {
    const path = `/media/${request.fileId}.mp4`;
    const now = this.clock.now();
    const lifetime = this.lifetimeSeconds(request.durationSeconds);
    if (request.style === 'sigv4') {
      const date = amzDate(now);
      const expires = String(Math.min(SIGV4_MAX_EXPIRES_SECONDS, lifetime));
      const day = date.slice(0, 8);
      const params = new URLSearchParams({
        'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
        'X-Amz-Credential': `ASIASIMULATOR0001/${day}/us-west-2/s3/aws4_request`,
        'X-Amz-Date': date,
        'X-Amz-Expires': expires,
        'X-Amz-SignedHeaders': 'host',
        'X-Amz-Signature': this.sign(path, `${date}/${expires}`),
      });
      return `${this.baseUrl}${path}?${params.toString()}`;
    }
    const expires = String(Math.floor(now / 1000) + lifetime);
    return `${this.baseUrl}${path}?Expires=${expires}&Signature=${this.sign(path, expires)}`;
  }

  /**
   * Every link issued so far stops working (403, signature mismatch), as when the storage's signing
   * credentials rotate; new links work. Lets a test break a player's link while the subgraph still
   * caches it as valid.
   */
  revokeAll(): void {
    this.secret = randomBytes(32);
  }

  /** Checks a media request's path and query against the signature and the clock. */
  check(path: string, query: URLSearchParams): LinkCheck {
    if (!MEDIA_PATH.test(path)) return { ok: false, reason: 'malformed' };
    const now = this.clock.now();
    const amzSignature = query.get('X-Amz-Signature');
    if (amzSignature !== null) {
      const date = query.get('X-Amz-Date') ?? '';
      const expires = query.get('X-Amz-Expires') ?? '';
      const issuedMs = parseAmzDate(date);
      if (issuedMs === null || !/^\d{1,6}$/.test(expires)) return { ok: false, reason: 'malformed' };
      if (!this.verify(path, `${date}/${expires}`, amzSignature)) return { ok: false, reason: 'signature' };
      return now < issuedMs + Number(expires) * 1000 ? { ok: true } : { ok: false, reason: 'expired' };
    }
    const expires = query.get('Expires') ?? '';
    const signature = query.get('Signature') ?? '';
    if (!/^\d{1,12}$/.test(expires)) return { ok: false, reason: 'malformed' };
    if (!this.verify(path, expires, signature)) return { ok: false, reason: 'signature' };
    return now < Number(expires) * 1000 ? { ok: true } : { ok: false, reason: 'expired' };
  }

  private sign(path: string, expiry: string): string {
    return createHmac('sha256', this.secret).update(`${path}\n${expiry}`).digest('hex');
  }

  private verify(path: string, expiry: string, signature: string): boolean {
    const expected = Buffer.from(this.sign(path, expiry), 'hex');
    const given = Buffer.from(/^[0-9a-f]{64}$/.test(signature) ? signature : '', 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

/**
 * CXone's player and download pages need a CXone login and have no API; the simulator stands in
 * with a page that says so, so the links the subgraph hands out (playerUrl, downloadUrl) lead
 * somewhere in a demo instead of to a 404.
 */
export function uiPage(path: string): Reply | null {
  const which = path === '/player/' || path === '/player' ? 'player' : path === '/media-download/' || path === '/media-download' ? 'download' : null;
  if (which === null) return null;
  const title = which === 'player' ? 'CXone player page (simulated)' : 'CXone download page (simulated)';
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem">
<h1>${title}</h1>
<p>On a real tenant this page needs a CXone login and ${which === 'player' ? 'plays the contact with its screen recording' : 'downloads the contact\'s media file'}.
The simulator has no CXone UI; the contact is named in this page's address after <code>#</code>.</p>
</body></html>
`;
  return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }, body };
}

const DENIAL_MESSAGES: Record<Exclude<LinkCheck, { ok: true }>['reason'], string> = {
  expired: 'Request has expired',
  signature: 'The request signature we calculated does not match the signature you provided.',
  malformed: 'Query-string authentication requires the Signature and Expires parameters',
};

function accessDenied(reason: Exclude<LinkCheck, { ok: true }>['reason']): Reply {
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>AccessDenied</Code><Message>${DENIAL_MESSAGES[reason]}</Message></Error>\n`;
  return { status: 403, headers: { 'content-type': 'application/xml' }, body };
}

type ByteRange = { readonly start: number; readonly end: number } | 'unsatisfiable' | null;

/** One `bytes=` range; null means "send the whole file" (absent, multi-range or not bytes). */
function parseRange(header: string | undefined, size: number): ByteRange {
  if (header === undefined) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return null;
  const [, from = '', to = ''] = m;
  if (from === '' && to === '') return 'unsatisfiable';
  if (from === '') {
    const suffix = Number(to);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(from);
  const end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

/**
 * Serves the sample mp4 for a valid link. Range support matters: browsers' media elements send
 * `Range: bytes=0-` and will not seek (Safari will not even play) without 206 answers.
 */
export function serveMedia(
  signer: LinkSigner,
  method: string,
  path: string,
  query: URLSearchParams,
  rangeHeader: string | undefined,
): Reply {
  if (method !== 'GET' && method !== 'HEAD') {
    return { status: 405, headers: { allow: 'GET, HEAD', 'content-type': 'text/plain' }, body: 'Method Not Allowed\n' };
  }
  if (!MEDIA_PATH.test(path)) {
    const body = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>\n';
    return { status: 404, headers: { 'content-type': 'application/xml' }, body };
  }
  const verdict = signer.check(path, query);
  if (!verdict.ok) return accessDenied(verdict.reason);
  const size = SAMPLE_MP4.length;
  const common = {
    'content-type': 'video/mp4',
    'accept-ranges': 'bytes',
    // Pre-signed objects are private; a shared cache must not replay them past expiry.
    'cache-control': 'private, no-store',
    'access-control-allow-origin': '*',
  };
  const range = parseRange(rangeHeader, size);
  if (range === 'unsatisfiable') {
    return { status: 416, headers: { ...common, 'content-range': `bytes */${String(size)}` }, body: null };
  }
  if (range === null) {
    return { status: 200, headers: { ...common, 'content-length': String(size) }, body: SAMPLE_MP4 };
  }
  const chunk = SAMPLE_MP4.subarray(range.start, range.end + 1);
  return {
    status: 206,
    headers: {
      ...common,
      'content-length': String(chunk.length),
      'content-range': `bytes ${String(range.start)}-${String(range.end)}/${String(size)}`,
    },
    body: chunk,
  };
}
