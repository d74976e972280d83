/**
 * What the page says about a contact whose recording it cannot show, from the subgraph's
 * `recordingStatus` (or, without one, the error codes or a failed request). Each state has its own
 * words; temporary ones say when the page asks again by itself (the server's retryAfterSeconds, or
 * a backoff when it gives none). No DOM here: the list and the player pane both use it.
 */
import type { CxoneRecordingState } from './__generated__/graphql.js';

/** The subgraph's CxoneRecordingState (generated from the schema), plus NETWORK: the page got no answer at all. */
type ShownStateName = CxoneRecordingState | 'NETWORK';

export interface ShownState {
  readonly state: ShownStateName;
  /** Asking again may give another answer: the page retries by itself and offers Retry. */
  readonly temporary: boolean;
  /** The server's time to wait, when it gave one. */
  readonly retryAfterSeconds: number | null;
  /** A few words for the list ("Still processing"). */
  readonly title: string;
  /** One sentence for the player pane. */
  readonly detail: string;
  /** The GraphQL error code behind it, when there was one (shown for support). */
  readonly code: string | null;
}

/** An error as the page shows it: its GraphQL code and message. */
export interface ShownError {
  readonly code: string;
  readonly message: string;
}

const WORDS: Readonly<Record<ShownStateName, { readonly title: string; readonly detail: string; readonly temporary: boolean }>> = {
  AVAILABLE: { title: 'Recording', detail: 'The recording is available.', temporary: false },
  PROCESSING: { title: 'Still processing', detail: 'CXone is still processing this recording.', temporary: true },
  LOCKED: { title: 'Busy', detail: 'CXone is busy with another request for this contact.', temporary: true },
  NOT_FOUND: { title: 'No recording', detail: 'CXone has no recording for this contact.', temporary: false },
  ARCHIVED: {
    title: 'Archived',
    detail: "The recording is not in CXone's active storage: restore it in CXone first.",
    temporary: false,
  },
  FORBIDDEN: { title: 'No permission', detail: 'Your CXone user may not play this recording.', temporary: false },
  UNAUTHENTICATED: { title: 'Not signed in', detail: 'Your credentials were not accepted: sign in again.', temporary: false },
  RATE_LIMITED: { title: 'Too many requests', detail: "The CXone request budget is spent for now.", temporary: true },
  UNAVAILABLE: { title: 'CXone unavailable', detail: 'CXone failed or did not answer in time.', temporary: true },
  NETWORK: { title: 'No connection', detail: 'The page got no answer from the server.', temporary: true },
};

/** Our error codes by state, for answers that carry an error but no recordingStatus. */
const STATE_BY_CODE: Readonly<Record<string, ShownStateName>> = {
  RECORDING_PROCESSING: 'PROCESSING',
  RECORDING_LOCKED: 'LOCKED',
  RECORDING_NOT_FOUND: 'NOT_FOUND',
  SEGMENT_ARCHIVED: 'ARCHIVED',
  FORBIDDEN: 'FORBIDDEN',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  RATE_LIMITED: 'RATE_LIMITED',
  UPSTREAM_UNAVAILABLE: 'UNAVAILABLE',
  UPSTREAM_TIMEOUT: 'UNAVAILABLE',
  NETWORK: 'NETWORK',
};

const isStateName = (value: string): value is ShownStateName => Object.hasOwn(WORDS, value);

/**
 * The state to show. `status` is the subgraph's recordingStatus when selected; `errors` the
 * errors at the recording's path (the first one names the code). Unknown states read as
 * UNAVAILABLE, as the schema asks.
 */
export function shownState(
  status: { readonly state: string; readonly retryAfterSeconds: number | null; readonly message: string | null } | null,
  errors: readonly ShownError[],
  retryAfterFromError: number | null = null,
): ShownState {
  const error = errors[0];
  const code = error?.code ?? null;
  const fromStatus = status === null ? undefined : isStateName(status.state) ? status.state : 'UNAVAILABLE';
  // A network failure beats a stale status; otherwise the status (data) beats parsing codes.
  const state: ShownStateName =
    code === 'NETWORK' ? 'NETWORK' : (fromStatus ?? (code === null ? 'NOT_FOUND' : (STATE_BY_CODE[code] ?? 'UNAVAILABLE')));
  const words = WORDS[state];
  const retryAfterSeconds = status?.retryAfterSeconds ?? retryAfterFromError;
  return { state, temporary: words.temporary, retryAfterSeconds, title: words.title, detail: words.detail, code };
}

/** The first automatic retry waits at least this long when the server gives no time. */
const BASE_RETRY_MS = 2_000;
/** Automatic retries never wait longer than this. */
export const MAX_RETRY_MS = 60_000;

/**
 * How long to wait before asking again, for the `attempt`-th retry (0 first): the server's
 * retryAfterSeconds when it gave one, else a doubling backoff from BASE_RETRY_MS, capped.
 */
export function retryDelayMs(retryAfterSeconds: number | null, attempt: number): number {
  if (retryAfterSeconds !== null && retryAfterSeconds > 0) return Math.min(retryAfterSeconds * 1000, MAX_RETRY_MS);
  return Math.min(BASE_RETRY_MS * 2 ** Math.max(attempt, 0), MAX_RETRY_MS);
}

/** "in 5 s", "in 1 min 20 s": when the next automatic retry comes. */
export function inSeconds(ms: number): string {
  const seconds = Math.max(Math.ceil(ms / 1000), 0);
  if (seconds < 60) return `in ${seconds} s`;
  const rest = seconds % 60;
  return `in ${Math.floor(seconds / 60)} min${rest === 0 ? '' : ` ${rest} s`}`;
}

/**
 * The validity caption of a link: "valid until …" while it lives, never a time in the past (a
 * link past its expiry is being renewed, and the caption says so).
 */
export function validityCaption(expiresAt: string, now: number, formatTime: (iso: string) => string): string {
  return Date.parse(expiresAt) > now ? `link valid until ${formatTime(expiresAt)}` : 'link expired, getting a new one…';
}
