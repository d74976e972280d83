/**
 * The player page's pure pieces: the words and retry timing of each recording state
 * (demo/src/states.ts) and its own addresses (demo/src/page-url.ts).
 */
import { describe, expect, it } from 'vitest';
import { parseTarget, targetUrl } from '../../demo/src/page-url.js';
import { MAX_RETRY_MS, inSeconds, retryDelayMs, shownState, validityCaption } from '../../demo/src/states.js';

describe('shownState', () => {
  it('gives every state its own words, temporary ones marked', () => {
    const states = ['PROCESSING', 'LOCKED', 'NOT_FOUND', 'ARCHIVED', 'FORBIDDEN', 'UNAUTHENTICATED', 'RATE_LIMITED', 'UNAVAILABLE'];
    const shown = states.map((state) => shownState({ state, retryAfterSeconds: 5, message: null }, []));
    expect(new Set(shown.map((s) => s.detail)).size).toBe(states.length);
    expect(shown.filter((s) => s.temporary).map((s) => s.state)).toEqual(['PROCESSING', 'LOCKED', 'RATE_LIMITED', 'UNAVAILABLE']);
  });

  it('reads an unknown state as UNAVAILABLE, codes without a status, and a network failure as NETWORK', () => {
    expect(shownState({ state: 'NEW_ONE', retryAfterSeconds: null, message: null }, []).state).toBe('UNAVAILABLE');
    expect(shownState(null, [{ code: 'UPSTREAM_TIMEOUT', message: 'x' }]).state).toBe('UNAVAILABLE');
    expect(shownState(null, [{ code: 'RECORDING_PROCESSING', message: 'x' }], 7)).toMatchObject({ state: 'PROCESSING', retryAfterSeconds: 7 });
    expect(shownState({ state: 'AVAILABLE', retryAfterSeconds: null, message: null }, [{ code: 'NETWORK', message: 'Failed to fetch' }]).state).toBe('NETWORK');
  });
});

describe('retry timing and captions', () => {
  it("waits the server's time when given, else a capped doubling backoff", () => {
    expect(retryDelayMs(5, 3)).toBe(5_000);
    expect([0, 1, 2].map((attempt) => retryDelayMs(null, attempt))).toEqual([2_000, 4_000, 8_000]);
    expect(retryDelayMs(null, 20)).toBe(MAX_RETRY_MS);
    expect(inSeconds(4_200)).toBe('in 5 s');
    expect(inSeconds(80_000)).toBe('in 1 min 20 s');
  });

  it('never shows a validity time in the past', () => {
    const format = (iso: string) => iso;
    expect(validityCaption('2026-01-01T12:00:00.000Z', Date.parse('2026-01-01T11:59:00Z'), format)).toBe('link valid until 2026-01-01T12:00:00.000Z');
    expect(validityCaption('2026-01-01T12:00:00.000Z', Date.parse('2026-01-01T12:00:00Z'), format)).toBe('link expired, getting a new one…');
  });
});

describe('page addresses', () => {
  it('opens a contact, with a statement or a segment; refuses ids the subgraph would', () => {
    expect(parseTarget('?contact=100000000001&statement=5001')).toEqual({ contact: '100000000001', statement: '5001' });
    expect(parseTarget('?contact=100000000006&segment=seg-1_a')).toEqual({ contact: '100000000006', segment: 'seg-1_a' });
    expect(parseTarget('?contact=abc')).toBeNull();
    expect(parseTarget('?contact=1&statement=x%20y')).toEqual({ contact: '1' });
  });

  it('a link to share names only the ids: no demo user, no media URL', () => {
    const current = 'http://127.0.0.1:4000/?token=noAnalytics&contact=1#player';
    expect(targetUrl(current, { contact: '2', segment: 's' }, false)).toBe('http://127.0.0.1:4000/?contact=2&segment=s');
    expect(targetUrl(current, { contact: '2' })).toBe('http://127.0.0.1:4000/?token=noAnalytics&contact=2');
    expect(targetUrl(current, null)).toBe('http://127.0.0.1:4000/?token=noAnalytics');
  });
});
