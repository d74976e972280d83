/**
 * The player page: contacts from the CRM with their recordings, one contact's player with a
 * timeline tied to it, transcript and statements. Apollo Client core, no UI framework. Links are
 * kept alive by link-refresh.ts: refetched before they expire and swapped in place; a link that
 * fails anyway is replaced through `recording(refresh: true)`, or an error with Retry is shown.
 */
import { ApolloClient, ApolloLink, CombinedGraphQLErrors, HttpLink } from '@apollo/client';
import { createCache } from './cache.js';
import { h, clear, formatClock, formatDate, formatDuration, formatTime } from './dom.js';
import { RefreshTimers, recoverDeadLink, swapSource } from './link-refresh.js';
import { voiceTranscriptSection } from './transcript.js';
import { DEMO_TOKENS } from '../../src/simulator/demo-tokens.js';
import {
  CONTACT_LIST,
  RECORDING_DETAIL,
  RECORDING_STATEMENTS,
  type ContactRow,
  type MediaLink,
  type RecordingData,
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

// ---- errors ----

interface ShownError {
  readonly code: string;
  readonly message: string;
}

/** The errors of a result located at or under `prefix` (e.g. ['contacts', 3]); a network error counts everywhere. */
function errorsAt(error: unknown, prefix: ReadonlyArray<string | number>): ShownError[] {
  if (error === undefined || error === null) return [];
  if (!CombinedGraphQLErrors.is(error)) {
    return [{ code: 'NETWORK', message: error instanceof Error ? error.message : String(error) }];
  }
  return error.errors
    .filter((e) => prefix.every((part, index) => e.path?.[index] === part))
    .map((e) => ({ code: String(e.extensions?.['code'] ?? 'ERROR'), message: e.message }));
}

/** "No permission" and "no recording" are answers, not failures: shown apart from real errors. */
function errorKind(code: string): 'no-permission' | 'none' | 'error' {
  if (code === 'FORBIDDEN') return 'no-permission';
  if (code === 'RECORDING_NOT_FOUND' || code === 'NO_RECORDING') return 'none';
  return 'error';
}

const KIND_LABEL = { 'no-permission': 'No permission', none: 'No recording', error: 'Error' } as const;

function errorList(errors: readonly ShownError[]): HTMLElement {
  return h(
    'ul',
    { class: 'errors' },
    ...errors.map((e) => {
      const kind = errorKind(e.code);
      return h(
        'li',
        { class: kind === 'error' ? 'error' : `notice ${kind}`, 'data-code': e.code, 'data-kind': kind },
        h('strong', {}, `${KIND_LABEL[kind]}: `),
        h('code', {}, e.code),
        ' ',
        e.message,
      );
    }),
  );
}

// ---- playback speed: one choice for every player, kept across links, contacts and visits ----

const SPEEDS = [0.5, 0.75, 1, 1.25, 1.5, 1.75, 2] as const;
const SPEED_KEY = 'cxone-demo-speed';

function storedSpeed(): number {
  const value = Number(localStorage.getItem(SPEED_KEY));
  return (SPEEDS as readonly number[]).includes(value) ? value : 1;
}

let speed = storedSpeed();

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

/** The primary player of the shown contact (keyboard shortcuts, timeline and skip link act on it). */
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

/** Asks the API for a fresh link for a player whose link failed; resolves to the new url or null. */
type FreshLink = () => Promise<string | null>;

interface FigureOptions {
  readonly key: string;
  readonly label: string;
  readonly accessibleName: string;
  readonly link: MediaLink;
  readonly downloadUrl: string | null;
  readonly freshLink: FreshLink;
}

function mediaFigure(options: FigureOptions): HTMLElement {
  const { key, link } = options;
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
  const errorBox = h('div', { class: 'media-error', role: 'alert', 'data-media-error': key, hidden: '' }, problem, ' ', retry);

  let recovering = false;
  const recover = async (): Promise<void> => {
    if (recovering) return;
    recovering = true;
    const failedUrl = player.src;
    announce(`${options.label}: the link failed, asking for a fresh one…`);
    const recovery = await recoverDeadLink(failedUrl, options.freshLink);
    recovering = false;
    if (!player.isConnected) return;
    if (recovery.kind === 'recovered') {
      errorBox.hidden = true;
      replaceLink(player, recovery.url);
      announce(`${options.label}: fresh link loaded`);
      return;
    }
    problem.textContent =
      recovery.kind === 'same-link'
        ? `${options.label} could not be loaded, and the server has no newer link yet (it renews a contact's links at most every 30 seconds). Retry in a moment.`
        : `${options.label} could not be loaded, and asking for a fresh link failed: ${recovery.reason}`;
    errorBox.hidden = false;
    announce(`${options.label}: playback failed`);
  };
  // A link that died anyway (revoked, or a sleeping laptop missed the timer): ask for a fresh one.
  player.addEventListener('error', () => void recover());
  retry.addEventListener('click', () => void recover());

  const back = h('button', { type: 'button', 'aria-label': 'Back 10 seconds' }, '−10 s');
  back.addEventListener('click', () => skip(player, -10));
  const forward = h('button', { type: 'button', 'aria-label': 'Forward 10 seconds' }, '+10 s');
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
  const controls = h('div', { class: 'controls' }, back, forward, h('label', {}, 'Speed ', speedSelect));
  if (options.downloadUrl !== null) {
    controls.append(
      h('a', { class: 'button', href: options.downloadUrl, target: '_blank', rel: 'noreferrer', 'data-download': key }, 'Download'),
    );
  }
  return h(
    'figure',
    { class: 'media' },
    player,
    controls,
    errorBox,
    h(
      'figcaption',
      {},
      `${options.label}: ${link.fileName ?? link.mediaType ?? 'media'} · link valid until `,
      h('time', { 'data-expires': key }, formatTime(link.expiresAt)),
    ),
  );
}

function replaceLink(player: HTMLMediaElement, url: string): void {
  if (swapSource(player, url)) {
    player.dataset['generation'] = String(Number(player.dataset['generation'] ?? '1') + 1);
  }
}

function updateFigure(key: string, link: MediaLink | null): void {
  const player = detail.querySelector<HTMLMediaElement>(`[data-media="${key}"]`);
  if (player === null || link === null) return;
  replaceLink(player, link.url);
  const expires = detail.querySelector<HTMLElement>(`[data-expires="${key}"]`);
  if (expires !== null) expires.textContent = formatTime(link.expiresAt);
}

// ---- contact list ----

function contactKind(row: ContactRow): string {
  if (row.recording === null) return '';
  return row.recording.transcript?.kind.toLowerCase() ?? 'voice';
}

async function loadContacts(): Promise<void> {
  announce('Loading contacts…');
  clear(contactList);
  const result = await client.query({ ...PARTIAL, query: CONTACT_LIST, variables: { first: 50 }, fetchPolicy: 'network-only' });
  const rows = result.data?.contacts ?? [];
  const listErrors = errorsAt(result.error, []).filter((e) => e.code === 'NETWORK' || rows.length === 0);
  if (listErrors.length > 0) contactList.append(errorList(listErrors));
  const list = h('ul', { class: 'contact-list' });
  rows.forEach((row, index) => {
    const rowErrors = errorsAt(result.error, ['contacts', index]);
    const recording = row.recording;
    const kinds = recording === null ? rowErrors.map((e) => errorKind(e.code)) : [];
    const rowKind = kinds.includes('error') ? 'failed' : kinds.includes('no-permission') ? 'no-permission' : recording === null ? 'failed' : '';
    const summary =
      recording === null
        ? errorList(rowErrors.length > 0 ? rowErrors : [{ code: 'NO_RECORDING', message: 'No recording.' }])
        : h(
            'span',
            { class: 'summary' },
            h('span', { class: `badge ${contactKind(row)}` }, contactKind(row)),
            ' ',
            h('span', { class: 'when-short' }, recording.startTime === null ? '' : formatDate(recording.startTime)),
            ` · ${formatDuration(recording.durationSeconds)} · ${recording.agents.map((a) => a.name ?? '?').join(', ')}`,
          );
    const button = h(
      'button',
      { type: 'button', 'data-contact': row.acdContactId, class: rowKind },
      h('strong', {}, row.customerName),
      h('span', { class: 'id' }, ` ${row.acdContactId} · ${row.subject}`),
      h('br', {}),
      summary,
    );
    button.addEventListener('click', () => void showContact(row.acdContactId, row.customerName));
    list.append(h('li', { 'data-search': button.textContent.toLowerCase() }, button));
  });
  contactList.append(list);
  applyFilter();
  announce(`${rows.length} contacts`);
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

function setDetailOpen(open: boolean): void {
  document.body.classList.toggle('detail-open', open);
}

async function showContact(acdContactId: string, customerName: string): Promise<void> {
  timers.clear();
  shown = acdContactId;
  setDetailOpen(true);
  for (const button of contactList.querySelectorAll<HTMLButtonElement>('button[data-contact]')) {
    button.classList.toggle('selected', button.dataset['contact'] === acdContactId);
    if (button.dataset['contact'] === acdContactId) button.setAttribute('aria-current', 'true');
    else button.removeAttribute('aria-current');
  }
  clear(detail);
  detail.removeAttribute('data-contact');
  detail.removeAttribute('data-refreshes');
  detail.append(h('p', { class: 'hint' }, 'Loading…'));
  // cache-first: a cached link close to expiry reads as missing (see cache.ts), so this goes to
  // the network whenever the cached links would not play long enough.
  const result = await client.query({ ...PARTIAL, query: RECORDING_DETAIL, variables: { acdContactId } });
  if (shown !== acdContactId) return;
  clear(detail);
  detail.dataset['contact'] = acdContactId;
  const heading = h('h2', { tabindex: '-1', id: 'detail-title' }, `${customerName} · ${acdContactId}`);
  const back = h('button', { type: 'button', class: 'back' }, '← Contacts');
  back.addEventListener('click', () => closeDetail());
  detail.append(back, heading);
  const recording = result.data?.recording ?? null;
  const errors = errorsAt(result.error, ['recording']);
  if (recording === null) {
    detail.append(errorList(errors.length > 0 ? errors : [{ code: 'NO_RECORDING', message: 'No recording.' }]));
    announce(`${customerName}: ${KIND_LABEL[errorKind(errors[0]?.code ?? 'NO_RECORDING')].toLowerCase()}`);
  } else {
    if (errors.length > 0) detail.append(errorList(errors));
    renderRecording(recording, customerName);
    scheduleRecordingRefresh(recording);
    announce(`Showing ${customerName}`);
  }
  // Focus follows the choice: the next Tab reaches the player, not 30 more list entries.
  heading.focus();
  if (window.matchMedia('(max-width: 760px)').matches) window.scrollTo(0, 0);
}

function closeDetail(): void {
  timers.clear();
  const previous = shown;
  shown = undefined;
  setDetailOpen(false);
  clear(detail);
  detail.append(h('p', { class: 'hint' }, 'Pick a contact.'));
  if (previous !== undefined) contactList.querySelector<HTMLButtonElement>(`button[data-contact="${previous}"]`)?.focus();
}

function scheduleRecordingRefresh(recording: RecordingData): void {
  timers.schedule('recording', [recording.mediaUrl, recording.screenUrl], () => void refreshRecording(recording.acdContactId));
}

/** Refetches the contact's links before they expire and swaps them into the players. */
async function refreshRecording(acdContactId: string): Promise<void> {
  const result = await client.query({ ...PARTIAL, query: RECORDING_DETAIL, variables: { acdContactId }, fetchPolicy: 'network-only' });
  if (shown !== acdContactId) return;
  const recording = result.data?.recording ?? null;
  if (recording === null) {
    announce(`Refreshing links failed: ${errorsAt(result.error, ['recording']).map((e) => e.code).join(', ')}`);
    timers.schedule('recording', [], () => undefined);
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
    const recording = result.data?.recording ?? null;
    if (recording === null) {
      throw new Error(errorsAt(result.error, ['recording']).map((e) => `${e.code} ${e.message}`).join('; ') || 'no recording');
    }
    if (shown === acdContactId) {
      // The other player (screen or primary) gets the new links too; then the timers restart.
      updateFigure(key === 'primary' ? 'screen' : 'primary', key === 'primary' ? recording.screenUrl : recording.mediaUrl);
      const expires = detail.querySelector<HTMLElement>(`[data-expires="${key}"]`);
      const link = key === 'primary' ? recording.mediaUrl : recording.screenUrl;
      if (expires !== null && link !== null) expires.textContent = formatTime(link.expiresAt);
      detail.dataset['refreshes'] = String(Number(detail.dataset['refreshes'] ?? '0') + 1);
      scheduleRecordingRefresh(recording);
    }
    return (key === 'primary' ? recording.mediaUrl : recording.screenUrl)?.url ?? null;
  };
}

/** Null sentiments/categories: the token lacks the permission, or CXone has none for this kind of contact. */
const NOT_RETURNED = "not returned (no 'View sentiments and categories' permission, or none for this contact)";

function renderRecording(recording: RecordingData, customerName: string): void {
  const id = recording.acdContactId;
  const players = h('div', { class: 'players', id: 'player' });
  if (recording.mediaUrl !== null) {
    players.append(
      mediaFigure({
        key: 'primary',
        label: 'Recording',
        accessibleName: `Recording of ${customerName}, contact ${id}`,
        link: recording.mediaUrl,
        downloadUrl: recording.downloadUrl,
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
        downloadUrl: null,
        freshLink: freshRecordingLink(id, 'screen'),
      }),
    );
  }
  if (players.childElementCount === 0) players.append(h('p', { class: 'hint' }, 'No playable file for this contact.'));
  const shortcuts = h(
    'p',
    { class: 'shortcuts' },
    'Keys: ',
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
  detail.append(clipNote, players, shortcuts, facts, renderTimeline(recording), transcript, renderStatementsForm(id, customerName));
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

function renderTimeline(recording: RecordingData): HTMLElement {
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
  recording.segments.forEach((segment: SegmentData, index) => {
    const { from, to } = bounds[index] ?? { from: 0, to: 1 };
    const agents = segment.agents.map((a) => a.name ?? '?').join(', ') || 'no agent';
    const when = `${segment.startTime === null ? '?' : formatClock(segment.startTime)}–${segment.endTime === null ? '?' : formatClock(segment.endTime)} UTC`;
    const length =
      segment.startTime !== null && segment.endTime !== null
        ? ` (${formatDuration((Date.parse(segment.endTime) - Date.parse(segment.startTime)) / 1000)})`
        : '';
    const button = h(
      'button',
      {
        type: 'button',
        class: `segment s${index % 4}`,
        'data-segment': segment.segmentId,
        style: `left:${(from * 100).toFixed(2)}%;width:${(Math.max(to - from, 0.01) * 100).toFixed(2)}%`,
        'aria-label': `Play segment ${index + 1} from its start: ${agents}, ${when}`,
      },
      `${index + 1} · ${agents}`,
    );
    button.addEventListener('click', () => {
      const player = primaryPlayer();
      if (player === null || !Number.isFinite(player.duration)) return;
      // The timeline is the contact; the file is mapped onto it by fraction (see watchClipLength).
      player.currentTime = from * player.duration;
      void player.play().catch(() => undefined);
    });
    track.append(button);
    list.append(
      h(
        'li',
        { 'data-segment-detail': segment.segmentId },
        h('strong', {}, agents),
        ` · ${when}${length} · ${[segment.direction, segment.channelType].filter((v) => v !== null).join(' ') || '—'}` +
          ` · opened by ${segment.openReason ?? '?'}, closed by ${segment.closeReason ?? '?'}`,
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

function renderStatementsForm(acdContactId: string, customerName: string): HTMLElement {
  // Empty: statement ids belong to one contact; CXone has no call that lists them.
  const input = h('input', { name: 'statementIds', value: '', size: '16', placeholder: 'e.g. 5001, 5002', id: 'statement-ids' });
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
    void loadStatements(acdContactId, customerName, ids, results);
  });
  return h(
    'section',
    { class: 'statements' },
    h('h3', {}, 'Statements'),
    h('p', { class: 'hint' }, 'Recorded statements of this contact, by the ids your CXone workflow gave them.'),
    form,
    results,
  );
}

async function loadStatements(
  acdContactId: string,
  customerName: string,
  statementIds: string[],
  target: HTMLElement,
  refresh = false,
): Promise<StatementData[]> {
  const result = await client.query({
    ...PARTIAL,
    query: RECORDING_STATEMENTS,
    variables: { acdContactId, statementIds },
    ...(refresh ? { fetchPolicy: 'network-only' as const } : {}),
  });
  if (shown !== acdContactId) return [];
  const statements = (result.data?.recording?.statements ?? []).filter((s): s is StatementData => s !== null);
  if (refresh) {
    for (const statement of statements) updateFigure(`statement-${statement.statementId}`, statement.mediaUrl);
  } else {
    clear(target);
    const topErrors = result.data?.recording === null || result.data === undefined ? errorsAt(result.error, ['recording']) : [];
    if (topErrors.length > 0) target.append(errorList(topErrors));
    statementIds.forEach((statementId, index) => {
      const statement = result.data?.recording?.statements[index] ?? null;
      const errors = errorsAt(result.error, ['recording', 'statements', index]);
      const item = h('div', { class: 'statement', 'data-statement': statementId }, h('h4', {}, `Statement ${statementId}`));
      if (statement?.mediaUrl) {
        item.append(
          mediaFigure({
            key: `statement-${statementId}`,
            label: `Statement ${statementId}`,
            accessibleName: `Statement ${statementId} of ${customerName}, contact ${acdContactId}`,
            link: statement.mediaUrl,
            downloadUrl: statement.downloadUrl,
            // Statements have no refresh argument: a network-only refetch gets the subgraph's link.
            freshLink: async () => {
              const again = await loadStatements(acdContactId, customerName, statementIds, target, true);
              return again.find((s) => s.statementId === statementId)?.mediaUrl?.url ?? null;
            },
          }),
        );
      }
      if (errors.length > 0) item.append(errorList(errors));
      target.append(item);
    });
  }
  timers.schedule('statements', statements.map((s) => s.mediaUrl), () =>
    void loadStatements(acdContactId, customerName, statementIds, target, true),
  );
  return statements;
}

// ---- keyboard ----

document.addEventListener('keydown', (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  // Typing in a field, or keys a focused control handles itself, are not shortcuts.
  if (target instanceof HTMLInputElement || target instanceof HTMLSelectElement || target instanceof HTMLTextAreaElement) return;
  const player = primaryPlayer();
  if (player === null) return;
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
});

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
  shown = undefined;
  setDetailOpen(false);
  clear(detail);
  detail.append(h('p', { class: 'hint' }, 'Pick a contact.'));
  // What one token was granted must not show under another: drop the whole cache.
  void client.clearStore().then(loadContacts);
});

void loadContacts();
