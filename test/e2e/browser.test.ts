/**
 * The player page in a real browser: Debian's chromium (headless, via playwright-core) against the
 * demo stack on port 0 (simulator, subgraph, CRM subgraph, gateway serving the Vite-built page).
 * Plays a voice recording until the media element has played, follows a link refresh before
 * expiry, opens a chat transcript, and keeps a screenshot in test-artifacts/player.png.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoPage, startDemo, type RunningDemo } from '../../scripts/demo-stack.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
/** Links live 35 s, so the page refetches them (30 s before expiry) about 5 s after loading. */
const LINK_LIFETIME_SECONDS = 35;

let outDir: string;
let demo: RunningDemo;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH); .ci/run installs it`);
  }
  outDir = await mkdtemp(join(tmpdir(), 'cxone-demo-'));
  await buildDemoPage(outDir);
  demo = await startDemo({
    env: {
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      SIMULATOR_PORT: '0',
      CXONE_RATE_LIMIT: '0',
      SIMULATOR_LINK_LIFETIME_SECONDS: String(LINK_LIFETIME_SECONDS),
    },
    staticDir: outDir,
    port: 0,
    // Short waits for the seeded processing/timeout contacts, as in the other end-to-end suites.
    overrides: { resilience: { processingDelayMs: 5, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 20, breaker: { minimumCalls: 200 } } },
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    // A fresh, empty profile; no background traffic (this machine has no outside network).
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await demo?.close();
  if (outDir !== undefined) await rm(outDir, { recursive: true, force: true });
});

/** The media element of `key` ('primary', 'screen', 'statement-5001'). */
const media = (key: string) => `#detail [data-media="${key}"]`;

/** What the test reads of an HTMLMediaElement (this project compiles without the DOM lib). */
interface MediaElementLike {
  readonly tagName: string;
  readonly src: string;
  readonly played: { readonly length: number };
  currentTime: number;
  readonly paused: boolean;
  readonly error: { readonly code: number } | null;
  readonly duration: number;
  readonly readyState: number;
  readonly dataset: Record<string, string | undefined>;
  play(): Promise<void>;
}

interface MediaState {
  readonly tag: string;
  readonly src: string;
  readonly played: number;
  readonly currentTime: number;
  readonly paused: boolean;
  readonly error: number | null;
  readonly duration: number;
  readonly readyState: number;
  readonly generation: string | undefined;
}

/** A snapshot of the media element matching `selector`, or null. */
function mediaState(selector: string): Promise<MediaState | null> {
  return page.evaluate((sel) => {
    const doc = (globalThis as unknown as { document: { querySelector(s: string): MediaElementLike | null } }).document;
    const element = doc.querySelector(sel);
    if (element === null) return null;
    return {
      tag: element.tagName,
      src: element.src,
      played: element.played.length,
      currentTime: element.currentTime,
      paused: element.paused,
      error: element.error?.code ?? null,
      duration: element.duration,
      readyState: element.readyState,
      generation: element.dataset['generation'],
    };
  }, selector);
}

/** Starts playback from `from` seconds, as a user pressing play would. */
function play(selector: string, from?: number): Promise<void> {
  return page.evaluate(
    ([sel, start]) => {
      const doc = (globalThis as unknown as { document: { querySelector(s: string): MediaElementLike | null } }).document;
      const element = doc.querySelector(sel);
      if (element === null) throw new Error(`no media element ${sel}`);
      if (start !== null) element.currentTime = start;
      return element.play();
    },
    [selector, from ?? null] as const,
  );
}

describe('the player page in chromium', () => {
  it('lists the CRM contacts with their recordings and shows each failed contact\'s error', async () => {
    await page.goto(demo.pageUrl);
    await page.waitForSelector('button[data-contact="100000000001"]');
    expect(await page.locator('button[data-contact]').count()).toBeGreaterThanOrEqual(30);
    await expect.poll(() => page.textContent('button[data-contact="100000000001"]')).toContain('Alice Example');
    expect(await page.textContent('button[data-contact="100000000011"] .error code')).toBe('RECORDING_NOT_FOUND');
    expect(await page.textContent('button[data-contact="100000000011"] .error')).toContain('2018-12-13');
    expect(await page.textContent('button[data-contact="100000000012"] .error code')).toBe('UPSTREAM_UNAVAILABLE');
    expect(await page.textContent('button[data-contact="100000000010"] .error code')).toBe('UPSTREAM_TIMEOUT');
  }, 60_000);

  it('plays a voice recording: the media element reaches a played state', async () => {
    await page.click('button[data-contact="100000000001"]');
    await page.waitForSelector(media('primary'));
    expect((await mediaState(media('primary')))?.tag).toBe('AUDIO');
    // The simulator's file is H.264 High + AAC-LC in mp4; Debian's chromium ships the codecs
    // (a Chromium built without proprietary codecs answers '' here, and nothing would play).
    const support = await page.evaluate(() => {
      const doc = (globalThis as unknown as { document: { createElement(tag: 'video'): { canPlayType(type: string): string } } }).document;
      return doc.createElement('video').canPlayType('video/mp4; codecs="avc1.64000C, mp4a.40.2"');
    });
    expect(support).toBe('probably');
    await play(media('primary'));
    // Played: a played range and a moving clock, no media error.
    await expect
      .poll(async () => {
        const state = await mediaState(media('primary'));
        return state !== null && state.error === null && state.played > 0 && state.currentTime > 0;
      }, { timeout: 15_000 })
      .toBe(true);
    expect((await mediaState(media('primary')))?.duration).toBeGreaterThan(2);
    // The voice call's segment on the timeline.
    expect(await page.locator('#detail .timeline .segment').count()).toBe(1);
  }, 60_000);

  it('shows the statements 5001 and 5002 with their own players', async () => {
    await page.click('#detail .statements-form button');
    await page.waitForSelector(media('statement-5002'));
    expect(await page.locator('#detail [data-media^="statement-"]').count()).toBe(2);
    expect(await page.locator('#detail .statement .error').count()).toBe(0);
  }, 30_000);

  it('refetches the links before they expire and keeps playing from the fresh one', async () => {
    const first = (await mediaState(media('primary')))!.src;
    // Links live 35 s: the page asks again about 5 s after loading them.
    await page.waitForSelector('#detail[data-refreshes]', { timeout: 20_000 });
    await expect.poll(async () => (await mediaState(media('primary')))?.generation).toBe('2');
    const fresh = (await mediaState(media('primary')))!.src;
    expect(fresh).not.toBe(first);
    expect(new URL(fresh).origin).toBe(new URL(first).origin);
    await play(media('primary'), 0);
    await expect
      .poll(async () => {
        const state = await mediaState(media('primary'));
        return state !== null && state.error === null && state.currentTime > 0;
      }, { timeout: 15_000 })
      .toBe(true);
  }, 60_000);

  it('opens the chat contact 100000000003 and shows its transcript; keeps a screenshot', async () => {
    await page.click('button[data-contact="100000000003"]');
    await page.waitForSelector('#detail[data-contact="100000000003"] .transcript .message');
    const messages = await page.locator('#detail .transcript .message').allTextContents();
    expect(messages).toHaveLength(4);
    expect(messages.join(' ')).toContain('Bob Example');
    expect(await page.textContent('#detail .transcript h3')).toContain('Chat');
    // The chat's own recording and its screen recording.
    await page.waitForSelector(media('primary'));
    await page.waitForSelector(media('screen'));
    // Both loaded far enough to paint a frame and know their duration before the screenshot.
    for (const key of ['primary', 'screen']) {
      await expect
        .poll(async () => {
          const state = await mediaState(media(key));
          return state !== null && state.readyState >= 2 && Number.isFinite(state.duration);
        })
        .toBe(true);
    }
    await mkdir('test-artifacts', { recursive: true });
    await page.screenshot({ path: 'test-artifacts/player.png', fullPage: true });
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('sends the selected token: the no-playback demo user sees FORBIDDEN on every contact', async () => {
    await page.selectOption('#token', 'noPlayback');
    await page.waitForSelector('button[data-contact="100000000001"] .error code');
    expect(await page.textContent('button[data-contact="100000000001"] .error code')).toBe('FORBIDDEN');
    expect(await page.textContent('#detail')).toContain('Pick a contact');
  }, 30_000);
});
