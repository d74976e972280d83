/**
 * The player page: contacts from the CRM with their recordings, one contact's player, transcript,
 * segment timeline and statements. Apollo Client core, no UI framework. Links are refetched
 * LINK_REFRESH_LEAD_MS before they expire, and the player swaps to the fresh link in place.
 */
import { ApolloClient, ApolloLink, CombinedGraphQLErrors, HttpLink } from '@apollo/client';
import { createCache, LINK_REFRESH_LEAD_MS } from './cache.js';
import { h, clear, formatDuration, formatTime } from './dom.js';
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

// The simulator's demo users (DEMO ONLY tokens): the select names one, the header carries its JWT.
type DemoUser = keyof typeof DEMO_TOKENS;
const isDemoUser = (value: string | null): value is DemoUser => value !== null && Object.hasOwn(DEMO_TOKENS, value);
/** A refetch never comes sooner than this, even for links that already live less than the lead. */
const MIN_REFRESH_DELAY_MS = 2_000;

const tokenSelect = required<HTMLSelectElement>('#token');
const contactsNav = required<HTMLElement>('#contacts');
const detail = required<HTMLElement>('#detail');
const statusLine = required<HTMLElement>('#status');

function required<T extends Element>(selector: string): T {
  const element = document.querySelector<T>(selector);
  if (element === null) throw new Error(`index.html has no ${selector}`);
  return element;
}

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

function errorList(errors: readonly ShownError[]): HTMLElement {
  return h(
    'ul',
    { class: 'errors' },
    ...errors.map((e) => h('li', { class: 'error', 'data-code': e.code }, h('code', {}, e.code), ' ', e.message)),
  );
}

// ---- refresh timers: one per live set of links, cleared when the view changes ----

const timers = new Map<string, ReturnType<typeof setTimeout>>();

function clearTimers(): void {
  for (const timer of timers.values()) clearTimeout(timer);
  timers.clear();
}

/** Schedules `refresh` LINK_REFRESH_LEAD_MS before the earliest of `links` expires. */
function scheduleRefresh(key: string, links: ReadonlyArray<MediaLink | null>, refresh: () => Promise<void>): void {
  const existing = timers.get(key);
  if (existing !== undefined) clearTimeout(existing);
  timers.delete(key);
  const expiries = links.filter((link): link is MediaLink => link !== null).map((link) => Date.parse(link.expiresAt));
  if (expiries.length === 0) return;
  const delay = Math.max(Math.min(...expiries) - LINK_REFRESH_LEAD_MS - Date.now(), MIN_REFRESH_DELAY_MS);
  timers.set(
    key,
    setTimeout(() => {
      timers.delete(key);
      void refresh();
    }, delay),
  );
}

/** Points a media element at a fresh link, keeping its position and play state. */
function swapSource(element: HTMLMediaElement, link: MediaLink): void {
  if (element.src === link.url) return;
  const position = element.currentTime;
  const playing = !element.paused && !element.ended;
  element.src = link.url;
  element.dataset['generation'] = String(Number(element.dataset['generation'] ?? '1') + 1);
  element.addEventListener(
    'loadedmetadata',
    () => {
      if (position > 0 && position < element.duration) element.currentTime = position;
      if (playing) void element.play().catch(() => undefined);
    },
    { once: true },
  );
}

function mediaFigure(key: string, label: string, link: MediaLink, onDeadLink: () => void): HTMLElement {
  // Voice plays in <audio>; anything with a picture (screen, chat, email recordings) in <video>.
  const element = document.createElement(link.mediaType === 'voice-only' ? 'audio' : 'video');
  element.controls = true;
  element.preload = 'metadata';
  element.src = link.url;
  element.dataset['media'] = key;
  element.dataset['generation'] = '1';
  // A link that died anyway (a sleeping laptop missed the timer): fetch a fresh one at once.
  element.addEventListener('error', onDeadLink);
  return h(
    'figure',
    { class: 'media' },
    element,
    h(
      'figcaption',
      {},
      `${label}: ${link.fileName ?? link.mediaType ?? 'media'} · link valid until `,
      h('time', { 'data-expires': key }, formatTime(link.expiresAt)),
    ),
  );
}

function updateFigure(key: string, link: MediaLink | null): void {
  const element = detail.querySelector<HTMLMediaElement>(`[data-media="${key}"]`);
  if (element === null || link === null) return;
  swapSource(element, link);
  const expires = detail.querySelector<HTMLElement>(`[data-expires="${key}"]`);
  if (expires !== null) expires.textContent = formatTime(link.expiresAt);
}

// ---- contact list ----

function contactKind(row: ContactRow): string {
  if (row.recording === null) return '';
  return row.recording.transcript?.kind.toLowerCase() ?? 'voice';
}

async function loadContacts(): Promise<void> {
  statusLine.textContent = 'Loading contacts…';
  clear(contactsNav);
  const result = await client.query({ ...PARTIAL, query: CONTACT_LIST, variables: { first: 50 }, fetchPolicy: 'network-only' });
  const rows = result.data?.contacts ?? [];
  const listErrors = errorsAt(result.error, []).filter((e) => e.code === 'NETWORK' || rows.length === 0);
  if (listErrors.length > 0) contactsNav.append(errorList(listErrors));
  const list = h('ul', { class: 'contact-list' });
  rows.forEach((row, index) => {
    const rowErrors = errorsAt(result.error, ['contacts', index]);
    const summary =
      row.recording === null
        ? errorList(rowErrors.length > 0 ? rowErrors : [{ code: 'NO_RECORDING', message: 'No recording.' }])
        : h(
            'span',
            { class: 'summary' },
            h('span', { class: `badge ${contactKind(row)}` }, contactKind(row)),
            ` ${formatDuration(row.recording.durationSeconds)} · ${row.recording.agents.map((a) => a.name ?? '?').join(', ')}`,
          );
    const button = h(
      'button',
      { type: 'button', 'data-contact': row.acdContactId, class: row.recording === null ? 'failed' : '' },
      h('strong', {}, row.customerName),
      h('span', { class: 'id' }, ` ${row.acdContactId} · ${row.subject}`),
      h('br', {}),
      summary,
    );
    button.addEventListener('click', () => void showContact(row.acdContactId, row.customerName));
    list.append(h('li', {}, button));
  });
  contactsNav.append(list);
  statusLine.textContent = `${rows.length} contacts`;
}

// ---- one contact ----

let shown: string | undefined;

async function showContact(acdContactId: string, customerName: string): Promise<void> {
  clearTimers();
  shown = acdContactId;
  for (const button of contactsNav.querySelectorAll<HTMLButtonElement>('button[data-contact]')) {
    button.classList.toggle('selected', button.dataset['contact'] === acdContactId);
  }
  clear(detail);
  detail.append(h('p', { class: 'hint' }, 'Loading…'));
  // cache-first: a cached link close to expiry reads as missing (see cache.ts), so this goes to
  // the network whenever the cached links would not play long enough.
  const result = await client.query({ ...PARTIAL, query: RECORDING_DETAIL, variables: { acdContactId } });
  if (shown !== acdContactId) return;
  clear(detail);
  detail.dataset['contact'] = acdContactId;
  detail.append(h('h2', {}, `${customerName} · ${acdContactId}`));
  const recording = result.data?.recording ?? null;
  const errors = errorsAt(result.error, ['recording']);
  if (recording === null) {
    detail.append(errorList(errors.length > 0 ? errors : [{ code: 'NO_RECORDING', message: 'No recording.' }]));
    return;
  }
  if (errors.length > 0) detail.append(errorList(errors));
  renderRecording(recording);
  scheduleRefresh('recording', [recording.mediaUrl, recording.screenUrl], () => refreshRecording(acdContactId));
}

/** Refetches the contact's links from the network and swaps them into the players. */
async function refreshRecording(acdContactId: string): Promise<void> {
  const result = await client.query({ ...PARTIAL, query: RECORDING_DETAIL, variables: { acdContactId }, fetchPolicy: 'network-only' });
  if (shown !== acdContactId) return;
  const recording = result.data?.recording ?? null;
  if (recording === null) {
    statusLine.textContent = `Refreshing links failed: ${errorsAt(result.error, ['recording']).map((e) => e.code).join(', ')}`;
    // Try again shortly; the old links still have LINK_REFRESH_LEAD_MS to live.
    timers.set('recording', setTimeout(() => void refreshRecording(acdContactId), 5_000));
    return;
  }
  updateFigure('primary', recording.mediaUrl);
  updateFigure('screen', recording.screenUrl);
  detail.dataset['refreshes'] = String(Number(detail.dataset['refreshes'] ?? '0') + 1);
  statusLine.textContent = `Links refreshed at ${formatTime(new Date().toISOString())}`;
  scheduleRefresh('recording', [recording.mediaUrl, recording.screenUrl], () => refreshRecording(acdContactId));
}

/** Null sentiments/categories: the token lacks the permission, or CXone has none for this kind of contact. */
const NOT_RETURNED = "not returned (no 'View sentiments and categories' permission, or none for this contact)";

function renderRecording(recording: RecordingData): void {
  const refreshNow = () => void refreshRecording(recording.acdContactId);
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
    h(
      'dd',
      {},
      recording.sentiments === null
        ? NOT_RETURNED
        : recording.sentiments.map((s) => s.overallSentiment).join(', ') || '—',
    ),
    h('dt', {}, 'Categories'),
    h(
      'dd',
      {},
      recording.categories === null
        ? NOT_RETURNED
        : recording.categories.map((c) => c.categoryHierarchy.join(' › ')).join('; ') || '—',
    ),
    h('dt', {}, 'CXone'),
    h('dd', {}, h('a', { href: recording.playerUrl, target: '_blank', rel: 'noreferrer' }, 'player page')),
  );
  const players = h('div', { class: 'players', id: 'player' });
  if (recording.mediaUrl !== null) players.append(mediaFigure('primary', 'Recording', recording.mediaUrl, refreshNow));
  if (recording.screenUrl !== null) players.append(mediaFigure('screen', 'Screen', recording.screenUrl, refreshNow));
  if (players.childElementCount === 0) players.append(h('p', { class: 'hint' }, 'No playable file for this contact.'));
  detail.append(players, facts, renderTimeline(recording), renderTranscript(recording), renderStatementsForm(recording.acdContactId));
}

function renderTimeline(recording: RecordingData): HTMLElement {
  const section = h('section', { class: 'segments' }, h('h3', {}, `Segments (${recording.segments.length})`));
  const times = recording.segments.flatMap((s) => [s.startTime, s.endTime]).filter((t): t is string => t !== null).map(Date.parse);
  const start = recording.startTime === null ? Math.min(...times) : Date.parse(recording.startTime);
  const end = recording.endTime === null ? Math.max(...times) : Date.parse(recording.endTime);
  const span = end - start;
  const track = h('div', { class: 'timeline', role: 'list' });
  recording.segments.forEach((segment: SegmentData, index) => {
    const from = segment.startTime === null ? start : Date.parse(segment.startTime);
    const to = segment.endTime === null ? end : Date.parse(segment.endTime);
    const left = span > 0 ? ((from - start) / span) * 100 : 0;
    const width = span > 0 ? Math.max(((to - from) / span) * 100, 1) : 100;
    track.append(
      h(
        'div',
        {
          class: `segment s${index % 4}`,
          role: 'listitem',
          'data-segment': segment.segmentId,
          style: `left:${left.toFixed(2)}%;width:${width.toFixed(2)}%`,
          title: `${segment.segmentId}\n${segment.openReason ?? '?'} → ${segment.closeReason ?? '?'} · ${segment.direction ?? ''} ${segment.channelType ?? ''}`,
        },
        `${index + 1}. ${segment.closeReason ?? ''}`,
      ),
    );
  });
  section.append(track);
  if (!Number.isFinite(span)) section.append(h('p', { class: 'hint' }, 'No segment times.'));
  return section;
}

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

function renderStatementsForm(acdContactId: string): HTMLElement {
  const input = h('input', { name: 'statementIds', value: '5001, 5002', size: '16', 'aria-label': 'Statement ids' });
  const results = h('div', { class: 'statement-results' });
  const form = h('form', { class: 'statements-form' }, 'Statement ids ', input, ' ', h('button', { type: 'submit' }, 'Load statements'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const ids = input.value.split(/[\s,]+/).filter((id) => id !== '');
    void loadStatements(acdContactId, ids, results);
  });
  return h('section', { class: 'statements' }, h('h3', {}, 'Statements'), form, results);
}

async function loadStatements(acdContactId: string, statementIds: string[], target: HTMLElement, refresh = false): Promise<void> {
  const result = await client.query({
    ...PARTIAL,
    query: RECORDING_STATEMENTS,
    variables: { acdContactId, statementIds },
    ...(refresh ? { fetchPolicy: 'network-only' as const } : {}),
  });
  if (shown !== acdContactId) return;
  const statements = result.data?.recording?.statements ?? [];
  if (refresh) {
    statements.forEach((statement) => {
      if (statement !== null) updateFigure(`statement-${statement.statementId}`, statement.mediaUrl);
    });
  } else {
    clear(target);
    const topErrors = result.data?.recording === null || result.data === undefined ? errorsAt(result.error, ['recording']) : [];
    if (topErrors.length > 0) target.append(errorList(topErrors));
    statementIds.forEach((statementId, index) => {
      const statement: StatementData | null = statements[index] ?? null;
      const errors = errorsAt(result.error, ['recording', 'statements', index]);
      const item = h('div', { class: 'statement', 'data-statement': statementId }, h('h4', {}, `Statement ${statementId}`));
      if (statement?.mediaUrl) {
        item.append(
          mediaFigure(`statement-${statementId}`, 'Statement', statement.mediaUrl, () =>
            void loadStatements(acdContactId, statementIds, target, true),
          ),
        );
      }
      if (errors.length > 0) item.append(errorList(errors));
      target.append(item);
    });
  }
  scheduleRefresh('statements', statements.map((s) => s?.mediaUrl ?? null), () =>
    loadStatements(acdContactId, statementIds, target, true),
  );
}

// ---- token ----

tokenSelect.addEventListener('change', () => {
  if (isDemoUser(tokenSelect.value)) user = tokenSelect.value;
  clearTimers();
  shown = undefined;
  clear(detail);
  detail.append(h('p', { class: 'hint' }, 'Pick a contact.'));
  // What one token was granted must not show under another: drop the whole cache.
  void client.clearStore().then(loadContacts);
});

void loadContacts();
