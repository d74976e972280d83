/**
 * The pure mapping from CXone's Media Playback answers to our models. No I/O, no clock: the time
 * CXone answered comes in through `MappingContext`, so the same answer always maps the same way.
 *
 * CXone's answers are loosely typed and change spelling between endpoints (see wire.ts), so every
 * value is read through a guard and a field of the wrong type counts as absent. Only an answer that
 * is not a contact at all (not an object, no interactions array) is an error: InvalidCxoneAnswer.
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
import {
  readBoolean,
  readId,
  readNonEmptyString,
  readNumber,
  readNumbers,
  readObject,
  readObjects,
  readString,
  readStrings,
  readText,
  type Untrusted,
  type WireCallParticipant,
  type WireCallTag,
  type WireCategoryMatch,
  type WireChatMessage,
  type WireContactAnswer,
  type WireDigitalParticipant,
  type WireEmailContent,
  type WireInteraction,
  type WireInteractionData,
  type WireSegmentData,
  type WireSentiment,
} from './wire.js';

/** CXone's `media-type` value for our GraphQL enum; the client sends exactly one. */
export function toCxoneMediaType(mediaType: MediaTypeName): 'all' | 'voice-only' | 'voice-and-screen' | 'chat' | 'email' {
  switch (mediaType) {
    case 'ALL':
      return 'all';
    case 'VOICE_ONLY':
      return 'voice-only';
    case 'VOICE_AND_SCREEN':
      return 'voice-and-screen';
    case 'CHAT':
      return 'chat';
    case 'EMAIL':
      return 'email';
  }
}

/** What a mapping needs besides the answer itself. */
export interface MappingContext {
  /** When CXone answered (ms since epoch, from the injected clock): links live max(30 min, duration) from here. */
  readonly answeredAt: number;
  readonly requestedMediaType: MediaTypeName;
}

/**
 * A 200 answer that is not a CXone contact (an error body, an HTML page parsed as JSON, a proxy's
 * reply). The client turns it into a CxoneError of kind `invalid-response`. Its message never holds
 * any of the answer, which could contain signed links.
 */
export class InvalidCxoneAnswer extends Error {
  override readonly name = 'InvalidCxoneAnswer';
}

/**
 * /contacts answer -> RecordingModel. Throws InvalidCxoneAnswer when the body is not an object or
 * has no interactions array at all (neither `interactions` nor `Interactions` is an array or null).
 */
export function mapContactAnswer(body: unknown, acdContactId: string, ctx: MappingContext): RecordingModel {
  const root = readAnswer(body, 'contacts');
  const list = readInteractionList(root, ['interactions', 'Interactions']);
  if (list === undefined) throw new InvalidCxoneAnswer('CXone contacts answer has no interactions array');
  const interactions = list.map(readInteraction);

  const span = timeSpan(interactions);
  const durationSeconds = durationOf(span.startTime, span.endTime);
  const agents = distinctAgents(interactions);
  // Every link of one contact gets CXone's contact-level download name: same agent, start and id.
  const fileName = recordingFileName(firstAgentName(agents), span.startTime, acdContactId);

  const voice = interactions.some((interaction) => interaction.category === 'call');
  const primary = voice ? pickPrimaryCall(interactions) : pickPrimaryDigital(interactions);
  // A screen recording is a separate link only on digital contacts; a voice-and-screen call is one file.
  const screen = voice
    ? undefined
    : interactions.find((interaction) => interaction.isScreen && interaction.fileUrl !== null);

  const redirectUrl = readNonEmptyString(root.redirectUrl);
  const primaryMediaType = primary?.mediaType ?? null;
  let mediaUrl: MediaUrlModel | null = null;
  if (redirectUrl !== null) {
    // With isDownload=true CXone puts the primary file in redirectUrl; it covers the whole contact.
    mediaUrl = buildMediaUrl(redirectUrl.trim(), durationSeconds, fileName, primaryMediaType, ctx);
  } else if (primary !== undefined && primary.fileUrl !== null) {
    mediaUrl = interactionLink(primary, primary.fileUrl, durationSeconds, fileName, ctx);
  }
  const screenUrl =
    screen !== undefined && screen.fileUrl !== null
      ? interactionLink(screen, screen.fileUrl, durationSeconds, fileName, ctx)
      : null;

  return {
    // Identity is the id we asked for; the answer's acdcontactId is a number or a string and is not trusted.
    acdContactId,
    contactId: readId(root.contactId),
    requestedMediaType: ctx.requestedMediaType,
    startTime: span.startTime,
    endTime: span.endTime,
    durationSeconds,
    mediaUrl,
    screenUrl,
    transcript: voice ? null : readTranscript(interactions),
    segments: collectSegments(interactions, ctx),
    interactions: interactions.map((interaction) =>
      toInteractionModel(interaction, durationSeconds, fileName, ctx),
    ),
    agents,
    sentiments: collectSentiments(interactions),
    categories: collectCategories(interactions),
    tags: collectTags(interactions),
  };
}

/** /segments/{id} answer -> SegmentModel with mediaUrl set (null when the segment has no file). */
export function mapSegmentAnswer(body: unknown, segmentId: string, ctx: MappingContext): SegmentModel {
  const root = readAnswer(body, 'segments');
  // The spec spells it `Interactions` here; real answers may use either.
  const list = readInteractionList(root, ['Interactions', 'interactions']);
  if (list === undefined) throw new InvalidCxoneAnswer('CXone segments answer has no interactions array');
  const interactions = list.map(readInteraction);

  const found = findSegment(interactions, segmentId);
  const segmentData = found?.data ?? null;
  // The segment's own interaction carries its file; failing that, the first interaction that has one.
  const holder =
    found !== undefined && found.interaction.fileUrl !== null
      ? found.interaction
      : interactions.find((interaction) => interaction.fileUrl !== null);

  const segmentStart = segmentData === null ? null : readTime(segmentData.startTime);
  const segmentEnd = segmentData === null ? null : readTime(segmentData.endTime);
  let mediaUrl: MediaUrlModel | null = null;
  if (holder !== undefined && holder.fileUrl !== null) {
    const agentName = firstAgentName(distinctAgents(interactions));
    // The answer's acdcontactId is only a label in the file name, and only when it looks like one.
    const answerId = readId(root.acdcontactId ?? root.acdContactId);
    const label = answerId !== null && /^\d+$/.test(answerId) ? answerId : segmentId;
    const fileName = recordingFileName(agentName, segmentStart ?? holder.startTime, label);
    // The link lives as long as the recording it plays: the interaction's, else the segment's duration.
    const duration = holder.durationSeconds ?? durationOf(segmentStart, segmentEnd);
    mediaUrl = buildMediaUrl(holder.fileUrl, duration, fileName, holder.mediaType, ctx);
  }

  // Identity is the id we asked for, even when CXone's list only had another one.
  const base = segmentData === null ? emptySegment(segmentId, ctx) : toSegmentModel(segmentId, segmentData, ctx);
  return { ...base, agents: agentsOfSegment(interactions, segmentId), mediaUrl };
}

/** /acd-contacts/{id}/statements/{sid} answer -> StatementMediaModel. */
export function mapStatementAnswer(
  body: unknown,
  acdContactId: string,
  statementId: string,
  ctx: MappingContext,
): StatementMediaModel {
  const root = readAnswer(body, 'statements');
  // A statement answer may be only a redirectUrl, so a missing interactions array is not an error here.
  const interactions = (readInteractionList(root, ['interactions', 'Interactions']) ?? []).map(readInteraction);
  const span = timeSpan(interactions);
  const first = interactions.find((interaction) => interaction.fileUrl !== null) ?? interactions[0];

  const url =
    readNonEmptyString(root.redirectUrl) ?? first?.fileUrl ?? readNonEmptyString(root.fileToPlayUrl);
  let mediaUrl: MediaUrlModel | null = null;
  if (url !== null) {
    const fileName = recordingFileName(firstAgentName(distinctAgents(interactions)), span.startTime, acdContactId);
    mediaUrl = buildMediaUrl(url.trim(), durationOf(span.startTime, span.endTime), fileName, first?.mediaType ?? null, ctx);
  }
  return { acdContactId, statementId, mediaUrl };
}

// ---------------------------------------------------------------------------------------------
// Reading the answer

/** Which endpoint an answer came from, for the error message only. */
type AnswerSource = 'contacts' | 'segments' | 'statements';

/** The answer's top level as an object; anything else is not a CXone answer. */
function readAnswer(body: unknown, source: AnswerSource): Untrusted<WireContactAnswer> {
  const root = readObject<WireContactAnswer>(body);
  if (root === null) throw new InvalidCxoneAnswer(`CXone ${source} answer is not a JSON object`);
  return root;
}

/**
 * The interactions list under either spelling, keys tried in order: the first array wins; an
 * explicit null means "none" ([]); undefined when neither key holds an array or null.
 */
function readInteractionList(
  root: Untrusted<WireContactAnswer>,
  keys: readonly ('interactions' | 'Interactions')[],
): Untrusted<WireInteraction>[] | undefined {
  for (const key of keys) {
    const value = root[key];
    // Items that are not objects are skipped: one bad item does not lose the contact.
    if (Array.isArray(value)) return readObjects<WireInteraction>(value);
  }
  return keys.some((key) => root[key] === null) ? [] : undefined;
}

/** How mapping treats an interaction, from `@type` or, when that is missing or unknown, its mediaType. */
type Category = 'call' | 'chat' | 'email' | 'other';

/** One interaction, read once; everything the models need is derived from this. */
interface ReadInteraction {
  /** `@type` lower-cased, 'unknown' when absent (the model's `kind`). */
  readonly kind: string;
  readonly category: Category;
  readonly mediaType: string | null;
  readonly channelType: string | null;
  /** Its own start/end: the interaction's, else its data's. */
  readonly startTime: string | null;
  readonly endTime: string | null;
  /** Every start and end it or its data mentions, for the contact's span. */
  readonly starts: readonly string[];
  readonly ends: readonly string[];
  readonly durationSeconds: number | null;
  readonly isScreen: boolean;
  readonly fileUrl: string | null;
  readonly participants: readonly ParticipantModel[];
  readonly businessData: readonly BusinessDataEntryModel[];
  readonly raw: Untrusted<WireInteraction>;
  readonly data: Untrusted<WireInteractionData>;
}

function readInteraction(raw: Untrusted<WireInteraction>): ReadInteraction {
  // A missing or malformed data object reads as an empty one: the interaction still counts.
  const data = readObject<WireInteractionData>(raw.data) ?? {};
  const typeText = readNonEmptyString(raw['@type']);
  const kind = typeText === null ? 'unknown' : typeText.trim().toLowerCase();
  const mediaType = readNonEmptyString(raw.mediaType);
  const ownStart = readTime(raw.startTime);
  const ownEnd = readTime(raw.endTime);
  const dataStart = readTime(data.startTime);
  const dataEnd = readTime(data.endTime);
  const starts = [ownStart, dataStart].filter((time): time is string => time !== null);
  const ends = [ownEnd, dataEnd].filter((time): time is string => time !== null);
  const span = { startTime: earliest(starts), endTime: latest(ends) };
  return {
    kind,
    category: categorise(kind, mediaType),
    mediaType,
    channelType: readNonEmptyString(raw.channelType),
    startTime: ownStart ?? dataStart,
    endTime: ownEnd ?? dataEnd,
    starts,
    ends,
    durationSeconds: durationOf(span.startTime, span.endTime),
    isScreen: isScreenMediaType(mediaType),
    fileUrl: readNonEmptyString(data.fileToPlayUrl)?.trim() ?? null,
    participants: readParticipants(data),
    businessData: readBusinessData(raw.dynamicBusinessData),
    raw,
    data,
  };
}

function categorise(kind: string, mediaType: string | null): Category {
  if (kind === 'call' || kind === 'chat' || kind === 'email') return kind;
  // Without a usable @type, the mediaType's prefix (voice-*, chat*, email*) says what it is.
  const media = mediaType?.toLowerCase() ?? '';
  if (media.startsWith('voice')) return 'call';
  if (media.startsWith('chat')) return 'chat';
  if (media.startsWith('email')) return 'email';
  return 'other';
}

/** chat-and-screen, email-and-screen, BE_AND_SCREEN, ...: the screen recording of a piece. */
function isScreenMediaType(mediaType: string | null): boolean {
  const media = mediaType?.toLowerCase() ?? '';
  return media.endsWith('-and-screen') || media.endsWith('_and_screen');
}

/** Call participants (participantDataList) when there are any, else chat/email participants. */
function readParticipants(data: Untrusted<WireInteractionData>): ParticipantModel[] {
  const callList = readObjects<WireCallParticipant & WireDigitalParticipant>(data.participantDataList);
  const list =
    callList.length > 0 ? callList : readObjects<WireCallParticipant & WireDigitalParticipant>(data.participants);
  return list.map(toParticipant);
}

/**
 * The AGENT participants of one segment, each once. A call's participantDataList ties each entry
 * to its segmentId; chats and emails list participants with no segment id, so a segment they list
 * gets the agents of its interaction.
 */
function agentsOfSegment(interactions: readonly ReadInteraction[], segmentId: string): ParticipantModel[] {
  const onSegment = interactions.flatMap((interaction) => {
    const callList = readObjects<WireCallParticipant & WireDigitalParticipant>(interaction.data.participantDataList);
    if (callList.length > 0) {
      return callList.filter((participant) => readId(participant.segmentId) === segmentId).map(toParticipant);
    }
    const listsSegment = readObjects<WireSegmentData>(interaction.data.segmentsDataList).some(
      (item) => readId(item.segmentId) === segmentId,
    );
    return listsSegment ? interaction.participants : [];
  });
  return distinctAgentList(onSegment);
}

function toParticipant(participant: Untrusted<WireCallParticipant & WireDigitalParticipant>): ParticipantModel {
  return {
    // A participant of no stated type is kept as UNKNOWN rather than dropped.
    participantType: readNonEmptyString(participant.participantType)?.trim() ?? 'UNKNOWN',
    // Calls name agents in agentName, digital contacts in participantName; either is read from both lists.
    name: readNonEmptyString(participant.agentName) ?? readNonEmptyString(participant.participantName),
    participantId: readId(participant.participantId),
    userId: readId(participant.userId),
  };
}

/** dynamicBusinessData: `{id, value}` -> `{key: id, value}`, a plain string -> `{key: null, value}`. */
function readBusinessData(value: unknown): BusinessDataEntryModel[] {
  if (!Array.isArray(value)) return [];
  const entries: BusinessDataEntryModel[] = [];
  for (const item of value) {
    const object = readObject<{ id?: unknown; value?: unknown }>(item);
    if (object !== null) {
      const entry = { key: readId(object.id), value: readText(object.value) };
      // An object with neither id nor value has nothing to show.
      if (entry.key !== null || entry.value !== null) entries.push(entry);
      continue;
    }
    // Plain strings (and stray numbers or booleans) are values without a key.
    const text = readText(item);
    if (text !== null) entries.push({ key: null, value: text });
  }
  return entries;
}

// ---------------------------------------------------------------------------------------------
// Times

/** ISO-8601 date or date-time, optional fraction, optional zone. */
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(Z|[+-]\d{2}:\d{2})?$/i;

/**
 * A time as ISO-8601 UTC with millis, or null when it cannot be read. Only ISO-8601 text is read:
 * Date's lenient parsing of other text depends on the server's time zone, and a bare number could
 * be seconds or milliseconds (CXone documents text), so neither is guessed at.
 */
function readTime(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  const match = ISO_TIME.exec(text);
  if (match === null || !isRealDate(Number(match[1]), Number(match[2]), Number(match[3]))) return null;
  const hasClock = match[4] !== undefined;
  // CXone documents UTC; a date-time without a zone is read as UTC, not as the server's local time.
  const zoned = hasClock && match[7] === undefined ? `${text}Z` : text;
  const time = Date.parse(zoned.replace(' ', 'T'));
  return Number.isFinite(time) ? new Date(time).toISOString() : null;
}

/** Date.parse rolls 2024-02-31 over to March; this refuses days a month does not have. */
function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

function earliest(times: readonly string[]): string | null {
  let result: string | null = null;
  for (const time of times) if (result === null || Date.parse(time) < Date.parse(result)) result = time;
  return result;
}

function latest(times: readonly string[]): string | null {
  let result: string | null = null;
  for (const time of times) if (result === null || Date.parse(time) > Date.parse(result)) result = time;
  return result;
}

/** The contact's span: earliest start and latest end over every interaction and its data. */
function timeSpan(interactions: readonly ReadInteraction[]): { startTime: string | null; endTime: string | null } {
  return {
    startTime: earliest(interactions.flatMap((interaction) => interaction.starts)),
    endTime: latest(interactions.flatMap((interaction) => interaction.ends)),
  };
}

function durationOf(startTime: string | null, endTime: string | null): number | null {
  if (startTime === null || endTime === null) return null;
  const seconds = (Date.parse(endTime) - Date.parse(startTime)) / 1000;
  // An end before the start is a broken answer, not a negative duration.
  return seconds >= 0 ? seconds : null;
}

// ---------------------------------------------------------------------------------------------
// Links and file names

function pickPrimaryCall(interactions: readonly ReadInteraction[]): ReadInteraction | undefined {
  const calls = interactions.filter((interaction) => interaction.category === 'call');
  // With several call pieces, the first that has a file is the one to play.
  return calls.find((interaction) => interaction.fileUrl !== null) ?? calls[0];
}

function pickPrimaryDigital(interactions: readonly ReadInteraction[]): ReadInteraction | undefined {
  // A screen recording is never a digital contact's primary file: it is its screenUrl.
  const pieces = interactions.filter((interaction) => !interaction.isScreen);
  return pieces.find((interaction) => interaction.fileUrl !== null) ?? pieces[0];
}

/** A link of one interaction: it lives as long as that piece lasted, or the whole contact when unknown. */
function interactionLink(
  interaction: ReadInteraction,
  url: string,
  contactDurationSeconds: number | null,
  fileName: string | null,
  ctx: MappingContext,
): MediaUrlModel {
  return buildMediaUrl(url, interaction.durationSeconds ?? contactDurationSeconds, fileName, interaction.mediaType, ctx);
}

function buildMediaUrl(
  url: string,
  durationSeconds: number | null,
  fileName: string | null,
  mediaType: string | null,
  ctx: MappingContext,
): MediaUrlModel {
  return {
    url,
    expiresAt: new Date(linkExpiry(url, ctx.answeredAt, durationSeconds)).toISOString(),
    fileName,
    mediaType,
  };
}

/**
 * CXone's download name, `recording_{agent}_{start UTC}_{id}.mp4`; null when the start is unknown
 * (the name would not match CXone's).
 */
function recordingFileName(agentName: string | null, startTime: string | null, id: string): string | null {
  if (startTime === null) return null;
  const start = new Date(startTime);
  const pad = (value: number): string => String(value).padStart(2, '0');
  const stamp =
    `${String(start.getUTCFullYear()).padStart(4, '0')}${pad(start.getUTCMonth() + 1)}${pad(start.getUTCDate())}` +
    `T${pad(start.getUTCHours())}${pad(start.getUTCMinutes())}${pad(start.getUTCSeconds())}Z`;
  const agent = agentName === null || agentName.trim() === '' ? 'unknown' : agentName.trim();
  return safeFileName(`recording_${agent}_${stamp}_${id}.mp4`);
}

/** Characters Windows, macOS or Linux refuse in a file name. */
const UNSAFE_FILE_NAME_CHARACTERS = new Set(['/', '\\', ':', '*', '?', '"', '<', '>', '|']);

/** Unsafe characters and control characters become '_'; spaces stay (CXone keeps them). */
function safeFileName(name: string): string {
  return Array.from(name, (character) => {
    const code = character.charCodeAt(0);
    const control = code < 0x20 || code === 0x7f;
    return control || UNSAFE_FILE_NAME_CHARACTERS.has(character) ? '_' : character;
  }).join('');
}

// ---------------------------------------------------------------------------------------------
// Models

function toInteractionModel(
  interaction: ReadInteraction,
  contactDurationSeconds: number | null,
  fileName: string | null,
  ctx: MappingContext,
): InteractionModel {
  return {
    kind: interaction.kind,
    mediaType: interaction.mediaType,
    channelType: interaction.channelType,
    startTime: interaction.startTime,
    endTime: interaction.endTime,
    mediaUrl:
      interaction.fileUrl === null
        ? null
        : interactionLink(interaction, interaction.fileUrl, contactDurationSeconds, fileName, ctx),
    participants: interaction.participants,
    businessData: interaction.businessData,
  };
}

function isAgent(participant: ParticipantModel): boolean {
  return participant.participantType.toUpperCase() === 'AGENT';
}

/** AGENT participants once each, in first-seen order, by userId, else participantId, else name. */
function distinctAgents(interactions: readonly ReadInteraction[]): ParticipantModel[] {
  return distinctAgentList(interactions.flatMap((interaction) => interaction.participants));
}

function distinctAgentList(participants: readonly ParticipantModel[]): ParticipantModel[] {
  const seen = new Set<string>();
  const agents: ParticipantModel[] = [];
  for (const participant of participants) {
    if (!isAgent(participant)) continue;
    const key =
      participant.userId !== null
        ? `user:${participant.userId}`
        : participant.participantId !== null
          ? `participant:${participant.participantId}`
          : participant.name !== null
            ? `name:${participant.name}`
            : null;
    // An agent with no id and no name cannot be told apart or shown: dropped.
    if (key === null || seen.has(key)) continue;
    seen.add(key);
    agents.push(participant);
  }
  return agents;
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

function emptySegment(segmentId: string, ctx: MappingContext): SegmentModel {
  return {
    segmentId,
    startTime: null,
    endTime: null,
    openReason: null,
    closeReason: null,
    direction: null,
    channelType: null,
    firstSegment: null,
    requestedMediaType: ctx.requestedMediaType,
  };
}

/** Every interaction's segmentsDataList, once per segmentId (first wins), in start order. */
function collectSegments(interactions: readonly ReadInteraction[], ctx: MappingContext): SegmentModel[] {
  const seen = new Set<string>();
  const segments: SegmentModel[] = [];
  for (const interaction of interactions) {
    for (const item of readObjects<WireSegmentData>(interaction.data.segmentsDataList)) {
      const id = readId(item.segmentId);
      // A segment without an id cannot be loaded or referred to: dropped.
      if (id === null || seen.has(id)) continue;
      seen.add(id);
      segments.push({ ...toSegmentModel(id, item, ctx), agents: agentsOfSegment(interactions, id) });
    }
  }
  // Segments without a start go last, in CXone's order (the sort is stable).
  return segments.sort((a, b) => compareTimes(a.startTime, b.startTime));
}

/** Sort order of two normalised times; an unknown time sorts after every known one. */
function compareTimes(a: string | null, b: string | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return Date.parse(a) - Date.parse(b);
}

/** The segmentsDataList item with that id and its interaction; the first item anywhere when the id is not there. */
function findSegment(
  interactions: readonly ReadInteraction[],
  segmentId: string,
): { interaction: ReadInteraction; data: Untrusted<WireSegmentData> } | undefined {
  let first: { interaction: ReadInteraction; data: Untrusted<WireSegmentData> } | undefined;
  for (const interaction of interactions) {
    for (const data of readObjects<WireSegmentData>(interaction.data.segmentsDataList)) {
      if (readId(data.segmentId) === segmentId) return { interaction, data };
      first ??= { interaction, data };
    }
  }
  return first;
}

/**
 * Sentiments of the call pieces; null when no call piece has the key at all, which is how CXone
 * answers a caller without "View sentiments and categories". A key present with null counts as
 * present and empty: the permission is there, the analytics are not.
 */
function collectSentiments(interactions: readonly ReadInteraction[]): SentimentModel[] | null {
  const calls = interactions.filter((interaction) => interaction.category === 'call');
  if (!calls.some((call) => 'sentiments' in call.data)) return null;
  const sentiments: SentimentModel[] = [];
  for (const call of calls) {
    for (const item of readObjects<WireSentiment>(call.data.sentiments)) {
      const overallSentiment = readNonEmptyString(item.overallSentiment);
      // A sentiment without its value says nothing: dropped.
      if (overallSentiment === null) continue;
      const channel = readNumber(item.channel);
      sentiments.push({
        overallSentiment,
        segmentStartTime: readTime(item.segmentStartTime),
        // Channels are small integers; anything else is not a channel.
        channel: channel !== null && Number.isInteger(channel) ? channel : null,
      });
    }
  }
  return sentiments;
}

/** Category matches of the call pieces; null when no call piece has the key (see collectSentiments). */
function collectCategories(interactions: readonly ReadInteraction[]): CategoryMatchModel[] | null {
  const calls = interactions.filter((interaction) => interaction.category === 'call');
  if (!calls.some((call) => 'categoryMatchesList' in call.data)) return null;
  return calls.flatMap((call) =>
    readObjects<WireCategoryMatch>(call.data.categoryMatchesList).map((item) => ({
      categoryHierarchy: readStrings(item.categoryHierarchy),
      secondsOffsets: readNumbers(item.secondsOffsets),
      confidence: readNumber(item.confidence),
    })),
  );
}

/** callTaggingList values of every interaction, once each, in first-seen order. */
function collectTags(interactions: readonly ReadInteraction[]): string[] {
  const tags: string[] = [];
  for (const interaction of interactions) {
    const list: unknown = interaction.raw.callTaggingList;
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      const tag = readObject<WireCallTag>(item);
      // Items are {updateTime, value}; a plain string is taken as the value itself.
      const value = tag === null ? readNonEmptyString(item) : readNonEmptyString(tag.value);
      if (value !== null && !tags.includes(value)) tags.push(value);
    }
  }
  return tags;
}

/**
 * The transcript of a digital contact: the first chat or email piece decides the kind. Chat
 * messages come from the first chat piece that has any (a screen piece may repeat them).
 */
function readTranscript(interactions: readonly ReadInteraction[]): TranscriptModel | null {
  const first = interactions.find((interaction) => interaction.category === 'chat' || interaction.category === 'email');
  // A digital contact that is neither chat nor email (a work item) has no transcript.
  if (first === undefined) return null;
  if (first.category === 'chat') {
    for (const interaction of interactions) {
      if (interaction.category !== 'chat') continue;
      const messages = readObjects<WireChatMessage>(interaction.data.messages);
      if (messages.length > 0) return { kind: 'CHAT', messages: sortMessages(messages.map(toMessage)), email: null };
    }
    // Digital-first chats have no transcript in CXone: a chat with no messages, not an error.
    return { kind: 'CHAT', messages: [], email: null };
  }
  for (const interaction of interactions) {
    if (interaction.category !== 'email') continue;
    const content = readObject<WireEmailContent>(interaction.data.content);
    if (content !== null) return { kind: 'EMAIL', messages: [], email: toEmail(content) };
  }
  // An email without content is still an email transcript, with nothing to show.
  return { kind: 'EMAIL', messages: [], email: null };
}

function toMessage(message: Untrusted<WireChatMessage>): TranscriptMessageModel {
  return {
    participantType: readNonEmptyString(message.participantType)?.trim() ?? 'UNKNOWN',
    participantName: readNonEmptyString(message.participantName),
    text: readString(message.text) ?? '',
    timestamp: readTime(message.timeStamp ?? message.timestamp),
  };
}

/** In time order; messages without a time go last, in CXone's order (the sort is stable). */
function sortMessages(messages: TranscriptMessageModel[]): TranscriptMessageModel[] {
  return messages.sort((a, b) => compareTimes(a.timestamp, b.timestamp));
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
