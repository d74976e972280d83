/**
 * The voice transcript in the player page, in a real browser (Debian's chromium via playwright-core)
 * against the demo stack on port 0: summary and end sentiment on top, speaker lanes, the spoken
 * utterance marked as the call plays, click and keyboard seek, a call not analyzed yet, the phone
 * width, and axe-core finding no serious or critical violation. Screenshots go to test-artifacts/.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoPage, startDemo, type RunningDemo } from '../../scripts/demo-stack.js';
import { SEEDED } from '../../src/simulator/index.js';
import { CHROMIUM, seriousAxeViolations } from '../helpers/browser.js';

const ARTIFACTS = 'test-artifacts';

let outDir: string;
let demo: RunningDemo;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`No chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  outDir = await mkdtemp(join(tmpdir(), 'cxone-transcript-'));
  await buildDemoPage(outDir);
  demo = await startDemo({
    env: { NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', SIMULATOR_PORT: '0', CXONE_RATE_LIMIT: '0' },
    staticDir: outDir,
    port: 0,
    overrides: { resilience: { processingDelayMs: 5, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 20, breaker: { minimumCalls: 200 } } },
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--autoplay-policy=no-user-gesture-required'],
  });
  await mkdir(ARTIFACTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await demo?.close();
  if (outDir !== undefined) await rm(outDir, { recursive: true, force: true });
});

interface Player {
  currentTime: number;
  readonly duration: number;
  readonly readyState: number;
  pause(): void;
  dispatchEvent(event: unknown): boolean;
}
type Doc = { querySelector(selector: string): Player | null };

/** Puts the primary player at `fraction` of its file, paused, and waits for the page to follow. */
async function playAt(page: Page, fraction: number): Promise<void> {
  await page.evaluate((at) => {
    const player = (globalThis as unknown as { document: Doc }).document.querySelector('#detail [data-media="primary"]');
    if (player === null) throw new Error('no primary player');
    player.pause();
    player.currentTime = at * player.duration;
  }, fraction);
}

const current = (page: Page) => page.getAttribute('.voice-transcript .utterance[aria-current="true"]', 'data-block');

const VIEWPORTS = [
  { width: 1280, height: 800, phone: false },
  { width: 390, height: 844, phone: true },
] as const;

describe.each(VIEWPORTS)('the voice transcript at $width x $height', ({ width, height, phone }) => {
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    context = await browser.newContext({ viewport: { width, height }, isMobile: phone, hasTouch: phone });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(demo.pageUrl);
    await page.waitForSelector(`button[data-contact="${SEEDED.analyzedTransfer}"]`);
  });
  afterAll(async () => {
    await context?.close();
  });

  async function open(acdContactId: string): Promise<void> {
    if (phone && (await page.locator('body.detail-open').count()) > 0) await page.click('#detail .back');
    await page.locator(`button[data-contact="${acdContactId}"]`).click();
    await page.waitForSelector(`#detail[data-contact="${acdContactId}"]`);
  }

  it('shows summary and end sentiment above speaker lanes and the utterances of all three segments', async () => {
    await open(SEEDED.analyzedTransfer);
    await page.waitForSelector('[data-voice-transcript="AVAILABLE"]', { timeout: 15_000 });
    expect(await page.textContent('.voice-transcript [data-summary]')).toContain('transferred to technical support');
    expect(await page.getAttribute('.voice-transcript [data-end-sentiment]', 'data-end-sentiment')).toBe('POSITIVE');
    expect(await page.locator('.voice-transcript .lane').count()).toBe(3);
    expect(await page.locator('.voice-transcript .utterance').count()).toBe(11);
    // Summary sits above the lanes, the lanes above the utterances.
    const top = async (selector: string) => (await page.locator(selector).first().boundingBox())?.y ?? -1;
    expect(await top('.voice-transcript .insights')).toBeLessThan(await top('.voice-transcript .lanes'));
    expect(await top('.voice-transcript .lanes')).toBeLessThan(await top('.voice-transcript .utterances'));
    await page.screenshot({ path: `${ARTIFACTS}/${String(width)}-transcript.png`, fullPage: true });
  });

  it('marks the utterance being spoken as the call plays', async () => {
    await page.waitForFunction(() => {
      const player = (globalThis as unknown as { document: Doc }).document.querySelector('#detail [data-media="primary"]');
      return player !== null && player.readyState >= 1 && Number.isFinite(player.duration);
    }, undefined, { timeout: 15_000 });
    await playAt(page, 0);
    await expect.poll(() => current(page)).toBe('0');
    // 160 s of the 225 s call: Carol's leg (it starts at 150 s), its first utterance.
    await playAt(page, 160 / 225);
    await expect.poll(() => current(page)).toBe('7');
    expect(await page.locator('.voice-transcript .utterance[aria-current="true"]').count()).toBe(1);
  });

  it('seeks by click (or tap) and by keyboard', async () => {
    // Where each seek landed, and which utterance was marked then (the page's listener runs first).
    await page.evaluate(() => {
      const g = globalThis as unknown as { document: Doc & { querySelector(s: string): unknown }; seeks: Array<{ fraction: number; current: string | null }> };
      g.seeks = [];
      const player = g.document.querySelector('#detail [data-media="primary"]') as unknown as Player & { addEventListener(t: string, f: () => void): void };
      player.addEventListener('seeked', () => {
        const marked = (g.document.querySelector('.voice-transcript .utterance[aria-current="true"]') as { getAttribute(n: string): string | null } | null)?.getAttribute('data-block') ?? null;
        g.seeks.push({ fraction: player.currentTime / player.duration, current: marked });
      });
    });
    const lastSeek = () => page.evaluate(() => (globalThis as unknown as { seeks: Array<{ fraction: number; current: string | null }> }).seeks.at(-1) ?? null);
    const utterance = page.locator('.voice-transcript .utterance[data-block="4"]');
    if (phone) await utterance.tap();
    else await utterance.click();
    // Bob's leg starts 60 s into the 225 s call.
    await expect.poll(async () => (await lastSeek())?.current).toBe('4');
    // Within Bob's first utterance (60-90 s): where the seek landed, give or take the playing clip.
    expect((await lastSeek())?.fraction).toBeGreaterThanOrEqual(60 / 225 - 0.01);
    expect((await lastSeek())?.fraction).toBeLessThan(90 / 225);
    await page.locator('.voice-transcript .utterance[data-block="1"]').focus();
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await lastSeek())?.current).toBe('1');
    expect((await lastSeek())?.fraction).toBeLessThan(60 / 225);
    await page.locator('.voice-transcript .utterance[data-block="1"]').focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }).document.activeElement?.getAttribute('data-block'))).toBe('2');
  });

  it('fits the width, and axe-core finds no serious or critical violation', async () => {
    const overflow = await page.evaluate(() => {
      const doc = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document;
      return doc.documentElement.scrollWidth - doc.documentElement.clientWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);
    const box = await page.locator('.voice-transcript .utterance').first().boundingBox();
    expect(box?.height ?? 0).toBeGreaterThanOrEqual(44);
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('a call not analyzed yet says so; the player stands', async () => {
    await open(SEEDED.notAnalyzed);
    await page.waitForSelector('[data-voice-transcript="NOT_ANALYZED"]', { timeout: 15_000 });
    expect(await page.textContent('.voice-transcript [data-transcript-state]')).toContain('not analyzed');
    expect(await page.locator('#detail [data-media="primary"]').count()).toBe(1);
    expect(pageErrors).toEqual([]);
  });
});
