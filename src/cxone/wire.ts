/**
 * CXone Media Playback answers as they come over the wire, and the small guards that read them.
 *
 * The interfaces below document what CXone is known to send (NICE's published API, see playback-wire.ts): every
 * field optional and nullable, with CXone's own spelling (`acdcontactId`, `@type`, `Interactions`,
 * `timeStamp`). They are never trusted: mapping code reads an answer through `Untrusted<T>`, which
 * keeps the documented field names (a typo does not compile) but types every value as `unknown`,
 * so each value has to pass a guard below before it is used.
 */

/** A documented field: CXone may leave it out or send null. */
export type Wire<T> = T | null | undefined;

/**
 * A wire object whose field names we know but whose values we do not trust. Any non-array object
 * fits, which is why `readObject` can hand one out without checking fields.
 */
export type Untrusted<T> = { readonly [K in keyof T]?: unknown };

/** The answer of all three endpoints (`/contacts`, `/segments/{id}`, `/acd-contacts/{id}/statements/{sid}`). */
export interface WireContactAnswer {
  /** CXone's internal contact UUID, not the ACD id. */
  readonly contactId?: Wire<string>;
  /** The ACD contact id, spelled with a lower-case c; seen as a number and as a string. */
  readonly acdcontactId?: Wire<string | number>;
  /** The camel-case spelling, tolerated in case CXone ever fixes it. */
  readonly acdContactId?: Wire<string | number>;
  readonly elevatedInteraction?: Wire<boolean>;
  /** Seen on digital-first contacts, not in the spec. */
  readonly brandEmbassyConfig?: Wire<{ threadId?: Wire<string>; caseId?: Wire<string>; sessionId?: Wire<string> }>;
  /** The contacts endpoint's spelling. */
  readonly interactions?: Wire<readonly WireInteraction[]>;
  /** The segments endpoint's spelling in the spec. */
  readonly Interactions?: Wire<readonly WireInteraction[]>;
  /** With `isDownload=true`: the file to download, instead of `fileToPlayUrl`. */
  readonly redirectUrl?: Wire<string>;
  /** Seen at the top level of statement answers. */
  readonly fileToPlayUrl?: Wire<string>;
}

/** One piece of a contact: a call, a chat, an email or a screen recording of one. */
export interface WireInteraction {
  /** voice-only | voice-and-screen | chat | chat-and-screen | email | email-and-screen | BE | BE_AND_SCREEN | WORKITEM | ... */
  readonly mediaType?: Wire<string>;
  /** PHONE_CALL | CHAT | EMAIL | SMS | WHATSAPP_PRIVATE | ... | WORKITEM */
  readonly channelType?: Wire<string>;
  readonly startTime?: Wire<string>;
  readonly endTime?: Wire<string>;
  /** call | chat | email: says which shape `data` has (casing not guaranteed). */
  readonly '@type'?: Wire<string>;
  readonly data?: Wire<WireInteractionData>;
  readonly callTaggingList?: Wire<readonly WireCallTag[]>;
  /** `{id, value}` items, sometimes plain strings. */
  readonly dynamicBusinessData?: Wire<readonly (WireBusinessData | string)[]>;
}

/**
 * `data` of an interaction. One interface for the call, chat and email shapes, because `@type`
 * cannot be trusted to say which fields are there; comments say which kind carries what.
 */
export interface WireInteractionData {
  readonly startTime?: Wire<string>;
  readonly endTime?: Wire<string>;
  readonly acwEndTime?: Wire<string>;
  /** The pre-signed media link (for chat: the screen recording, if any). */
  readonly fileToPlayUrl?: Wire<string>;
  /** call */
  readonly videoImageUrl?: Wire<string>;
  /** call; large, normally excluded with `exclude-waveforms=true`. */
  readonly waveformDataList?: Wire<readonly unknown[]>;
  /** call */
  readonly participantDataList?: Wire<readonly WireCallParticipant[]>;
  /** chat, email */
  readonly participants?: Wire<readonly WireDigitalParticipant[]>;
  readonly segmentsDataList?: Wire<readonly WireSegmentData[]>;
  /** call; absent without "View sentiments and categories". */
  readonly categoryMatchesList?: Wire<readonly WireCategoryMatch[]>;
  /** call; absent without "View sentiments and categories". */
  readonly sentiments?: Wire<readonly WireSentiment[]>;
  /** chat; legacy digital interactions only. */
  readonly messages?: Wire<readonly WireChatMessage[]>;
  /** email */
  readonly content?: Wire<WireEmailContent>;
  /** chat */
  readonly transferPoints?: Wire<readonly unknown[]>;
  readonly dfoStages?: Wire<readonly unknown[]>;
}

/** A participant of a call. */
export interface WireCallParticipant {
  /** AGENT | CUSTOMER | ... */
  readonly participantType?: Wire<string>;
  readonly agentName?: Wire<string>;
  readonly participantId?: Wire<string | number>;
  readonly segmentId?: Wire<string>;
  readonly userId?: Wire<string | number>;
  readonly channel?: Wire<number>;
  readonly voiceStages?: Wire<readonly unknown[]>;
  readonly screenStages?: Wire<readonly unknown[]>;
}

/** A participant of a chat or an email. */
export interface WireDigitalParticipant {
  readonly participantType?: Wire<string>;
  readonly participantName?: Wire<string>;
  readonly screenStages?: Wire<readonly unknown[]>;
  /** email: `[{timeStamp, action}]` */
  readonly actions?: Wire<readonly unknown[]>;
}

/** One chat message of a legacy chat transcript. */
export interface WireChatMessage {
  readonly participantType?: Wire<string>;
  readonly participantName?: Wire<string>;
  readonly text?: Wire<string>;
  /** The documented spelling. */
  readonly timeStamp?: Wire<string>;
  /** The spelling a careful CXone release might switch to. */
  readonly timestamp?: Wire<string>;
}

/** An email interaction's content. */
export interface WireEmailContent {
  readonly sentTime?: Wire<string>;
  readonly from?: Wire<string>;
  readonly to?: Wire<readonly string[]>;
  readonly cc?: Wire<readonly string[]>;
  readonly bcc?: Wire<readonly string[]>;
  readonly subject?: Wire<string>;
  readonly body?: Wire<string>;
}

/** One item of `segmentsDataList`. */
export interface WireSegmentData {
  readonly segmentId?: Wire<string>;
  readonly startTime?: Wire<string>;
  readonly endTime?: Wire<string>;
  readonly acwEndTime?: Wire<string>;
  readonly openReasonType?: Wire<string>;
  /** SEGMENT | TRANSFER | CONFERENCE | CONTACT | IVR | ELEVATED | ... */
  readonly closeReasonType?: Wire<string>;
  /** INBOUND | OUTBOUND | INTERNAL | UNKNOWN */
  readonly directionType?: Wire<string>;
  readonly channelType?: Wire<string>;
  readonly firstSegment?: Wire<boolean>;
  readonly customerRestricted?: Wire<boolean>;
  readonly isCustomerRestricted?: Wire<boolean>;
}

/** One item of a call's `sentiments`. */
export interface WireSentiment {
  /** POSITIVE | NEGATIVE | MIXED | NEUTRAL */
  readonly overallSentiment?: Wire<string>;
  readonly segmentStartTime?: Wire<string>;
  readonly channel?: Wire<number>;
}

/** One item of a call's `categoryMatchesList`. */
export interface WireCategoryMatch {
  readonly categoryHierarchy?: Wire<readonly string[]>;
  readonly secondsOffsets?: Wire<readonly number[]>;
  readonly confidence?: Wire<number>;
}

/** One item of `callTaggingList`. */
export interface WireCallTag {
  readonly updateTime?: Wire<string>;
  readonly value?: Wire<string>;
}

/** One item of `dynamicBusinessData` in its object form. */
export interface WireBusinessData {
  readonly id?: Wire<string>;
  readonly value?: Wire<string>;
}

/** A non-array object whose documented fields can be read (as `unknown`); null for anything else. */
export function readObject<T>(value: unknown): Untrusted<T> | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  return value;
}

/** The object items of an array (anything else in it is skipped); [] when the value is not an array. */
export function readObjects<T>(value: unknown): Untrusted<T>[] {
  if (!Array.isArray(value)) return [];
  const result: Untrusted<T>[] = [];
  for (const item of value) {
    const object = readObject<T>(item);
    if (object !== null) result.push(object);
  }
  return result;
}

/** The value when it is a string, else null. */
export function readString(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** The value when it is a string with something other than white space in it, else null. */
export function readNonEmptyString(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/** An identifier: a non-empty string, or a finite number as its decimal text (CXone sends both). */
export function readId(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  const text = readNonEmptyString(value);
  return text === null ? null : text.trim();
}

/** A scalar shown as text: strings as they are, finite numbers and booleans as their text; null otherwise. */
export function readText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  return null;
}

/** A finite number, also from a numeric string (CXone's JSON types drift); null otherwise. */
export function readNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : null;
  }
  return null;
}

/** A boolean, also from the strings "true"/"false" in any case; null otherwise. */
export function readBoolean(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lowered = value.trim().toLowerCase();
    if (lowered === 'true') return true;
    if (lowered === 'false') return false;
  }
  return null;
}

/** The string items of an array (others skipped); a lone string counts as a list of one; [] otherwise. */
export function readStrings(value: unknown): string[] {
  if (typeof value === 'string') return value === '' ? [] : [value];
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is string => typeof item === 'string');
}

/** The finite-number items of an array (numeric strings accepted, others skipped); [] otherwise. */
export function readNumbers(value: unknown): number[] {
  if (!Array.isArray(value)) return [];
  const result: number[] = [];
  for (const item of value) {
    const number = readNumber(item);
    if (number !== null) result.push(number);
  }
  return result;
}
