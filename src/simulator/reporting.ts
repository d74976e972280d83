/**
 * CXone's Reporting API, the part the subgraph uses: `GET /incontactapi/services/v{N}/contacts/completed`.
 * Rows come from the seeded contacts (fixed, the 10,000 bulk calls of 2024, and the live contacts
 * of every day since 2025): one row per contact leg (a transferred contact has one per segment,
 * sharing `masterContactId`), and only once the contact has ended by the simulator's clock, so the
 * report grows as the clock moves, as CXone's does. Rows use the names of NICE's published spec
 * (`published`, the default) or the older samples' names (`legacy`); both checked against the
 * client's schemas in src/cxone/reporting-wire.ts by test/contract/simulator-contract.test.ts.
 */
import { apiError, json, type Reply } from './http.js';
import { bulkContacts, fixedContacts, liveContactsStarting, type SeedContact } from './seed.js';
import type { SimulatorState } from './state.js';
import type { SimulatorVariant } from './types.js';

/** `/incontactapi/services/v30.0/contacts/completed`, in any case (callers write inContactAPI too). */
export const REPORTING_PATH = /^\/incontactapi\/services\/v\d{1,3}\.\d{1,3}\/contacts\/completed$/i;

/** The longest window the report accepts, in days (our assumption of CXone's limit; the subgraph's default matches). */
const MAX_WINDOW_DAYS = 31;
/** CXone's largest page. */
const MAX_TOP = 10_000;
const DAY_MS = 86_400_000;

const AGENT_IDS: Readonly<Record<string, number>> = {
  'Alice Example': 7_000_001,
  'Bob Example': 7_000_002,
  'Carol Example': 7_000_003,
  'Dan Example': 7_000_004,
  'Erin Example': 7_000_005,
  'Frank Example': 7_000_006,
};

/** Skills the simulated tenant routes on; `SIM_SKILLS` in tests and the README. */
export const SIM_SKILLS = Object.freeze({
  billing: { id: 4_100_001, name: 'Billing Inbound' },
  support: { id: 4_100_002, name: 'Support Inbound' },
  sales: { id: 4_100_003, name: 'Sales Outbound' },
  chat: { id: 4_100_004, name: 'Chat Support' },
  email: { id: 4_100_005, name: 'Email Support' },
  workItems: { id: 4_100_006, name: 'Work Items' },
});

/** The simulated agents' CXone agent ids, by name. */
export function simAgentId(name: string): number | undefined {
  return AGENT_IDS[name];
}

const MEDIA: Record<SeedContact['kind'], { id: number; name: string }> = {
  voice: { id: 4, name: 'Call' },
  chat: { id: 3, name: 'Chat' },
  email: { id: 1, name: 'Email' },
  workitem: { id: 6, name: 'Work Item' },
};

/** One report row, before it is spelled the way a generation of the API spells it. */
interface Row {
  readonly contactId: number;
  readonly masterContactId: number;
  readonly start: string;
  readonly totalDurationSeconds: number;
  readonly agentId: number | null;
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly skillId: number;
  readonly skillName: string;
  readonly mediaTypeId: number;
  readonly mediaTypeName: string;
  readonly isOutbound: boolean;
  readonly campaignName: string;
  readonly teamName: string;
  readonly fromAddress: string;
  readonly toAddress: string;
  readonly acwSeconds: number;
  readonly lastUpdateTime: string;
  /** Sort key, not sent. */
  readonly startMs: number;
}

/**
 * The row as one generation sends it. `published`: ReportingReportingService.ts,
 * `completedContactDetails` (contactStartDate, mediaTypeId, acwSeconds, fromAddress, divisionNo...);
 * `legacy`: the older samples (contactStart, mediaType, ACWSeconds, fromAddr, toAddr).
 */
function render(row: Row, variant: SimulatorVariant): Record<string, unknown> {
  const common = {
    contactId: row.contactId,
    masterContactId: row.masterContactId,
    totalDurationSeconds: row.totalDurationSeconds,
    agentId: row.agentId,
    firstName: row.firstName,
    lastName: row.lastName,
    skillId: row.skillId,
    skillName: row.skillName,
    mediaTypeName: row.mediaTypeName,
    isOutbound: row.isOutbound,
    campaignName: row.campaignName,
    teamName: row.teamName,
    lastUpdateTime: row.lastUpdateTime,
  };
  if (variant === 'legacy') {
    return { ...common, contactStart: row.start, mediaType: row.mediaTypeId, ACWSeconds: row.acwSeconds, fromAddr: row.fromAddress, toAddr: row.toAddress };
  }
  return {
    ...common,
    contactStartDate: row.start,
    mediaTypeId: row.mediaTypeId,
    mediaSubTypeId: 0,
    mediaSubTypeName: 'None',
    acwSeconds: row.acwSeconds,
    fromAddress: row.fromAddress,
    toAddress: row.toAddress,
    abandoned: false,
    isRefused: false,
    isLogged: true,
    tags: [],
    divisionNo: 0,
  };
}

/** The fields `orderBy` may name in each generation: the names its rows carry. */
const SORTABLE: Readonly<Record<SimulatorVariant, ReadonlySet<string>>> = {
  published: new Set(['contactId', 'masterContactId', 'contactStartDate', 'totalDurationSeconds', 'agentId', 'skillId', 'mediaTypeId', 'lastUpdateTime', 'acwSeconds']),
  legacy: new Set(['contactId', 'masterContactId', 'contactStart', 'totalDurationSeconds', 'agentId', 'skillId', 'mediaType', 'lastUpdateTime', 'ACWSeconds']),
};

type SortKey = (row: Row) => number;
const SORT_KEYS: Readonly<Record<string, SortKey>> = {
  contactId: (row) => row.contactId,
  masterContactId: (row) => row.masterContactId,
  contactStartDate: (row) => row.startMs,
  contactStart: (row) => row.startMs,
  totalDurationSeconds: (row) => row.totalDurationSeconds,
  agentId: (row) => row.agentId ?? -1,
  skillId: (row) => row.skillId,
  mediaTypeId: (row) => row.mediaTypeId,
  mediaType: (row) => row.mediaTypeId,
  lastUpdateTime: (row) => Date.parse(row.lastUpdateTime),
  acwSeconds: (row) => row.acwSeconds,
  ACWSeconds: (row) => row.acwSeconds,
};

/**
 * `orderBy`: comma-separated `field [asc|desc]`. A field this generation's rows do not carry is
 * refused with 400, as CXone refuses it; null when the parameter is invalid.
 */
function readOrder(value: string | null, variant: SimulatorVariant): ((a: Row, b: Row) => number) | null {
  if (value === null || value.trim() === '') return (a, b) => a.contactId - b.contactId;
  const terms: Array<{ key: SortKey; sign: number }> = [];
  for (const term of value.split(',')) {
    const m = /^\s*([A-Za-z]+)(?:\s+(asc|desc))?\s*$/i.exec(term);
    const key = m?.[1] === undefined || !SORTABLE[variant].has(m[1]) ? undefined : SORT_KEYS[m[1]];
    if (m === null || key === undefined) return null;
    terms.push({ key, sign: m[2]?.toLowerCase() === 'desc' ? -1 : 1 });
  }
  return (a, b) => {
    for (const { key, sign } of terms) {
      const d = key(a) - key(b);
      if (d !== 0) return sign * d;
    }
    return a.contactId - b.contactId;
  };
}

function skillOf(contact: SeedContact): { id: number; name: string } {
  switch (contact.kind) {
    case 'chat':
      return SIM_SKILLS.chat;
    case 'email':
      return SIM_SKILLS.email;
    case 'workitem':
      return SIM_SKILLS.workItems;
    case 'voice':
      if (contact.segments[0]?.directionType === 'OUTBOUND') return SIM_SKILLS.sales;
      // Deterministic from the id: odd ids are billing, even ones support.
      return Number(contact.acdContactId.slice(-1)) % 2 === 1 ? SIM_SKILLS.billing : SIM_SKILLS.support;
  }
}

/** One row per segment (leg); the first leg's contact id is the master contact id. */
function rowsOf(contact: SeedContact): Row[] {
  const skill = skillOf(contact);
  const media = MEDIA[contact.kind];
  return contact.segments.map((segment, index) => {
    const [firstName = null, lastName = null] = segment.agent.name.split(' ');
    return {
      contactId: index === 0 ? Number(contact.acdContactId) : Number(`9${contact.acdContactId}${String(index)}`),
      masterContactId: Number(contact.acdContactId),
      start: new Date(segment.startMs).toISOString(),
      totalDurationSeconds: Math.round((segment.endMs - segment.startMs) / 1000),
      agentId: simAgentId(segment.agent.name) ?? null,
      firstName,
      lastName,
      skillId: skill.id,
      skillName: skill.name,
      mediaTypeId: media.id,
      mediaTypeName: media.name,
      isOutbound: segment.directionType === 'OUTBOUND',
      fromAddress: segment.directionType === 'OUTBOUND' ? '8005550100' : '5555550123',
      toAddress: segment.directionType === 'OUTBOUND' ? '5555550123' : '8005550100',
      acwSeconds: Math.max(0, Math.round(((segment.acwEndMs ?? segment.endMs) - segment.endMs) / 1000)),
      campaignName: skill.id === SIM_SKILLS.sales.id ? 'Spring Offers' : 'Customer Service',
      teamName: 'Simulated Team',
      lastUpdateTime: new Date(segment.acwEndMs ?? segment.endMs).toISOString(),
      startMs: segment.startMs,
    };
  });
}

function readTime(value: string | null): number | null {
  if (value === null || value.trim() === '') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

function readWhole(value: string | null, fallback: number, max: number): number | null {
  if (value === null) return fallback;
  if (!/^\d{1,9}$/.test(value)) return null;
  const n = Number(value);
  return n <= max ? n : null;
}

function readFilter(value: string | null): number | null | undefined {
  if (value === null || value === '') return null;
  return /^\d{1,15}$/.test(value) ? Number(value) : undefined;
}

/** Answers the completed contacts report; the caller has checked token, throttle and permission. */
export function completedContacts(state: SimulatorState, path: string, query: URLSearchParams): Reply {
  const fromMs = readTime(query.get('startDate'));
  const toMs = readTime(query.get('endDate'));
  if (fromMs === null || toMs === null) return apiError(400, 'startDate and endDate are required ISO-8601 dates');
  if (toMs <= fromMs) return apiError(400, 'endDate must be after startDate');
  if (toMs - fromMs > MAX_WINDOW_DAYS * DAY_MS) {
    return apiError(400, `The date range cannot exceed ${String(MAX_WINDOW_DAYS)} days`);
  }
  const top = readWhole(query.get('top'), MAX_TOP, MAX_TOP);
  const skip = readWhole(query.get('skip'), 0, 1_000_000_000);
  if (top === null || top < 1) return apiError(400, `top must be 1 to ${String(MAX_TOP)}`);
  if (skip === null) return apiError(400, 'skip must be a whole number');
  const agentId = readFilter(query.get('agentId'));
  const skillId = readFilter(query.get('skillId'));
  const mediaTypeId = readFilter(query.get('mediaTypeId'));
  if (agentId === undefined || skillId === undefined || mediaTypeId === undefined) {
    return apiError(400, 'agentId, skillId and mediaTypeId must be numeric');
  }
  const order = readOrder(query.get('orderBy'), state.variant);
  if (order === null) return apiError(400, 'orderBy names a field the report does not have');

  const now = state.clock.now();
  const candidates = [...fixedContacts(), ...bulkContacts(), ...liveContactsStarting(fromMs, toMs), ...state.extraContacts];
  const rows = candidates
    // CXone reports a contact once it has ended; the pre-cutoff one is reported though unplayable.
    .filter((contact) => contact.endMs <= now && contact.startMs < toMs && contact.endMs >= fromMs)
    .flatMap(rowsOf)
    .filter(
      (row) =>
        row.startMs >= fromMs &&
        row.startMs < toMs &&
        (agentId === null || row.agentId === agentId) &&
        (skillId === null || row.skillId === skillId) &&
        (mediaTypeId === null || row.mediaTypeId === mediaTypeId),
    )
    .sort(order);
  const page = rows.slice(skip, skip + top);
  // CXone answers 204 with no body when nothing is left to return.
  if (page.length === 0) return { status: 204, headers: {}, body: null };
  const link = (at: number): string => {
    const params = new URLSearchParams(query);
    params.set('skip', String(at));
    return `${state.baseUrl}${path}?${params.toString()}`;
  };
  return json(200, {
    _links: {
      self: link(skip),
      ...(skip + top < rows.length ? { next: link(skip + top) } : {}),
      ...(skip > 0 ? { previous: link(Math.max(0, skip - top)) } : {}),
    },
    businessUnitId: 4_600_001,
    lastPollTime: new Date(now).toISOString(),
    totalRecords: rows.length,
    completedContacts: page.map((row) => render(row, state.variant)),
  });
}
