/**
 * demo/src/link-refresh.ts, the player's link-keeping logic that the README offers to apps: when
 * to refetch, how a fresh link is swapped in (position, speed, play state, a finished recording),
 * and what a media error leads to. Pure logic, with a stand-in player and fake timers; the browser
 * test plays the real thing.
 */
import { describe, expect, it } from 'vitest';
import {
  LINK_REFRESH_LEAD_MS,
  MIN_REFRESH_DELAY_MS,
  RefreshTimers,
  recoverDeadLink,
  refreshDelay,
  swapSource,
  type MediaPlayerLike,
  type TimerFunctions,
} from '../../demo/src/link-refresh.js';

const NOW = Date.parse('2026-01-01T12:00:00.000Z');
const link = (url: string, inMs: number) => ({ url, expiresAt: new Date(NOW + inMs).toISOString() });

describe('refreshDelay', () => {
  it('is the lead before the earliest expiry', () => {
    expect(refreshDelay([link('a', 600_000), link('b', 120_000)], NOW)).toBe(120_000 - LINK_REFRESH_LEAD_MS);
  });
  it('never comes sooner than the floor, even for a link about to expire or already expired', () => {
    expect(refreshDelay([link('a', 10_000)], NOW)).toBe(MIN_REFRESH_DELAY_MS);
    expect(refreshDelay([link('a', -60_000)], NOW)).toBe(MIN_REFRESH_DELAY_MS);
  });
  it('is null without links, and skips absent ones and unreadable dates', () => {
    expect(refreshDelay([null, undefined], NOW)).toBeNull();
    expect(refreshDelay([{ url: 'x', expiresAt: 'soon' }, null, link('a', 90_000)], NOW)).toBe(60_000);
  });
  it('takes its own lead and floor', () => {
    expect(refreshDelay([link('a', 90_000)], NOW, { leadMs: 10_000, minDelayMs: 0 })).toBe(80_000);
  });
});

/** Timers that run only when the test says so. */
function fakeTimers(): TimerFunctions & { fire(): void; due: number[] } {
  let next = 0;
  const queue = new Map<number, { callback: () => void; ms: number }>();
  return {
    setTimeout(callback, ms) {
      next += 1;
      queue.set(next, { callback, ms });
      return next;
    },
    clearTimeout(handle) {
      queue.delete(handle as number);
    },
    now: () => NOW,
    fire() {
      const pending = [...queue.values()];
      queue.clear();
      for (const { callback } of pending) callback();
    },
    get due() {
      return [...queue.values()].map((entry) => entry.ms);
    },
  };
}

describe('RefreshTimers', () => {
  it('keeps one pending refresh per key, replaced by a newer schedule, and clears them all', () => {
    const timers = fakeTimers();
    const refresher = new RefreshTimers(timers);
    const calls: string[] = [];
    refresher.schedule('recording', [link('a', 300_000)], () => calls.push('first'));
    refresher.schedule('recording', [link('b', 120_000)], () => calls.push('second'));
    refresher.schedule('statements', [link('c', 60_000)], () => calls.push('statements'));
    expect(timers.due).toEqual([90_000, 30_000]);
    expect(refresher.size).toBe(2);
    timers.fire();
    expect(calls).toEqual(['second', 'statements']);
    expect(refresher.size).toBe(0);

    refresher.schedule('recording', [link('d', 300_000)], () => calls.push('dropped'));
    refresher.clear();
    timers.fire();
    expect(calls).toEqual(['second', 'statements']);
  });

  it('schedules nothing for a contact without links', () => {
    const timers = fakeTimers();
    expect(new RefreshTimers(timers).schedule('recording', [null], () => undefined)).toBeNull();
    expect(timers.due).toEqual([]);
  });
});

/** A stand-in media element: loading a new src resets position and speed, as browsers do. */
class FakePlayer implements MediaPlayerLike {
  currentTime = 0;
  duration = 240;
  paused = true;
  ended = false;
  playbackRate = 1;
  defaultPlaybackRate = 1;
  plays = 0;
  private source = 'https://media/1';
  private onMetadata: Array<() => void> = [];

  get src(): string {
    return this.source;
  }
  set src(url: string) {
    this.source = url;
    this.currentTime = 0;
    this.paused = true;
    this.ended = false;
    this.playbackRate = this.defaultPlaybackRate;
  }
  play(): Promise<void> {
    this.plays += 1;
    this.paused = false;
    return Promise.resolve();
  }
  addEventListener(_type: 'loadedmetadata', listener: () => void): void {
    this.onMetadata.push(listener);
  }
  /** The new source's metadata arrives. */
  loaded(duration = 240): void {
    this.duration = duration;
    const listeners = this.onMetadata;
    this.onMetadata = [];
    for (const listener of listeners) listener();
  }
}

describe('swapSource', () => {
  it('keeps position, speed and playing across a fresh link', () => {
    const player = new FakePlayer();
    void player.play();
    player.currentTime = 73;
    player.playbackRate = 1.5;
    expect(swapSource(player, 'https://media/2')).toBe(true);
    player.loaded();
    expect(player.src).toBe('https://media/2');
    expect(player.currentTime).toBe(73);
    expect(player.playbackRate).toBe(1.5);
    expect(player.defaultPlaybackRate).toBe(1.5);
    expect(player.paused).toBe(false);
    expect(player.plays).toBe(2);
  });

  it('leaves a paused player paused at its position', () => {
    const player = new FakePlayer();
    player.currentTime = 12;
    swapSource(player, 'https://media/2');
    player.loaded();
    expect(player.currentTime).toBe(12);
    expect(player.paused).toBe(true);
    expect(player.plays).toBe(0);
  });

  it('keeps a finished recording at its end instead of jumping back to 0:00', () => {
    const player = new FakePlayer();
    player.currentTime = 240;
    player.ended = true;
    swapSource(player, 'https://media/2');
    player.loaded(240);
    expect(player.currentTime).toBe(240);
    expect(player.plays).toBe(0);
  });

  it('does nothing for the link already playing', () => {
    const player = new FakePlayer();
    player.currentTime = 5;
    expect(swapSource(player, 'https://media/1')).toBe(false);
    expect(player.currentTime).toBe(5);
  });
});

describe('recoverDeadLink', () => {
  it('recovers with a new link', async () => {
    expect(await recoverDeadLink('https://media/1', () => Promise.resolve('https://media/2'))).toEqual({
      kind: 'recovered',
      url: 'https://media/2',
    });
  });
  it('replays the link that failed first when it may work again, asking for no new one', async () => {
    let asked = 0;
    const fresh = () => {
      asked += 1;
      return Promise.resolve('https://media/2');
    };
    expect(await recoverDeadLink('https://media/1', fresh, () => Promise.resolve(true))).toEqual({ kind: 'replayed' });
    expect(asked).toBe(0);
    expect(await recoverDeadLink('https://media/1', fresh, () => Promise.resolve(false))).toEqual({ kind: 'recovered', url: 'https://media/2' });
    expect(asked).toBe(1);
  });

  it('reports the same link back (the API bounds refreshes) as not recovered', async () => {
    expect(await recoverDeadLink('https://media/1', () => Promise.resolve('https://media/1'))).toEqual({ kind: 'same-link' });
  });
  it('reports a failed request or an answer without a link as failed', async () => {
    expect(await recoverDeadLink('u', () => Promise.reject(new Error('UPSTREAM_UNAVAILABLE')))).toEqual({
      kind: 'failed',
      reason: 'UPSTREAM_UNAVAILABLE',
    });
    expect((await recoverDeadLink('u', () => Promise.resolve(null))).kind).toBe('failed');
  });
});
