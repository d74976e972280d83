/**
 * Interaction Analytics behind a recording: one load per segment, failures as states
 * (`CxoneAnalyticsStatus`), segments joined on the recording's time line and the contact-level
 * roll-up; Recording.ts and Segment.ts only pick what they return.
 */
import { check } from '../callers/access-rules.js';
import type { GraphQLContext } from '../context.js';
import { recordingStateOf, upstreamStatusOf } from '../errors.js';
import type {
  AnalyticsModel,
  AnalyticsState,
  AnalyticsStatusModel,
  ChannelSentimentModel,
  RecordingModel,
  SegmentAnalysisModel,
  SegmentModel,
  TranscriptBlockModel,
  TranscriptModel,
} from '../models.js';

interface SegmentOutcome {
  readonly segment: SegmentModel;
  readonly status: AnalyticsStatusModel;
  /** Null unless the status is AVAILABLE. */
  readonly analysis: SegmentAnalysisModel | null;
}

/** What a recording's analytics resolve from: every segment's outcome, in start order. */
interface RecordingAnalysis {
  readonly status: AnalyticsStatusModel;
  readonly segments: readonly SegmentOutcome[];
  /** Start of the recording (ms), the zero of every block's time. */
  readonly originMs: number | null;
}

export const AVAILABLE: AnalyticsStatusModel = { state: 'AVAILABLE', retryAfterSeconds: null, message: null };

const NOT_ANALYZED = status('NOT_ANALYZED', 'CXone Interaction Analytics has not analyzed this call (yet).');

function status(state: Exclude<AnalyticsState, 'AVAILABLE'>, message: string, retryAfterSeconds: number | null = null): AnalyticsStatusModel {
  return { state, message, retryAfterSeconds };
}

/** The caller's scope check, by the same rule the schema's @requiresScopes enforces; null when allowed. */
export function scopeRefusal(ctx: GraphQLContext, scope: string): AnalyticsStatusModel | null {
  const refusal = check(ctx.access, { scopeGroups: [[[scope]]] }, scope);
  if (refusal === null) return null;
  return status(ctx.access.accepted ? 'FORBIDDEN' : 'UNAUTHENTICATED', refusal.message);
}

/**
 * A failed analysis load as a state: 404 is no analysis (yet); 403, no Interaction Analytics for
 * this caller (mostly a tenant without it); the rest as `recordingStatus` reads it. Undefined for
 * anything that is not an upstream or input error.
 */
function analyticsStateOf(error: unknown): AnalyticsStatusModel | undefined {
  if (upstreamStatusOf(error) === 404) return NOT_ANALYZED;
  if (upstreamStatusOf(error) === 403) {
    return status('NOT_ENABLED', 'CXone refused Interaction Analytics: the tenant lacks it, or the caller\'s CXone role may not use it.');
  }
  const failure = recordingStateOf(error);
  if (failure === undefined) return undefined;
  const state: Exclude<AnalyticsState, 'AVAILABLE'> =
    failure.state === 'RATE_LIMITED' || failure.state === 'UNAUTHENTICATED' ? failure.state : 'UNAVAILABLE';
  return status(state, failure.message, failure.retryAfterSeconds);
}

/** One segment's analysis, or its state; marks the answer as passing when it is not AVAILABLE. */
export async function loadSegmentOutcome(segment: SegmentModel, ctx: GraphQLContext): Promise<SegmentOutcome> {
  try {
    const analysis = await ctx.loaders.segmentAnalysis.load(segment.segmentId);
    if (analysis.analyzed) return { segment, status: AVAILABLE, analysis };
    ctx.answer.passingState();
    return { segment, status: NOT_ANALYZED, analysis: null };
  } catch (error) {
    const failure = analyticsStateOf(error);
    if (failure === undefined) throw error;
    // A state that may change any moment: the answer must not be kept for the links' lifetime.
    ctx.answer.passingState();
    return { segment, status: failure, analysis: null };
  }
}

/** Which state speaks for a recording none of whose segments is available: the most telling one. */
const PRECEDENCE: readonly AnalyticsState[] = ['NOT_ENABLED', 'UNAUTHENTICATED', 'RATE_LIMITED', 'UNAVAILABLE', 'NOT_ANALYZED'];

/** Every segment's analysis of a voice recording (shared by transcript, analytics and both statuses). */
export async function loadRecordingAnalysis(recording: RecordingModel, ctx: GraphQLContext): Promise<RecordingAnalysis> {
  const ordered = [...recording.segments].sort((a, b) => (timeOrNull(a.startTime) ?? 0) - (timeOrNull(b.startTime) ?? 0));
  const originMs = timeOrNull(recording.startTime) ?? timeOrNull(ordered[0]?.startTime ?? null);
  // Interaction Analytics transcribes voice calls only; chat and email carry their own transcript.
  if (recording.transcript !== null || !recording.interactions.some((interaction) => interaction.kind === 'call')) {
    return { status: status('NOT_VOICE', 'Interaction Analytics transcripts are for voice calls; chat and email carry their own.'), segments: [], originMs };
  }
  if (ordered.length === 0) {
    return { status: status('NOT_ANALYZED', 'CXone listed no segments for this call.'), segments: [], originMs };
  }
  const segments = await Promise.all(ordered.map((segment) => loadSegmentOutcome(segment, ctx)));
  if (segments.some((outcome) => outcome.analysis !== null)) return { status: AVAILABLE, segments, originMs };
  const worst = segments
    .map((outcome) => outcome.status)
    .sort((a, b) => PRECEDENCE.indexOf(a.state) - PRECEDENCE.indexOf(b.state))[0];
  return { status: worst ?? AVAILABLE, segments, originMs };
}

function timeOrNull(iso: string | null): number | null {
  if (iso === null) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

/** Three decimals: milliseconds, without float noise from the offset arithmetic. */
const seconds = (value: number): number => Math.round(value * 1000) / 1000;

/** The voice transcript: every available segment's blocks, moved onto the recording's time line, in time order. */
export function joinTranscript(analysis: RecordingAnalysis): TranscriptModel | null {
  if (analysis.status.state !== 'AVAILABLE') return null;
  const blocks: TranscriptBlockModel[] = [];
  for (const outcome of analysis.segments) {
    if (outcome.analysis === null) continue;
    const segmentStart = timeOrNull(outcome.segment.startTime);
    const offset = segmentStart === null || analysis.originMs === null ? 0 : (segmentStart - analysis.originMs) / 1000;
    for (const block of outcome.analysis.blocks) {
      blocks.push({
        segmentId: outcome.segment.segmentId,
        speaker: block.speaker,
        text: block.text,
        startSeconds: block.startSeconds === null ? null : seconds(block.startSeconds + offset),
        endSeconds: block.endSeconds === null ? null : seconds(block.endSeconds + offset),
        confidence: block.confidence,
      });
    }
  }
  // Stable: blocks without a time keep their place after the timed ones of their segment.
  blocks.sort((a, b) => (a.startSeconds ?? Infinity) - (b.startSeconds ?? Infinity));
  return { kind: 'VOICE', messages: [], email: null, blocks };
}

/** The customer's channel among a segment's channels (by name), else the last one CXone listed. */
export function customerChannel(channels: readonly ChannelSentimentModel[]): ChannelSentimentModel | null {
  return channels.find((channel) => channel.channel?.toUpperCase() === 'CUSTOMER') ?? channels[channels.length - 1] ?? null;
}

const unique = (values: readonly string[]): string[] => [...new Set(values)];

/**
 * The contact-level roll-up over available segments in time order: summaries joined, the first
 * segment's intent (why the customer called), actions and outcomes once each, the customer's
 * sentiment from the begin of the first segment to the end of the last (overall: the last
 * segment's, how the call left them; frustration: the latest detected), entities and categories of all.
 */
export function rollUp(analysis: RecordingAnalysis): AnalyticsModel | null {
  if (analysis.status.state !== 'AVAILABLE') return null;
  const parts = analysis.segments.flatMap((outcome) => outcome.analysis?.analytics ?? []);
  const customer = parts.map((part) => customerChannel(part.channels)).filter((channel): channel is ChannelSentimentModel => channel !== null);
  const first = customer[0];
  const last = customer[customer.length - 1];
  const sentiment: ChannelSentimentModel | null =
    first === undefined || last === undefined
      ? null
      : {
          channel: last.channel,
          overall: last.overall,
          begin: first.begin ?? first.overall,
          end: last.end ?? last.overall,
          frustration: [...customer].reverse().find((channel) => channel.frustration !== null)?.frustration ?? null,
        };
  const summaries = parts.flatMap((part) => part.summary ?? []);
  return {
    summary: summaries.length === 0 ? null : summaries.join(' '),
    intent: parts.find((part) => part.intent !== null)?.intent ?? null,
    actions: unique(parts.flatMap((part) => part.actions)),
    outcomes: unique(parts.flatMap((part) => part.outcomes)),
    channels: sentiment === null ? [] : [sentiment],
    entities: parts.flatMap((part) => part.entities),
    categories: parts.flatMap((part) => part.categories),
  };
}
