/**
 * CXone Interaction Analytics, the two endpoints the subgraph uses, in the published shapes
 * (`src/cxone/analytics-wire.ts`, whose strict schemas the contract test holds these answers to):
 *   GET /interaction-analytics-gateway/v2/segments/{segmentId}/analyzed-transcript
 *   GET /interaction-analytics-gateway/v2/segments/analyzed?dateField=startTime&beginningDate=..&endingDate=..
 * Every voice seed that answers normally is analyzed, with a transcript derived from its id (never
 * random): agent and customer, an IVR prompt and three agents on the transferred `analyzedTransfer`,
 * and `notAnalyzed` answers 404 like a call Interaction Analytics has not reached yet. A tenant
 * without the product (`interactionAnalytics: false`) answers 403 on both, as CXone's gateway does.
 */
import { createHash } from 'node:crypto';
import { json, type Reply } from './http.js';
import { bulkContacts, findSegment, fixedContacts, liveContactsStarting, SEEDED, type SeedContact, type SeedSegment } from './seed.js';
import type { SimulatorState } from './state.js';

/** The gateway's path prefix. */
const ANALYTICS_PREFIX = '/interaction-analytics-gateway/v2';
const TRANSCRIPT_PATH = /^\/interaction-analytics-gateway\/v2\/segments\/([^/]+)\/analyzed-transcript$/;
const LISTING_PATH = `${ANALYTICS_PREFIX}/segments/analyzed`;

/** Largest `pageSize` the listing accepts (our assumption; the published client names no limit). */
const MAX_ANALYZED_PAGE_SIZE = 1000;
const DEFAULT_ANALYZED_PAGE_SIZE = 100;
const DAY_MS = 86_400_000;

type Speaker = 'AGENT' | 'CUSTOMER' | 'IVR';
interface Line {
  readonly speaker: Speaker;
  readonly text: string;
}
interface SegmentScript {
  readonly lines: readonly Line[];
  readonly summary: string;
  readonly intent: { readonly category: string; readonly topic: string; readonly name: string };
  readonly actions: readonly string[];
  readonly outcomes: readonly string[];
  /** The customer's sentiment at the begin and end of the segment, and overall. */
  readonly customer: { readonly begin: string; readonly end: string; readonly overall: string; readonly frustration: string | null };
  readonly entities: ReadonlyArray<{ readonly type: string; readonly text: string }>;
  readonly categories: readonly string[];
}

/** The scripted calls; every other analyzed call gets a generated one (`genericScript`). */
const SCRIPTS: Readonly<Record<string, readonly SegmentScript[]>> = {
  [SEEDED.voice]: [
    {
      lines: [
        { speaker: 'AGENT', text: 'Thank you for calling Example Billing, this is Alice. How can I help?' },
        { speaker: 'CUSTOMER', text: 'Hi, I was charged twice for my March subscription.' },
        { speaker: 'AGENT', text: 'I am sorry about that. Can you confirm your account number?' },
        { speaker: 'CUSTOMER', text: 'It is ACC-1001.' },
        { speaker: 'AGENT', text: 'Thank you. I see the duplicate charge and I have issued a refund.' },
        { speaker: 'CUSTOMER', text: 'Great, thank you so much for the quick help.' },
      ],
      summary: 'The customer was charged twice for the March subscription; the agent refunded the duplicate charge.',
      intent: { category: 'Billing', topic: 'Refund', name: 'Refund duplicate charge' },
      actions: ['Refund issued for the duplicate charge'],
      outcomes: ['Resolved'],
      customer: { begin: 'NEGATIVE', end: 'POSITIVE', overall: 'POSITIVE', frustration: null },
      entities: [{ type: 'ACCOUNT_NUMBER', text: 'ACC-1001' }],
      categories: ['Billing/Refund request'],
    },
  ],
  [SEEDED.analyzedTransfer]: [
    {
      lines: [
        { speaker: 'IVR', text: 'Welcome to Example Support. Please hold for the next agent.' },
        { speaker: 'AGENT', text: 'Hello, this is Alice from billing.' },
        { speaker: 'CUSTOMER', text: 'My router keeps dropping the connection and nobody can fix it.' },
        { speaker: 'AGENT', text: 'That is technical support; let me transfer you to Bob.' },
      ],
      summary: 'The customer reported a dropping router connection and was transferred to technical support.',
      intent: { category: 'Technical', topic: 'Connectivity', name: 'Fix router connection' },
      actions: ['Transfer to technical support'],
      outcomes: ['Transferred'],
      customer: { begin: 'NEGATIVE', end: 'NEGATIVE', overall: 'NEGATIVE', frustration: 'HIGH' },
      entities: [{ type: 'PRODUCT', text: 'router' }],
      categories: ['Routing/Wrong department'],
    },
    {
      lines: [
        { speaker: 'AGENT', text: 'Hi, Bob from technical support. I see your router restarts every hour.' },
        { speaker: 'CUSTOMER', text: 'Yes, it has been like that since Monday.' },
        { speaker: 'AGENT', text: 'Your model needs a replacement; my colleague Carol can arrange that.' },
      ],
      summary: 'Technical support found the router faulty and passed the call on for a replacement.',
      intent: { category: 'Technical', topic: 'Hardware', name: 'Replace faulty router' },
      actions: ['Diagnosed a faulty router'],
      outcomes: ['Transferred'],
      customer: { begin: 'NEGATIVE', end: 'NEUTRAL', overall: 'NEUTRAL', frustration: 'MEDIUM' },
      entities: [{ type: 'DATE', text: 'Monday' }],
      categories: ['Technical/Hardware fault'],
    },
    {
      lines: [
        { speaker: 'AGENT', text: 'Hello, Carol here. I have ordered a new router for you, arriving Thursday.' },
        { speaker: 'CUSTOMER', text: 'Thursday is perfect, thank you all.' },
        { speaker: 'AGENT', text: 'You are welcome. Is there anything else?' },
        { speaker: 'CUSTOMER', text: 'No, that is everything. Bye!' },
      ],
      summary: 'A replacement router was ordered for delivery on Thursday.',
      intent: { category: 'Technical', topic: 'Hardware', name: 'Replace faulty router' },
      actions: ['Replacement router ordered'],
      outcomes: ['Resolved'],
      customer: { begin: 'NEUTRAL', end: 'POSITIVE', overall: 'POSITIVE', frustration: null },
      entities: [{ type: 'DATE', text: 'Thursday' }],
      categories: ['Technical/Replacement'],
    },
  ],
};

const GENERIC_TOPICS = [
  { category: 'Billing', topic: 'Invoice', name: 'Question about an invoice', outcome: 'Resolved' },
  { category: 'Account', topic: 'Address', name: 'Change of address', outcome: 'Resolved' },
  { category: 'Orders', topic: 'Delivery', name: 'Late delivery', outcome: 'Follow-up needed' },
  { category: 'Technical', topic: 'Login', name: 'Cannot log in', outcome: 'Resolved' },
] as const;
const SENTIMENTS = ['POSITIVE', 'NEGATIVE', 'NEUTRAL', 'MIXED'] as const;

/** A short deterministic conversation for any other analyzed segment. */
function genericScript(segment: SeedSegment): SegmentScript {
  const h = createHash('sha256').update(`ia:${segment.segmentId}`).digest();
  const topic = GENERIC_TOPICS[h.readUInt8(0) % GENERIC_TOPICS.length] ?? GENERIC_TOPICS[0];
  const begin = SENTIMENTS[h.readUInt8(1) % SENTIMENTS.length] ?? 'NEUTRAL';
  const end = SENTIMENTS[h.readUInt8(2) % SENTIMENTS.length] ?? 'NEUTRAL';
  return {
    lines: [
      { speaker: 'AGENT', text: `Hello, ${segment.agent.name.split(' ')[0] ?? 'agent'} speaking. How can I help?` },
      { speaker: 'CUSTOMER', text: `I am calling about: ${topic.name.toLowerCase()}.` },
      { speaker: 'AGENT', text: 'Let me look into that for you.' },
      { speaker: 'CUSTOMER', text: 'Thanks.' },
    ],
    summary: `The customer called about ${topic.name.toLowerCase()}.`,
    intent: { category: topic.category, topic: topic.topic, name: topic.name },
    actions: ['Looked up the account'],
    outcomes: [topic.outcome],
    customer: { begin, end, overall: end, frustration: begin === 'NEGATIVE' ? 'LOW' : null },
    entities: [],
    categories: [`${topic.category}/${topic.topic}`],
  };
}

/** Whether Interaction Analytics has analyzed this segment. */
function isAnalyzed(contact: SeedContact, segment: SeedSegment): boolean {
  return contact.kind === 'voice' && contact.behaviour === 'normal' && contact.acdContactId !== SEEDED.notAnalyzed && !segment.archived;
}

function scriptOf(contact: SeedContact, segment: SeedSegment): SegmentScript {
  const index = contact.segments.indexOf(segment);
  return SCRIPTS[contact.acdContactId]?.[index] ?? genericScript(segment);
}

const CHANNEL = { AGENT: { id: 0, name: 'Agent' }, CUSTOMER: { id: 1, name: 'Customer' }, IVR: { id: 2, name: 'IVR' } } as const;

/** The answer of `analyzed-transcript`: `InteractionanalyticsInteractions_Contact`. */
function transcriptBody(contact: SeedContact, segment: SeedSegment): object {
  const script = scriptOf(contact, segment);
  const spanMs = segment.endMs - segment.startMs;
  const step = Math.floor(spanMs / script.lines.length);
  let offset = 0;
  const transcriptBlocks = script.lines.map((line, index) => {
    const channel = CHANNEL[line.speaker];
    const block = {
      channelId: channel.id,
      channelName: channel.name,
      offset,
      length: line.text.length,
      blockId: index + 1,
      text: line.text,
      // The IVR is no user: CXone leaves userType and userId out for it.
      ...(line.speaker === 'IVR'
        ? {}
        : { userType: line.speaker, userId: line.speaker === 'AGENT' ? segment.agent.userId : `customer-${contact.acdContactId}` }),
      channelType: 'VOICE',
      // Milliseconds from the segment's start.
      voiceMetadata: { startTime: index * step, endTime: index * step + Math.floor(step * 0.9), confidence: 0.8 + ((index * 7) % 19) / 100 },
    };
    offset += line.text.length + 1;
    return block;
  });
  const customer = CHANNEL.CUSTOMER.name;
  const annotations = [
    { objectType: 'SENTIMENT', type: 'OVERALL', value: script.customer.overall, channelName: customer },
    { objectType: 'SENTIMENT', type: 'BEGIN', value: script.customer.begin, channelName: customer },
    { objectType: 'SENTIMENT', type: 'END', value: script.customer.end, channelName: customer },
    { objectType: 'SENTIMENT', type: 'OVERALL', value: 'POSITIVE', channelName: CHANNEL.AGENT.name },
    ...(script.customer.frustration === null ? [] : [{ objectType: 'FRUSTRATION', value: script.customer.frustration, channelName: customer }]),
    ...script.entities.map((entity) => ({ objectType: 'ENTITY', type: entity.type, displayText: entity.text, channelName: customer })),
    ...script.categories.map((path) => ({ objectType: 'CATEGORY', categoryPath: path, channelName: customer })),
  ];
  return {
    type: 'VOICE',
    language: 'en-US',
    recordSource: 'CXONE',
    fromInterwovenTranscript: false,
    annotatedDateTime: new Date(segment.endMs + 10 * 60_000).toISOString(),
    voiceFile: `${segment.segmentId}.wav`,
    transcriptBlocks,
    annotations,
    enlightenMetrics: [],
    metrics: { agentTalkPercentage: '55', customerTalkPercentage: '45' },
    segmentSummary: {
      summary: script.summary,
      actions: script.actions.map((text) => ({ text, score: 0.9 })),
      primaryIntent: { ...script.intent, score: 0.92 },
      outcomes: script.outcomes.map((name) => ({ name, score: 0.88 })),
    },
  };
}

/** One row of the listing: `InteractionanalyticsInteractions_Interaction`. */
function listingRow(tenantId: string, contact: SeedContact, segment: SeedSegment): object {
  const script = scriptOf(contact, segment);
  return {
    tenantId,
    segmentId: segment.segmentId,
    acdContactId: Number(contact.acdContactId),
    agentContactId: segment.agent.userId,
    startTime: new Date(segment.startMs).toISOString(),
    endTime: new Date(segment.endMs).toISOString(),
    mediaType: 'voice',
    firstAnnotatedAt: new Date(segment.endMs + 10 * 60_000).toISOString(),
    channels: [
      { name: CHANNEL.AGENT.name, sentiment: { value: 'POSITIVE' }, beginSentiment: { value: 'POSITIVE' }, endSentiment: { value: 'POSITIVE' } },
      {
        name: CHANNEL.CUSTOMER.name,
        sentiment: { value: script.customer.overall },
        beginSentiment: { value: script.customer.begin },
        endSentiment: { value: script.customer.end },
        ...(script.customer.frustration === null ? {} : { frustration: { type: script.customer.frustration } }),
      },
    ],
    categoryMatches: [{ channelName: CHANNEL.CUSTOMER.name, fullPaths: [...script.categories] }],
    entities: script.entities.map((entity) => ({ channelName: CHANNEL.CUSTOMER.name, displayText: entity.text, type: entity.type })),
    segmentSummaryPrimaryIntentCategory: script.intent.category,
    segmentSummaryPrimaryIntentTopic: script.intent.topic,
    segmentSummaryPrimaryIntentName: script.intent.name,
    segmentSummaryActions: [...script.actions],
    segmentSummaryOutcomes: [...script.outcomes],
  };
}

/** The service's own error body, `InteractionanalyticsInteractions_ErrorMessage`. */
function serviceError(state: SimulatorState, status: number, message: string, description: string): Reply {
  return json(status, { statusCode: status, timestamp: new Date(state.clock.now()).toISOString(), message, description });
}

function analyzedTranscript(state: SimulatorState, segmentId: string): Reply {
  const found = findSegment(segmentId);
  if (found === null || !isAnalyzed(found.contact, found.segment)) {
    return serviceError(state, 404, 'Not Found', 'No analyzed transcript for this segment');
  }
  // `wordLevel=true` would add word timings; the subgraph never asks for them, so blocks are all there is.
  return json(200, transcriptBody(found.contact, found.segment));
}

/** Analyzed segments starting in [from, to), oldest first, once the analysis would exist by the clock. */
function analyzedIn(state: SimulatorState, fromMs: number, toMs: number): Array<{ contact: SeedContact; segment: SeedSegment }> {
  const now = state.clock.now();
  const contacts = [...fixedContacts(), ...bulkContacts(), ...liveContactsStarting(fromMs, toMs)];
  return contacts
    .flatMap((contact) => contact.segments.map((segment) => ({ contact, segment })))
    .filter(({ contact, segment }) => segment.startMs >= fromMs && segment.startMs < toMs && segment.endMs <= now && isAnalyzed(contact, segment))
    .sort((a, b) => a.segment.startMs - b.segment.startMs || (a.segment.segmentId < b.segment.segmentId ? -1 : 1));
}

function listing(state: SimulatorState, query: URLSearchParams): Reply {
  const dateField = query.get('dateField') ?? 'startTime';
  if (dateField !== 'startTime' && dateField !== 'firstAnnotatedAt') {
    return serviceError(state, 400, 'Bad Request', 'dateField must be startTime or firstAnnotatedAt');
  }
  const fromMs = Date.parse(query.get('beginningDate') ?? '');
  const toMs = Date.parse(query.get('endingDate') ?? '');
  if (Number.isNaN(fromMs) || Number.isNaN(toMs) || fromMs >= toMs || toMs - fromMs > 31 * DAY_MS) {
    return serviceError(state, 400, 'Bad Request', 'beginningDate and endingDate must be ISO dates at most 31 days apart');
  }
  const pageSize = Number(query.get('pageSize') ?? DEFAULT_ANALYZED_PAGE_SIZE);
  const cursor = Number(query.get('cursor') ?? 0);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_ANALYZED_PAGE_SIZE || !Number.isInteger(cursor) || cursor < 0) {
    return serviceError(state, 400, 'Bad Request', `pageSize must be 1 to ${String(MAX_ANALYZED_PAGE_SIZE)} and cursor a non-negative integer`);
  }
  const mediaType = query.get('mediaType');
  const rows = mediaType === null || mediaType.toLowerCase() === 'voice' ? analyzedIn(state, fromMs, toMs) : [];
  if (query.get('order') === 'desc') rows.reverse();
  const page = rows.slice(cursor, cursor + pageSize);
  const link = (at: number): string => {
    const params = new URLSearchParams(query);
    params.set('cursor', String(at));
    return `${state.baseUrl}${LISTING_PATH}?${params.toString()}`;
  };
  return json(200, {
    totalRecords: rows.length,
    interactions: page.map(({ contact, segment }) => listingRow(state.tenantId, contact, segment)),
    links: {
      self: link(cursor),
      ...(cursor > 0 ? { previous: link(Math.max(0, cursor - pageSize)) } : {}),
      ...(cursor + pageSize < rows.length ? { next: link(cursor + pageSize) } : {}),
    },
  });
}

/** Which Interaction Analytics endpoint a path names, and its key (the segment id), or null. */
export function analyticsRoute(path: string): { endpoint: 'analyzed-transcript'; key: string } | { endpoint: 'analyzed-segments'; key: null } | null {
  if (path === LISTING_PATH) return { endpoint: 'analyzed-segments', key: null };
  const match = TRANSCRIPT_PATH.exec(path);
  if (!match?.[1]) return null;
  try {
    return { endpoint: 'analyzed-transcript', key: decodeURIComponent(match[1]) };
  } catch {
    return null;
  }
}

/**
 * The answer once the caller was admitted (token, throttle): a tenant without the product gets the
 * gateway's 403, a caller without "view analytics" the service's own 403, then the endpoint.
 */
export function analyticsAnswer(
  state: SimulatorState,
  route: NonNullable<ReturnType<typeof analyticsRoute>>,
  query: URLSearchParams,
  mayViewAnalytics: boolean,
): Reply {
  if (!state.settings.interactionAnalytics) return json(403, { message: 'Forbidden' });
  if (!mayViewAnalytics) return serviceError(state, 403, 'Forbidden', 'You do not have permission to view Interaction Analytics');
  return route.endpoint === 'analyzed-segments' ? listing(state, query) : analyzedTranscript(state, route.key);
}
