/**
 * CXone's Reporting API, the part the subgraph uses: `GET /incontactapi/services/v{N}/contacts/completed`.
 * Rows come from the seeded contacts (fixed, the 10,000 bulk calls of 2024, and the live contacts
 * of every day since 2025): one row per contact leg (a transferred contact has one per segment,
 * sharing `masterContactId`), and only once the contact has ended by the simulator's clock, so the
 * report grows as the clock moves, as CXone's does. Shapes follow `src/cxone/reporting-wire.ts`.
 */
import { apiError, json, type Reply } from './http.js';
import { bulkContacts, fixedContacts, liveContactsStarting, type SeedContact } from './seed.js';
import type { SimulatorState } from './state.js';

/** `/incontactapi/services/v30.0/contacts/completed`, in any case (callers write inContactAPI too). */
export const REPORTING_PATH = /^\/incontactapi\/services\/v\d{1,3}\.\d{1,3}\/contacts\/completed$/i;

/** The longest window the report accepts, in days (our assumption of CXone's limit; the subgraph's default matches). */
export const MAX_WINDOW_DAYS = 31;
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

/** One report row, as CXone sends it. */
interface Row {
  readonly contactId: number;
  readonly masterContactId: number;
  readonly contactStart: string;
  readonly totalDurationSeconds: number;
  readonly agentId: number | null;
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly skillId: number;
  readonly skillName: string;
  readonly mediaType: number;
  readonly mediaTypeName: string;
  readonly isOutbound: boolean;
  readonly campaignName: string;
  readonly teamName: string;
  readonly lastUpdateTime: string;
  /** Sort key, not sent. */
  readonly startMs: number;
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
      contactStart: new Date(segment.startMs).toISOString(),
      totalDurationSeconds: Math.round((segment.endMs - segment.startMs) / 1000),
      agentId: simAgentId(segment.agent.name) ?? null,
      firstName,
      lastName,
      skillId: skill.id,
      skillName: skill.name,
      mediaType: media.id,
      mediaTypeName: media.name,
      isOutbound: segment.directionType === 'OUTBOUND',
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
export function completedContacts(state: SimulatorState, query: URLSearchParams): Reply {
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
        (mediaTypeId === null || row.mediaType === mediaTypeId),
    )
    // `orderBy` is honoured only as what the subgraph sends (start ascending); ties by contact id.
    .sort((a, b) => a.startMs - b.startMs || a.contactId - b.contactId);
  const page = rows.slice(skip, skip + top);
  // CXone answers 204 with no body when nothing is left to return.
  if (page.length === 0) return { status: 204, headers: {}, body: null };
  return json(200, {
    _links: { self: null, next: null, previous: null },
    businessUnitId: 4_600_001,
    lastPollTime: new Date(now).toISOString(),
    totalRecords: rows.length,
    completedContacts: page.map(({ startMs: _startMs, ...row }) => row),
  });
}
