/**
 * zod schemas of the Media Playback answers and CXone's error bodies, from NICE's published OpenAPI
 * spec (comments name its `MediaplaybackMediaplayback_...` types). Every field optional and nullable;
 * unknown fields pass. Widened on purpose where real answers differ: ids as numbers too,
 * `transferPoints` as arrays, `dynamicBusinessData` items as strings, enumerations as open strings,
 * and fields the spec lacks (`brandEmbassyConfig`, a top-level `redirectUrl` or `fileToPlayUrl`).
 */
import { z } from 'zod';

const text = z.string().nullish();
const flag = z.boolean().nullish();
const number = z.number().nullish();
const id = z.union([z.string(), z.number()]).nullish();
const list = <T extends z.ZodType>(item: T) => z.array(item).nullish();
const times = { startTime: text, endTime: text };

const stageSchema = z.looseObject({
  stageType: text,
  ...times,
  recordingID: text,
  displays: list(z.looseObject({ width: number, height: number, topLeftX: number, topLeftY: number })),
});

/** `..._segmentsData` (contacts) and `..._segmentData` (segments); both restriction spellings. */
const segmentDataSchema = z.looseObject({
  segmentId: text,
  ...times,
  acwEndTime: text,
  openReasonType: text,
  closeReasonType: text,
  directionType: text,
  channelType: text,
  source: text,
  firstSegment: flag,
  originalSourceFromSdr: text,
  customerRestricted: flag,
  isCustomerRestricted: flag,
});

const callParticipantSchema = z.looseObject({
  participantType: text,
  agentName: text,
  participantId: id,
  segmentId: text,
  userId: id,
  channel: number,
  voiceStages: list(stageSchema),
  screenStages: list(stageSchema),
});

const digitalParticipantSchema = z.looseObject({
  participantType: text,
  participantName: text,
  screenStages: list(stageSchema),
  actions: list(z.looseObject({ timeStamp: text, action: text })),
});

/** `data`: one object for `..._VoiceAndScreen`, `..._Chat` and `..._Email` (`@type` is not trusted to say which). */
const interactionDataSchema = z.looseObject({
  ...times,
  acwEndTime: text,
  fileToPlayUrl: text,
  videoImageUrl: text,
  waveformDataList: list(z.looseObject({ channel: number, normalizedPcmData: list(z.number()) })),
  participantDataList: list(callParticipantSchema),
  participants: list(digitalParticipantSchema),
  segmentsDataList: list(segmentDataSchema),
  categoryMatchesList: list(z.looseObject({ categoryHierarchy: list(z.string()), secondsOffsets: list(z.number()), confidence: number })),
  sentiments: list(z.looseObject({ overallSentiment: text, segmentStartTime: text, channel: number })),
  messages: list(z.looseObject({ participantType: text, participantName: text, text, timeStamp: text, timestamp: text })),
  content: z
    .looseObject({ sentTime: text, from: text, to: list(z.string()), cc: list(z.string()), bcc: list(z.string()), subject: text, body: text })
    .nullish(),
  transferPoints: z.union([z.string(), z.array(z.unknown())]).nullish(),
  dfoStages: list(stageSchema),
});

const interactionSchema = z.looseObject({
  mediaType: text,
  channelType: text,
  ...times,
  '@type': text,
  data: interactionDataSchema.nullish(),
  callTaggingList: list(z.record(z.string(), z.unknown())),
  dynamicBusinessData: list(z.union([z.looseObject({ id: id, value: text }), z.string()])),
});

/** `..._ApiResponse` and `..._ApiResponseSegment`: the answer of all three endpoints. */
export const contactAnswerSchema = z.looseObject({
  contactId: text,
  acdcontactId: id,
  acdContactId: id,
  elevatedInteraction: flag,
  brandEmbassyConfig: z.looseObject({ threadId: text, caseId: text, sessionId: text }).nullish(),
  interactions: list(interactionSchema),
  Interactions: list(interactionSchema),
  redirectUrl: text,
  fileToPlayUrl: text,
});

/** `..._ErrorApiResponse` `{internalCode, message}` or `..._ThrottlingApiResponse` `{message, route}`. */
export const errorAnswerSchema = z.looseObject({
  internalCode: z.union([z.string(), z.number()]).nullish(),
  message: text,
  route: text,
});

type Item<T> = NonNullable<T> extends readonly (infer I)[] ? I : never;
export type WireContactAnswer = z.infer<typeof contactAnswerSchema>;
export type WireInteraction = Item<WireContactAnswer['interactions']>;
export type WireInteractionData = NonNullable<WireInteraction['data']>;
export type WireParticipant = Item<WireInteractionData['participantDataList']> & Item<WireInteractionData['participants']>;
export type WireSegmentData = Item<WireInteractionData['segmentsDataList']>;
export type WireSentiment = Item<WireInteractionData['sentiments']>;
export type WireCategoryMatch = Item<WireInteractionData['categoryMatchesList']>;
export type WireChatMessage = Item<WireInteractionData['messages']>;
export type WireEmailContent = NonNullable<WireInteractionData['content']>;

/** Where an answer's shape differs from its schema: the paths of the offending fields, never values. */
export function mismatchedPaths(schema: z.ZodType, body: unknown): readonly string[] {
  const parsed = schema.safeParse(body);
  return parsed.success ? [] : issuePaths(parsed.error);
}

/** The sorted paths of a zod error's issues; an array index reads `[]`. */
export function issuePaths(error: z.ZodError): string[] {
  const paths = error.issues.map((issue) => issue.path.map((part) => (typeof part === 'number' ? '[]' : String(part))).join('.'));
  return [...new Set(paths)].sort();
}
