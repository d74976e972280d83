/**
 * CXone Interaction Analytics on the wire (NICE's published `InteractionanalyticsInteractions_...`
 * types, every field optional and nullable) and its mapping to our models. The types leave units and
 * vocabularies open; what we read into them is said beside each reader. One definition, two
 * strengths: `loose` for the client (CXone adds fields), `strict` to hold the simulator to the types.
 */
import { z } from 'zod';
import type {
  AnalyticsModel,
  AnalyzedSegmentModel,
  AnalyzedSegmentsPage,
  CategoryMatchModel,
  ChannelSentimentModel,
  EntityModel,
  SegmentAnalysisModel,
} from '../models.js';
import { InvalidCxoneAnswer, readTrimmed } from './mapping.js';

type Strength = 'loose' | 'strict';

function schemas(strength: Strength) {
  const object = <S extends z.ZodRawShape>(shape: S) => (strength === 'strict' ? z.strictObject(shape) : z.object(shape));
  const str = z.string().nullish();
  const num = z.number().nullish();
  const list = <T extends z.ZodType>(item: T) => z.array(item).nullish();
  const strings = list(z.string());
  const snippet = object({ snippet: str, text: str, startOffset: num, endOffset: num }).nullish();
  const enlightenMetric = object({ behaviorName: str, indexScore: num, rawScore: num, enlightenPackageModels: strings });
  const sentiment = object({ value: str }).nullish();

  /** `InteractionanalyticsInteractions_TranscriptBlock` */
  const transcriptBlock = object({
    channelId: num,
    channelName: str,
    offset: num,
    length: num,
    blockId: num,
    text: str,
    userId: str,
    channelUuid: str,
    channelType: str,
    userType: str,
    voiceMetadata: object({ startTime: num, endTime: num, confidence: num }).nullish(),
    chatMetadata: object({ timestamp: num }).nullish(),
    emailMetadata: object({ sentDate: num, subject: str, from: str, to: str }).nullish(),
  });
  /** `InteractionanalyticsInteractions_TranscriptAnnotation` */
  const annotation = object({
    objectType: str,
    type: str,
    value: str,
    offset: num,
    highlightLength: num,
    transcriptOffset: num,
    transcriptChunk: num,
    channelName: str,
    categoryPath: str,
    datasetIds: list(z.number()),
    domainRole: str,
    stem: str,
    displayText: str,
    sentimentCueStrength: num,
  });
  /** `InteractionanalyticsInteractions_Contact`: the analyzed transcript of one segment. */
  const analyzedTranscript = object({
    type: str,
    language: str,
    recordSource: str,
    fromInterwovenTranscript: z.boolean().nullish(),
    annotatedDateTime: str,
    voiceFile: str,
    transcriptBlocks: list(transcriptBlock),
    annotations: list(annotation),
    enlightenMetrics: list(enlightenMetric),
    metrics: z.record(z.string(), z.string()).nullish(),
    segmentSummary: object({
      summary: str,
      actions: list(object({ text: str, score: num, snippet })),
      primaryIntent: object({ category: str, score: num, topic: str, name: str, snippet }).nullish(),
      outcomes: list(object({ name: str, score: num, snippet })),
    }).nullish(),
  });
  /** `InteractionanalyticsInteractions_Interaction`: one analyzed segment of the listing. */
  const interaction = object({
    tenantId: str,
    segmentId: str,
    acdContactId: z.union([z.number(), z.string()]).nullish(),
    agentContactId: str,
    resolved: z.boolean().nullish(),
    publishedAt: str,
    startTime: str,
    endTime: str,
    enlightenMetrics: list(enlightenMetric),
    channels: list(object({ name: str, sentiment, beginSentiment: sentiment, endSentiment: sentiment, frustration: object({ type: str }).nullish() })),
    categoryMatches: list(object({ channelName: str, fullPaths: strings })),
    entities: list(object({ channelName: str, displayText: str, type: str, sentimentValue: str, custom: z.boolean().nullish() })),
    mediaType: str,
    firstAnnotatedAt: str,
    contactNo: strings,
    interactionId: str,
    holdCount: num,
    holdSeconds: num,
    contactEndReason: str,
    dispositionCode: str,
    nonHoldNotableSilenceSeconds: num,
    nonHoldNotableSilencePercentage: num,
    notableSilenceSeconds: num,
    notableSilencePercentage: num,
    enlightenSentimentRawScore: num,
    enlightenSentimentIndexScore: num,
    segmentSummaryPrimaryIntentCategory: str,
    segmentSummaryPrimaryIntentTopic: str,
    segmentSummaryPrimaryIntentName: str,
    segmentSummaryActions: strings,
    segmentSummaryOutcomes: strings,
  });
  /** `InteractionanalyticsInteractions_InteractionWrapper`: one page of the listing. */
  const analyzedSegments = object({
    totalRecords: num,
    interactions: list(interaction),
    links: object({ self: str, previous: str, next: str }).nullish(),
  });
  /** `InteractionanalyticsInteractions_ErrorMessage`: the service's own error body. */
  const errorMessage = object({ statusCode: num, timestamp: str, message: str, description: str });
  return { analyzedTranscript, analyzedSegments, errorMessage };
}

/** What the client reads with: unknown keys ignored. */
export const analyticsWire = schemas('loose');
/** What the simulator's answers must pass: only the keys NICE publishes. */
export const analyticsWireStrict = schemas('strict');

type WireAnalyzedTranscript = z.infer<typeof analyticsWire.analyzedTranscript>;
type WireAnalyzedSegments = z.infer<typeof analyticsWire.analyzedSegments>;
type WireAnnotation = NonNullable<WireAnalyzedTranscript['annotations']>[number];
type WireInteraction = NonNullable<WireAnalyzedSegments['interactions']>[number];

/** Who spoke: AGENT or CUSTOMER from `userType`, else from the channel's name, else CXone's value, else UNKNOWN. */
export function speakerOf(userType: string | null | undefined, channelName: string | null | undefined): string {
  const values = [userType, channelName].flatMap((candidate) => readTrimmed(candidate)?.toUpperCase() ?? []);
  return values.find((value) => value === 'AGENT' || value === 'CUSTOMER') ?? values[0] ?? 'UNKNOWN';
}

/** "Billing/Refund request" (or "Billing > Refund request") -> its levels. */
function categoryOf(path: string): CategoryMatchModel {
  return { categoryHierarchy: path.split(/\s*[/>\\]\s*/).filter((level) => level !== ''), secondsOffsets: [], confidence: null };
}

/**
 * A transcript's annotations -> sentiment per channel, entities and categories. The type gives no
 * vocabulary; we read `objectType` SENTIMENT (`type` OVERALL, BEGIN or END; `value`), FRUSTRATION
 * (`value`), ENTITY (`type`, `displayText`) and CATEGORY (`categoryPath`), any case; the rest is ignored.
 */
function fromAnnotations(annotations: readonly WireAnnotation[]): Pick<AnalyticsModel, 'channels' | 'entities' | 'categories'> {
  const channels = new Map<string, { overall: string | null; begin: string | null; end: string | null; frustration: string | null }>();
  const channel = (name: string | null) => {
    const key = name ?? '';
    const entry = channels.get(key) ?? { overall: null, begin: null, end: null, frustration: null };
    channels.set(key, entry);
    return entry;
  };
  const entities: EntityModel[] = [];
  const categories: CategoryMatchModel[] = [];
  for (const annotation of annotations) {
    const kind = readTrimmed(annotation.objectType)?.toUpperCase();
    const value = readTrimmed(annotation.value)?.toUpperCase() ?? null;
    const name = readTrimmed(annotation.channelName);
    if (kind === 'SENTIMENT' && value !== null) {
      const at = readTrimmed(annotation.type)?.toUpperCase();
      const entry = channel(name);
      if (at === 'BEGIN') entry.begin = value;
      else if (at === 'END') entry.end = value;
      else entry.overall = value;
    } else if (kind === 'FRUSTRATION' && value !== null) {
      channel(name).frustration = value;
    } else if (kind === 'ENTITY') {
      const display = readTrimmed(annotation.displayText) ?? readTrimmed(annotation.value);
      if (display !== null) entities.push({ channel: name, text: display, type: readTrimmed(annotation.type), sentiment: null });
    } else if (kind === 'CATEGORY') {
      const path = readTrimmed(annotation.categoryPath);
      if (path !== null) categories.push(categoryOf(path));
    }
  }
  return {
    channels: [...channels].map(([name, entry]): ChannelSentimentModel => ({ channel: name === '' ? null : name, ...entry })),
    entities,
    categories,
  };
}

function parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const result = schema.safeParse(body);
  // No zod message: it could quote values from the body.
  if (!result.success) throw new InvalidCxoneAnswer(`CXone Interaction Analytics sent an unreadable ${what}`);
  return result.data;
}

/**
 * An analyzed transcript -> the segment's analysis. Block times (`voiceMetadata`) are read as ms from
 * the segment's start; blocks without text are dropped, the rest sorted by start (stable).
 */
export function mapAnalyzedTranscript(body: unknown, segmentId: string, keepUntil: number): SegmentAnalysisModel {
  const wire = parse(analyticsWire.analyzedTranscript, body, 'analyzed transcript');
  const blocks = (wire.transcriptBlocks ?? [])
    .map((block) => {
      const start = block.voiceMetadata?.startTime ?? null;
      const end = block.voiceMetadata?.endTime ?? null;
      return {
        speaker: speakerOf(block.userType, block.channelName),
        text: readTrimmed(block.text) ?? '',
        startSeconds: start === null ? null : start / 1000,
        endSeconds: end === null ? null : end / 1000,
        confidence: block.voiceMetadata?.confidence ?? null,
      };
    })
    .filter((block) => block.text !== '')
    .sort((a, b) => (a.startSeconds ?? Infinity) - (b.startSeconds ?? Infinity));
  const summary = wire.segmentSummary;
  const intent = summary?.primaryIntent;
  const analytics: AnalyticsModel = {
    summary: readTrimmed(summary?.summary),
    intent: readTrimmed(intent?.name) ?? readTrimmed(intent?.topic) ?? readTrimmed(intent?.category),
    actions: (summary?.actions ?? []).flatMap((action) => readTrimmed(action.text) ?? []),
    outcomes: (summary?.outcomes ?? []).flatMap((outcome) => readTrimmed(outcome.name) ?? []),
    ...fromAnnotations(wire.annotations ?? []),
  };
  const analyzed = blocks.length > 0 || analytics.summary !== null;
  return { kind: 'segment-analysis', segmentId, analyzed, blocks, analytics, keepUntil };
}

function mapInteraction(row: WireInteraction): AnalyzedSegmentModel | null {
  const segmentId = readTrimmed(row.segmentId);
  const acdContactId = row.acdContactId == null ? null : String(row.acdContactId).trim();
  // A row we cannot join to a contact is of no use to a report; skipped, not an error.
  if (segmentId === null || acdContactId === null || !/^\d{1,20}$/.test(acdContactId)) return null;
  const channels = (row.channels ?? []).map(
    (channel): ChannelSentimentModel => ({
      channel: readTrimmed(channel.name),
      overall: readTrimmed(channel.sentiment?.value)?.toUpperCase() ?? null,
      begin: readTrimmed(channel.beginSentiment?.value)?.toUpperCase() ?? null,
      end: readTrimmed(channel.endSentiment?.value)?.toUpperCase() ?? null,
      frustration: readTrimmed(channel.frustration?.type)?.toUpperCase() ?? null,
    }),
  );
  return {
    segmentId,
    acdContactId,
    startTime: isoOrNull(row.startTime),
    endTime: isoOrNull(row.endTime),
    mediaType: readTrimmed(row.mediaType),
    analytics: {
      // The listing carries no summary text: it is on the segment's analyzed transcript.
      summary: null,
      intent: readTrimmed(row.segmentSummaryPrimaryIntentName) ?? readTrimmed(row.segmentSummaryPrimaryIntentTopic) ?? readTrimmed(row.segmentSummaryPrimaryIntentCategory),
      actions: (row.segmentSummaryActions ?? []).flatMap((action) => readTrimmed(action) ?? []),
      outcomes: (row.segmentSummaryOutcomes ?? []).flatMap((outcome) => readTrimmed(outcome) ?? []),
      channels,
      entities: (row.entities ?? []).flatMap((entity): EntityModel[] => {
        const display = readTrimmed(entity.displayText);
        return display === null
          ? []
          : [{ channel: readTrimmed(entity.channelName), text: display, type: readTrimmed(entity.type), sentiment: readTrimmed(entity.sentimentValue)?.toUpperCase() ?? null }];
      }),
      categories: (row.categoryMatches ?? []).flatMap((match) => (match.fullPaths ?? []).map(categoryOf)),
    },
  };
}

function isoOrNull(value: string | null | undefined): string | null {
  const parsed = value == null ? Number.NaN : Date.parse(value);
  return Number.isNaN(parsed) ? null : new Date(parsed).toISOString();
}

/** The numeric `cursor` of `links.next`, or null; a link without a readable one ends the paging rather than loop. */
function nextCursorOf(next: string | null | undefined): number | null {
  if (next == null) return null;
  const cursor = URL.parse(next, 'http://cxone.invalid')?.searchParams.get('cursor') ?? null;
  return cursor !== null && /^\d{1,15}$/.test(cursor) ? Number(cursor) : null;
}

/** One page of `segments/analyzed` -> our page; 204 (a null body) is an empty last page. */
export function mapAnalyzedSegments(body: unknown): AnalyzedSegmentsPage {
  if (body === null) return { totalRecords: 0, segments: [], nextCursor: null };
  const wire = parse(analyticsWire.analyzedSegments, body, 'analyzed segments page');
  const segments = (wire.interactions ?? []).flatMap((row) => mapInteraction(row) ?? []);
  const total = wire.totalRecords ?? null;
  return { totalRecords: total === null ? segments.length : Math.max(0, Math.trunc(total)), segments, nextCursor: nextCursorOf(wire.links?.next) };
}
