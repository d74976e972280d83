/**
 * The JSON the simulator sends, spelled as CXone spells it (NICE's published API; schemas in src/cxone/playback-wire.ts):
 * `acdcontactId` with a lowercase c, `@type`, `Interactions` on the segments endpoint,
 * `timeStamp` on chat messages. Optional members are left out of the JSON, never sent as
 * undefined, because callers must cope with absent keys as well as nulls.
 */

export type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };
export type JsonObject = { readonly [key: string]: Json };

/** `media-type` values the API accepts. */
export type MediaTypeParam = 'voice-only' | 'voice-and-screen' | 'chat' | 'email' | 'all';

interface WireDisplay {
  readonly width: number;
  readonly height: number;
  readonly topLeftX: number;
  readonly topLeftY: number;
}

export interface WireStage {
  readonly stageType: string;
  readonly startTime: string;
  readonly endTime: string;
  readonly recordingID: string;
  readonly displays: readonly WireDisplay[];
}

export interface WireParticipantData {
  readonly participantType: 'AGENT' | 'CUSTOMER';
  readonly agentName: string | null;
  readonly participantId: string;
  readonly segmentId: string;
  readonly userId: string | null;
  readonly channel: number;
  readonly voiceStages: readonly WireStage[];
  readonly screenStages: readonly WireStage[];
}

export interface WireSegmentData {
  readonly segmentId: string;
  readonly startTime: string;
  readonly endTime: string;
  readonly acwEndTime: string | null;
  readonly openReasonType: string;
  readonly closeReasonType: string;
  readonly directionType: string;
  readonly channelType: string;
  readonly firstSegment: boolean;
  readonly customerRestricted?: boolean;
  readonly isCustomerRestricted?: boolean;
}

export interface WireWaveform {
  readonly channel: number;
  readonly normalizedPcmData: readonly number[];
}

interface WireCategoryMatch {
  readonly categoryHierarchy: readonly string[];
  readonly secondsOffsets: readonly number[];
  readonly confidence: number;
}

export interface WireSentiment {
  readonly overallSentiment: 'POSITIVE' | 'NEGATIVE' | 'MIXED' | 'NEUTRAL';
  readonly segmentStartTime: string;
  readonly channel: number;
}

export interface WireCallData {
  readonly startTime: string;
  readonly endTime: string;
  readonly acwEndTime: string | null;
  readonly fileToPlayUrl: string | null;
  readonly videoImageUrl: string | null;
  readonly waveformDataList?: readonly WireWaveform[];
  readonly participantDataList: readonly WireParticipantData[];
  readonly segmentsDataList: readonly WireSegmentData[];
  readonly categoryMatchesList?: readonly WireCategoryMatch[];
  readonly sentiments?: readonly WireSentiment[];
  readonly dfoStages: readonly WireStage[];
}

interface WireChatParticipant {
  readonly participantType: 'AGENT' | 'CUSTOMER';
  readonly participantName: string;
  readonly screenStages: readonly WireStage[];
}

interface WireChatMessage {
  readonly participantType: 'AGENT' | 'CUSTOMER';
  readonly participantName: string;
  readonly text: string;
  readonly timeStamp: string;
}

export interface WireChatData {
  readonly startTime: string;
  readonly endTime: string;
  readonly acwEndTime: string | null;
  readonly fileToPlayUrl: string | null;
  readonly transferPoints: readonly string[];
  readonly participants: readonly WireChatParticipant[];
  readonly messages?: readonly WireChatMessage[];
  readonly segmentsDataList: readonly WireSegmentData[];
  readonly dfoStages: readonly WireStage[];
}

interface WireEmailAction {
  readonly timeStamp: string;
  readonly action: string;
}

interface WireEmailParticipant {
  readonly participantType: 'AGENT' | 'CUSTOMER';
  readonly participantName: string;
  readonly actions: readonly WireEmailAction[];
}

interface WireEmailContent {
  readonly sentTime: string;
  readonly from: string;
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly bcc: readonly string[];
  readonly subject: string;
  readonly body: string;
}

export interface WireEmailData {
  readonly startTime: string;
  readonly endTime: string;
  readonly acwEndTime: string | null;
  readonly fileToPlayUrl: string | null;
  readonly participants: readonly WireEmailParticipant[];
  readonly content: WireEmailContent;
  readonly segmentsDataList: readonly WireSegmentData[];
}

interface WireTag {
  readonly updateTime: string;
  readonly value: string;
}

export interface WireBusinessData {
  readonly id: string;
  readonly value: string;
}

interface WireInteractionBase {
  readonly mediaType: string;
  readonly channelType: string;
  readonly startTime: string;
  readonly endTime: string;
  readonly callTaggingList: readonly WireTag[] | null;
  readonly dynamicBusinessData: readonly WireBusinessData[] | readonly string[] | null;
}

export type WireInteraction =
  | (WireInteractionBase & { readonly '@type': 'call'; readonly data: WireCallData })
  | (WireInteractionBase & { readonly '@type': 'chat'; readonly data: WireChatData })
  | (WireInteractionBase & { readonly '@type': 'email'; readonly data: WireEmailData });

interface WireContactHead {
  readonly contactId: string;
  readonly acdcontactId: string;
  readonly elevatedInteraction?: boolean;
  readonly brandEmbassyConfig?: JsonObject;
}

/** Contacts and statements endpoints. Quirky interactions are loose JSON on purpose. */
export interface WireContactAnswer extends WireContactHead {
  readonly interactions: readonly (WireInteraction | JsonObject)[];
  /** Only with `isDownload=true`. */
  readonly redirectUrl?: string;
}

/** Segments endpoint: the array is `Interactions`, as the OpenAPI spec spells it. */
export interface WireSegmentAnswer extends WireContactHead {
  readonly Interactions: readonly (WireInteraction | JsonObject)[];
}
