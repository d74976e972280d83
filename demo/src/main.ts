/**
 * The player page: contacts from the CRM with their recordings, one contact's player with a
 * timeline tied to it, transcript and statements. Apollo Client core, no UI framework.
 *
 * - The list shows the CRM's fields at once; each row's recording arrives on its own request, so
 *   a slow contact delays only its row.
 * - Every state the subgraph reports has its own words (states.ts); temporary ones retry by
 *   themselves after the server's time and offer Retry; the cache never keeps them (cache.ts).
 * - Links are kept alive by link-refresh.ts: refetched before they expire and swapped in place; a
 *   refetch that fails is retried with backoff; a link that fails anyway is replayed, then replaced
 *   through `refresh: true`, or an error with Retry is shown.
 * - `?contact=` (with `&statement=` or `&segment=`) opens a recording; opening one pushes history.
 */
import { ApolloClient, ApolloLink, CombinedGraphQLErrors, HttpLink } from '@apollo/client';
import { createCache } from './cache.js';
import { h, clear, formatClock, formatDate, formatDuration, formatTime } from './dom.js';
import { RefreshTimers, recoverDeadLink, replaySource, swapSource } from './link-refresh.js';
import { parseTarget, targetUrl, type PageTarget } from './page-url.js';
import { inSeconds, retryDelayMs, shownState, validityCaption, type ShownError, type ShownState } from './states.js';
import { voiceTranscriptSection } from './transcript.js';
import { DEMO_TOKENS } from '../../src/simulator/demo-tokens.js';
import {
  CONTACT_LIST,
  CONTACT_ROW,
  RECORDING_DETAIL,
  RECORDING_STATEMENTS,
  type ContactRow,
  type MediaLink,
  type RecordingData,
  type RowRecording,
  type SegmentData,
  type StatementData,
} from './queries.js';

const tokenSelect = required<HTMLSelectElement>('#token');
const contactList = required<HTMLElement>('#contact-list');
const filterInput = required<HTMLInputElement>('#filter');
const filterCount = required<HTMLElement>('#filter-count');
const detail = required<HTMLElement>('#detail');
const statusLine = required<HTMLElement>('#status');
const skipLink = required<HTMLAnchorElement>('.skip-link');

function required<T extends Element>(selector: string): T {
  const element = document.querySelector<T>(selector);
  if (element === null) throw new Error(`index.html has no ${selector}`);
  return element;
}

// The simulator's demo users (DEMO ONLY tokens): the select names one, the header carries its JWT.
type DemoUser = keyof typeof DEMO_TOKENS;
const isDemoUser = (value: string | null): value is DemoUser => value !== null && Object.hasOwn(DEMO_TOKENS, value);
const initialToken = new URLSearchParams(location.search).get('token');
let user: DemoUser = isDemoUser(initialToken) ? initialToken : 'full';
tokenSelect.value = user;

// The caller's token goes to the gateway as Authorization, which forwards it to the subgraph.
const authLink = new ApolloLink((operation, forward) => {
  operation.setContext(({ headers }: { headers?: Record<string, string> }) => ({
    headers: { ...headers, authorization: `Bearer ${DEMO_TOKENS[user]}` },
  }));
  return forward(operation);
});
const client = new ApolloClient({
  link: ApolloLink.from([authLink, new HttpLink({ uri: new URL('graphql', document.baseURI).href })]),
  cache: createCache(),
});
/** Partial results: one contact's error must not hide the others (every query below passes it). */
const PARTIAL = { errorPolicy: 'all' } as const;

function announce(message: string): void {
  statusLine.textContent = message;
}

// ---- errors and states ----

/** The errors of a result located at or under `prefix` (e.g. ['contact', 'recording']); a network error counts everywhere. */
function errorsAt(error: unknown, prefix: ReadonlyArray<string | number>): ShownError[] {
  if (error === undefined || error === null) return [];
  if (!CombinedGraphQLErrors.is(error)) {
    return [{ code: 'NETWORK', message: error instanceof Error ? error.message : String(error) }];
  }
  return error.errors
    .filter((e) => prefix.every((part, index) => e.path?.[index] === part))
    .map((e) => ({ code: String(e.extensions?.['code'] ?? 'ERROR'), message: e.message }));
}

/** The server's retryAfterSeconds on the first error at `prefix`, when it gave one. */
function retryAfterAt(error: unknown, prefix: ReadonlyArray<string | number>): number | null {
  if (!CombinedGraphQLErrors.is(error)) return null;
  const located = error.errors.find((e) => prefix.every((part, index) => e.path?.[index] === part));
  const value = located?.extensions?.['retryAfterSeconds'];
  return typeof value === 'number' ? value : null;
}

/** A query that threw (AbortError, a bug in a link) is shown as a failed request, never as a crash. */
async function settle<T>(run: () => Promise<{ data?: T | undefined; error?: unknown }>): Promise<{ data: T | undefined; error: unknown }> {
  try {
    const result = await run();
    return { data: result.data, error: result.error };
  } catch (error) {
    return { data: undefined, error };
  }
}

/**
 * Automatic retries of temporary states, one per key; all of them come at once when the browser
 * says it is back online. Cleared with the view they belong to.
 */
class Retries {
  private readonly pending = new Map<string, { timer: ReturnType<typeof setTimeout>; run: () => void }>();

  schedule(key: string, delayMs: number, run: () => void): void {
    this.cancel(key);
    const timer = setTimeout(() => {
      this.pending.delete(key);
      run();
    }, delayMs);
    this.pending.set(key, { timer, run });
  }

  cancel(key: string): void {
    const entry = this.pending.get(key);
    if (entry !== undefined) clearTimeout(entry.timer);
    this.pending.delete(key);
  }

  clear(): void {
    for (const key of [...this.pending.keys()]) this.cancel(key);
  }

  /** Runs every pending retry now (the network is back). */
  runAll(): void {
    const entries = [...this.pending.entries()];
    this.clear();
    for (const [, entry] of entries) entry.run();
  }
}

const rowRetries = new Retries();
const detailRetries = new Retries();
window.addEventListener('online', () => {
  rowRetries.runAll();
  detailRetries.runAll();
});

/**
 * A state the page cannot play, with its words, the server's code and message, and for a
 * temporary one when the page asks again (a countdown) and a Retry button.
 */
function stateBox(state: ShownState, message: string | null, retry: { readonly atMs: number; readonly run: () => void } | null): HTMLElement {
  const box = h(
    'div',
    { class: state.temporary ? 'state temporary' : 'state final', 'data-state': state.state, ...(state.code === null ? {} : { 'data-code': state.code }) },
    h('p', {}, h('strong', {}, `${state.title}. `), state.detail),
  );
  if (message !== null && message !== '') {
    box.append(h('p', { class: 'hint' }, state.code === null ? message : `${state.code}: ${message}`));
  }
  if (retry !== null) {
    const countdown = h('span', { 'data-countdown': '' }, inSeconds(retry.atMs - Date.now()));
    const button = h('button', { type: 'button', 'data-retry-state': '' }, 'Retry now');
    button.addEventListener('click', () => retry.run());
    box.append(h('p', { class: 'retry-line' }, 'Trying again by itself ', countdown, '. ', button));
    const tick = setInterval(() => {
      if (!countdown.isConnected) {
        clearInterval(tick);
        return;
      }
      countdown.textContent = inSeconds(retry.atMs - Date.now());
    }, 1000);
  }
  return box;
}

// ---- playback speed: one choice for every player, kept across links, contacts and visits ----

const SPEEDS = [0.5, 0.75, 1, 1.25, 1.5, 1.75, 2] as const;
const SPEED_KEY = 'cxone-demo-speed';
const SHORTCUTS_KEY = 'cxone-demo-shortcuts';

function storedSpeed(): number {
  const value = Number(localStorage.getItem(SPEED_KEY));
  return (SPEEDS as readonly number[]).includes(value) ? value : 1;
}

let speed = storedSpeed();
let shortcutsOn = localStorage.getItem(SHORTCUTS_KEY) !== 'off';

function setSpeed(value: number): void {
  speed = value;
  localStorage.setItem(SPEED_KEY, String(value));
  for (const player of detail.querySelectorAll<HTMLMediaElement>('[data-media]')) {
    player.defaultPlaybackRate = value;
    player.playbackRate = value;
  }
  for (const select of detail.querySelectorAll<HTMLSelectElement>('select[data-speed]')) select.value = String(value);
  announce(`Speed ${value}x`);
}

function stepSpeed(direction: 1 | -1): void {
  const index = SPEEDS.findIndex((s) => s === speed);
  const next = SPEEDS[Math.min(Math.max(index + direction, 0), SPEEDS.length - 1)];
  if (next !== undefined) setSpeed(next);
}

// ---- players ----

const timers = new RefreshTimers();

/** The primary player of the shown contact (timeline and skip link act on it). */
function primaryPlayer(): HTMLMediaElement | null {
  return detail.querySelector<HTMLMediaElement>('[data-media="primary"]') ?? detail.querySelector<HTMLMediaElement>('[data-media]');
}

function skip(player: HTMLMediaElement, seconds: number): void {
  const end = Number.isFinite(player.duration) ? player.duration : Infinity;
  player.currentTime = Math.min(Math.max(player.currentTime + seconds, 0), end);
}

function togglePlay(player: HTMLMediaElement): void {
  if (player.paused || player.ended) void player.play().catch(() => undefined);
  else player.pause();
}

/** Asks the API for a fresh link for a player whose link failed (`refresh: true`); resolves to the new link or null. */
type FreshLink = () => Promise<MediaLink | null>;

interface FigureOptions {
  readonly key: string;
  readonly label: string;
  readonly accessibleName: string;
  readonly link: MediaLink;
  /** CXone's own download page (a login on a real tenant): offered beside the file itself. */
  readonly downloadPageUrl: string | null;
  readonly freshLink: FreshLink;
}

/** The link each player plays now, by key: Retry, Download and the caption read it. */
const currentLinks = new Map<string, MediaLink>();

function mediaFigure(options: FigureOptions): HTMLElement {
  const { key, link } = options;
  currentLinks.set(key, link);
  // Voice plays in <audio>; anything with a picture (screen, chat, email recordings) in <video>.
  const player = document.createElement(link.mediaType === 'voice-only' ? 'audio' : 'video');
  player.controls = true;
  player.preload = 'metadata';
  player.defaultPlaybackRate = speed;
  player.playbackRate = speed;
  player.src = link.url;
  player.dataset['media'] = key;
  player.dataset['generation'] = '1';
  player.setAttribute('aria-label', options.accessibleName);

  const problem = h('p', { class: 'media-error-text' });
  const retry = h('button', { type: 'button', 'data-retry': key }, 'Retry');
  const errorBox = h('div', { class: 'media-error', 'data-media-error': key, hidden: '' }, problem, ' ', retry);

  let recovering = false;
  const recover = async (trigger: 'error' | 'retry'): Promise<void> => {
    if (recovering) return;
    recovering = true;
    const failedUrl = player.src;
    const current = currentLinks.get(key);
    // The link may work again (a network drop, a storage hiccup) while it has not expired: play it
    // again first; only then ask for a new one, which the server grants once per interval.
    const mayWorkAgain = current !== undefined && current.url === failedUrl && Date.parse(current.expiresAt) > Date.now() + 2_000;
    announce(`${options.label}: ${trigger === 'retry' ? 'trying again' : 'the link failed, trying again'}…`);
    const position = player.currentTime;
    const recovery = await recoverDeadLink(
      failedUrl,
      async () => (await options.freshLink())?.url ?? null,
      mayWorkAgain ? () => replaySource(player) : undefined,
    );
    recovering = false;
    if (!player.isConnected) return;
    if (recovery.kind === 'replayed' || recovery.kind === 'recovered') {
      errorBox.hidden = true;
      if (recovery.kind === 'recovered') replaceLink(player, recovery.url);
      else if (position > 0 && position < player.duration) player.currentTime = position;
      detail.dataset['recoveries'] = String(Number(detail.dataset['recoveries'] ?? '0') + 1);
      announce(`${options.label}: ${recovery.kind === 'replayed' ? 'playing again' : 'fresh link loaded'}`);
      return;
    }
    problem.textContent =
      recovery.kind === 'same-link'
        ? `${options.label} could not be loaded, and the server has no newer link yet (it renews a link at most once per interval). Retry in a moment.`
        : `${options.label} could not be loaded, and asking for a fresh link failed: ${recovery.reason}`;
    errorBox.hidden = false;
    announce(`${options.label}: playback failed`);
    // Back online: try again without waiting for a press.
    window.addEventListener('online', () => void recover('retry'), { once: true });
  };
  // A link that died anyway (revoked, a network drop, a sleeping laptop missed the timer).
  player.addEventListener('error', () => {
    // While the error is shown, the next try is the user's Retry (or the browser coming online).
    if (!recovering && errorBox.hidden) void recover('error');
  });
  retry.addEventListener('click', () => void recover('retry'));

  const back = h('button', { type: 'button' }, 'Back 10 s');
  back.addEventListener('click', () => skip(player, -10));
  const forward = h('button', { type: 'button' }, 'Forward 10 s');
  forward.addEventListener('click', () => skip(player, 10));
  const speedSelect = h(
    'select',
    { 'data-speed': key, 'aria-label': 'Playback speed' },
    ...SPEEDS.map((s) => h('option', { value: String(s) }, `${s}x`)),
  );
  speedSelect.value = String(speed);
  speedSelect.addEventListener('change', () => setSpeed(Number(speedSelect.value)));
  // Keep the choice when the user changes speed from the native controls' menu.
  player.addEventListener('ratechange', () => {
    if (player.playbackRate !== speed && player.readyState > 0 && (SPEEDS as readonly number[]).includes(player.playbackRate)) {
      setSpeed(player.playbackRate);
    }
  });
  const download = h('button', { type: 'button', 'data-download': key }, 'Download file');
  download.addEventListener('click', () => void downloadFile(key, options));
  const controls = h('div', { class: 'controls' }, back, forward, h('label', {}, 'Speed ', speedSelect), download);
  if (options.downloadPageUrl !== null) {
    controls.append(
      h(
        'a',
        { class: 'button', href: options.downloadPageUrl, target: '_blank', rel: 'noreferrer', 'data-download-page': key },
        'CXone download page',
      ),
    );
  }
  const expires = h('span', { 'data-expires': key });
  captions.set(key, expires);
  const figure = h(
    'figure',
    { class: 'media', 'data-figure': key },
    player,
    controls,
    errorBox,
    h('figcaption', {}, `${options.label}: ${link.fileName ?? link.mediaType ?? 'media'} · `, expires),
  );
  showValidity(key, link);
  // Single-key shortcuts act on this player only while focus is inside its figure.
  figure.addEventListener('keydown', (event) => onShortcut(event, player));
  return figure;
}

/** Each player's validity caption, by key. */
const captions = new Map<string, HTMLElement>();
const validityTimers = new Map<string, ReturnType<typeof setTimeout>>();

/** Shows "valid until" for `link`, and turns it into "expired" when that time passes (never a past time). */
function showValidity(key: string, link: MediaLink): void {
  const render = () => {
    const caption = captions.get(key);
    if (caption !== undefined) caption.textContent = validityCaption(link.expiresAt, Date.now(), formatTime);
  };
  render();
  clearTimeout(validityTimers.get(key));
  const left = Date.parse(link.expiresAt) - Date.now();
  if (left > 0) validityTimers.set(key, setTimeout(render, Math.min(left + 50, 2 ** 31 - 1)));
}

/**
 * Downloads the file itself under CXone's file name: the current link (a fresh one when it has
 * expired or no longer answers), fetched and saved. Where the storage refuses the page's fetch
 * (no CORS on a real bucket), the browser opens the link instead.
 */
async function downloadFile(key: string, options: FigureOptions): Promise<void> {
  let link = currentLinks.get(key) ?? options.link;
  const fileName = link.fileName ?? `${key}.mp4`;
  announce(`Downloading ${fileName}…`);
  if (Date.parse(link.expiresAt) <= Date.now() + 2_000) link = (await options.freshLink().catch(() => null)) ?? link;
  let response = await fetch(link.url).catch(() => null);
  if (response !== null && (response.status === 403 || response.status === 404)) {
    const fresh = await options.freshLink().catch(() => null);
    if (fresh !== null) response = await fetch(fresh.url).catch(() => null);
  }
  if (response === null || !response.ok) {
    if (response === null) window.open(link.url, '_blank', 'noopener');
    announce(response === null ? `Opened ${fileName} in a new tab` : `Download failed: HTTP ${response.status}`);
    return;
  }
  const objectUrl = URL.createObjectURL(await response.blob());
  const save = h('a', { href: objectUrl, download: fileName, hidden: '' });
  document.body.append(save);
  save.click();
  save.remove();
  setTimeout(() => URL.revokeObjectURL(objectUrl), 60_000);
  announce(`Downloaded ${fileName}`);
}

function replaceLink(player: HTMLMediaElement, url: string): void {
  if (swapSource(player, url)) {
    player.dataset['generation'] = String(Number(player.dataset['generation'] ?? '1') + 1);
  }
}

function updateFigure(key: string, link: MediaLink | null): void {
  const player = detail.querySelector<HTMLMediaElement>(`[data-media="${key}"]`);
  if (player === null || link === null) return;
  currentLinks.set(key, link);
  replaceLink(player, link.url);
  showValidity(key, link);
}

// ---- keyboard shortcuts: only while a player's figure has focus, and they can be turned off ----

function onShortcut(event: KeyboardEvent, player: HTMLMediaElement): void {
  if (!shortcutsOn || event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  // Keys a focused control handles itself (the speed select) are not shortcuts.
  if (target instanceof HTMLInputElement || target instanceof HTMLSelectElement || target instanceof HTMLTextAreaElement) return;
  switch (event.key) {
    case 'k':
      togglePlay(player);
      break;
    case 'j':
      skip(player, -10);
      break;
    case 'l':
      skip(player, 10);
      break;
    case '<':
      stepSpeed(-1);
      break;
    case '>':
      stepSpeed(1);
      break;
    default:
      return;
  }
  event.preventDefault();
}

function shortcutsNote(): HTMLElement {
  const toggle = h('input', { type: 'checkbox', id: 'shortcuts-on', 'data-shortcuts-toggle': '' });
  toggle.checked = shortcutsOn;
  toggle.addEventListener('change', () => {
    shortcutsOn = toggle.checked;
    localStorage.setItem(SHORTCUTS_KEY, shortcutsOn ? 'on' : 'off');
    announce(shortcutsOn ? 'Shortcuts on' : 'Shortcuts off');
  });
  return h(
    'p',
    { class: 'shortcuts' },
    h('label', { class: 'toggle', for: 'shortcuts-on' }, toggle, ' Single-key shortcuts'),
    ' while a player has focus: ',
    h('kbd', {}, 'k'),
    ' play/pause · ',
    h('kbd', {}, 'j'),
    ' / ',
    h('kbd', {}, 'l'),
    ' back/forward 10 s · ',
    h('kbd', {}, '<'),
    ' / ',
    h('kbd', {}, '>'),
    ' slower/faster',
  );
}

// ---- contact list ----

function contactKind(recording: RowRecording): string {
  return recording.transcript?.kind.toLowerCase() ?? 'voice';
}

let listGeneration = 0;
let listAttempt = 0;

async function loadContacts(): Promise<void> {
  const generation = ++listGeneration;
  rowRetries.clear();
  announce('Loading contacts…');
  clear(contactList);
  contactList.append(h('p', { class: 'hint', 'data-list-loading': '' }, 'Loading contacts…'));
  const result = await settle(() => client.query({ ...PARTIAL, query: CONTACT_LIST, variables: { first: 50 }, fetchPolicy: 'network-only' }));
  if (generation !== listGeneration) return;
  clear(contactList);
  const rows = result.data?.contacts ?? [];
  const listErrors = errorsAt(result.error, []);
  if (rows.length === 0 && listErrors.length > 0) {
    // The CRM or the gateway failed: say so, ask again by itself, and offer Retry.
    const state = shownState(null, listErrors);
    const delay = retryDelayMs(null, listAttempt);
    listAttempt += 1;
    rowRetries.schedule('list', delay, () => void loadContacts());
    const box = stateBox(state, listErrors[0]?.message ?? null, { atMs: Date.now() + delay, run: () => void loadContacts() });
    box.setAttribute('data-list-error', '');
    contactList.append(box);
    filterCount.textContent = '';
    announce(`Contacts could not be loaded: ${state.title}`);
    return;
  }
  listAttempt = 0;
  const list = h('ul', { class: 'contact-list' });
  for (const row of rows) list.append(contactItem(row));
  contactList.append(list);
  applyFilter();
  announce(`${rows.length} contacts`);
  for (const row of rows) void loadRow(row, 0, generation);
}

function contactItem(row: ContactRow): HTMLLIElement {
  const summary = h('span', { class: 'row-state hint', 'data-row-state': 'LOADING' }, 'Loading recording…');
  const button = h(
    'button',
    { type: 'button', 'data-contact': row.acdContactId, class: 'contact loading' },
    h('strong', {}, row.customerName),
    h('span', { class: 'id' }, ` ${row.acdContactId} · ${row.subject}`),
    h('br', {}),
    summary,
  );
  button.addEventListener('click', () => void openContact({ contact: row.acdContactId }, row.customerName));
  const item = h('li', { 'data-row': row.acdContactId }, button);
  item.dataset['search'] = button.textContent.toLowerCase();
  if (shown === row.acdContactId) markSelected(row.acdContactId);
  return item;
}

/** One row's recording summary, in its own request; a temporary state retries by itself. */
async function loadRow(row: ContactRow, attempt: number, generation: number): Promise<void> {
  const result = await settle(() =>
    client.query({ ...PARTIAL, query: CONTACT_ROW, variables: { acdContactId: row.acdContactId }, fetchPolicy: 'network-only' }),
  );
  if (generation !== listGeneration) return;
  const item = contactList.querySelector<HTMLLIElement>(`li[data-row="${row.acdContactId}"]`);
  const button = item?.querySelector<HTMLButtonElement>('button[data-contact]');
  const summary = item?.querySelector<HTMLElement>('[data-row-state]');
  if (item === null || item === undefined || button === null || button === undefined || summary === null || summary === undefined) return;
  item.querySelector('.row-retry')?.remove();
  const contact = result.data?.contact ?? null;
  const recording = contact?.recording ?? null;
  button.classList.remove('loading', 'failed', 'no-permission', 'temporary');
  if (recording !== null) {
    summary.replaceChildren(
      h('span', { class: `badge ${contactKind(recording)}` }, contactKind(recording)),
      ' ',
      h('span', { class: 'when-short' }, recording.startTime === null ? '' : formatDate(recording.startTime)),
      ` · ${formatDuration(recording.durationSeconds)} · ${recording.agents.map((a) => a.name ?? '?').join(', ')}`,
    );
    summary.className = 'summary';
    summary.dataset['rowState'] = 'AVAILABLE';
  } else {
    const errors = errorsAt(result.error, ['contact', 'recording']);
    const allErrors = errors.length > 0 ? errors : errorsAt(result.error, []);
    const state = shownState(contact?.recordingStatus ?? null, allErrors, retryAfterAt(result.error, ['contact', 'recording']));
    summary.className = `row-state ${state.temporary ? 'temporary' : 'final'}`;
    summary.dataset['rowState'] = state.state;
    summary.replaceChildren(h('strong', {}, state.title), state.code === null ? '' : ` · ${state.code}`);
    button.classList.add(state.state === 'FORBIDDEN' ? 'no-permission' : state.temporary ? 'temporary' : 'failed');
    if (state.temporary) {
      const delay = retryDelayMs(state.retryAfterSeconds, attempt);
      const again = () => {
        rowRetries.cancel(row.acdContactId);
        summary.dataset['rowState'] = 'LOADING';
        void loadRow(row, attempt + 1, generation);
      };
      rowRetries.schedule(row.acdContactId, delay, again);
      const retry = h('button', { type: 'button', class: 'row-retry-button', 'data-row-retry': row.acdContactId }, `Retry ${row.customerName}`);
      retry.addEventListener('click', again);
      item.append(h('span', { class: 'row-retry' }, `Trying again ${inSeconds(delay)} · `, retry));
    }
  }
  item.dataset['search'] = button.textContent.toLowerCase();
  applyFilter();
}

function applyFilter(): void {
  const words = filterInput.value.toLowerCase().split(/\s+/).filter((w) => w !== '');
  const items = [...contactList.querySelectorAll<HTMLLIElement>('li[data-search]')];
  let shownCount = 0;
  for (const item of items) {
    const text = item.dataset['search'] ?? '';
    const match = words.every((word) => text.includes(word));
    item.hidden = !match;
    if (match) shownCount += 1;
  }
  filterCount.textContent = words.length === 0 ? `${items.length} contacts` : `${shownCount} of ${items.length} contacts`;
}

filterInput.addEventListener('input', applyFilter);

// ---- one contact ----

let shown: string | undefined;
/** True while the current history entry is one this page pushed (Back then returns to the list). */
let pushedEntry = false;

function setDetailOpen(open: boolean): void {
  document.body.classList.toggle('detail-open', open);
}

function markSelected(acdContactId: string | undefined): void {
  for (const button of contactList.querySelectorAll<HTMLButtonElement>('button[data-contact]')) {
    const selected = button.dataset['contact'] === acdContactId;
    button.classList.toggle('selected', selected);
    if (selected) button.setAttribute('aria-current', 'true');
    else button.removeAttribute('aria-current');
  }
}

/** A user's choice: opens `target` and pushes it onto history, so Back returns to the list. */
function openContact(target: PageTarget, customerName: string | null): Promise<void> {
  if (shown !== target.contact || location.search !== new URL(targetUrl(location.href, target)).search) {
    history.pushState({ contact: target.contact }, '', targetUrl(location.href, target));
    pushedEntry = true;
  }
  return showContact(target, customerName, 0);
}

async function showContact(target: PageTarget, customerName: string | null, attempt: number): Promise<void> {
  const acdContactId = target.contact;
  timers.clear();
  detailRetries.clear();
  if (attempt === 0) currentLinks.clear();
  shown = acdContactId;
  setDetailOpen(true);
  markSelected(acdContactId);
  if (attempt === 0) {
    clear(detail);
    detail.removeAttribute('data-contact');
    detail.removeAttribute('data-refreshes');
    detail.removeAttribute('data-recoveries');
    detail.append(h('p', { class: 'hint' }, 'Loading…'));
  }
  // cache-first the first time: a cached link close to expiry, a temporary state or a null
  // recording read as missing (cache.ts), so this goes to the network whenever the cache cannot
  // tell the truth. A retry always asks the network.
  const result = await settle(() =>
    client.query({
      ...PARTIAL,
      query: RECORDING_DETAIL,
      variables: { acdContactId },
      ...(attempt === 0 ? {} : { fetchPolicy: 'network-only' as const }),
    }),
  );
  if (shown !== acdContactId) return;
  const contact = result.data?.contact ?? null;
  const name = contact?.customerName ?? customerName ?? 'Contact';
  clear(detail);
  detail.dataset['contact'] = acdContactId;
  const heading = h('h2', { tabindex: '-1', id: 'detail-title' }, `${name} · ${acdContactId}`);
  const back = h('button', { type: 'button', class: 'back' }, '← Contacts');
  back.addEventListener('click', () => leaveDetail());
  const copy = h('button', { type: 'button', class: 'copy-link', 'data-copy-link': '' }, 'Copy link');
  copy.addEventListener('click', () => void copyLink({ contact: acdContactId }));
  detail.append(h('div', { class: 'detail-bar' }, back, copy), heading);
  const recording = contact?.recording ?? null;
  if (recording === null) {
    const errors = errorsAt(result.error, ['contact', 'recording']);
    const allErrors = errors.length > 0 ? errors : errorsAt(result.error, []);
    const status = contact?.recordingStatus ?? null;
    const state =
      contact === null && allErrors.length === 0
        ? shownState({ state: 'NOT_FOUND', retryAfterSeconds: null, message: 'The CRM has no contact with this id.' }, [])
        : shownState(status, allErrors, retryAfterAt(result.error, ['contact', 'recording']));
    const message = allErrors[0]?.message ?? status?.message ?? (contact === null ? 'The CRM has no contact with this id.' : null);
    let retry: { atMs: number; run: () => void } | null = null;
    if (state.temporary) {
      const delay = retryDelayMs(state.retryAfterSeconds, attempt);
      const run = () => {
        detailRetries.cancel('recording');
        void showContact(target, name, attempt + 1);
      };
      detailRetries.schedule('recording', delay, run);
      retry = { atMs: Date.now() + delay, run };
    }
    detail.append(stateBox(state, message, retry));
    announce(`${name}: ${state.title.toLowerCase()}${state.temporary ? `, trying again ${inSeconds(retryDelayMs(state.retryAfterSeconds, attempt))}` : ''}`);
  } else {
    const errors = errorsAt(result.error, ['contact', 'recording']);
    if (errors.length > 0) {
      detail.append(h('ul', { class: 'errors' }, ...errors.map((e) => h('li', { class: 'error', 'data-code': e.code }, h('code', {}, e.code), ' ', e.message))));
    }
    renderRecording(recording, name, target);
    scheduleRecordingRefresh(recording);
    announce(`Showing ${name}`);
  }
  // Focus follows the choice: the next Tab reaches the player, not 30 more list entries.
  if (attempt === 0 || !detail.contains(document.activeElement)) heading.focus();
  if (attempt === 0 && window.matchMedia('(max-width: 760px)').matches) window.scrollTo(0, 0);
}

/** The pane's Back: the browser's Back when this page pushed the entry, else a plain close. */
function leaveDetail(): void {
  if (pushedEntry) {
    history.back();
    return;
  }
  history.replaceState(null, '', targetUrl(location.href, null));
  closeDetail();
}

function closeDetail(): void {
  timers.clear();
  detailRetries.clear();
  currentLinks.clear();
  const previous = shown;
  shown = undefined;
  setDetailOpen(false);
  markSelected(undefined);
  clear(detail);
  detail.append(h('p', { class: 'hint' }, 'Pick a contact.'));
  if (previous !== undefined) contactList.querySelector<HTMLButtonElement>(`button[data-contact="${previous}"]`)?.focus();
}

window.addEventListener('popstate', () => {
  const target = parseTarget(location.search);
  pushedEntry = target !== null && history.state !== null;
  if (target === null) closeDetail();
  else void showContact(target, null, 0);
});

/** Copies the page's address of `target` (never a media link, never the demo user). */
async function copyLink(target: PageTarget): Promise<void> {
  const url = targetUrl(location.href, target, false);
  detail.dataset['copiedLink'] = url;
  try {
    await navigator.clipboard.writeText(url);
    announce(`Link copied: ${url}`);
  } catch {
    announce(`Copy this link: ${url}`);
  }
}

function scheduleRecordingRefresh(recording: RecordingData): void {
  timers.schedule('recording', [recording.mediaUrl, recording.screenUrl], () => void refreshRecording(recording.acdContactId, 0));
}

/**
 * Refetches the contact's links before they expire and swaps them into the players. A refetch
 * that fails (offline, CXone down) is retried with backoff, and at once when the browser is back
 * online, so the next play has a working link.
 */
async function refreshRecording(acdContactId: string, attempt: number): Promise<void> {
  const result = await settle(() =>
    client.query({ ...PARTIAL, query: RECORDING_DETAIL, variables: { acdContactId }, fetchPolicy: 'network-only' }),
  );
  if (shown !== acdContactId) return;
  const recording = result.data?.contact?.recording ?? null;
  if (recording === null) {
    const errors = errorsAt(result.error, ['contact', 'recording']);
    const all = errors.length > 0 ? errors : errorsAt(result.error, []);
    const delay = retryDelayMs(retryAfterAt(result.error, ['contact', 'recording']), attempt);
    detail.dataset['refreshFailures'] = String(Number(detail.dataset['refreshFailures'] ?? '0') + 1);
    announce(`Refreshing links failed (${all.map((e) => e.code).join(', ') || 'no recording'}); trying again ${inSeconds(delay)}`);
    detailRetries.schedule('refresh', delay, () => void refreshRecording(acdContactId, attempt + 1));
    return;
  }
  applyFreshLinks(recording);
  announce(`Links refreshed at ${new Date().toISOString().slice(11, 19)} UTC`);
}

function applyFreshLinks(recording: RecordingData): void {
  updateFigure('primary', recording.mediaUrl);
  updateFigure('screen', recording.screenUrl);
  detail.dataset['refreshes'] = String(Number(detail.dataset['refreshes'] ?? '0') + 1);
  scheduleRecordingRefresh(recording);
}

/**
 * A player's link failed: `recording(refresh: true)` asks CXone anew (bounded per caller and
 * contact by the subgraph). Resolves to the new link of `key`, or throws with the error codes.
 */
function freshRecordingLink(acdContactId: string, key: 'primary' | 'screen'): FreshLink {
  return async () => {
    const result = await client.query({
      ...PARTIAL,
      query: RECORDING_DETAIL,
      variables: { acdContactId, refresh: true },
      fetchPolicy: 'network-only',
    });
    const recording = result.data?.contact?.recording ?? null;
    if (recording === null) {
      const errors = errorsAt(result.error, ['contact', 'recording']);
      const all = errors.length > 0 ? errors : errorsAt(result.error, []);
      throw new Error(all.map((e) => `${e.code} ${e.message}`).join('; ') || 'no recording');
    }
    const link = key === 'primary' ? recording.mediaUrl : recording.screenUrl;
    if (shown === acdContactId) {
      // The other player (screen or primary) gets the new links too; then the timers restart.
      updateFigure(key === 'primary' ? 'screen' : 'primary', key === 'primary' ? recording.screenUrl : recording.mediaUrl);
      if (link !== null) {
        currentLinks.set(key, link);
        showValidity(key, link);
      }
      detail.dataset['refreshes'] = String(Number(detail.dataset['refreshes'] ?? '0') + 1);
      scheduleRecordingRefresh(recording);
    }
    return link;
  };
}

/** Null sentiments/categories: the token lacks the permission, or CXone has none for this kind of contact. */
const NOT_RETURNED = "not returned (no 'View sentiments and categories' permission, or none for this contact)";

function renderRecording(recording: RecordingData, customerName: string, target: PageTarget): void {
  const id = recording.acdContactId;
  const players = h('div', { class: 'players', id: 'player' });
  if (recording.mediaUrl !== null) {
    players.append(
      mediaFigure({
        key: 'primary',
        label: 'Recording',
        accessibleName: `Recording of ${customerName}, contact ${id}`,
        link: recording.mediaUrl,
        downloadPageUrl: recording.downloadUrl,
        freshLink: freshRecordingLink(id, 'primary'),
      }),
    );
  }
  if (recording.screenUrl !== null) {
    players.append(
      mediaFigure({
        key: 'screen',
        label: 'Screen',
        accessibleName: `Screen recording of ${customerName}, contact ${id}`,
        link: recording.screenUrl,
        downloadPageUrl: null,
        freshLink: freshRecordingLink(id, 'screen'),
      }),
    );
  }
  if (players.childElementCount === 0) players.append(h('p', { class: 'hint' }, 'No playable file for this contact.'));
  const facts = h(
    'dl',
    { class: 'facts' },
    h('dt', {}, 'Start'),
    h('dd', {}, recording.startTime === null ? '—' : formatTime(recording.startTime)),
    h('dt', {}, 'Duration'),
    h('dd', {}, formatDuration(recording.durationSeconds)),
    h('dt', {}, 'Agents'),
    h('dd', {}, recording.agents.map((a) => a.name ?? '?').join(', ') || '—'),
    h('dt', {}, 'Tags'),
    h('dd', {}, recording.tags.join(', ') || '—'),
    h('dt', {}, 'Sentiments'),
    h('dd', {}, recording.sentiments === null ? NOT_RETURNED : recording.sentiments.map((s) => s.overallSentiment).join(', ') || 'none'),
    h('dt', {}, 'Categories'),
    h(
      'dd',
      {},
      recording.categories === null
        ? NOT_RETURNED
        : recording.categories.map((c) => c.categoryHierarchy.join(' › ')).join('; ') || 'none',
    ),
    h('dt', {}, 'CXone'),
    h('dd', {}, h('a', { href: recording.playerUrl, target: '_blank', rel: 'noreferrer', 'data-player-page': '' }, 'CXone player page')),
  );
  const clipNote = h('p', { class: 'clip-note', 'data-clip-note': '', hidden: '' });
  // A voice call's transcript (Interaction Analytics) follows the player: demo/src/transcript.ts.
  const transcript =
    recording.transcript === null || recording.transcript.kind === 'VOICE'
      ? voiceTranscriptSection({ client, acdContactId: id, durationSeconds: recording.durationSeconds, player: primaryPlayer })
      : renderTranscript(recording);
  detail.append(
    clipNote,
    players,
    shortcutsNote(),
    facts,
    renderTimeline(recording, target.segment),
    transcript,
    renderStatementsForm(id, customerName, target.statement),
  );
  const primary = primaryPlayer();
  if (primary !== null) watchClipLength(primary, recording, clipNote);
}

/**
 * The simulator serves one short sample clip for every recording (generating a valid mp4 as long
 * as each contact on the fly is out of scope), so the page says when the file is shorter than the
 * contact instead of letting a 4:00 call end after 3 seconds unexplained. On a real tenant the file
 * lasts the contact and the note stays hidden.
 */
function watchClipLength(player: HTMLMediaElement, recording: RecordingData, note: HTMLElement): void {
  const check = () => {
    const contact = recording.durationSeconds;
    if (contact === null || !Number.isFinite(player.duration)) return;
    if (Math.abs(contact - player.duration) <= 2) {
      note.hidden = true;
      return;
    }
    note.textContent =
      `This file plays ${formatDuration(player.duration)}, but CXone reports the contact lasted ${formatDuration(contact)}: ` +
      'the demo simulator serves one short sample clip for every recording. The timeline maps the file onto the contact.';
    note.hidden = false;
  };
  player.addEventListener('loadedmetadata', check);
  check();
}

// ---- timeline ----

function renderTimeline(recording: RecordingData, openSegment: string | undefined): HTMLElement {
  const section = h('section', { class: 'segments', 'aria-labelledby': 'timeline-title' }, h('h3', { id: 'timeline-title' }, `Timeline (${recording.segments.length} ${recording.segments.length === 1 ? 'segment' : 'segments'})`));
  const times = recording.segments.flatMap((s) => [s.startTime, s.endTime]).filter((t): t is string => t !== null).map(Date.parse);
  const start = recording.startTime === null ? Math.min(...times) : Date.parse(recording.startTime);
  const end = recording.endTime === null ? Math.max(...times) : Date.parse(recording.endTime);
  const span = end - start;
  if (!Number.isFinite(span) || recording.segments.length === 0) {
    section.append(h('p', { class: 'hint' }, 'No segment times.'));
    return section;
  }
  const track = h('div', { class: 'timeline' });
  const playhead = h('div', { class: 'playhead', 'aria-hidden': 'true', style: 'left:0%' });
  const list = h('ol', { class: 'segment-list' });
  const bounds = recording.segments.map((segment) => {
    const from = segment.startTime === null ? start : Date.parse(segment.startTime);
    const to = segment.endTime === null ? end : Date.parse(segment.endTime);
    return { from: span > 0 ? (from - start) / span : 0, to: span > 0 ? (to - start) / span : 1 };
  });
  /** Seeks the primary player to a segment's start (as soon as it knows its length). */
  const seekTo = (from: number, play: boolean) => {
    const player = primaryPlayer();
    if (player === null) return;
    const go = () => {
      // The timeline is the contact; the file is mapped onto it by fraction (see watchClipLength).
      player.currentTime = from * player.duration;
      if (play) void player.play().catch(() => undefined);
    };
    if (Number.isFinite(player.duration)) go();
    else player.addEventListener('loadedmetadata', go, { once: true });
  };
  recording.segments.forEach((segment: SegmentData, index) => {
    const { from, to } = bounds[index] ?? { from: 0, to: 1 };
    const agents = segment.agents.map((a) => a.name ?? '?').join(', ') || 'no agent';
    const when = `${segment.startTime === null ? '?' : formatClock(segment.startTime)}–${segment.endTime === null ? '?' : formatClock(segment.endTime)} UTC`;
    const length =
      segment.startTime !== null && segment.endTime !== null
        ? ` (${formatDuration((Date.parse(segment.endTime) - Date.parse(segment.startTime)) / 1000)})`
        : '';
    const visible = `${index + 1} · ${agents}`;
    const button = h(
      'button',
      {
        type: 'button',
        class: `segment s${index % 4}`,
        'data-segment': segment.segmentId,
        style: `left:${(from * 100).toFixed(2)}%;width:${(Math.max(to - from, 0.01) * 100).toFixed(2)}%`,
        // The visible text first (WCAG 2.5.3, label in name), then what a click does.
        'aria-label': `${visible}: play segment ${index + 1} from its start, ${when}`,
      },
      visible,
    );
    button.addEventListener('click', () => seekTo(from, true));
    track.append(button);
    const share = h('button', { type: 'button', class: 'link-button', 'data-copy-segment': segment.segmentId }, `Copy link to segment ${index + 1}`);
    share.addEventListener('click', () => void copyLink({ contact: recording.acdContactId, segment: segment.segmentId }));
    list.append(
      h(
        'li',
        { 'data-segment-detail': segment.segmentId },
        h('strong', {}, agents),
        ` · ${when}${length} · ${[segment.direction, segment.channelType].filter((v) => v !== null).join(' ') || '—'}` +
          ` · opened by ${segment.openReason ?? '?'}, closed by ${segment.closeReason ?? '?'} `,
        share,
      ),
    );
  });
  track.append(playhead);
  section.append(track, list);
  // The playhead and the current segment follow the primary player.
  queueMicrotask(() => {
    const player = primaryPlayer();
    if (player === null) return;
    const follow = () => {
      const fraction = Number.isFinite(player.duration) && player.duration > 0 ? player.currentTime / player.duration : 0;
      playhead.style.left = `${(Math.min(fraction, 1) * 100).toFixed(2)}%`;
      const current = bounds.findIndex((b, i) => fraction >= b.from && (fraction < b.to || i === bounds.length - 1));
      track.querySelectorAll('.segment').forEach((el, i) => el.setAttribute('aria-current', String(i === current)));
      list.querySelectorAll('li').forEach((el, i) => el.setAttribute('aria-current', String(i === current)));
      playhead.dataset['fraction'] = fraction.toFixed(3);
    };
    for (const type of ['timeupdate', 'seeked', 'loadedmetadata', 'ended']) player.addEventListener(type, follow);
    follow();
    // A link to a segment opens the contact there.
    const linked = openSegment === undefined ? -1 : recording.segments.findIndex((s) => s.segmentId === openSegment);
    const bound = bounds[linked];
    if (bound !== undefined) {
      seekTo(bound.from, false);
      announce(`Showing segment ${linked + 1}`);
    }
  });
  return section;
}

// ---- transcript ----

function renderTranscript(recording: RecordingData): HTMLElement {
  const transcript = recording.transcript;
  const section = h('section', { class: 'transcript' });
  if (transcript === null) {
    section.append(h('h3', {}, 'Transcript'), h('p', { class: 'hint' }, 'Voice contact: no transcript.'));
    return section;
  }
  if (transcript.kind === 'EMAIL' && transcript.email !== null) {
    const email = transcript.email;
    section.append(
      h('h3', {}, 'Email'),
      h(
        'dl',
        { class: 'facts email' },
        h('dt', {}, 'From'),
        h('dd', {}, email.from ?? '—'),
        h('dt', {}, 'To'),
        h('dd', {}, email.to.join(', ') || '—'),
        h('dt', {}, 'Cc'),
        h('dd', {}, email.cc.join(', ') || '—'),
        h('dt', {}, 'Subject'),
        h('dd', {}, email.subject ?? '—'),
        h('dt', {}, 'Sent'),
        h('dd', {}, email.sentTime === null ? '—' : formatTime(email.sentTime)),
      ),
      h('pre', { class: 'email-body' }, email.body ?? ''),
    );
    return section;
  }
  section.append(h('h3', {}, `Chat (${transcript.messages.length} messages)`));
  if (transcript.messages.length === 0) {
    section.append(h('p', { class: 'hint' }, 'CXone keeps no transcript for digital-first chats.'));
  }
  section.append(
    h(
      'ol',
      { class: 'messages' },
      ...transcript.messages.map((m) =>
        h(
          'li',
          { class: `message ${m.participantType.toLowerCase()}` },
          h('span', { class: 'who' }, m.participantName ?? m.participantType),
          h('span', { class: 'when' }, m.timestamp === null ? '' : formatTime(m.timestamp)),
          h('p', {}, m.text),
        ),
      ),
    ),
  );
  return section;
}

// ---- statements ----

function renderStatementsForm(acdContactId: string, customerName: string, openStatement: string | undefined): HTMLElement {
  // Empty: statement ids belong to one contact; CXone has no call that lists them.
  const input = h('input', { name: 'statementIds', value: openStatement ?? '', size: '16', placeholder: 'e.g. 5001, 5002', id: 'statement-ids' });
  const results = h('div', { class: 'statement-results' });
  const form = h(
    'form',
    { class: 'statements-form' },
    h('label', { for: 'statement-ids' }, 'Statement ids '),
    input,
    ' ',
    h('button', { type: 'submit' }, 'Load statements'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const ids = input.value.split(/[\s,]+/).filter((id) => id !== '');
    if (ids.length === 0) {
      clear(results);
      results.append(h('p', { class: 'hint' }, 'Enter one or more statement ids of this contact.'));
      return;
    }
    void loadStatements(acdContactId, customerName, ids, results, 'show');
  });
  // A link to a statement opens it at once.
  if (openStatement !== undefined) queueMicrotask(() => void loadStatements(acdContactId, customerName, [openStatement], results, 'show'));
  return h(
    'section',
    { class: 'statements' },
    h('h3', {}, 'Statements'),
    h('p', { class: 'hint' }, 'Recorded statements of this contact, by the ids your CXone workflow gave them.'),
    form,
    results,
  );
}

/**
 * 'show' renders the statements; 'renew' refetches their links before they expire (network-only);
 * 'refresh' asks for new links after one failed (`mediaUrl(refresh: true)`, bounded by the subgraph).
 */
async function loadStatements(
  acdContactId: string,
  customerName: string,
  statementIds: string[],
  target: HTMLElement,
  mode: 'show' | 'renew' | 'refresh',
  attempt = 0,
): Promise<StatementData[]> {
  const result = await settle(() =>
    client.query({
      ...PARTIAL,
      query: RECORDING_STATEMENTS,
      variables: { acdContactId, statementIds, refresh: mode === 'refresh' },
      ...(mode === 'show' ? {} : { fetchPolicy: 'network-only' as const }),
    }),
  );
  if (shown !== acdContactId) return [];
  const statements = (result.data?.recording?.statements ?? []).filter((s): s is StatementData => s !== null);
  const renew = () => void loadStatements(acdContactId, customerName, statementIds, target, 'renew');
  if (mode !== 'show') {
    for (const statement of statements) updateFigure(`statement-${statement.statementId}`, statement.mediaUrl);
    if (statements.length === 0 && mode === 'renew') {
      // A renewal that failed is retried with backoff, as the recording's.
      detailRetries.schedule('statements', retryDelayMs(null, attempt), () =>
        void loadStatements(acdContactId, customerName, statementIds, target, 'renew', attempt + 1),
      );
      return [];
    }
  } else {
    clear(target);
    const topErrors = result.data?.recording === null || result.data === undefined ? errorsAt(result.error, ['recording']) : [];
    if (topErrors.length > 0) {
      const state = shownState(null, topErrors, retryAfterAt(result.error, ['recording']));
      target.append(stateBox(state, topErrors[0]?.message ?? null, null));
    }
    statementIds.forEach((statementId, index) => {
      const statement = result.data?.recording?.statements[index] ?? null;
      const errors = errorsAt(result.error, ['recording', 'statements', index]);
      const share = h('button', { type: 'button', class: 'link-button', 'data-copy-statement': statementId }, `Copy link to statement ${statementId}`);
      share.addEventListener('click', () => void copyLink({ contact: acdContactId, statement: statementId }));
      const item = h('div', { class: 'statement', 'data-statement': statementId }, h('h4', {}, `Statement ${statementId}`), share);
      if (statement?.mediaUrl) {
        item.append(
          mediaFigure({
            key: `statement-${statementId}`,
            label: `Statement ${statementId}`,
            accessibleName: `Statement ${statementId} of ${customerName}, contact ${acdContactId}`,
            link: statement.mediaUrl,
            downloadPageUrl: statement.downloadUrl,
            freshLink: async () => {
              const again = await loadStatements(acdContactId, customerName, statementIds, target, 'refresh');
              return again.find((s) => s.statementId === statementId)?.mediaUrl ?? null;
            },
          }),
        );
      }
      if (errors.length > 0) item.append(stateBox(shownState(null, errors), errors[0]?.message ?? null, null));
      target.append(item);
    });
  }
  timers.schedule('statements', statements.map((s) => s.mediaUrl), renew);
  return statements;
}

// The skip link lands on the player when one is shown (on the detail pane otherwise).
skipLink.addEventListener('click', (event) => {
  event.preventDefault();
  const player = primaryPlayer();
  if (player !== null) player.focus();
  else {
    detail.setAttribute('tabindex', '-1');
    detail.focus();
  }
});

// ---- token ----

tokenSelect.addEventListener('change', () => {
  if (isDemoUser(tokenSelect.value)) user = tokenSelect.value;
  timers.clear();
  detailRetries.clear();
  if (shown !== undefined) history.replaceState(null, '', targetUrl(location.href, null));
  pushedEntry = false;
  shown = undefined;
  setDetailOpen(false);
  clear(detail);
  detail.append(h('p', { class: 'hint' }, 'Pick a contact.'));
  // What one token was granted must not show under another: drop the whole cache.
  void client.clearStore().then(loadContacts);
});

// ---- start: the list, and the recording a link names ----

const initialTarget = parseTarget(location.search);
void loadContacts();
if (initialTarget !== null) {
  // The list under the linked recording, so Back (a phone's too) returns to it, not out of the app.
  history.replaceState(null, '', targetUrl(location.href, null));
  void openContact(initialTarget, null);
}
