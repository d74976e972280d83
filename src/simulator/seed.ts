/**
 * The simulator's recordings: a fixed set of contacts that each show one CXone behaviour, plus
 * 10,000 generated voice calls for bulk and benchmark use. Everything is derived from the ids,
 * never from randomness or the clock, so every run and every process serves the same data.
 * README.md in this folder documents each id.
 */
import { createHash } from 'node:crypto';
import type { WireBusinessData, WireSentiment } from './wire.js';

type ContactKind = 'voice' | 'chat' | 'email' | 'workitem';

/** How the contact answers before (or instead of) its data. */
type Behaviour = 'normal' | 'processing' | 'locked' | 'timeout' | 'serverError' | 'preCutoff';

/** `expires`: CloudFront-style `Expires`+`Signature`; `sigv4`: S3 presigned with X-Amz-*. */
export type LinkStyle = 'expires' | 'sigv4';

interface SeedAgent {
  readonly name: string;
  readonly userId: string;
  readonly participantId: string;
}

export interface SeedSegment {
  readonly segmentId: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly acwEndMs: number | null;
  readonly openReasonType: string;
  readonly closeReasonType: string;
  readonly directionType: string;
  readonly firstSegment: boolean;
  readonly customerRestricted: boolean;
  /** CXone spells this key both ways; callers must read either. */
  readonly restrictedKey: 'customerRestricted' | 'isCustomerRestricted';
  /** Not in active storage: the segments endpoint answers 404 until it is restored. */
  readonly archived: boolean;
  readonly agent: SeedAgent;
}

interface SeedSentiment {
  readonly segmentIndex: number;
  readonly overallSentiment: WireSentiment['overallSentiment'];
  readonly channel: number;
}

interface SeedCategory {
  readonly segmentIndex: number;
  readonly categoryHierarchy: readonly string[];
  readonly secondsOffsets: readonly number[];
  readonly confidence: number;
}

interface SeedMessage {
  readonly from: 'AGENT' | 'CUSTOMER';
  readonly text: string;
  readonly offsetSeconds: number;
}

interface SeedEmail {
  readonly from: string;
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly bcc: readonly string[];
  readonly subject: string;
  readonly body: string;
}

export interface SeedStatement {
  readonly startMs: number;
  readonly endMs: number;
}

interface SeedTag {
  readonly offsetSeconds: number;
  readonly value: string;
}

export interface SeedContact {
  readonly acdContactId: string;
  /** CXone's internal UUID, distinct from the ACD id. */
  readonly contactId: string;
  readonly kind: ContactKind;
  readonly channelType: string;
  /** A screen recording exists (voice-and-screen, or the `*-and-screen` piece of a digital contact). */
  readonly hasScreen: boolean;
  readonly startMs: number;
  readonly endMs: number;
  readonly acwEndMs: number | null;
  readonly behaviour: Behaviour;
  readonly linkStyle: LinkStyle;
  readonly elevated: boolean;
  readonly customerName: string;
  readonly segments: readonly SeedSegment[];
  readonly sentiments: readonly SeedSentiment[];
  readonly categories: readonly SeedCategory[];
  readonly tags: readonly SeedTag[];
  readonly businessData: readonly WireBusinessData[];
  /** null: a digital-first chat, which has no `messages` key at all. */
  readonly messages: readonly SeedMessage[] | null;
  readonly email: SeedEmail | null;
  readonly statements: Readonly<Record<string, SeedStatement>>;
  /** Digital-first contacts carry this (seen in real answers, not in the spec). */
  readonly brandEmbassy: { readonly threadId: string; readonly caseId: string; readonly sessionId: string } | null;
}

const BULK_BASE = 200_000_000_000;

/** Categories under this root come from Quality Management; `exclude-qm-categories` hides them. */
export const QM_CATEGORY_ROOT = 'Quality Management';
const BULK_COUNT = 10_000;

/** The seeded ids; README.md explains what each one shows. */
export const SEEDED = Object.freeze({
  voice: '100000000001',
  voiceStatement: '5001',
  voiceStatement2: '5002',
  voiceAndScreen: '100000000002',
  chat: '100000000003',
  digitalChat: '100000000004',
  email: '100000000005',
  transferred: '100000000006',
  longCall: '100000000007',
  processing: '100000000008',
  locked: '100000000009',
  timeout: '100000000010',
  preCutoff: '100000000011',
  serverError: '100000000012',
  quirky: '100000000013',
  archivedContact: '100000000014',
  archivedSegment: 'seg-archived-0001',
  /** Interaction Analytics: a call transferred twice, analyzed as one conversation over three segments. */
  analyzedTransfer: '100000000015',
  /** Interaction Analytics: a voice call not analyzed yet (its transcript answers 404). */
  notAnalyzed: '100000000016',
  bulkFirst: String(BULK_BASE + 1),
  bulkLast: String(BULK_BASE + BULK_COUNT),
  bulkCount: BULK_COUNT,
  /** Digits, but no such contact: 404 Interaction Not Found. */
  notFound: '199999999999',
});

/** The n-th generated bulk contact id, 1 <= n <= SEEDED.bulkCount. */
export function bulkContactId(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > BULK_COUNT) {
    throw new RangeError(`bulk contact index must be 1..${String(BULK_COUNT)}, got ${String(n)}`);
  }
  return String(BULK_BASE + n);
}

/** A stable UUID-shaped id (version 4 / variant 8 bits set) derived from a seed string. */
export function uuidFrom(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    `4${hex.slice(13, 16)}`,
    `8${hex.slice(17, 20)}`,
    hex.slice(20, 32),
  ].join('-');
}

function agent(name: string): SeedAgent {
  return { name, userId: uuidFrom(`user:${name}`), participantId: uuidFrom(`participant:${name}`) };
}

const AGENTS = [
  agent('Alice Example'),
  agent('Bob Example'),
  agent('Carol Example'),
  agent('Dan Example'),
  agent('Erin Example'),
  agent('Frank Example'),
] as const;
const [ALICE, BOB, CAROL, DAN, ERIN, FRANK] = AGENTS;

interface SegmentSpec {
  readonly agent: SeedAgent;
  readonly seconds: number;
  readonly closeReasonType?: string;
  readonly segmentId?: string;
  readonly customerRestricted?: boolean;
  readonly restrictedKey?: SeedSegment['restrictedKey'];
  readonly archived?: boolean;
}

interface ContactSpec {
  readonly id: string;
  readonly start: string | number;
  readonly segments: readonly SegmentSpec[];
  readonly kind?: ContactKind;
  readonly channelType?: string;
  readonly hasScreen?: boolean;
  readonly directionType?: string;
  readonly acwSeconds?: number;
  readonly behaviour?: Behaviour;
  readonly linkStyle?: LinkStyle;
  readonly customerName?: string;
  readonly sentiments?: readonly SeedSentiment[];
  readonly categories?: readonly SeedCategory[];
  readonly tags?: readonly SeedTag[];
  readonly businessData?: readonly WireBusinessData[];
  readonly messages?: readonly SeedMessage[] | null;
  readonly email?: SeedEmail;
  readonly statements?: Readonly<Record<string, { readonly fromSecond: number; readonly toSecond: number }>>;
  readonly brandEmbassy?: boolean;
}

const DEFAULT_CHANNEL: Record<ContactKind, string> = {
  voice: 'PHONE_CALL',
  chat: 'CHAT',
  email: 'EMAIL',
  workitem: 'WORKITEM',
};

function build(spec: ContactSpec): SeedContact {
  const kind = spec.kind ?? 'voice';
  const channelType = spec.channelType ?? DEFAULT_CHANNEL[kind];
  const startMs = typeof spec.start === 'number' ? spec.start : Date.parse(spec.start);
  const acwMs = (spec.acwSeconds ?? 30) * 1000;
  let cursor = startMs;
  const segments = spec.segments.map((s, index): SeedSegment => {
    const segStart = cursor;
    cursor += s.seconds * 1000;
    const last = index === spec.segments.length - 1;
    return {
      segmentId: s.segmentId ?? uuidFrom(`segment:${spec.id}:${String(index)}`),
      startMs: segStart,
      endMs: cursor,
      acwEndMs: cursor + acwMs,
      openReasonType: index === 0 ? 'CONTACT' : 'TRANSFER',
      closeReasonType: s.closeReasonType ?? (last ? 'CONTACT' : 'TRANSFER'),
      directionType: spec.directionType ?? 'INBOUND',
      firstSegment: index === 0,
      customerRestricted: s.customerRestricted ?? false,
      restrictedKey: s.restrictedKey ?? 'customerRestricted',
      archived: s.archived ?? false,
      agent: s.agent,
    };
  });
  const lastSegment = segments[segments.length - 1];
  const statements: Record<string, SeedStatement> = {};
  for (const [statementId, span] of Object.entries(spec.statements ?? {})) {
    statements[statementId] = { startMs: startMs + span.fromSecond * 1000, endMs: startMs + span.toSecond * 1000 };
  }
  return {
    acdContactId: spec.id,
    contactId: uuidFrom(`contact:${spec.id}`),
    kind,
    channelType,
    hasScreen: spec.hasScreen ?? false,
    startMs,
    endMs: cursor,
    acwEndMs: lastSegment?.acwEndMs ?? null,
    behaviour: spec.behaviour ?? 'normal',
    linkStyle: spec.linkStyle ?? 'expires',
    elevated: false,
    customerName: spec.customerName ?? 'Casey Customer',
    segments,
    sentiments: spec.sentiments ?? [],
    categories: spec.categories ?? [],
    tags: spec.tags ?? [],
    businessData: spec.businessData ?? [],
    messages: spec.messages === undefined ? null : spec.messages,
    email: spec.email ?? null,
    statements,
    brandEmbassy:
      spec.brandEmbassy === true
        ? {
            threadId: uuidFrom(`thread:${spec.id}`),
            caseId: String(BigInt(spec.id) % 1_000_000n),
            sessionId: uuidFrom(`session:${spec.id}`),
          }
        : null,
  };
}

const FIXED: readonly SeedContact[] = [
  build({
    id: SEEDED.voice,
    start: '2024-03-14T15:09:26.535Z',
    segments: [{ agent: ALICE, seconds: 240 }],
    sentiments: [
      { segmentIndex: 0, overallSentiment: 'POSITIVE', channel: 0 },
      { segmentIndex: 0, overallSentiment: 'NEUTRAL', channel: 1 },
    ],
    categories: [
      { segmentIndex: 0, categoryHierarchy: ['Billing', 'Refund request'], secondsOffsets: [42.5, 118], confidence: 0.87 },
    ],
    // The repeated 'billing' is deliberate: CXone returns duplicate tag entries and callers de-dup.
    tags: [
      { offsetSeconds: 60, value: 'billing' },
      { offsetSeconds: 120, value: 'vip' },
      { offsetSeconds: 200, value: 'billing' },
    ],
    businessData: [
      { id: 'accountNumber', value: 'ACC-1001' },
      { id: 'priority', value: 'high' },
    ],
    statements: { [SEEDED.voiceStatement]: { fromSecond: 30, toSecond: 70 }, [SEEDED.voiceStatement2]: { fromSecond: 120, toSecond: 165 } },
  }),
  build({
    id: SEEDED.voiceAndScreen,
    start: '2024-04-02T09:30:00.000Z',
    segments: [{ agent: BOB, seconds: 330 }],
    hasScreen: true,
    directionType: 'OUTBOUND',
    linkStyle: 'sigv4',
    sentiments: [{ segmentIndex: 0, overallSentiment: 'MIXED', channel: 1 }],
    tags: [{ offsetSeconds: 30, value: 'outbound-campaign' }],
  }),
  build({
    id: SEEDED.chat,
    kind: 'chat',
    start: '2024-05-06T10:15:00.000Z',
    segments: [{ agent: BOB, seconds: 420 }],
    hasScreen: true,
    messages: [
      { from: 'CUSTOMER', text: 'Hi, my order #4711 has not arrived.', offsetSeconds: 5 },
      { from: 'AGENT', text: 'Sorry to hear that! Let me check the shipment for you.', offsetSeconds: 40 },
      { from: 'AGENT', text: 'It is with the courier and arrives tomorrow.', offsetSeconds: 150 },
      { from: 'CUSTOMER', text: 'Great, thanks for your help.', offsetSeconds: 200 },
    ],
  }),
  build({
    id: SEEDED.digitalChat,
    kind: 'chat',
    channelType: 'WHATSAPP_PRIVATE',
    start: '2024-05-07T16:40:12.250Z',
    segments: [{ agent: CAROL, seconds: 600 }],
    hasScreen: true,
    messages: null,
    brandEmbassy: true,
  }),
  build({
    id: SEEDED.email,
    kind: 'email',
    start: '2024-06-11T08:00:00.000Z',
    segments: [{ agent: ERIN, seconds: 540 }],
    hasScreen: true,
    customerName: 'Dana Customer',
    email: {
      from: 'dana.customer@example.com',
      to: ['support@example.com', 'billing@example.com'],
      cc: ['account.manager@example.com'],
      bcc: [],
      subject: 'Invoice INV-2024-0611 charges me twice',
      body: 'Hello,\n\nmy June invoice lists the same subscription twice. Please refund one of them.\n\nRegards,\nDana',
    },
  }),
  build({
    id: SEEDED.transferred,
    start: '2024-07-01T13:00:00.000Z',
    segments: [
      { agent: ALICE, seconds: 120, closeReasonType: 'TRANSFER' },
      { agent: BOB, seconds: 180, closeReasonType: 'TRANSFER', restrictedKey: 'isCustomerRestricted' },
      { agent: CAROL, seconds: 120, closeReasonType: 'TRANSFER', customerRestricted: true },
      { agent: CAROL, seconds: 180, closeReasonType: 'CONTACT', restrictedKey: 'isCustomerRestricted' },
    ],
    sentiments: [
      { segmentIndex: 0, overallSentiment: 'NEGATIVE', channel: 1 },
      { segmentIndex: 1, overallSentiment: 'NEGATIVE', channel: 1 },
      { segmentIndex: 2, overallSentiment: 'NEUTRAL', channel: 1 },
      { segmentIndex: 3, overallSentiment: 'POSITIVE', channel: 1 },
    ],
    // The QM category is what `exclude-qm-categories=true` drops.
    categories: [
      { segmentIndex: 1, categoryHierarchy: ['Routing', 'Wrong department'], secondsOffsets: [15], confidence: 0.64 },
      { segmentIndex: 3, categoryHierarchy: [QM_CATEGORY_ROOT, 'Greeting missed'], secondsOffsets: [2], confidence: 0.91 },
    ],
    tags: [{ offsetSeconds: 500, value: 'escalation' }],
  }),
  build({
    id: SEEDED.longCall,
    start: '2024-08-20T14:00:00.000Z',
    segments: [{ agent: DAN, seconds: 7200 }],
    sentiments: [{ segmentIndex: 0, overallSentiment: 'NEUTRAL', channel: 1 }],
  }),
  build({
    id: SEEDED.processing,
    start: '2024-09-02T11:11:11.111Z',
    segments: [{ agent: FRANK, seconds: 95 }],
    behaviour: 'processing',
  }),
  build({
    id: SEEDED.locked,
    start: '2024-09-03T08:20:00.000Z',
    segments: [{ agent: ALICE, seconds: 150 }],
    behaviour: 'locked',
  }),
  build({ id: SEEDED.timeout, start: '2024-09-04T10:00:00.000Z', segments: [{ agent: BOB, seconds: 60 }], behaviour: 'timeout' }),
  build({ id: SEEDED.preCutoff, start: '2018-06-01T12:00:00.000Z', segments: [{ agent: CAROL, seconds: 300 }], behaviour: 'preCutoff' }),
  build({
    id: SEEDED.serverError,
    start: '2024-09-05T10:00:00.000Z',
    segments: [{ agent: DAN, seconds: 60 }],
    behaviour: 'serverError',
  }),
  build({
    id: SEEDED.quirky,
    kind: 'workitem',
    start: '2024-10-10T10:10:10.010Z',
    segments: [{ agent: ERIN, seconds: 200, restrictedKey: 'isCustomerRestricted' }],
  }),
  build({
    id: SEEDED.archivedContact,
    start: '2024-01-22T07:45:00.000Z',
    segments: [{ agent: FRANK, seconds: 210, segmentId: SEEDED.archivedSegment, archived: true }],
  }),
  build({
    id: SEEDED.analyzedTransfer,
    start: '2024-11-05T10:00:00.000Z',
    segments: [
      { agent: ALICE, seconds: 60, closeReasonType: 'TRANSFER' },
      { agent: BOB, seconds: 90, closeReasonType: 'TRANSFER' },
      { agent: CAROL, seconds: 75, closeReasonType: 'CONTACT' },
    ],
    sentiments: [
      { segmentIndex: 0, overallSentiment: 'NEGATIVE', channel: 1 },
      { segmentIndex: 2, overallSentiment: 'POSITIVE', channel: 1 },
    ],
  }),
  build({ id: SEEDED.notAnalyzed, start: '2024-11-06T09:00:00.000Z', segments: [{ agent: DAN, seconds: 120 }] }),
];

const FIXED_BY_ID: ReadonlyMap<string, SeedContact> = new Map(FIXED.map((c) => [c.acdContactId, c]));

const FIXED_SEGMENTS: ReadonlyMap<string, { contact: SeedContact; index: number }> = new Map(
  FIXED.flatMap((contact) => contact.segments.map((s, index) => [s.segmentId, { contact, index }] as const)),
);

const BULK_ORIGIN_MS = Date.UTC(2024, 0, 1);
const BULK_SPAN_SECONDS = 365 * 24 * 3600;
const BULK_SENTIMENTS: readonly WireSentiment['overallSentiment'][] = ['POSITIVE', 'NEGATIVE', 'MIXED', 'NEUTRAL'];
// Segment ids of bulk contacts embed the contact id so /segments can find them without an index.
const BULK_SEGMENT = /^5e600000-0000-4000-800([12])-(2\d{11})$/;

function bulkSegmentId(acdContactId: string, index: number): string {
  return `5e600000-0000-4000-800${String(index + 1)}-${acdContactId}`;
}

function isBulkId(id: string): boolean {
  if (!/^2\d{11}$/.test(id)) return false;
  const n = Number(id) - BULK_BASE;
  return n >= 1 && n <= BULK_COUNT;
}

function buildBulk(id: string): SeedContact {
  const h = createHash('sha256').update(`bulk:${id}`).digest();
  const first = AGENTS[h.readUInt8(0) % AGENTS.length] ?? ALICE;
  const second = AGENTS[(h.readUInt8(1) % (AGENTS.length - 1) + 1 + AGENTS.indexOf(first)) % AGENTS.length] ?? BOB;
  const start = BULK_ORIGIN_MS + (h.readUInt32BE(2) % BULK_SPAN_SECONDS) * 1000 + (h.readUInt16BE(6) % 1000);
  const duration = 60 + (h.readUInt16BE(8) % 841);
  const twoSegments = h.readUInt8(10) % 2 === 1;
  const split = Math.max(20, Math.round(duration * (0.3 + (h.readUInt8(11) % 40) / 100)));
  const segments: SegmentSpec[] = twoSegments
    ? [
        { agent: first, seconds: split, segmentId: bulkSegmentId(id, 0) },
        { agent: second, seconds: duration - split, segmentId: bulkSegmentId(id, 1) },
      ]
    : [{ agent: first, seconds: duration, segmentId: bulkSegmentId(id, 0) }];
  return build({
    id,
    start,
    segments,
    directionType: h.readUInt8(12) % 3 === 0 ? 'OUTBOUND' : 'INBOUND',
    sentiments: segments.map((_, segmentIndex) => ({
      segmentIndex,
      overallSentiment: BULK_SENTIMENTS[h.readUInt8(13 + segmentIndex) % BULK_SENTIMENTS.length] ?? 'NEUTRAL',
      channel: 1,
    })),
    categories:
      h.readUInt8(15) % 2 === 0
        ? [{ segmentIndex: 0, categoryHierarchy: ['General', 'Inquiry'], secondsOffsets: [12], confidence: 0.5 + (h.readUInt8(16) % 50) / 100 }]
        : [],
    tags: h.readUInt8(17) % 3 === 0 ? [{ offsetSeconds: 10, value: 'bulk' }] : [],
  });
}

// Live contacts: LIVE_PER_DAY calls and chats every UTC day from LIVE_ORIGIN on, so "yesterday"
// always has data whatever the clock says. Ids are `3` + the day number since the epoch (5 digits)
// + the index in the day (6 digits); everything else derives from the id. A live contact exists
// (in the report and on /contacts) only once it has ended by the simulator's clock.
const LIVE_ORIGIN_DAY = Math.floor(Date.UTC(2025, 0, 1) / 86_400_000);
/** Live contacts per UTC day: one every 30 minutes, each starting within its half hour. */
export const LIVE_PER_DAY = 48;
const LIVE_ID = /^3(\d{5})(\d{6})$/;

/** The id of the `index`-th (1-based) live contact of the UTC day `dayNumber` (days since the epoch). */
export function liveContactId(dayNumber: number, index: number): string {
  return `3${String(dayNumber).padStart(5, '0')}${String(index).padStart(6, '0')}`;
}

function liveParts(id: string): { day: number; index: number } | null {
  const match = LIVE_ID.exec(id);
  if (!match?.[1] || !match[2]) return null;
  const day = Number(match[1]);
  const index = Number(match[2]);
  return day >= LIVE_ORIGIN_DAY && index >= 1 && index <= LIVE_PER_DAY ? { day, index } : null;
}

/** Whether the id is a live contact (whose existence depends on the clock). */
export function isLiveId(id: string): boolean {
  return liveParts(id) !== null;
}

function buildLive(id: string, day: number, index: number): SeedContact {
  const h = createHash('sha256').update(`live:${id}`).digest();
  const first = AGENTS[h.readUInt8(0) % AGENTS.length] ?? ALICE;
  const start = day * 86_400_000 + (index - 1) * 1_800_000 + (h.readUInt16BE(1) % 1200) * 1000;
  // Every eighth is a long call (45-75 min): it ends after later, shorter ones, so the report grows
  // in the middle as well as at the end, as CXone's does.
  const duration = index % 8 === 4 ? 2700 + (h.readUInt16BE(3) % 1801) : 60 + (h.readUInt16BE(3) % 841);
  const chat = index % 6 === 0;
  return build({
    id,
    start,
    kind: chat ? 'chat' : 'voice',
    segments: [{ agent: first, seconds: duration }],
    directionType: !chat && h.readUInt8(5) % 3 === 0 ? 'OUTBOUND' : 'INBOUND',
    ...(chat
      ? {
          hasScreen: true,
          messages: [
            { from: 'CUSTOMER', text: 'Hello, I have a question about my bill.', offsetSeconds: 3 },
            { from: 'AGENT', text: 'Happy to help, let me look it up.', offsetSeconds: 20 },
          ],
        }
      : {}),
    sentiments: [{ segmentIndex: 0, overallSentiment: BULK_SENTIMENTS[h.readUInt8(6) % BULK_SENTIMENTS.length] ?? 'NEUTRAL', channel: 1 }],
  });
}

/** Live contacts that start in [fromMs, toMs), in start order (ended or not: the caller checks). */
export function liveContactsStarting(fromMs: number, toMs: number): SeedContact[] {
  const contacts: SeedContact[] = [];
  const firstDay = Math.max(LIVE_ORIGIN_DAY, Math.floor(fromMs / 86_400_000));
  const lastDay = Math.floor((toMs - 1) / 86_400_000);
  for (let day = firstDay; day <= lastDay; day += 1) {
    for (let index = 1; index <= LIVE_PER_DAY; index += 1) {
      const id = liveContactId(day, index);
      const contact = buildLive(id, day, index);
      if (contact.startMs >= fromMs && contact.startMs < toMs) contacts.push(contact);
    }
  }
  return contacts;
}

/** A voice call added at run time (`RunningSimulator.addCompletedContacts`): reported, not playable. */
export function extraContact(spec: { acdContactId: string; startTime: string; durationSeconds: number; agentName?: string }): SeedContact {
  const agentByName = AGENTS.find((candidate) => candidate.name === spec.agentName) ?? ALICE;
  return build({ id: spec.acdContactId, start: spec.startTime, segments: [{ agent: agentByName, seconds: spec.durationSeconds }] });
}

/** Every generated bulk contact, built once on first use (the report filters them by time). */
let bulkIndex: readonly SeedContact[] | null = null;
export function bulkContacts(): readonly SeedContact[] {
  bulkIndex ??= Array.from({ length: BULK_COUNT }, (_, n) => buildBulk(String(BULK_BASE + n + 1)));
  return bulkIndex;
}

/** The contact with this ACD id, or null when CXone would not know it. */
export function findContact(acdContactId: string): SeedContact | null {
  const fixed = FIXED_BY_ID.get(acdContactId);
  if (fixed) return fixed;
  const live = liveParts(acdContactId);
  if (live !== null) return buildLive(acdContactId, live.day, live.index);
  return isBulkId(acdContactId) ? buildBulk(acdContactId) : null;
}

/** The contact owning this segment id and the segment's position in it, or null. */
export function findSegment(segmentId: string): { contact: SeedContact; segment: SeedSegment } | null {
  const fixed = FIXED_SEGMENTS.get(segmentId);
  if (fixed) {
    const segment = fixed.contact.segments[fixed.index];
    return segment ? { contact: fixed.contact, segment } : null;
  }
  const match = BULK_SEGMENT.exec(segmentId);
  if (!match?.[1] || !match[2] || !isBulkId(match[2])) return null;
  const contact = buildBulk(match[2]);
  const segment = contact.segments[Number(match[1]) - 1];
  return segment ? { contact, segment } : null;
}

/** Every fixed (non-bulk) contact, for documentation and tests. */
export function fixedContacts(): readonly SeedContact[] {
  return FIXED;
}
