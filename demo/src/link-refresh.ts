/**
 * Keeping a media player on a working signed link: the logic the player page uses, with no
 * dependency on the page, the DOM lib or Apollo, so an app can copy or import it (README, "Using it
 * from Apollo Client"). Three pieces:
 *
 * - `refreshDelay` / `RefreshTimers`: refetch links LINK_REFRESH_LEAD_MS before the earliest one
 *   expires (the Apollo cache's read policy makes such links read as missing, see cache.ts).
 * - `swapSource`: point a playing element at a fresh link without the listener noticing: same
 *   position, same speed, still playing (or still finished).
 * - `recoverDeadLink`: a link that failed anyway (revoked, a laptop that slept past the timer, a
 *   network drop) is first replayed when it may work again (not expired: after a network drop it
 *   usually does), then replaced by asking the API for a fresh one (`refresh: true`); when even
 *   that does not give a new link, the caller shows an error with a Retry button instead of a dead
 *   player.
 * - `replaySource`: load the same link again and tell whether it plays now.
 */

/** A temporary signed link as the API returns it (`MediaUrl { url expiresAt }`). */
export interface ExpiringLink {
  readonly url: string;
  readonly expiresAt: string;
}

/** Refetch a link this long before its expiresAt (the subgraph drops its own copy 60 s before). */
export const LINK_REFRESH_LEAD_MS = 30_000;
/** A refetch never comes sooner than this, even for links that already live less than the lead. */
export const MIN_REFRESH_DELAY_MS = 2_000;

export interface RefreshTiming {
  readonly leadMs?: number;
  readonly minDelayMs?: number;
}

/** Milliseconds from `now` until `links` should be refetched; null when there is no link to keep alive. */
export function refreshDelay(
  links: ReadonlyArray<ExpiringLink | null | undefined>,
  now: number,
  timing: RefreshTiming = {},
): number | null {
  const expiries = links
    .filter((link): link is ExpiringLink => link !== null && link !== undefined)
    .map((link) => Date.parse(link.expiresAt))
    .filter((expiry) => Number.isFinite(expiry));
  if (expiries.length === 0) return null;
  const lead = timing.leadMs ?? LINK_REFRESH_LEAD_MS;
  const floor = timing.minDelayMs ?? MIN_REFRESH_DELAY_MS;
  return Math.max(Math.min(...expiries) - lead - now, floor);
}

/** The timer functions RefreshTimers uses; the browser's by default, fakes in tests. */
export interface TimerFunctions {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

const browserTimers: TimerFunctions = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
  now: () => Date.now(),
};

/** One pending refresh per key (e.g. 'recording', 'statements'); clear() when the view changes. */
export class RefreshTimers {
  private readonly pending = new Map<string, unknown>();

  constructor(
    private readonly timers: TimerFunctions = browserTimers,
    private readonly timing: RefreshTiming = {},
  ) {}

  /** Replaces `key`'s pending refresh with one due before the earliest of `links` expires. */
  schedule(key: string, links: ReadonlyArray<ExpiringLink | null | undefined>, refresh: () => void): number | null {
    this.cancel(key);
    const delay = refreshDelay(links, this.timers.now(), this.timing);
    if (delay === null) return null;
    this.pending.set(
      key,
      this.timers.setTimeout(() => {
        this.pending.delete(key);
        refresh();
      }, delay),
    );
    return delay;
  }

  cancel(key: string): void {
    const handle = this.pending.get(key);
    if (handle !== undefined) this.timers.clearTimeout(handle);
    this.pending.delete(key);
  }

  clear(): void {
    for (const key of [...this.pending.keys()]) this.cancel(key);
  }

  get size(): number {
    return this.pending.size;
  }
}

/** What swapSource needs of a player; an HTMLMediaElement has all of it. */
export interface MediaPlayerLike {
  src: string;
  currentTime: number;
  readonly duration: number;
  readonly paused: boolean;
  readonly ended: boolean;
  playbackRate: number;
  defaultPlaybackRate: number;
  play(): Promise<void>;
  addEventListener(type: 'loadedmetadata', listener: () => void, options: { once: true }): void;
}

/**
 * Points `player` at `url` keeping what the listener chose: the position, the speed (loading a new
 * source resets playbackRate to defaultPlaybackRate, so both are kept), playing or paused, and a
 * finished recording stays at its end instead of jumping back to 0:00. False when `url` is the one
 * already playing (nothing to do).
 */
export function swapSource(player: MediaPlayerLike, url: string): boolean {
  if (player.src === url) return false;
  const position = player.currentTime;
  const rate = player.playbackRate;
  const finished = player.ended;
  const playing = !player.paused && !finished;
  player.defaultPlaybackRate = rate;
  player.src = url;
  player.addEventListener(
    'loadedmetadata',
    () => {
      player.playbackRate = rate;
      if (finished) player.currentTime = player.duration;
      else if (position > 0 && position < player.duration) player.currentTime = position;
      if (playing) void player.play().catch(() => undefined);
    },
    { once: true },
  );
  return true;
}

/** What replaySource needs of a player; an HTMLMediaElement has all of it. */
export interface ReplayablePlayer {
  readonly src: string;
  load(): void;
  addEventListener(type: 'loadedmetadata' | 'error', listener: () => void, options: { once: true }): void;
  removeEventListener(type: 'loadedmetadata' | 'error', listener: () => void): void;
}

/** How long replaySource waits for the link to answer before calling it failed. */
const REPLAY_TIMEOUT_MS = 8_000;

/**
 * Loads `player`'s current link again; resolves true once it has metadata (it plays), false on a
 * media error or after `timeoutMs`. The position is the caller's to restore (see swapSource).
 */
export function replaySource(player: ReplayablePlayer, timeoutMs: number = REPLAY_TIMEOUT_MS): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      player.removeEventListener('loadedmetadata', loaded);
      player.removeEventListener('error', failed);
      resolve(ok);
    };
    const loaded = () => done(true);
    const failed = () => done(false);
    const timer = setTimeout(() => done(false), timeoutMs);
    player.addEventListener('loadedmetadata', loaded, { once: true });
    player.addEventListener('error', failed, { once: true });
    player.load();
  });
}

/** What asking for a fresh link after a media error gave. */
export type Recovery =
  /** The link that failed plays again (e.g. the network is back): nothing to replace. */
  | { readonly kind: 'replayed' }
  | { readonly kind: 'recovered'; readonly url: string }
  /** The API answered with the link that just failed (its per-contact refresh bound): try later. */
  | { readonly kind: 'same-link' }
  /** No link at all, or the request failed: show an error with a Retry button. */
  | { readonly kind: 'failed'; readonly reason: string };

/**
 * After `failedUrl` failed to play: `replay`, when given (the link has not expired, so it may work
 * again), tries the same link first; then `fetchFresh` asks the API for a new link (a query with
 * `refresh: true`, network-only) and resolves to its url, or null when the answer has none.
 */
export async function recoverDeadLink(
  failedUrl: string,
  fetchFresh: () => Promise<string | null>,
  replay?: () => Promise<boolean>,
): Promise<Recovery> {
  if (replay !== undefined && (await replay())) return { kind: 'replayed' };
  let url: string | null;
  try {
    url = await fetchFresh();
  } catch (error) {
    return { kind: 'failed', reason: error instanceof Error ? error.message : String(error) };
  }
  if (url === null) return { kind: 'failed', reason: 'no media link in the answer' };
  return url === failedUrl ? { kind: 'same-link' } : { kind: 'recovered', url };
}
