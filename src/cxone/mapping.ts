/**
 * The pure mapping from CXone's Media Playback answers to our models: no I/O, no clock (the answer's
 * time comes in `MappingContext`). CXone's answers are loosely typed, so every value passes a guard
 * and a field of the wrong type counts as absent; only an answer that is no contact is an error.
 */
import { linkExpiry } from '../expiry.js';
import type {
  BusinessDataEntryModel,
  CategoryMatchModel,
  EmailContentModel,
  InteractionModel,
  MediaTypeName,
  MediaUrlModel,
  ParticipantModel,
  RecordingModel,
  SegmentModel,
  SentimentModel,
  StatementMediaModel,
  TranscriptMessageModel,
  TranscriptModel,
} from '../models.js';
import type {
  WireCategoryMatch,
  WireChatMessage,
  WireContactAnswer,
  WireEmailContent,
  WireInteraction,
  WireInteractionData,
  WireParticipant,
  WireSegmentData,
  WireSentiment,
} from './playback-wire.js';

/** CXone's `media-type` value for each of our GraphQL enum's; the client sends exactly one. */
export const CXONE_MEDIA_TYPES = {
  ALL: 'all',
  VOICE_ONLY: 'voice-only',
  VOICE_AND_SCREEN: 'voice-and-screen',
  CHAT: 'chat',
  EMAIL: 'email',
} as const satisfies Record<MediaTypeName, string>;

/** What a mapping needs besides the answer itself. */
export interface MappingContext {
  /** When CXone answered (ms since epoch, from the injected clock): links live max(30 min, duration) from here. */
  readonly answeredAt: number;
  readonly requestedMediaType: MediaTypeName;
}

/** A 200 answer that is not a CXone contact; its message never quotes the answer (it may hold signed links). */
export class InvalidCxoneAnswer extends Error {
  override readonly name = 'InvalidCxoneAnswer';
}

/** /contacts answer -> RecordingModel; InvalidCxoneAnswer when it is not an object or has no interactions array. */
export function mapContactAnswer(body: unknown, acdContactId: string, ctx: MappingContext): RecordingModel {
  const { root, interactions } = readAnswer(body, 'contacts', ['interactions', 'Interactions']);

  const span = timeSpan(interactions);
  const durationSeconds = durationOf(span.startTime, span.endTime);
  const agents = agentsOf(interactions);
  // Every link of one contact gets CXone's contact-level download name: same agent, start and id.
  const fileName = recordingFileName(firstAgentName(agents), span.startTime, acdContactId);

  const voice = interactions.some((interaction) => interaction.category === 'call');
  // A screen recording is never a digital contact's primary file: it is its screenUrl.
  const pieces = interactions.filter((interaction) => (voice ? interaction.category === 'call' : !interaction.isScreen));
  const primary = pieces.find((interaction) => interaction.fileUrl !== null) ?? pieces[0];
  // A screen recording is a separate link only on digital contacts; a voice-and-screen call is one file.
  const screen = voice ? undefined : interactions.find((interaction) => interaction.isScreen && interaction.fileUrl !== null);

  const redirectUrl = readTrimmed(root.redirectUrl);
  // With isDownload=true CXone puts the primary file in redirectUrl; it covers the whole contact.
  const mediaUrl =
    redirectUrl === null
      ? interactionLink(primary, durationSeconds, fileName, ctx)
      : buildMediaUrl(redirectUrl, durationSeconds, fileName, primary?.mediaType ?? null, ctx);

  return {
    // Identity is the id we asked for; the answer's acdcontactId is a number or a string and is not trusted.
    acdContactId,
    contactId: readId(root.contactId),
    requestedMediaType: ctx.requestedMediaType,
    startTime: span.startTime,
    endTime: span.endTime,
    durationSeconds,
    mediaUrl,
    screenUrl: screen === undefined ? null : interactionLink(screen, durationSeconds, fileName, ctx),
    transcript: voice ? null : readTranscript(interactions),
    segments: collectSegments(interactions, ctx),
    interactions: interactions.map(
      (interaction): InteractionModel => ({
        kind: interaction.kind,
        mediaType: interaction.mediaType,
        channelType: interaction.channelType,
        startTime: interaction.startTime,
        endTime: interaction.endTime,
        mediaUrl: interactionLink(interaction, durationSeconds, fileName, ctx),
        participants: interaction.participants,
        businessData: interaction.businessData,
      }),
    ),
    agents,
    sentiments: collectSentiments(interactions),
    categories: collectCategories(interactions),
    tags: collectTags(interactions),
  };
}

/** /segments/{id} answer -> SegmentModel with mediaUrl set (null when the segment has no file). */
export function mapSegmentAnswer(body: unknown, segmentId: string, ctx: MappingContext): SegmentModel {
  // The spec spells it `Interactions` here; real answers may use either.
  const { root, interactions } = readAnswer(body, 'segments', ['Interactions', 'interactions']);

  const items = interactions.flatMap((interaction) => interaction.segments.map((data) => ({ interaction, data })));
  // The item with that id, else the first there is.
  const found = items.find((item) => readId(item.data.segmentId) === segmentId) ?? items[0];
  const segmentData = found?.data ?? {};
  // The segment's own interaction carries its file; failing that, the first interaction that has one.
  const holder = [found?.interaction, ...interactions].find((interaction) => interaction?.fileUrl != null);

  let mediaUrl: MediaUrlModel | null = null;
  if (holder?.fileUrl != null) {
    const segmentStart = readTime(segmentData.startTime);
    // The answer's acdcontactId is only a label in the file name, and only when it looks like one.
    const answerId = readId(root.acdcontactId ?? root.acdContactId);
    const label = answerId !== null && /^\d+$/.test(answerId) ? answerId : segmentId;
    const fileName = recordingFileName(firstAgentName(agentsOf(interactions)), segmentStart ?? holder.startTime, label);
    // The link lives as long as the recording it plays: the interaction's, else the segment's duration.
    const duration = holder.durationSeconds ?? durationOf(segmentStart, readTime(segmentData.endTime));
    mediaUrl = buildMediaUrl(holder.fileUrl, duration, fileName, holder.mediaType, ctx);
  }
  // Identity is the id we asked for, even when CXone's list only had another one.
  return { ...toSegmentModel(segmentId, segmentData, ctx), agents: agentsOfSegment(interactions, segmentId), mediaUrl };
}

/** /acd-contacts/{id}/statements/{sid} answer -> StatementMediaModel. */
export function mapStatementAnswer(body: unknown, acdContactId: string, statementId: string, ctx: MappingContext): StatementMediaModel {
  const { root, interactions } = readAnswer(body, 'statements', ['interactions', 'Interactions']);
  const span = timeSpan(interactions);
  const first = interactions.find((interaction) => interaction.fileUrl !== null) ?? interactions[0];

  const url = readTrimmed(root.redirectUrl) ?? first?.fileUrl ?? readTrimmed(root.fileToPlayUrl);
  let mediaUrl: MediaUrlModel | null = null;
  if (url !== null) {
    const fileName = recordingFileName(firstAgentName(agentsOf(interactions)), span.startTime, acdContactId);
    mediaUrl = buildMediaUrl(url, durationOf(span.startTime, span.endTime), fileName, first?.mediaType ?? null, ctx);
  }
  return { acdContactId, statementId, mediaUrl };
}

/** A wire object's documented keys (a typo does not compile) with values we do not trust. */
type Untrusted<T> = { readonly [K in keyof T as string extends K ? never : K]?: unknown };

/** A non-array object whose documented fields can be read (as `unknown`); null for anything else. */
function readObject<T>(value: unknown): Untrusted<T> | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  return value;
}

/** The object items of an array (anything else in it is skipped); [] when the value is not an array. */
function readObjects<T>(value: unknown): Untrusted<T>[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) => readObject<T>(item) ?? []);
}

function readString(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function readNonEmptyString(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/** A non-empty string without its surrounding white space; null for anything else. Shared by every CXone mapping. */
export function readTrimmed(value: unknown): string | null {
  return readNonEmptyString(value)?.trim() ?? null;
}

/** An identifier: a non-empty string, or a finite number as its decimal text (CXone sends both). */
export function readId(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return readTrimmed(value);
}

/** A scalar shown as text: strings as they are, finite numbers and booleans as their text. */
function readText(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  return readString(value);
}

/** A finite number, also from a numeric string (CXone's JSON types drift). */
function readNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || value.trim() === '') return null;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : null;
}

/** A boolean, also from the strings "true"/"false" in any case. */
function readBoolean(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  const lowered = typeof value === 'string' ? value.trim().toLowerCase() : null;
  return lowered === 'true' ? true : lowered === 'false' ? false : null;
}

/** The string items of an array (others skipped); a lone string counts as a list of one. */
function readStrings(value: unknown): string[] {
  if (typeof value === 'string') return value === '' ? [] : [value];
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is string => typeof item === 'string');
}

function readNumbers(value: unknown): number[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) => readNumber(item) ?? []);
}

/**
 * The answer and its interactions under either spelling, keys tried in order (an explicit null is
 * none); no interactions array is an error but in a statement answer, which may be only a redirectUrl.
 */
function readAnswer(body: unknown, source: 'contacts' | 'segments' | 'statements', keys: readonly ('interactions' | 'Interactions')[]) {
  const root = readObject<WireContactAnswer>(body);
  if (root === null) throw new InvalidCxoneAnswer(`CXone ${source} answer is not a JSON object`);
  const key = keys.find((name) => Array.isArray(root[name]));
  if (key === undefined && source !== 'statements' && !keys.some((name) => root[name] === null)) {
    throw new InvalidCxoneAnswer(`CXone ${source} answer has no interactions array`);
  }
  // Items that are not objects are skipped: one bad item does not lose the contact.
  const interactions = key === undefined ? [] : readObjects<WireInteraction>(root[key]).map(readInteraction);
  return { root, interactions };
}

/** How mapping treats an interaction, from `@type` or, when that is missing or unknown, its mediaType. */
type Category = 'call' | 'chat' | 'email' | 'other';

/** One interaction, read once; everything the models need is derived from this. */
type ReadInteraction = Readonly<ReturnType<typeof readInteraction>>;

function readInteraction(raw: Untrusted<WireInteraction>) {
  // A missing or malformed data object reads as an empty one: the interaction still counts.
  const data = readObject<WireInteractionData>(raw.data) ?? {};
  const kind = readTrimmed(raw['@type'])?.toLowerCase() ?? 'unknown';
  const mediaType = readNonEmptyString(raw.mediaType);
  const media = mediaType?.toLowerCase() ?? '';
  const ownStart = readTime(raw.startTime);
  const ownEnd = readTime(raw.endTime);
  const dataStart = readTime(data.startTime);
  const dataEnd = readTime(data.endTime);
  const starts = [ownStart, dataStart].filter((time) => time !== null);
  const ends = [ownEnd, dataEnd].filter((time) => time !== null);
  const callList = readObjects<WireParticipant>(data.participantDataList);
  return {
    kind,
    category: categorise(kind, media),
    mediaType,
    channelType: readNonEmptyString(raw.channelType),
    startTime: ownStart ?? dataStart,
    endTime: ownEnd ?? dataEnd,
    // Every start and end it or its data mentions, for the contact's span.
    starts,
    ends,
    durationSeconds: durationOf(byTime(starts)[0] ?? null, byTime(ends).at(-1) ?? null),
    // chat-and-screen, email-and-screen, BE_AND_SCREEN, ...: the screen recording of a piece.
    isScreen: media.endsWith('-and-screen') || media.endsWith('_and_screen'),
    fileUrl: readTrimmed(data.fileToPlayUrl),
    // Call participants (participantDataList) when there are any, else chat/email participants.
    participants: (callList.length > 0 ? callList : readObjects<WireParticipant>(data.participants)).map(toParticipant),
    businessData: readBusinessData(raw.dynamicBusinessData),
    segments: readObjects<WireSegmentData>(data.segmentsDataList),
    raw,
    data,
  };
}

function categorise(kind: string, media: string): Category {
  if (kind === 'call' || kind === 'chat' || kind === 'email') return kind;
  // Without a usable @type, the mediaType's prefix (voice-*, chat*, email*) says what it is.
  if (media.startsWith('voice')) return 'call';
  if (media.startsWith('chat')) return 'chat';
  if (media.startsWith('email')) return 'email';
  return 'other';
}

/** A segment's agents: a call's by segmentId; a chat's or email's (no segment ids) those of its interaction. */
function agentsOfSegment(interactions: readonly ReadInteraction[], segmentId: string): ParticipantModel[] {
  const onSegment = interactions.flatMap((interaction) => {
    const callList = readObjects<WireParticipant>(interaction.data.participantDataList);
    if (callList.length > 0) {
      return callList.filter((participant) => readId(participant.segmentId) === segmentId).map(toParticipant);
    }
    const listsSegment = interaction.segments.some((item) => readId(item.segmentId) === segmentId);
    return listsSegment ? interaction.participants : [];
  });
  return distinctAgents(onSegment);
}

function toParticipant(participant: Untrusted<WireParticipant>): ParticipantModel {
  return {
    // A participant of no stated type is kept as UNKNOWN rather than dropped.
    participantType: readTrimmed(participant.participantType) ?? 'UNKNOWN',
    // Calls name agents in agentName, digital contacts in participantName; either is read from both lists.
    name: readNonEmptyString(participant.agentName) ?? readNonEmptyString(participant.participantName),
    participantId: readId(participant.participantId),
    userId: readId(participant.userId),
  };
}

/** dynamicBusinessData: `{id, value}` -> `{key: id, value}`, a plain string -> `{key: null, value}`. */
function readBusinessData(value: unknown): BusinessDataEntryModel[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown): BusinessDataEntryModel[] => {
    const object = readObject<{ id?: unknown; value?: unknown }>(item);
    if (object === null) {
      // Plain strings (and stray numbers or booleans) are values without a key.
      const text = readText(item);
      return text === null ? [] : [{ key: null, value: text }];
    }
    const entry = { key: readId(object.id), value: readText(object.value) };
    return entry.key !== null || entry.value !== null ? [entry] : [];
  });
}

/** ISO-8601 date or date-time, optional fraction, optional zone. */
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(Z|[+-]\d{2}:\d{2})?$/i;

/**
 * A time as ISO-8601 UTC with millis, or null. Only ISO-8601 text: Date's lenient parsing depends on
 * the server's zone, and a bare number could be seconds or milliseconds.
 */
function readTime(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  const match = ISO_TIME.exec(text);
  if (match === null || !isRealDate(Number(match[1]), Number(match[2]), Number(match[3]))) return null;
  // CXone documents UTC; a date-time without a zone is read as UTC, not as the server's local time.
  const zoned = match[4] !== undefined && match[7] === undefined ? `${text}Z` : text;
  const time = Date.parse(zoned.replace(' ', 'T'));
  return Number.isFinite(time) ? new Date(time).toISOString() : null;
}

/** Date.parse rolls 2024-02-31 over to March; this refuses days a month does not have. */
function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Normalised times in time order (the sort is stable). */
function byTime(times: readonly string[]): string[] {
  return [...times].sort((a, b) => Date.parse(a) - Date.parse(b));
}

/** The contact's span: earliest start and latest end over every interaction and its data. */
function timeSpan(interactions: readonly ReadInteraction[]): { startTime: string | null; endTime: string | null } {
  return {
    startTime: byTime(interactions.flatMap((interaction) => interaction.starts))[0] ?? null,
    endTime: byTime(interactions.flatMap((interaction) => interaction.ends)).at(-1) ?? null,
  };
}

function durationOf(startTime: string | null, endTime: string | null): number | null {
  if (startTime === null || endTime === null) return null;
  const seconds = (Date.parse(endTime) - Date.parse(startTime)) / 1000;
  // An end before the start is a broken answer, not a negative duration.
  return seconds >= 0 ? seconds : null;
}

/** Sort order of two normalised times; an unknown time sorts after every known one. */
function compareTimes(a: string | null, b: string | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return Date.parse(a) - Date.parse(b);
}

/** An interaction's link: it lives as long as that piece lasted, or the whole contact when unknown. */
function interactionLink(
  interaction: ReadInteraction | undefined,
  contactDurationSeconds: number | null,
  fileName: string | null,
  ctx: MappingContext,
): MediaUrlModel | null {
  if (interaction?.fileUrl == null) return null;
  return buildMediaUrl(interaction.fileUrl, interaction.durationSeconds ?? contactDurationSeconds, fileName, interaction.mediaType, ctx);
}

function buildMediaUrl(
  url: string,
  durationSeconds: number | null,
  fileName: string | null,
  mediaType: string | null,
  ctx: MappingContext,
): MediaUrlModel {
  return { url, expiresAt: new Date(linkExpiry(url, ctx.answeredAt, durationSeconds)).toISOString(), fileName, mediaType };
}

/**
 * CXone's download name, `recording_{agent}_{start UTC}_{id}.mp4`; null without a start (it would not
 * match CXone's). Characters a file system refuses become '_'; spaces stay, as in CXone's.
 */
function recordingFileName(agentName: string | null, startTime: string | null, id: string): string | null {
  if (startTime === null) return null;
  const stamp = `${new Date(startTime).toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;
  const agent = agentName === null || agentName.trim() === '' ? 'unknown' : agentName.trim();
  // eslint-disable-next-line no-control-regex -- control characters are among the refused ones
  return `recording_${agent}_${stamp}_${id}.mp4`.replace(/[/\\:*?"<>|\u0000-\u001f\u007f]/g, '_');
}

/** AGENT participants once each, in first-seen order, by userId, else participantId, else name. */
function distinctAgents(participants: readonly ParticipantModel[]): ParticipantModel[] {
  const seen = new Set<string>();
  return participants.filter((participant) => {
    if (participant.participantType.toUpperCase() !== 'AGENT') return false;
    const key =
      participant.userId !== null
        ? `user:${participant.userId}`
        : participant.participantId !== null
          ? `participant:${participant.participantId}`
          : participant.name !== null
            ? `name:${participant.name}`
            : null;
    // An agent with no id and no name cannot be told apart or shown: dropped.
    if (key === null || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function agentsOf(interactions: readonly ReadInteraction[]): ParticipantModel[] {
  return distinctAgents(interactions.flatMap((interaction) => interaction.participants));
}

/** The first agent that has a name: the one CXone puts in its download name. */
function firstAgentName(agents: readonly ParticipantModel[]): string | null {
  return agents.find((agent) => agent.name !== null)?.name ?? null;
}

function toSegmentModel(segmentId: string, item: Untrusted<WireSegmentData>, ctx: MappingContext): SegmentModel {
  return {
    segmentId,
    startTime: readTime(item.startTime),
    endTime: readTime(item.endTime),
    openReason: readNonEmptyString(item.openReasonType),
    closeReason: readNonEmptyString(item.closeReasonType),
    direction: readNonEmptyString(item.directionType),
    channelType: readNonEmptyString(item.channelType),
    firstSegment: readBoolean(item.firstSegment),
    requestedMediaType: ctx.requestedMediaType,
  };
}

/** Every interaction's segmentsDataList, once per segmentId (first wins), in start order. */
function collectSegments(interactions: readonly ReadInteraction[], ctx: MappingContext): SegmentModel[] {
  const seen = new Set<string>();
  const segments: SegmentModel[] = [];
  for (const item of interactions.flatMap((interaction) => interaction.segments)) {
    const id = readId(item.segmentId);
    // A segment without an id cannot be loaded or referred to: dropped.
    if (id === null || seen.has(id)) continue;
    seen.add(id);
    segments.push({ ...toSegmentModel(id, item, ctx), agents: agentsOfSegment(interactions, id) });
  }
  // Segments without a start go last, in CXone's order (the sort is stable).
  return segments.sort((a, b) => compareTimes(a.startTime, b.startTime));
}

/**
 * The call pieces' data when any has the key, else null: CXone's answer to a caller without "View
 * sentiments and categories". A key present with null means the permission is there, the data not.
 */
function callDataWith(
  interactions: readonly ReadInteraction[],
  key: 'sentiments' | 'categoryMatchesList',
): Untrusted<WireInteractionData>[] | null {
  const calls = interactions.filter((interaction) => interaction.category === 'call').map((call) => call.data);
  return calls.some((data) => key in data) ? calls : null;
}

function collectSentiments(interactions: readonly ReadInteraction[]): SentimentModel[] | null {
  return (
    callDataWith(interactions, 'sentiments')?.flatMap((data) =>
      readObjects<WireSentiment>(data.sentiments).flatMap((item): SentimentModel[] => {
        const overallSentiment = readNonEmptyString(item.overallSentiment);
        if (overallSentiment === null) return [];
        const channel = readNumber(item.channel);
        const segmentStartTime = readTime(item.segmentStartTime);
        return [{ overallSentiment, segmentStartTime, channel: Number.isInteger(channel) ? channel : null }];
      }),
    ) ?? null
  );
}

function collectCategories(interactions: readonly ReadInteraction[]): CategoryMatchModel[] | null {
  return (
    callDataWith(interactions, 'categoryMatchesList')?.flatMap((data) =>
      readObjects<WireCategoryMatch>(data.categoryMatchesList).map((item) => ({
        categoryHierarchy: readStrings(item.categoryHierarchy),
        secondsOffsets: readNumbers(item.secondsOffsets),
        confidence: readNumber(item.confidence),
      })),
    ) ?? null
  );
}

/** callTaggingList values of every interaction, once each, in first-seen order. */
function collectTags(interactions: readonly ReadInteraction[]): string[] {
  const tags = new Set<string>();
  for (const interaction of interactions) {
    const list: unknown = interaction.raw.callTaggingList;
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      const tag = readObject<{ value?: unknown }>(item);
      // Items are {updateTime, value}; a plain string is taken as the value itself.
      const value = readNonEmptyString(tag === null ? item : tag.value);
      if (value !== null) tags.add(value);
    }
  }
  return [...tags];
}

/** A digital contact's transcript; the first chat or email piece decides the kind. */
function readTranscript(interactions: readonly ReadInteraction[]): TranscriptModel | null {
  const first = interactions.find((interaction) => interaction.category === 'chat' || interaction.category === 'email');
  // A digital contact that is neither chat nor email (a work item) has no transcript.
  if (first === undefined) return null;
  const pieces = interactions.filter((interaction) => interaction.category === first.category).map((piece) => piece.data);
  if (first.category === 'chat') {
    // The first chat piece that has messages: a screen piece may repeat them.
    const messages = pieces.map((data) => readObjects<WireChatMessage>(data.messages)).find((list) => list.length > 0) ?? [];
    // Digital-first chats have no transcript in CXone: a chat with no messages, not an error.
    return { kind: 'CHAT', messages: messages.map(toMessage).sort((a, b) => compareTimes(a.timestamp, b.timestamp)), email: null };
  }
  const content = pieces.map((data) => readObject<WireEmailContent>(data.content)).find((found) => found !== null);
  // An email without content is still an email transcript, with nothing to show.
  return { kind: 'EMAIL', messages: [], email: content == null ? null : toEmail(content) };
}

function toMessage(message: Untrusted<WireChatMessage>): TranscriptMessageModel {
  return {
    participantType: readTrimmed(message.participantType) ?? 'UNKNOWN',
    participantName: readNonEmptyString(message.participantName),
    text: readString(message.text) ?? '',
    timestamp: readTime(message.timeStamp ?? message.timestamp),
  };
}

function toEmail(content: Untrusted<WireEmailContent>): EmailContentModel {
  return {
    from: readNonEmptyString(content.from),
    to: readStrings(content.to),
    cc: readStrings(content.cc),
    bcc: readStrings(content.bcc),
    subject: readString(content.subject),
    body: readString(content.body),
    sentTime: readTime(content.sentTime),
  };
}
