/**
 * What the player page's browser suites share: Debian's chromium (headless, via playwright-core)
 * against the demo stack on port 0 (simulator, subgraph, CRM subgraph, gateway serving the
 * Vite-built page), the simulator's controls, readers of the page's media elements (this project
 * compiles without the DOM lib), and axe-core.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { buildDemoPage, startDemo, type RunningDemo } from '../../scripts/demo-stack.js';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const ARTIFACTS = 'test-artifacts';

export const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800, phone: false },
  { name: 'phone', width: 390, height: 844, phone: true },
] as const;

export interface BrowserStack {
  readonly demo: RunningDemo;
  readonly browser: Browser;
  close(): Promise<void>;
}

/** Builds the page, starts the demo stack on port 0 and chromium; throws when chromium is missing. */
export async function startBrowserStack(env: Readonly<Record<string, string>> = {}): Promise<BrowserStack> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH); .ci/run installs it`);
  }
  const outDir = await mkdtemp(join(tmpdir(), 'cxone-demo-'));
  await buildDemoPage(outDir);
  const demo = await startDemo({
    env: {
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      SIMULATOR_PORT: '0',
      CXONE_RATE_LIMIT: '0',
      // One real refresh per caller and link per second, so Retry can be shown recovering.
      LINK_REFRESH_INTERVAL_SECONDS: '1',
      ...env,
    },
    staticDir: outDir,
    port: 0,
    // Short waits for the seeded processing/timeout contacts, as in the other end-to-end suites.
    overrides: { resilience: { processingDelayMs: 5, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 20, breaker: { minimumCalls: 200 } } },
  });
  const browser = await chromium.launch({
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
  return {
    demo,
    browser,
    async close() {
      await browser.close();
      await demo.close();
      await rm(outDir, { recursive: true, force: true });
    },
  };
}

/** POSTs to one of the simulator's /__sim/ controls (as the benchmark and demo use them). */
export async function simulator(demo: RunningDemo, path: string, body?: unknown): Promise<void> {
  const response = await fetch(`${demo.app.simulatorUrl}/__sim/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
  expect(response.status).toBe(200);
}

interface MediaElementLike {
  readonly tagName: string;
  readonly src: string;
  readonly played: { readonly length: number };
  currentTime: number;
  readonly paused: boolean;
  readonly ended: boolean;
  readonly error: { readonly code: number } | null;
  readonly duration: number;
  readonly readyState: number;
  readonly playbackRate: number;
  readonly dataset: Record<string, string | undefined>;
  play(): Promise<void>;
  load(): void;
  getAttribute(name: string): string | null;
}

export interface MediaState {
  readonly tag: string;
  readonly src: string;
  readonly played: number;
  readonly currentTime: number;
  readonly paused: boolean;
  readonly ended: boolean;
  readonly error: number | null;
  readonly duration: number;
  readonly readyState: number;
  readonly playbackRate: number;
  readonly generation: string | undefined;
  readonly label: string | null;
}

export const media = (key: string) => `#detail [data-media="${key}"]`;

export function mediaState(page: Page, selector: string): Promise<MediaState | null> {
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
      ended: element.ended,
      error: element.error?.code ?? null,
      duration: element.duration,
      readyState: element.readyState,
      playbackRate: element.playbackRate,
      generation: element.dataset['generation'],
      label: element.getAttribute('aria-label'),
    };
  }, selector);
}

/** Runs `action` on the media element: 'play' as a user pressing play would, 'load' to re-request its link. */
export function onMedia(page: Page, selector: string, action: 'play' | 'load', from?: number): Promise<void> {
  return page.evaluate(
    ([sel, what, start]) => {
      const doc = (globalThis as unknown as { document: { querySelector(s: string): MediaElementLike | null } }).document;
      const element = doc.querySelector(sel);
      if (element === null) throw new Error(`no media element ${sel}`);
      if (what === 'load') {
        element.load();
        return Promise.resolve();
      }
      if (start !== null) element.currentTime = start;
      return element.play();
    },
    [selector, action, from ?? null] as const,
  );
}

export async function playing(page: Page, selector: string): Promise<boolean> {
  const state = await mediaState(page, selector);
  return state !== null && state.error === null && state.currentTime > 0;
}

export async function ready(page: Page, selector: string): Promise<void> {
  await expect
    .poll(async () => {
      const state = await mediaState(page, selector);
      return state !== null && state.readyState >= 1 && Number.isFinite(state.duration);
    }, { timeout: 15_000 })
    .toBe(true);
}

export function activeElement(page: Page): Promise<{ tag: string; media: string | null; contact: string | null; text: string }> {
  return page.evaluate(() => {
    const doc = (globalThis as unknown as {
      document: { activeElement: { tagName: string; getAttribute(n: string): string | null; textContent: string | null } | null };
    }).document;
    const el = doc.activeElement;
    return {
      tag: el?.tagName ?? '',
      media: el?.getAttribute('data-media') ?? null,
      contact: el?.getAttribute('data-contact') ?? null,
      text: (el?.textContent ?? '').trim().slice(0, 40),
    };
  });
}

/** Every list row has its recording state (none still loading). */
export async function rowsSettled(page: Page): Promise<void> {
  await page.waitForSelector('button[data-contact]');
  await page.waitForFunction(
    () =>
      (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<unknown> } }).document.querySelectorAll(
        '[data-row-state="LOADING"]',
      ).length === 0,
    undefined,
    { timeout: 20_000 },
  );
}

let axeSource: string | undefined;

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly nodes: string[];
}

/** axe-core's serious and critical violations on the page as it is now (WCAG 2.x A/AA and best practices). */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    interface AxeResult {
      violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: unknown[] }> }>;
    }
    const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<AxeResult> } }).axe;
    const doc = (globalThis as unknown as { document: unknown }).document;
    const result = await axe.run(doc, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => JSON.stringify(n.target)).slice(0, 5) }));
  });
}
