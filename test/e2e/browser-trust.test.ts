/**
 * The player page's failure paths, in chromium over real HTTP at a desktop (1280x800) and a phone
 * (390x844) width, each as a supervisor would meet it: every recordingStatus in its own words and
 * never a false "No recording"; temporary states that retry by themselves; a list that never waits
 * for its slowest contact; recovery without reloads (a network drop, a revoked statement link, a
 * background refresh that failed offline); real downloads; deep links, Back and "Copy link";
 * shortcuts scoped to the player; touch targets; axe-core on every state; compressed assets.
 */
import { stat } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import type { BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TOKENS, SEEDED } from '../../src/simulator/index.js';
import { gql } from '../helpers/graphql.js';
import {
  VIEWPORTS,
  media,
  mediaState,
  ready,
  rowsSettled,
  seriousAxeViolations,
  simulator as simulatorControl,
  startBrowserStack,
  type BrowserStack,
} from '../helpers/browser.js';

let stack: BrowserStack;
const simulator = (path: string, body?: unknown) => simulatorControl(stack.demo, path, body);

beforeAll(async () => {
  // The page's states are walked through one caller after another, the no-playback caller again and
  // again: CXone's refusals are not remembered here, so each step meets the state it sets up (the
  // refusal memory itself is tested in refused-callers.test.ts).
  stack = await startBrowserStack({ CXONE_REFUSAL_MEMORY_SECONDS: '0' });
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

/** No serious or critical axe-core violation on the page as it is now; `state` names it on failure. */
async function expectAccessible(page: Page, state: string): Promise<void> {
  expect(await seriousAxeViolations(page), state).toEqual([]);
}

/** The page's GraphQL requests by operation name, with their variables. */
function recordOperations(page: Page): Array<{ operation: string; body: string }> {
  const seen: Array<{ operation: string; body: string }> = [];
  page.on('request', (request) => {
    if (!request.url().endsWith('/graphql')) return;
    const body = request.postData() ?? '';
    const operation = /"operationName":"(\w+)"/.exec(body)?.[1] ?? '';
    seen.push({ operation, body });
  });
  return seen;
}

describe.each(VIEWPORTS)('a player a supervisor can trust at $width x $height', ({ width, height, phone }) => {
  let context: BrowserContext;
  let page: Page;
  let operations: Array<{ operation: string; body: string }>;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    context = await stack.browser.newContext({ viewport: { width, height }, isMobile: phone, hasTouch: phone, acceptDownloads: true });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(stack.demo.pageUrl).origin });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    operations = recordOperations(page);
    await simulator('reset');
    await simulator('config', { linkLifetimeSeconds: null, faults: null });
    await page.goto(stack.demo.pageUrl);
    await rowsSettled(page);
  });
  afterAll(async () => {
    await context?.close();
  });
  afterEach(async () => {
    await simulator('config', { faults: null, linkLifetimeSeconds: null, processingPolls: 2 });
    await context.setOffline(false);
    await page.unrouteAll({ behavior: 'ignoreErrors' });
  });

  /** On a phone, back from a recording to the list. */
  async function backToList(): Promise<void> {
    if (phone && (await page.locator('body.detail-open').count()) > 0) {
      await page.click('#detail .back');
      await page.waitForSelector('body:not(.detail-open)');
    }
  }

  /** Opens a contact as the user would (from the list; on a phone, back to it first). */
  async function open(acdContactId: string): Promise<void> {
    await backToList();
    await page.locator(`button[data-contact="${acdContactId}"]`).click();
    await page.waitForSelector(`#detail[data-contact="${acdContactId}"]`);
  }

  it('says what each state is, retries temporary ones by itself, and never shows a temporary failure as "No recording"', async () => {
    await expectAccessible(page, 'list');
    // A timeout: its own words, Retry, and opening it again asks the server (the reported 0 requests
    // and "No recording: NO_RECORDING" came from a cached null).
    await open(SEEDED.timeout);
    await page.waitForSelector('#detail [data-state="UNAVAILABLE"]');
    expect(await page.textContent('#detail [data-state]')).toContain('CXone unavailable');
    expect(await page.textContent('#detail [data-state]')).toMatch(/UPSTREAM_(TIMEOUT|UNAVAILABLE)/);
    expect(await page.isVisible('#detail [data-retry-state]')).toBe(true);
    await expectAccessible(page, 'unavailable');
    await open(SEEDED.voice);
    await page.waitForSelector(media('primary'));
    const before = operations.filter((o) => o.operation === 'RecordingDetail' && o.body.includes(SEEDED.timeout)).length;
    await open(SEEDED.timeout);
    await page.waitForSelector('#detail [data-state="UNAVAILABLE"]');
    expect(operations.filter((o) => o.operation === 'RecordingDetail' && o.body.includes(SEEDED.timeout)).length).toBe(before + 1);
    expect(await page.locator('#detail [data-state="NOT_FOUND"]').count()).toBe(0);

    // Temporary states under a caller whose answers nobody has cached (faults come before CXone's
    // own permission check): busy, then rate limited, then still processing, each from Retry; the
    // last retries by itself after the server's time and shows the caller's real state.
    await backToList();
    await simulator('config', { faults: { rates: { 425: 1 }, retryAfterSeconds: 30 } });
    await page.selectOption('#token', 'noPlayback');
    await rowsSettled(page);
    expect(await page.getAttribute(`button[data-contact="${SEEDED.chat}"] [data-row-state]`, 'data-row-state')).toBe('LOCKED');
    await open(SEEDED.chat);
    for (const [status, state, words, retryAfterSeconds] of [
      [425, 'LOCKED', 'Busy', 30],
      [429, 'RATE_LIMITED', 'Too many requests', 30],
      [202, 'PROCESSING', 'Still processing', 1],
    ] as const) {
      if (status !== 425) {
        await simulator('config', { faults: { rates: { [status]: 1 }, retryAfterSeconds } });
        await page.click('#detail [data-retry-state]');
      }
      await page.waitForSelector(`#detail [data-state="${state}"]`);
      expect(await page.textContent('#detail [data-state]')).toMatch(new RegExp(`${words}\\..*Trying again by itself in \\d+ s`, 's'));
      await expectAccessible(page, state);
    }
    await simulator('config', { faults: null });
    await page.waitForSelector('#detail [data-state="FORBIDDEN"]', { timeout: 15_000 });
    expect(await page.textContent('#detail [data-state]')).toContain('No permission');
    expect(await page.locator('#detail [data-retry-state]').count()).toBe(0);
    await expectAccessible(page, 'forbidden');
    await backToList();
    await page.selectOption('#token', 'full');
    await rowsSettled(page);

    // Final states: no recording, archived; no Retry there.
    await open(SEEDED.preCutoff);
    await page.waitForSelector('#detail [data-state="NOT_FOUND"]');
    expect(await page.textContent('#detail [data-state]')).toContain('No recording');
    expect(await page.locator('#detail [data-retry-state]').count()).toBe(0);
    await expectAccessible(page, 'not found');

    // No connection: its own words, and it comes back by itself once the browser is online.
    await context.setOffline(true);
    await open(SEEDED.email);
    await page.waitForSelector('#detail [data-state="NETWORK"]');
    expect(await page.textContent('#detail [data-state]')).toContain('No connection');
    await expectAccessible(page, 'network');
    await context.setOffline(false);
    await page.waitForSelector(media('primary'), { timeout: 15_000 });
    expect(pageErrors).toEqual([]);
  }, 90_000);

  it('a list that fails offers Retry and retries by itself; rows never wait for the slowest contact', async () => {
    // The gateway unreachable for the list: an error with Retry, not "0 contacts".
    await page.route('**/graphql', (route: Route) =>
      (route.request().postData() ?? '').includes('"ContactList"') ? route.abort('connectionrefused') : route.fallback(),
    );
    await page.goto(stack.demo.pageUrl);
    await page.waitForSelector('[data-list-error] [data-retry-state]');
    expect(await page.textContent('[data-list-error]')).toContain('No connection');
    await expectAccessible(page, 'list failed');
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    await page.click('[data-list-error] [data-retry-state]');
    await rowsSettled(page);

    // One contact CXone answers slowly (held 3 s): every other row shows its recording meanwhile.
    const slow = SEEDED.longCall;
    await page.route('**/graphql', async (route: Route) => {
      const body = route.request().postData() ?? '';
      if (body.includes('"ContactRow"') && body.includes(slow)) await new Promise((resolve) => setTimeout(resolve, 3_000));
      await route.fallback();
    });
    const started = Date.now();
    await page.goto(stack.demo.pageUrl);
    await page.waitForSelector('button[data-contact] [data-row-state="AVAILABLE"]');
    const firstRowMs = Date.now() - started;
    await expect.poll(() => page.locator('[data-row-state="AVAILABLE"]').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(20);
    expect(await page.getAttribute(`button[data-contact="${slow}"] [data-row-state]`, 'data-row-state')).toBe('LOADING');
    await page.waitForSelector(`button[data-contact="${slow}"] [data-row-state="AVAILABLE"]`, { timeout: 10_000 });
    console.info(`[browser] ${width}px: first recording row after ${firstRowMs} ms, the held contact after ${Date.now() - started} ms`);
    await page.unrouteAll({ behavior: 'ignoreErrors' });

    // Rows in temporary states retry by themselves: every row rate limited, then all back.
    await simulator('config', { faults: { rates: { 429: 1 }, retryAfterSeconds: 1 } });
    await page.selectOption('#token', 'noPlayback');
    await page.waitForSelector('button[data-contact] [data-row-state="RATE_LIMITED"]');
    expect(await page.locator('[data-row-retry]').count()).toBeGreaterThan(0);
    await expectAccessible(page, 'rows rate limited');
    await simulator('config', { faults: null });
    await expect.poll(() => page.locator('[data-row-state="RATE_LIMITED"]').count(), { timeout: 15_000 }).toBe(0);
    await page.selectOption('#token', 'full');
    await rowsSettled(page);
  }, 90_000);

  it('after a network drop, one Retry replays the current link (no new link spent on it)', async () => {
    // A link that works (an earlier test revoked the ones the subgraph kept).
    await gql(stack.demo.graphqlUrl, `{ recording(acdContactId: "${SEEDED.longCall}", refresh: true) { acdContactId mediaUrl { url } } }`);
    // The network drops as the player loads: its file and the page's ask for a fresh link both fail.
    await page.route('**/media/**', (route: Route) => route.abort('internetdisconnected'));
    await page.route('**/graphql', (route: Route) =>
      (route.request().postData() ?? '').includes('"refresh":true') ? route.abort('internetdisconnected') : route.fallback(),
    );
    await open(SEEDED.longCall);
    const primary = media('primary');
    await page.waitForSelector('#detail [data-media-error="primary"]:visible', { timeout: 20_000 });
    expect(await page.textContent('#detail [data-media-error="primary"]')).toContain('asking for a fresh link failed');
    await expectAccessible(page, 'media error');
    const link = (await mediaState(page, primary))!.src;
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    const refreshesBefore = operations.filter((o) => o.body.includes('"refresh":true')).length;
    const back = Date.now();
    await page.click('#detail [data-retry="primary"]');
    await expect.poll(() => page.isVisible('#detail [data-media-error="primary"]'), { timeout: 15_000 }).toBe(false);
    await ready(page, primary);
    console.info(`[browser] ${width}px: playing again ${Date.now() - back} ms after one Retry press`);
    // The same link played again: no forced refresh was spent on it.
    const after = (await mediaState(page, primary))!;
    expect(after.src, `generation ${after.generation}, ${await page.textContent('#status')}`).toBe(link);
    expect(operations.filter((o) => o.body.includes('"refresh":true')).length).toBe(refreshesBefore);
    expect(await page.textContent('#status')).toContain('playing again');
  }, 60_000);

  it('a revoked statement link gets a new one through mediaUrl(refresh: true)', async () => {
    // The subgraph holds the statement's link (another tab asked for it); then the storage's key
    // rotates, so the link the page is handed answers 403, and a plain refetch hands it back.
    const primed = await gql<{ recording: { statements: Array<{ mediaUrl: { url: string } }> } }>(
      stack.demo.graphqlUrl,
      `{ recording(acdContactId: "${SEEDED.voice}") { acdContactId statements(statementIds: ["${SEEDED.voiceStatement}"]) { acdContactId statementId mediaUrl { url } } } }`,
      { token: DEMO_TOKENS.full },
    );
    const dead = primed.data?.recording.statements[0]?.mediaUrl.url;
    expect(dead).toBeDefined();
    await simulator('revoke-links');
    const statement = media(`statement-${SEEDED.voiceStatement}`);
    await open(SEEDED.voice);
    await page.fill('#statement-ids', SEEDED.voiceStatement);
    await page.click('.statements-form button[type="submit"]');
    await page.waitForSelector(statement);
    await expect.poll(async () => (await mediaState(page, statement))?.generation, { timeout: 15_000 }).toBe('2');
    await ready(page, statement);
    expect((await mediaState(page, statement))!.src).not.toBe(dead);
    expect(operations.some((o) => o.operation === 'RecordingStatements' && o.body.includes('"refresh":true'))).toBe(true);
    await expectAccessible(page, 'statement');
  }, 60_000);

  it('downloads the file itself under CXone\'s name, by keyboard, and keeps CXone\'s download page as a second link', async () => {
    await open(SEEDED.voice);
    await page.waitForSelector(media('primary'));
    const caption = (await page.textContent('#detail [data-figure="primary"] figcaption')) ?? '';
    const fileName = /^Recording: (.+\.mp4) · /.exec(caption)?.[1];
    expect(fileName).toBeDefined();
    await page.focus('#detail [data-download="primary"]');
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    expect(download.suggestedFilename()).toBe(fileName);
    const saved = await download.path();
    const probe = await fetch((await mediaState(page, media('primary')))!.src);
    expect((await stat(saved)).size).toBe((await probe.arrayBuffer()).byteLength);
    const pageLink = await page.getAttribute('#detail [data-download-page="primary"]', 'href');
    expect(pageLink).toContain('isDownload=true');
  }, 60_000);

  it('?contact= opens a recording (with a statement or a segment), Back returns to the list, Copy link gives the page\'s address', async () => {
    await page.goto(`${stack.demo.pageUrl}?contact=${SEEDED.voice}&statement=${SEEDED.voiceStatement}`);
    await page.waitForSelector(`#detail[data-contact="${SEEDED.voice}"] [data-media="statement-${SEEDED.voiceStatement}"]`);
    await expectAccessible(page, 'deep link');
    // Back leaves the recording for the list, not the app.
    await page.goBack();
    await page.waitForSelector('body:not(.detail-open)');
    expect(new URL(page.url()).searchParams.get('contact')).toBeNull();
    expect(await page.isVisible('#contacts')).toBe(true);
    // Opening from the list pushes history; Back and Forward move between list and recording.
    await rowsSettled(page);
    await open(SEEDED.chat);
    expect(new URL(page.url()).searchParams.get('contact')).toBe(SEEDED.chat);
    await page.goBack();
    await page.waitForSelector('body:not(.detail-open)');
    if (phone) expect(await page.isVisible('#detail')).toBe(false);
    await page.goForward();
    await page.waitForSelector(`body.detail-open #detail[data-contact="${SEEDED.chat}"]`);
    // Copy link: the page's address, no signed media URL, no demo user.
    await page.click('#detail [data-copy-link]');
    const copied = await page.evaluate(() =>
      (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText(),
    );
    expect(copied).toBe(`${stack.demo.pageUrl}?contact=${SEEDED.chat}`);
    // A segment link opens the contact at that segment.
    await open(SEEDED.transferred);
    await page.waitForSelector(media('primary'));
    const third = await page.getAttribute('#detail .timeline .segment >> nth=2', 'data-segment');
    await page.click(`#detail [data-copy-segment="${third}"]`);
    const segmentLink = await page.evaluate(() =>
      (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText(),
    );
    expect(segmentLink).not.toMatch(/Signature|Expires|token=/);
    await page.goto(segmentLink);
    await page.waitForSelector(`#detail[data-contact="${SEEDED.transferred}"] [data-media="primary"]`);
    await expect.poll(async () => Number(await page.getAttribute('#detail .playhead', 'data-fraction'))).toBeGreaterThan(0.4);
    await page.goto(stack.demo.pageUrl);
    await rowsSettled(page);
  }, 60_000);

  it('shortcuts act only while the player has focus, can be turned off, and segments seek by keyboard', async () => {
    await open(SEEDED.voice);
    const primary = media('primary');
    await page.waitForSelector(primary);
    await ready(page, primary);
    // Focus outside the player: 'k' is just a key.
    await page.focus('#filter');
    await page.keyboard.press('Escape');
    await page.focus('#detail [data-copy-link]');
    await page.keyboard.press('k');
    expect((await mediaState(page, primary))!.paused).toBe(true);
    // On the player: 'k' plays, and again pauses.
    await page.focus(primary);
    await page.keyboard.press('k');
    await expect.poll(async () => (await mediaState(page, primary))!.paused).toBe(false);
    await page.keyboard.press('k');
    // Turned off: nothing, even on the player.
    await page.click('#detail [data-shortcuts-toggle]');
    await page.focus(primary);
    await page.keyboard.press('k');
    expect((await mediaState(page, primary))!.paused).toBe(true);
    await page.click('#detail [data-shortcuts-toggle]');
    // Seeking by segment is a keyboard action too: Tab reaches each segment, Enter plays from it.
    await open(SEEDED.transferred);
    await ready(page, primary);
    await page.focus('#detail .timeline .segment >> nth=2');
    await page.keyboard.press('Enter');
    await expect.poll(async () => Number(await page.getAttribute('#detail .playhead', 'data-fraction'))).toBeGreaterThan(0.4);
    await page.evaluate(() => {
      const doc = (globalThis as unknown as { document: { querySelector(s: string): { pause(): void } | null } }).document;
      doc.querySelector('#detail [data-media="primary"]')?.pause();
    });
  }, 60_000);

  it('a background refresh that failed offline is retried, and the caption never shows a past time', async () => {
    // Links that live 35 s: the page refetches them about 5 s after loading; offline, that fails.
    await simulator('config', { linkLifetimeSeconds: 35 });
    await backToList();
    await page.selectOption('#token', 'noAnalytics');
    await rowsSettled(page);
    const contact = phone ? '200000000008' : '200000000007';
    await open(contact);
    const primary = media('primary');
    await page.waitForSelector(primary);
    const first = (await mediaState(page, primary))!.src;
    await context.setOffline(true);
    await page.waitForSelector('#detail[data-refresh-failures]', { timeout: 20_000 });
    await context.setOffline(false);
    await expect.poll(async () => (await mediaState(page, primary))?.generation, { timeout: 15_000 }).toBe('2');
    expect((await mediaState(page, primary))!.src).not.toBe(first);
    const caption = (await page.textContent('#detail [data-expires="primary"]')) ?? '';
    const until = /valid until (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC/.exec(caption)?.[1];
    expect(until, caption).toBeDefined();
    expect(Date.parse(`${until}Z`)).toBeGreaterThan(Date.now());
    await simulator('config', { linkLifetimeSeconds: null });
    await backToList();
    await page.selectOption('#token', 'full');
    await rowsSettled(page);
  }, 60_000);

  if (phone) {
    it('every control is a touch target of at least 44 x 44 px', async () => {
      const small = async () =>
        page.evaluate(() => {
          interface Box { width: number; height: number }
          interface El { getBoundingClientRect(): Box; tagName: string; textContent: string | null; offsetParent: unknown; getAttribute(n: string): string | null }
          const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<El> } }).document;
          return Array.from(doc.querySelectorAll('button, a[href], select, input, [tabindex="0"]'))
            .filter((e) => e.offsetParent !== null && !e.getAttribute('class')?.includes('skip-link'))
            .map((e) => ({ what: `${e.tagName} ${(e.textContent ?? '').trim().slice(0, 30)}`, box: e.getBoundingClientRect() }))
            .filter(({ box }) => box.width < 44 || box.height < 44)
            .map(({ what, box }) => `${what}: ${Math.round(box.width)}x${Math.round(box.height)}`);
        });
      expect(await small(), 'list').toEqual([]);
      await open(SEEDED.transferred);
      await page.waitForSelector(media('primary'));
      expect(await small(), 'player').toEqual([]);
    }, 30_000);
  }
});

describe('the page is served compressed, hashed assets cached for good', () => {
  it('answers brotli or gzip, immutable for hashed files, revalidated for index.html', async () => {
    const index = await fetch(stack.demo.pageUrl, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const html = await index.text();
    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(new URL(script!, stack.demo.pageUrl), { headers: { 'accept-encoding': 'gzip' } });
    expect(asset.headers.get('content-encoding')).toBe('gzip');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    // Node's fetch decodes gzip; the raw size comes from a request that asks for none.
    const plain = await fetch(new URL(script!, stack.demo.pageUrl), { headers: { 'accept-encoding': 'identity' } });
    const raw = (await plain.arrayBuffer()).byteLength;
    const gzipped = await new Promise<number>((resolve, reject) => {
      import('node:http')
        .then(({ get }) =>
          get(new URL(script!, stack.demo.pageUrl), { headers: { 'accept-encoding': 'gzip' } }, (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () => {
              const body = Buffer.concat(chunks);
              expect(gunzipSync(body).byteLength).toBe(raw);
              resolve(body.byteLength);
            });
          }).on('error', reject),
        )
        .catch(reject);
    });
    expect(gzipped).toBeLessThan(raw / 2);
    console.info(`[browser] page script ${raw} bytes, ${gzipped} gzipped`);
    const br = await fetch(new URL(script!, stack.demo.pageUrl), { headers: { 'accept-encoding': 'br' } });
    expect(br.headers.get('content-encoding')).toBe('br');
  });
});
