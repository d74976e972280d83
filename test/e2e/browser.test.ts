/**
 * The player page in a real browser: Debian's chromium (headless, via playwright-core) against the
 * demo stack on port 0 (simulator, subgraph, CRM subgraph, gateway serving the Vite-built page).
 * Every item below is checked at a desktop (1280x800) and a phone (390x844) width, and a
 * screenshot per item is kept in test-artifacts/ (`{width}-{item}.png`):
 *
 * 1. a forced media error recovers with a new URL (`recording(refresh: true)`), or shows an error
 *    with a Retry button when even the refresh fails;
 * 2. the phone layout (list, then the picked contact, nothing off-screen);
 * 3. speed kept across a link refresh, a finished recording stays finished;
 * 4. accessibility: contrast, visible segment details, named players, skip link, one live region,
 *    keyboard-only use;
 * 5. timeline tied to the player, speed, +/-10 s, shortcuts, download, dates, filter, "no
 *    permission" apart from "none";
 * 6. empty statements box, a player page that exists, the clip length said on the page.
 * (7, typed documents and the link-refresh module, is typecheck and test/unit/link-refresh.test.ts.)
 */
import { mkdir } from 'node:fs/promises';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ARTIFACTS,
  VIEWPORTS,
  activeElement,
  media,
  mediaState,
  onMedia,
  playing,
  ready,
  rowsSettled,
  simulator as simulatorControl,
  startBrowserStack,
  type BrowserStack,
} from '../helpers/browser.js';

/** Links live 35 s in the expiry test, so the page refetches them (30 s before expiry) about 5 s after loading. */
const SHORT_LINK_SECONDS = 35;

let stack: BrowserStack;
const simulator = (path: string, body?: unknown) => simulatorControl(stack.demo, path, body);

beforeAll(async () => {
  stack = await startBrowserStack();
  await mkdir(ARTIFACTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

/** WCAG contrast of every element matching `selector` against its effective background. */
function contrasts(page: Page, selector: string): Promise<Array<{ text: string; ratio: number }>> {
  return page.evaluate((sel) => {
    interface El {
      readonly textContent: string | null;
      readonly parentElement: El | null;
      readonly offsetParent: El | null;
    }
    const g = globalThis as unknown as {
      document: { querySelectorAll(s: string): ArrayLike<El> };
      getComputedStyle(e: El): { color: string; backgroundColor: string };
    };
    const rgb = (css: string) => (css.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r = 0, gr = 0, b = 0]: number[]) => {
      const lin = (c: number) => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * lin(r) + 0.7152 * lin(gr) + 0.0722 * lin(b);
    };
    const background = (element: El): number[] => {
      for (let e: El | null = element; e !== null; e = e.parentElement) {
        const parts = rgb(g.getComputedStyle(e).backgroundColor);
        if (parts.length >= 3 && (parts[3] ?? 1) > 0) return parts;
      }
      return [255, 255, 255];
    };
    return Array.from(g.document.querySelectorAll(sel))
      .filter((e) => e.offsetParent !== null)
      .map((e) => {
        const a = luminance(rgb(g.getComputedStyle(e).color));
        const b = luminance(background(e));
        return { text: (e.textContent ?? '').trim().slice(0, 40), ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) };
      });
  }, selector);
}

/** Width of the document beyond the viewport (0: nothing spills sideways). */
function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document;
    return doc.documentElement.scrollWidth - doc.documentElement.clientWidth;
  });
}

/** The box of `selector` lies inside the viewport horizontally. */
async function insideViewport(page: Page, selector: string, width: number): Promise<boolean> {
  const box = await page.locator(selector).first().boundingBox();
  return box !== null && box.x >= 0 && box.x + box.width <= width + 0.5 && box.width > 0;
}

const shot = (page: Page, name: string, fullPage = false) => page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage });

// ---- the same checks at both widths ----

describe.each(VIEWPORTS)('the player page at $width x $height', ({ width, height, phone }) => {
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  const graphqlBodies: string[] = [];
  const w = String(width);

  beforeAll(async () => {
    context = await stack.browser.newContext({ viewport: { width, height }, isMobile: phone, hasTouch: phone });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('request', (request) => {
      if (request.url().endsWith('/graphql')) graphqlBodies.push(request.postData() ?? '');
    });
    await simulator('reset');
    await simulator('config', { linkLifetimeSeconds: null, faults: null });
  });
  afterAll(async () => {
    await context?.close();
  });
  afterEach(async () => {
    // A failed test must not leave CXone failing, or short links, for the next one.
    await simulator('config', { faults: null, linkLifetimeSeconds: null });
  });

  /** Opens a contact as the user would (a tap on a phone) and waits for its pane. */
  async function open(acdContactId: string): Promise<void> {
    if (phone && (await page.locator('body.detail-open').count()) > 0) {
      await page.click('#detail .back');
      await page.waitForSelector('body:not(.detail-open)');
    }
    if ((await page.inputValue('#filter')) !== '') await page.fill('#filter', '');
    await page.locator(`button[data-contact="${acdContactId}"]`).click();
    await page.waitForSelector(`#detail[data-contact="${acdContactId}"]`);
  }

  it('5, 4: lists contacts with dates and kinds, filters them, and shows "no permission" apart from "none"', async () => {
    await page.goto(stack.demo.pageUrl);
    await rowsSettled(page);
    expect(await page.locator('button[data-contact]').count()).toBeGreaterThanOrEqual(30);
    // Dates in the list.
    expect(await page.textContent('button[data-contact="100000000001"] .when-short')).toMatch(/^2024-\d\d-\d\d \d\d:\d\d$/);
    // A seeded missing recording reads as "No recording", failures as their state with their code.
    expect(await page.textContent('button[data-contact="100000000011"] [data-row-state="NOT_FOUND"]')).toBe('No recording · RECORDING_NOT_FOUND');
    expect(await page.textContent('button[data-contact="100000000012"] [data-row-state="UNAVAILABLE"]')).toContain('UPSTREAM_UNAVAILABLE');
    expect(await page.textContent('button[data-contact="100000000010"] [data-row-state="UNAVAILABLE"]')).toContain('UPSTREAM_TIMEOUT');
    // The filter: by kind, then by id.
    await page.fill('#filter', 'chat');
    await expect.poll(() => page.locator('li[data-search]:visible').count()).toBe(2);
    expect(await page.textContent('#filter-count')).toMatch(/^2 of \d+ contacts$/);
    await shot(page, `${w}-5-filter`);
    await page.fill('#filter', '');
    // Header text stays inside the viewport; nothing spills sideways.
    expect(await horizontalOverflow(page)).toBe(0);
    expect(await insideViewport(page, 'header #status', width)).toBe(true);
    expect(await insideViewport(page, 'header select', width)).toBe(true);
    if (phone) {
      // The phone shows the list alone, full width; the detail pane waits for a tap.
      expect(await page.isVisible('#detail')).toBe(false);
      expect(await insideViewport(page, 'button[data-contact="100000000001"]', width)).toBe(true);
      await shot(page, `${w}-2-list`);
    }
    // "No permission": another token, every contact says so (apart from "none").
    await page.selectOption('#token', 'noPlayback');
    await page.waitForSelector('button[data-contact="100000000001"] [data-row-state="FORBIDDEN"]');
    expect(await page.textContent('button[data-contact="100000000001"] [data-row-state]')).toContain('No permission');
    expect(await page.getAttribute('button[data-contact="100000000001"]', 'class')).toContain('no-permission');
    await open('100000000001');
    expect(await page.textContent('#detail [data-state="FORBIDDEN"]')).toContain('No permission');
    await shot(page, `${w}-5-no-permission`);
    await page.selectOption('#token', 'full');
    await page.waitForSelector('button[data-contact="100000000001"] .summary');
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('2, 4, 5, 6: plays a voice recording in a named player that fits the screen, with timeline, clip note and no prefilled statements', async () => {
    await open('100000000001');
    const primary = media('primary');
    await page.waitForSelector(primary);
    const state = await mediaState(page, primary);
    expect(state?.tag).toBe('AUDIO');
    expect(state?.label).toBe('Recording of Ada Byron, contact 100000000001');
    // Debian's chromium ships H.264 + AAC (the simulator's file).
    const support = await page.evaluate(() => {
      const doc = (globalThis as unknown as { document: { createElement(tag: 'video'): { canPlayType(type: string): string } } }).document;
      return doc.createElement('video').canPlayType('video/mp4; codecs="avc1.64000C, mp4a.40.2"');
    });
    expect(support).toBe('probably');
    await ready(page, primary);
    await onMedia(page, primary, 'play');
    await expect.poll(() => playing(page, primary), { timeout: 15_000 }).toBe(true);
    // 6: the page says the file is shorter than the contact (the simulator's sample clip).
    await page.waitForSelector('#detail [data-clip-note]:visible');
    expect(await page.textContent('#detail [data-clip-note]')).toMatch(/This file plays 0:0\d, but CXone reports the contact lasted 4:00/);
    // 6: the statements box starts empty.
    expect(await page.inputValue('#statement-ids')).toBe('');
    // 5: the segment with its agent and times, as visible text (not only a tooltip).
    expect(await page.textContent('#detail [data-segment-detail]')).toMatch(/Alice Example · \d\d:\d\d:\d\d–\d\d:\d\d:\d\d UTC \(4:00\)/);
    // 5: CXone's download page and player page, both served (the simulator stands in for CXone's UI).
    const download = await page.getAttribute('#detail [data-download-page="primary"]', 'href');
    const playerPage = await page.getAttribute('#detail [data-player-page]', 'href');
    for (const href of [download, playerPage]) {
      const response = await fetch(href ?? 'missing');
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('simulated');
    }
    // 2: the player and its controls inside the viewport; nothing spills.
    expect(await insideViewport(page, primary, width)).toBe(true);
    expect(await insideViewport(page, '#detail .controls', width)).toBe(true);
    expect(await horizontalOverflow(page)).toBe(0);
    if (phone) expect(await page.isVisible('#contacts')).toBe(false);
    await shot(page, phone ? `${w}-2-detail` : `${w}-6-voice-detail`, !phone);
  }, 60_000);

  it('5: the timeline follows the player, a segment click seeks, +/-10 s and speed work', async () => {
    await open('100000000006');
    const primary = media('primary');
    await page.waitForSelector(primary);
    await ready(page, primary);
    expect(await page.locator('#detail .timeline .segment').count()).toBe(4);
    const details = await page.locator('#detail [data-segment-detail]').allTextContents();
    expect(details.map((d) => d.split(' · ')[0])).toEqual(['Alice Example', 'Bob Example', 'Carol Example', 'Carol Example']);
    // Click the third segment: the player seeks to its place and the playhead follows.
    await page.locator('#detail .timeline .segment').nth(2).click();
    await expect.poll(async () => Number(await page.getAttribute('#detail .playhead', 'data-fraction'))).toBeGreaterThan(0.4);
    await expect.poll(() => page.getAttribute('#detail .timeline .segment >> nth=2', 'aria-current')).toBe('true');
    await page.evaluate(() => {
      const doc = (globalThis as unknown as { document: { querySelector(s: string): { pause(): void } | null } }).document;
      doc.querySelector('#detail [data-media="primary"]')?.pause();
    });
    await shot(page, `${w}-5-timeline`, !phone);
    const before = (await mediaState(page, primary))!.currentTime;
    await page.click('#detail .controls button:text-is("Back 10 s")');
    expect((await mediaState(page, primary))!.currentTime).toBeLessThan(before);
    await page.selectOption('#detail select[data-speed="primary"]', '1.5');
    expect((await mediaState(page, primary))!.playbackRate).toBe(1.5);
    await page.selectOption('#detail select[data-speed="primary"]', '1');
  }, 60_000);

  it('4: segment labels and muted text meet 4.5:1, one live region, no re-announced pane', async () => {
    const segmentLabels = await contrasts(page, '#detail .timeline .segment');
    expect(segmentLabels).toHaveLength(4);
    for (const label of segmentLabels) expect(label.ratio, label.text).toBeGreaterThanOrEqual(4.5);
    for (const text of await contrasts(page, '#detail .hint, #detail figcaption, #detail .facts dt, #detail .shortcuts, .id, .when-short')) {
      expect(text.ratio, text.text).toBeGreaterThanOrEqual(4.5);
    }
    const live = await page.evaluate(() => {
      const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ id: string }> } }).document;
      return Array.from(doc.querySelectorAll('[aria-live], [role="status"], [role="log"]')).map((e) => e.id);
    });
    expect(live).toEqual(['status']);
    expect(await page.getAttribute('#detail', 'aria-live')).toBeNull();
  }, 30_000);

  it('4, 5: keyboard only: skip link, a contact to its player in a few Tabs, shortcuts for play, skip and speed', async () => {
    await page.goto(stack.demo.pageUrl);
    await page.waitForSelector('button[data-contact="100000000001"]');
    // The first Tab reaches the skip link, visibly.
    await page.keyboard.press('Tab');
    expect((await activeElement(page)).text).toBe('Skip to player');
    expect(await insideViewport(page, '.skip-link', width)).toBe(true);
    await shot(page, `${w}-4-skip-link`);
    // Filter down to one contact by keyboard, Tab to it, Enter.
    await page.focus('#filter');
    await page.keyboard.type('100000000002');
    await page.keyboard.press('Tab');
    expect((await activeElement(page)).contact).toBe('100000000002');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#detail[data-contact="100000000002"] [data-media="primary"]');
    // Focus moved to the pane; the player is at most three Tabs away (the phone's Back comes first).
    let tabs = 0;
    while ((await activeElement(page)).media !== 'primary' && tabs < 10) {
      await page.keyboard.press('Tab');
      tabs += 1;
    }
    expect((await activeElement(page)).media).toBe('primary');
    expect(tabs).toBeLessThanOrEqual(phone ? 3 : 2);
    await ready(page, media('primary'));
    // Shortcuts: k plays, > speeds up (kept for the next visit), j goes back.
    await page.keyboard.press('k');
    await expect.poll(() => playing(page, media('primary')), { timeout: 15_000 }).toBe(true);
    await page.keyboard.press('>');
    expect((await mediaState(page, media('primary')))!.playbackRate).toBe(1.25);
    expect(await page.inputValue('#detail select[data-speed="primary"]')).toBe('1.25');
    await page.keyboard.press('k');
    await page.keyboard.press('j');
    expect((await mediaState(page, media('primary')))!.currentTime).toBe(0);
    await shot(page, `${w}-4-keyboard`, !phone);
    // The skip link from the top lands on the player.
    await page.keyboard.press('Shift+Tab');
    await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
    await page.focus('.skip-link');
    await page.keyboard.press('Enter');
    expect((await activeElement(page)).media).toBe('primary');
    // Speed persists across a reload of the page, which reopens the contact its address names.
    expect(new URL(page.url()).searchParams.get('contact')).toBe('100000000002');
    await page.reload();
    await page.waitForSelector('#detail[data-contact="100000000002"] [data-media="primary"]');
    await ready(page, media('primary'));
    expect((await mediaState(page, media('primary')))!.playbackRate).toBe(1.25);
    await page.selectOption('#detail select[data-speed="primary"]', '1');
  }, 60_000);

  it('1, 3: a player whose link fails gets a fresh one through recording(refresh: true), keeping the speed', async () => {
    // The reported failure: the subgraph holds the contact's links from the list query; the
    // storage's signing key rotates, so the cached link answers 403, and a plain refetch would hand
    // the same dead link back. The page asks with refresh: true instead.
    const contact = phone ? '200000000004' : '200000000003';
    // The speed chosen on the previous contact applies to every player, and must survive the swap.
    await page.selectOption('#detail select[data-speed="primary"]', '1.5');
    await simulator('revoke-links');
    graphqlBodies.length = 0;
    await open(contact);
    const primary = media('primary');
    await page.waitForSelector(primary);
    await expect.poll(async () => (await mediaState(page, primary))?.generation, { timeout: 15_000 }).toBe('2');
    const fresh = await mediaState(page, primary);
    expect(graphqlBodies.filter((body) => body.includes('"refresh":false'))).toHaveLength(1);
    expect(graphqlBodies.filter((body) => body.includes('"refresh":true'))).toHaveLength(1);
    expect((await fetch(fresh!.src, { headers: { range: 'bytes=0-9' } })).status).toBe(206);
    await ready(page, primary);
    await onMedia(page, primary, 'play', 0);
    await expect.poll(() => playing(page, primary), { timeout: 15_000 }).toBe(true);
    expect((await mediaState(page, primary))!.playbackRate).toBe(1.5);
    expect(await page.isVisible('#detail [data-media-error="primary"]')).toBe(false);
    expect(await page.textContent('#status')).toContain('fresh link loaded');
    await shot(page, `${w}-1-recovered`, !phone);
  }, 60_000);

  it('1: when even the refresh fails, an error with a Retry button; Retry recovers', async () => {
    const contact = phone ? '200000000006' : '200000000005';
    await simulator('revoke-links');
    // The cached link is dead and CXone answers 500 to everything: the refresh fails too.
    await simulator('config', { faults: { rates: { 500: 1 } } });
    await open(contact);
    const primary = media('primary');
    await page.waitForSelector(primary);
    const dead = (await mediaState(page, primary))!.src;
    await page.waitForSelector('#detail [data-media-error="primary"]:visible', { timeout: 15_000 });
    expect(await page.textContent('#detail [data-media-error="primary"]')).toContain('asking for a fresh link failed');
    expect(await page.textContent('#detail [data-media-error="primary"]')).toContain('UPSTREAM_UNAVAILABLE');
    expect(await page.isVisible('#detail [data-retry="primary"]')).toBe(true);
    await shot(page, `${w}-1-retry`, !phone);
    await simulator('config', { faults: null });
    expect((await mediaState(page, primary))!.src).toBe(dead);
    // Retry (the subgraph renews a contact's links at most once per LINK_REFRESH_INTERVAL_SECONDS,
    // 1 s here: a Retry within it says so and is pressed again).
    await expect
      .poll(async () => {
        if (await page.isVisible('#detail [data-retry="primary"]')) await page.click('#detail [data-retry="primary"]');
        const state = await mediaState(page, primary);
        return state !== null && state.src !== dead;
      }, { timeout: 20_000, interval: 500 })
      .toBe(true);
    await ready(page, primary);
    expect(await page.isVisible('#detail [data-media-error="primary"]')).toBe(false);
  }, 60_000);

  it('3: a link refreshed before expiry keeps the speed, and a finished recording stays finished', async () => {
    // Links that live 35 s: the page refetches them about 5 s after loading (30 s before expiry).
    // Another caller (the subgraph caches per caller), so the list's answers carry the short links;
    // shorter than the subgraph's 60 s margin, they are never cached and every refetch signs anew.
    await simulator('config', { linkLifetimeSeconds: SHORT_LINK_SECONDS });
    if (phone && (await page.locator('body.detail-open').count()) > 0) {
      await page.click('#detail .back');
      await page.waitForSelector('body:not(.detail-open)');
    }
    await page.selectOption('#token', 'noAnalytics');
    const contact = phone ? '200000000002' : '200000000001';
    await page.waitForSelector(`button[data-contact="${contact}"] .summary`);
    await open(contact);
    const primary = media('primary');
    await page.waitForSelector(primary);
    await ready(page, primary);
    const first = (await mediaState(page, primary))!.src;
    await page.selectOption('#detail select[data-speed="primary"]', '2');
    await onMedia(page, primary, 'play', 0);
    await expect.poll(async () => (await mediaState(page, primary))?.ended, { timeout: 15_000 }).toBe(true);
    await page.waitForSelector('#detail[data-refreshes]', { timeout: 20_000 });
    await expect.poll(async () => (await mediaState(page, primary))?.generation, { timeout: 5_000 }).toBe('2');
    await ready(page, primary);
    const after = (await mediaState(page, primary))!;
    expect(after.src).not.toBe(first);
    expect(after.playbackRate).toBe(2);
    expect(await page.inputValue('#detail select[data-speed="primary"]')).toBe('2');
    // Finished stays finished: at the end, not back at 0:00.
    await expect.poll(async () => (await mediaState(page, primary))!.currentTime).toBeGreaterThan(after.duration - 0.1);
    expect(await page.textContent('#status')).toContain('Links refreshed');
    await shot(page, `${w}-3-refreshed`, !phone);
    await page.selectOption('#detail select[data-speed="primary"]', '1');
    await simulator('config', { linkLifetimeSeconds: null });
    if (phone) {
      await page.click('#detail .back');
      await page.waitForSelector('body:not(.detail-open)');
    }
    await page.selectOption('#token', 'full');
    await page.waitForSelector('button[data-contact="100000000003"] .summary');
  }, 60_000);

  it('chat and email contacts show their transcript and screen recording', async () => {
    await open('100000000003');
    await page.waitForSelector('#detail .transcript .message');
    const messages = await page.locator('#detail .transcript .message').allTextContents();
    expect(messages).toHaveLength(4);
    expect(messages.join(' ')).toContain('Bob Example');
    await page.waitForSelector(media('screen'));
    expect((await mediaState(page, media('screen')))?.label).toContain('Screen recording of');
    for (const key of ['primary', 'screen']) await ready(page, media(key));
    expect(await horizontalOverflow(page)).toBe(0);
    await shot(page, `${w}-chat`, true);
    if (phone) {
      // Back to the list: the contact keeps its place and focus.
      await page.click('#detail .back');
      await page.waitForSelector('#contacts:visible');
      await expect.poll(async () => (await activeElement(page)).contact).toBe('100000000003');
    }
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
