/**
 * A voice call's transcript in step with the player: Interaction Analytics' summary and the
 * customer's end sentiment on top, speaker lanes (one row per speaker, each utterance where it
 * falls in the call), then the utterances as buttons. The one being spoken is marked
 * (`aria-current`) as the call plays; a click, Enter or Space on one seeks there. Its own query, so
 * the page's recording query stays as it is; loaded only when a voice contact is opened.
 */
import type { ApolloClient } from '@apollo/client';
import { graphql } from './__generated__/index.js';
import type { VoiceTranscriptQuery } from './__generated__/graphql.js';
import { h, formatDuration } from './dom.js';

const VOICE_TRANSCRIPT = graphql(`
  query VoiceTranscript($acdContactId: ID!) {
    recording(acdContactId: $acdContactId) {
      acdContactId
      mediaType
      durationSeconds
      transcript { kind blocks { segmentId speaker text startSeconds endSeconds confidence } }
      transcriptStatus { state message }
      analytics { summary intent sentiment { end } }
      analyticsStatus { state message }
    }
  }
`);

type VoiceRecording = NonNullable<VoiceTranscriptQuery['recording']>;
type Block = NonNullable<VoiceRecording['transcript']>['blocks'][number];

export interface VoiceTranscriptOptions {
  readonly client: ApolloClient;
  readonly acdContactId: string;
  /** The contact's length in seconds (the file may be shorter: it is mapped onto the contact by fraction). */
  readonly durationSeconds: number | null;
  /** The primary player, when there is one. */
  readonly player: () => HTMLMediaElement | null;
}

const STATE_TEXT: Readonly<Record<string, string>> = {
  NOT_ANALYZED: 'CXone Interaction Analytics has not analyzed this call yet.',
  NOT_ENABLED: 'Interaction Analytics is not available on this tenant or for this user.',
  FORBIDDEN: 'You may not see transcripts or analytics.',
};

/** The section, filled once the transcript has loaded. */
export function voiceTranscriptSection(options: VoiceTranscriptOptions): HTMLElement {
  installStyle();
  const section = h(
    'section',
    { class: 'voice-transcript', 'aria-labelledby': 'voice-transcript-title', 'data-voice-transcript': 'loading' },
    h('h3', { id: 'voice-transcript-title' }, 'Call transcript'),
    h('p', { class: 'hint' }, 'Loading the transcript…'),
  );
  void load(section, options);
  return section;
}

async function load(section: HTMLElement, options: VoiceTranscriptOptions): Promise<void> {
  const result = await options.client
    .query({ query: VOICE_TRANSCRIPT, variables: { acdContactId: options.acdContactId }, errorPolicy: 'all' })
    .catch(() => null);
  const recording = result?.data?.recording ?? null;
  const heading = section.querySelector('h3');
  section.replaceChildren(...(heading === null ? [] : [heading]));
  if (recording === null) {
    section.append(h('p', { class: 'hint' }, 'The transcript could not be loaded.'));
    section.dataset['voiceTranscript'] = 'error';
    return;
  }
  section.append(insights(recording));
  const blocks = recording.transcript?.blocks ?? [];
  if (recording.transcript === null || blocks.length === 0) {
    const state = recording.transcriptStatus.state;
    section.append(h('p', { class: 'hint', 'data-transcript-state': state }, STATE_TEXT[state] ?? recording.transcriptStatus.message ?? 'No transcript.'));
    section.dataset['voiceTranscript'] = state;
    return;
  }
  const duration = options.durationSeconds ?? Math.max(...blocks.map((block) => block.endSeconds ?? block.startSeconds ?? 0), 1);
  const list = h('ol', { class: 'utterances', 'aria-label': 'Utterances; activate one to play from there' });
  const buttons = blocks.map((block, index) => {
    const button = h(
      'button',
      { type: 'button', class: `utterance ${speakerClass(block.speaker)}`, 'data-block': String(index), 'aria-current': 'false' },
      h('span', { class: 'speaker' }, speakerName(block.speaker)),
      h('span', { class: 'at' }, block.startSeconds === null ? '' : formatDuration(block.startSeconds)),
      h('span', { class: 'words' }, block.text),
    );
    button.addEventListener('click', () => seek(options.player(), block, duration));
    list.append(h('li', {}, button));
    return button;
  });
  section.append(lanes(blocks, duration), list);
  section.dataset['voiceTranscript'] = 'AVAILABLE';
  follow(options, blocks, buttons, duration);
}

/** Summary, intent and the customer's end sentiment, or why they are missing. */
function insights(recording: VoiceRecording): HTMLElement {
  const analytics = recording.analytics;
  if (analytics === null) {
    const state = recording.analyticsStatus.state;
    return h('p', { class: 'hint', 'data-analytics-state': state }, STATE_TEXT[state] ?? recording.analyticsStatus.message ?? 'No analytics.');
  }
  const end = analytics.sentiment?.end ?? null;
  return h(
    'dl',
    { class: 'insights' },
    h('dt', {}, 'Summary'),
    h('dd', { 'data-summary': '' }, analytics.summary ?? '—'),
    h('dt', {}, 'Intent'),
    h('dd', {}, analytics.intent ?? '—'),
    h('dt', {}, 'Customer at the end'),
    h('dd', { 'data-end-sentiment': end ?? '', class: `sentiment ${(end ?? 'unknown').toLowerCase()}` }, end === null ? '—' : titleCase(end)),
  );
}

/** One lane per speaker on the call's time line; decorative (the list below says the same in words). */
function lanes(blocks: readonly Block[], duration: number): HTMLElement {
  const speakers = [...new Set(blocks.map((block) => block.speaker))];
  const box = h('div', { class: 'lanes', 'aria-hidden': 'true' });
  for (const speaker of speakers) {
    const track = h('div', { class: 'lane-track' }, h('span', { class: 'lane-playhead', 'data-lane-playhead': '', style: 'left:0%' }));
    for (const block of blocks) {
      if (block.speaker !== speaker || block.startSeconds === null) continue;
      const from = Math.min(block.startSeconds / duration, 1);
      const to = Math.min((block.endSeconds ?? block.startSeconds + 1) / duration, 1);
      track.append(h('span', { class: `lane-block ${speakerClass(speaker)}`, style: `left:${pct(from)};width:${pct(Math.max(to - from, 0.005))}` }));
    }
    box.append(h('div', { class: 'lane', 'data-lane': speaker }, h('span', { class: 'lane-name' }, speakerName(speaker)), track));
  }
  return box;
}

/** Contact seconds -> the player's position (the file is mapped onto the contact by fraction). */
function seek(player: HTMLMediaElement | null, block: Block, duration: number): void {
  if (player === null || block.startSeconds === null || !Number.isFinite(player.duration) || player.duration <= 0) return;
  player.currentTime = Math.min((block.startSeconds / duration) * player.duration, player.duration);
  void player.play().catch(() => undefined);
}

/** Marks the block being spoken as the player moves, and moves the lanes' playhead. */
function follow(options: VoiceTranscriptOptions, blocks: readonly Block[], buttons: readonly HTMLElement[], duration: number): void {
  const attach = (attempt: number): void => {
    const player = options.player();
    if (player === null) {
      // The player is appended with the rest of the detail; wait for it a few frames at most.
      if (attempt < 20) requestAnimationFrame(() => attach(attempt + 1));
      return;
    }
    let current = -1;
    const update = (): void => {
      const fraction = Number.isFinite(player.duration) && player.duration > 0 ? player.currentTime / player.duration : 0;
      const at = fraction * duration;
      buttons[0]?.closest('section')?.querySelectorAll<HTMLElement>('[data-lane-playhead]').forEach((playhead) => {
        playhead.style.left = pct(Math.min(fraction, 1));
      });
      let index = -1;
      blocks.forEach((block, i) => {
        if (block.startSeconds !== null && block.startSeconds <= at + 0.001) index = i;
      });
      if (index === current) return;
      buttons[current]?.setAttribute('aria-current', 'false');
      buttons[index]?.setAttribute('aria-current', 'true');
      current = index;
      // Keep the spoken line in view without stealing focus or jumping the page.
      if (index >= 0 && !player.paused) buttons[index]?.scrollIntoView({ block: 'nearest' });
    };
    for (const type of ['timeupdate', 'seeked', 'loadedmetadata']) player.addEventListener(type, update);
    update();
  };
  attach(0);
}

function pct(fraction: number): string {
  return `${(fraction * 100).toFixed(2)}%`;
}

function speakerClass(speaker: string): string {
  return speaker === 'AGENT' ? 'agent' : speaker === 'CUSTOMER' ? 'customer' : 'other';
}

function speakerName(speaker: string): string {
  return speaker === 'AGENT' ? 'Agent' : speaker === 'CUSTOMER' ? 'Customer' : titleCase(speaker);
}

function titleCase(value: string): string {
  return value.length <= 3 ? value : value.charAt(0) + value.slice(1).toLowerCase();
}

/** The section's styles, once per page (kept with the module so the page's stylesheet stays as it is). */
function installStyle(): void {
  if (document.getElementById('voice-transcript-style') !== null) return;
  const style = document.createElement('style');
  style.id = 'voice-transcript-style';
  style.textContent = `
.voice-transcript .insights { display: grid; grid-template-columns: max-content 1fr; gap: .25rem .75rem; margin: .5rem 0 1rem; }
.voice-transcript .insights dt { font-weight: 600; }
.voice-transcript .insights dd { margin: 0; }
.voice-transcript .sentiment.positive { color: #0a5c2b; }
.voice-transcript .sentiment.negative { color: #8a1c1c; }
.voice-transcript .lanes { position: relative; margin: .5rem 0 1rem; }
.voice-transcript .lane { display: flex; align-items: center; gap: .5rem; height: 1.5rem; }
.voice-transcript .lane-name { width: 5.5rem; flex: none; font-size: .85rem; color: #333; }
.voice-transcript .lane-track { position: relative; flex: 1; height: .9rem; background: #eef1f5; border-radius: 3px; }
.voice-transcript .lane-block { position: absolute; top: 0; bottom: 0; border-radius: 2px; background: #5a6b7d; }
.voice-transcript .lane-block.agent { background: #1f5fa8; }
.voice-transcript .lane-block.customer { background: #b0571c; }
.voice-transcript .lane-playhead { position: absolute; top: -2px; bottom: -2px; width: 2px; background: #111; z-index: 1; }
.voice-transcript .utterances { list-style: none; padding: 0; margin: 0; max-height: 22rem; overflow-y: auto; }
.voice-transcript .utterance { display: grid; grid-template-columns: 5.5rem 3.5rem 1fr; gap: .5rem; width: 100%; min-height: 44px;
  text-align: left; padding: .4rem .5rem; border: 1px solid transparent; border-radius: 4px; background: none; color: #111; font: inherit; cursor: pointer; }
.voice-transcript .utterance:hover { background: #f2f4f7; }
.voice-transcript .utterance:focus-visible { outline: 3px solid #1f5fa8; outline-offset: 1px; }
.voice-transcript .utterance[aria-current="true"] { background: #fff4c2; border-color: #8a6d00; }
.voice-transcript .utterance .speaker { font-weight: 600; }
.voice-transcript .utterance.agent .speaker { color: #1a4f8c; }
.voice-transcript .utterance.customer .speaker { color: #8f4614; }
.voice-transcript .utterance .at { color: #444; font-variant-numeric: tabular-nums; }
@media (max-width: 600px) {
  .voice-transcript .utterance { grid-template-columns: 1fr auto; }
  .voice-transcript .utterance .words { grid-column: 1 / -1; }
  .voice-transcript .lane-name { width: 4.5rem; }
}`;
  document.head.append(style);
}
