/**
 * Turns seeded contacts into CXone's wire JSON for one request: which interactions the requested
 * `media-type` yields, which keys the caller's permissions allow, and fresh signed links.
 */
import type { LinkSigner } from './media.js';
import {
  QM_CATEGORY_ROOT,
  uuidFrom,
  type SeedContact,
  type SeedSegment,
  type SeedStatement,
} from './seed.js';
import type {
  JsonObject,
  MediaTypeParam,
  WireCallData,
  WireChatData,
  WireEmailData,
  WireInteraction,
  WireParticipantData,
  WireSegmentData,
  WireStage,
  WireWaveform,
} from './wire.js';

export interface RenderOptions {
  readonly mediaType: MediaTypeParam;
  readonly excludeWaveforms: boolean;
  readonly excludeQmCategories: boolean;
  /** "View sentiments and categories": without it the keys are left out, not nulled. */
  readonly analytics: boolean;
  readonly links: LinkSigner;
}

/** The interactions of an answer and the link a download (`isDownload=true`) redirects to. */
export interface Rendered {
  readonly interactions: readonly (WireInteraction | JsonObject)[];
  readonly primaryUrl: string | null;
}

/** One interaction to emit: the contact's own media, or the screen recording of a digital contact. */
interface Piece {
  readonly mediaType: string;
  readonly screen: boolean;
}

/** What part of the contact an answer covers: all of it, one segment, or one statement. */
interface Scope {
  readonly segments: readonly SeedSegment[];
  readonly startMs: number;
  readonly endMs: number;
  readonly acwEndMs: number | null;
  /** Prefix of the media file ids, distinct per scope so each has its own link. */
  readonly fileKey: string;
  /** For CXone's link rule max(30 min, the call's duration). */
  readonly durationSeconds: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Which interactions a `media-type` yields, or null when the contact has no such media (404).
 * Asking a voice-only call for voice-and-screen still yields its voice: the filter narrows media,
 * it does not demand a screen recording.
 */
function piecesFor(contact: SeedContact, mediaType: MediaTypeParam): readonly Piece[] | null {
  switch (contact.kind) {
    case 'voice':
      if (mediaType === 'chat' || mediaType === 'email') return null;
      return [{ mediaType: mediaType !== 'voice-only' && contact.hasScreen ? 'voice-and-screen' : 'voice-only', screen: false }];
    case 'chat':
    case 'email': {
      if (mediaType !== contact.kind && mediaType !== 'all') return null;
      const own: Piece = { mediaType: contact.kind, screen: false };
      return mediaType === 'all' && contact.hasScreen ? [own, { mediaType: `${contact.kind}-and-screen`, screen: true }] : [own];
    }
    case 'workitem':
      return mediaType === 'all' ? [{ mediaType: 'WORKITEM', screen: false }] : null;
  }
}

function contactScope(contact: SeedContact): Scope {
  return {
    segments: contact.segments,
    startMs: contact.startMs,
    endMs: contact.endMs,
    acwEndMs: contact.acwEndMs,
    fileKey: contact.acdContactId,
    durationSeconds: (contact.endMs - contact.startMs) / 1000,
  };
}

function segmentScope(segment: SeedSegment): Scope {
  return {
    segments: [segment],
    startMs: segment.startMs,
    endMs: segment.endMs,
    acwEndMs: segment.acwEndMs,
    fileKey: `seg-${segment.segmentId}`,
    durationSeconds: (segment.endMs - segment.startMs) / 1000,
  };
}

function link(opts: RenderOptions, contact: SeedContact, scope: Scope, piece: Piece): string {
  return opts.links.issue({
    fileId: `${scope.fileKey}-${piece.mediaType}`,
    durationSeconds: scope.durationSeconds,
    style: contact.linkStyle,
  });
}

function stage(id: string, startMs: number, endMs: number, screen: boolean): WireStage {
  return {
    stageType: 'ACTIVE',
    startTime: iso(startMs),
    endTime: iso(endMs),
    recordingID: uuidFrom(`recording:${id}`),
    displays: screen ? [{ width: 1920, height: 1080, topLeftX: 0, topLeftY: 0 }] : [],
  };
}

function segmentData(contact: SeedContact, s: SeedSegment): WireSegmentData {
  const base = {
    segmentId: s.segmentId,
    startTime: iso(s.startMs),
    endTime: iso(s.endMs),
    acwEndTime: s.acwEndMs === null ? null : iso(s.acwEndMs),
    openReasonType: s.openReasonType,
    closeReasonType: s.closeReasonType,
    directionType: s.directionType,
    channelType: contact.channelType,
    firstSegment: s.firstSegment,
  };
  return s.restrictedKey === 'isCustomerRestricted'
    ? { ...base, isCustomerRestricted: s.customerRestricted }
    : { ...base, customerRestricted: s.customerRestricted };
}

/** Small but present: real waveforms are large PCM arrays, which is why callers exclude them. */
function waveforms(seed: string): readonly WireWaveform[] {
  const phase = parseInt(uuidFrom(seed).slice(0, 4), 16) / 65535;
  return [0, 1].map((channel) => ({
    channel,
    normalizedPcmData: Array.from({ length: 32 }, (_, i) =>
      Math.round(Math.abs(Math.sin(i * 0.45 + phase * 6 + channel)) * 100) / 100,
    ),
  }));
}

function inScope(contact: SeedContact, scope: Scope, segmentIndex: number): boolean {
  const segment = contact.segments[segmentIndex];
  return segment !== undefined && scope.segments.includes(segment);
}

function callData(contact: SeedContact, scope: Scope, piece: Piece, opts: RenderOptions, withWaveforms: boolean): WireCallData {
  const screen = piece.mediaType === 'voice-and-screen';
  const participants = scope.segments.flatMap((s): WireParticipantData[] => [
    {
      participantType: 'AGENT',
      agentName: s.agent.name,
      participantId: s.agent.participantId,
      segmentId: s.segmentId,
      userId: s.agent.userId,
      channel: 0,
      voiceStages: [stage(`${s.segmentId}:agent`, s.startMs, s.endMs, false)],
      screenStages: screen ? [stage(`${s.segmentId}:screen`, s.startMs, s.endMs, true)] : [],
    },
    {
      participantType: 'CUSTOMER',
      agentName: null,
      participantId: uuidFrom(`customer:${contact.acdContactId}`),
      segmentId: s.segmentId,
      userId: null,
      channel: 1,
      voiceStages: [stage(`${s.segmentId}:customer`, s.startMs, s.endMs, false)],
      screenStages: [],
    },
  ]);
  const data: WireCallData = {
    startTime: iso(scope.startMs),
    endTime: iso(scope.endMs),
    acwEndTime: scope.acwEndMs === null ? null : iso(scope.acwEndMs),
    fileToPlayUrl: link(opts, contact, scope, piece),
    videoImageUrl: null,
    ...(withWaveforms && !opts.excludeWaveforms ? { waveformDataList: waveforms(scope.fileKey) } : {}),
    participantDataList: participants,
    segmentsDataList: scope.segments.map((s) => segmentData(contact, s)),
    dfoStages: [],
  };
  if (!opts.analytics) return data;
  return {
    ...data,
    categoryMatchesList: contact.categories
      .filter((c) => inScope(contact, scope, c.segmentIndex))
      .filter((c) => !(opts.excludeQmCategories && c.categoryHierarchy[0] === QM_CATEGORY_ROOT))
      .map((c) => ({ categoryHierarchy: c.categoryHierarchy, secondsOffsets: c.secondsOffsets, confidence: c.confidence })),
    sentiments: contact.sentiments
      .filter((s) => inScope(contact, scope, s.segmentIndex))
      .map((s) => ({
        overallSentiment: s.overallSentiment,
        segmentStartTime: iso(contact.segments[s.segmentIndex]?.startMs ?? contact.startMs),
        channel: s.channel,
      })),
  };
}

function distinctAgents(scope: Scope): SeedSegment['agent'][] {
  return [...new Map(scope.segments.map((s) => [s.agent.participantId, s.agent])).values()];
}

function chatData(contact: SeedContact, scope: Scope, piece: Piece, opts: RenderOptions): WireChatData {
  // A digital-first chat has no recording of its own, only the agent's screen.
  const hasOwnFile = piece.screen || contact.messages !== null;
  const data: WireChatData = {
    startTime: iso(scope.startMs),
    endTime: iso(scope.endMs),
    acwEndTime: scope.acwEndMs === null ? null : iso(scope.acwEndMs),
    fileToPlayUrl: hasOwnFile ? link(opts, contact, scope, piece) : null,
    transferPoints: [],
    participants: [
      { participantType: 'CUSTOMER', participantName: contact.customerName, screenStages: [] },
      ...distinctAgents(scope).map((a) => ({
        participantType: 'AGENT' as const,
        participantName: a.name,
        screenStages: piece.screen ? [stage(`${scope.fileKey}:${a.participantId}:screen`, scope.startMs, scope.endMs, true)] : [],
      })),
    ],
    segmentsDataList: scope.segments.map((s) => segmentData(contact, s)),
    dfoStages: [],
  };
  if (contact.messages === null || piece.screen) return data;
  const agentName = contact.segments[0]?.agent.name ?? 'Agent';
  return {
    ...data,
    messages: contact.messages
      .map((m) => ({ ...m, atMs: contact.startMs + m.offsetSeconds * 1000 }))
      .filter((m) => m.atMs >= scope.startMs && m.atMs <= scope.endMs)
      .map((m) => ({
        participantType: m.from,
        participantName: m.from === 'AGENT' ? agentName : contact.customerName,
        text: m.text,
        timeStamp: iso(m.atMs),
      })),
  };
}

function emailData(contact: SeedContact, scope: Scope, piece: Piece, opts: RenderOptions): WireEmailData {
  const email = contact.email ?? { from: '', to: [], cc: [], bcc: [], subject: '', body: '' };
  return {
    startTime: iso(scope.startMs),
    endTime: iso(scope.endMs),
    acwEndTime: scope.acwEndMs === null ? null : iso(scope.acwEndMs),
    fileToPlayUrl: link(opts, contact, scope, piece),
    participants: [
      { participantType: 'CUSTOMER', participantName: contact.customerName, actions: [{ timeStamp: iso(contact.startMs), action: 'SENT' }] },
      ...distinctAgents(scope).map((a) => ({
        participantType: 'AGENT' as const,
        participantName: a.name,
        actions: [
          { timeStamp: iso(scope.startMs + 60_000), action: 'OPENED' },
          { timeStamp: iso(scope.endMs - 30_000), action: 'REPLIED' },
        ],
      })),
    ],
    content: { sentTime: iso(contact.startMs), ...email },
    segmentsDataList: scope.segments.map((s) => segmentData(contact, s)),
  };
}

function interaction(contact: SeedContact, scope: Scope, piece: Piece, opts: RenderOptions): WireInteraction {
  const head = {
    mediaType: piece.mediaType,
    channelType: contact.channelType,
    startTime: iso(scope.startMs),
    endTime: iso(scope.endMs),
  };
  const tail = {
    callTaggingList: contact.tags
      .map((t) => ({ atMs: contact.startMs + t.offsetSeconds * 1000, value: t.value }))
      .filter((t) => t.atMs >= scope.startMs && t.atMs <= scope.endMs)
      .map((t) => ({ updateTime: iso(t.atMs), value: t.value })),
    dynamicBusinessData: contact.businessData,
  };
  // Key order follows CXone's answers (head, `@type`, data, tail) so raw dumps read the same.
  switch (contact.kind) {
    case 'chat':
      return { ...head, '@type': 'chat', data: chatData(contact, scope, piece, opts), ...tail };
    case 'email':
      return { ...head, '@type': 'email', data: emailData(contact, scope, piece, opts), ...tail };
    case 'voice':
    case 'workitem':
      return { ...head, '@type': 'call', data: callData(contact, scope, piece, opts, true), ...tail };
  }
}

/**
 * The quirky contact: everything a tolerant reader must survive in one place. An unknown `@type`
 * and media type, nulls where values are expected, absent keys, plain-string business data,
 * `isCustomerRestricted` instead of `customerRestricted`, and keys no spec mentions.
 */
function quirkyInteraction(contact: SeedContact, scope: Scope, opts: RenderOptions): JsonObject {
  const segment = scope.segments[0];
  const agentName = segment?.agent.name ?? null;
  const data: Record<string, JsonObject[keyof JsonObject]> = {
    startTime: iso(scope.startMs),
    endTime: iso(scope.endMs),
    fileToPlayUrl: link(opts, contact, scope, { mediaType: 'WORKITEM', screen: false }),
    videoImageUrl: null,
    participantDataList: [
      {
        participantType: 'AGENT',
        agentName,
        participantId: segment?.agent.participantId ?? null,
        segmentId: segment?.segmentId ?? null,
        userId: null,
        channel: null,
        voiceStages: null,
      },
      { participantType: 'SYSTEM', agentName: null, participantId: null },
    ],
    segmentsDataList: scope.segments.map((s) => ({
      segmentId: s.segmentId,
      startTime: iso(s.startMs),
      endTime: null,
      openReasonType: 'WORKITEM_ROUTED',
      closeReasonType: 'ELEVATED',
      directionType: 'UNKNOWN',
      channelType: 'WORKITEM',
      firstSegment: s.firstSegment,
      isCustomerRestricted: s.customerRestricted,
    })),
    dfoStages: null,
    workItemPayload: { type: 'case', caseId: 'WI-77', priority: 3 },
  };
  if (opts.analytics) data['sentiments'] = null;
  return {
    mediaType: 'WORKITEM',
    channelType: 'WORKITEM',
    '@type': 'workitem',
    startTime: iso(scope.startMs),
    endTime: null,
    data,
    callTaggingList: null,
    dynamicBusinessData: ['priority=high', 'source=crm-sync'],
  };
}

function renderScope(contact: SeedContact, scope: Scope, opts: RenderOptions): Rendered | null {
  const pieces = piecesFor(contact, opts.mediaType);
  if (pieces === null) return null;
  if (contact.kind === 'workitem') {
    const only = quirkyInteraction(contact, scope, opts);
    const data = only['data'];
    const url = typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as JsonObject)['fileToPlayUrl'] : null;
    return { interactions: [only], primaryUrl: typeof url === 'string' ? url : null };
  }
  const interactions = pieces.map((piece) => interaction(contact, scope, piece, opts));
  const primaryUrl = interactions.map((i) => i.data.fileToPlayUrl).find((u): u is string => u !== null) ?? null;
  return { interactions, primaryUrl };
}

/** The whole contact (contacts endpoint); null when it has no media of the requested type. */
export function renderContact(contact: SeedContact, opts: RenderOptions): Rendered | null {
  return renderScope(contact, contactScope(contact), opts);
}

/** One segment with its own link (segments endpoint); null when no media of that type. */
export function renderSegment(contact: SeedContact, segment: SeedSegment, opts: RenderOptions): Rendered | null {
  return renderScope(contact, segmentScope(segment), opts);
}

/**
 * One statement of a voice call: a single `call` interaction whose link plays just that
 * statement. The link's lifetime follows the whole call's duration, as the documented rule says.
 */
export function renderStatement(
  contact: SeedContact,
  statementId: string,
  statement: SeedStatement,
  opts: RenderOptions,
): Rendered | null {
  if (contact.kind !== 'voice' || opts.mediaType === 'chat' || opts.mediaType === 'email') return null;
  const scope: Scope = {
    segments: contact.segments.filter((s) => s.startMs < statement.endMs && s.endMs > statement.startMs),
    startMs: statement.startMs,
    endMs: statement.endMs,
    acwEndMs: null,
    fileKey: `${contact.acdContactId}-statement-${statementId}`,
    durationSeconds: (contact.endMs - contact.startMs) / 1000,
  };
  const piece: Piece = { mediaType: 'voice-only', screen: false };
  const data = callData(contact, scope, piece, { ...opts, analytics: false }, false);
  const only: WireInteraction = {
    mediaType: piece.mediaType,
    channelType: contact.channelType,
    startTime: iso(scope.startMs),
    endTime: iso(scope.endMs),
    '@type': 'call',
    data,
    callTaggingList: null,
    dynamicBusinessData: null,
  };
  return { interactions: [only], primaryUrl: data.fileToPlayUrl };
}

/** The head every answer shares; `elevatedInteraction` is left out for the quirky contact. */
export function contactHead(contact: SeedContact): {
  contactId: string;
  acdcontactId: string;
  elevatedInteraction?: boolean;
  brandEmbassyConfig?: JsonObject;
} {
  return {
    contactId: contact.contactId,
    acdcontactId: contact.acdContactId,
    ...(contact.kind === 'workitem' ? {} : { elevatedInteraction: contact.elevated }),
    ...(contact.brandEmbassy ? { brandEmbassyConfig: contact.brandEmbassy } : {}),
  };
}
