/**
 * CXone Reporting API's completed contacts report (`completedContactDetails`): zod schemas and the
 * mapping to our model. Older public samples name some fields differently and wrap the list in
 * `resultSet`: both generations are read. Ids may exceed 2^53, so they are carried as strings.
 */
import { z } from 'zod';
import type { CompletedContactModel, CompletedContactsPage, ReportingMediaTypeName } from '../models.js';
import { InvalidCxoneAnswer, readTrimmed } from './mapping.js';
import { isRecord } from '../json.js';
import { issuePaths } from './playback-wire.js';

/** Ids and counts: numbers in the spec; strings tolerated (some gateways quote large numbers). */
const numeric = z.union([z.number(), z.string()]).nullish();
const text = z.string().nullish();
const flag = z.boolean().nullish();

/** One completed contact (a contact leg: a transferred call has several, sharing `masterContactId`), both generations' names. */
export const completedContactRowSchema = z.looseObject({
  contactId: numeric,
  /** The ACD contact id the Media Playback API calls `acd-call-id`. */
  masterContactId: numeric,
  contactStartDate: text,
  /** Legacy name of contactStartDate (likewise mediaType, fromAddr, toAddr, ACWSeconds below). */
  contactStart: text,
  totalDurationSeconds: numeric,
  agentId: numeric,
  firstName: text,
  lastName: text,
  skillId: numeric,
  skillName: text,
  mediaTypeId: numeric,
  mediaType: numeric,
  mediaTypeName: text,
  mediaSubTypeId: numeric,
  mediaSubTypeName: text,
  isOutbound: flag,
  campaignName: text,
  teamName: text,
  fromAddress: text,
  fromAddr: text,
  toAddress: text,
  toAddr: text,
  acwSeconds: numeric,
  ACWSeconds: numeric,
  abandoned: flag,
  isRefused: flag,
  isLogged: flag,
  tags: z.array(z.unknown()).nullish(),
  divisionNo: numeric,
  lastUpdateTime: text,
});

/** The list and its total; the published answer has them at the top level, old samples in `resultSet`. */
const completedContactsListSchema = z.looseObject({
  totalRecords: numeric,
  completedContacts: z.array(z.unknown()).nullish(),
});

/** The answer body (`completedContactDetails`' 200 answer). Rows are checked one by one. */
export const completedContactsAnswerSchema = z.looseObject({
  ...completedContactsListSchema.shape,
  _links: z.looseObject({ self: text, next: text, previous: text }).nullish(),
  businessUnitId: numeric,
  lastPollTime: text,
  resultSet: completedContactsListSchema.nullish(),
});

/** CXone's `mediaTypeId` for each media type we name. */
export const REPORTING_MEDIA_TYPE_IDS: Readonly<Record<ReportingMediaTypeName, number>> = Object.freeze({
  EMAIL: 1,
  CHAT: 3,
  PHONE_CALL: 4,
  VOICE_MAIL: 5,
  WORK_ITEM: 6,
  SMS: 7,
  SOCIAL: 8,
  DIGITAL: 9,
});

const MEDIA_TYPE_BY_ID: ReadonlyMap<number, ReportingMediaTypeName> = new Map(
  Object.entries(REPORTING_MEDIA_TYPE_IDS).map(([name, id]) => [id, name as ReportingMediaTypeName]),
);

/** An id sent as a number or a string: digits only, else null. */
function readId(value: unknown): string | null {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value === 'string' && /^\d{1,20}$/.test(value.trim())) return value.trim();
  return null;
}

function readTime(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  // CXone's reporting times are UTC; some versions leave the Z off, which Date would read as local.
  const withZone = /[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value}Z`;
  const ms = Date.parse(withZone);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function readCount(value: unknown): number | null {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : null;
}

/** A row the subgraph could not read: which fields it had (names only, never values). */
export interface UnreadableRow {
  readonly fields: readonly string[];
  /** The fields that had the wrong type, or `contactId`/`contactStartDate` when they were missing. */
  readonly problems: readonly string[];
}

/** One wire item -> our model, or what made it unreadable (no usable id or start, or a field of the wrong type). */
function mapCompletedContact(item: unknown): CompletedContactModel | UnreadableRow {
  if (!isRecord(item)) return { fields: [], problems: ['(not an object)'] };
  const fields = Object.keys(item).sort();
  const parsed = completedContactRowSchema.safeParse(item);
  if (!parsed.success) return { fields, problems: issuePaths(parsed.error) };
  const wire = parsed.data;
  const contactId = readId(wire.contactId);
  const acdContactId = readId(wire.masterContactId) ?? contactId;
  const startTime = readTime(wire.contactStartDate ?? wire.contactStart);
  if (acdContactId === null || contactId === null || startTime === null) {
    const problems = [...(contactId === null ? ['contactId'] : []), ...(startTime === null ? ['contactStartDate'] : [])];
    return { fields, problems };
  }
  const duration = readCount(wire.totalDurationSeconds);
  const mediaTypeId = readCount(wire.mediaTypeId ?? wire.mediaType);
  const name = [readTrimmed(wire.firstName), readTrimmed(wire.lastName)].filter((part) => part !== null).join(' ');
  return {
    acdContactId,
    contactId,
    startTime,
    endTime: duration === null ? null : new Date(Date.parse(startTime) + duration * 1000).toISOString(),
    durationSeconds: duration,
    agentId: readId(wire.agentId),
    agentName: name === '' ? null : name,
    skillId: readId(wire.skillId),
    skillName: readTrimmed(wire.skillName),
    direction: wire.isOutbound === true ? 'OUTBOUND' : wire.isOutbound === false ? 'INBOUND' : null,
    mediaTypeId,
    mediaType: mediaTypeId === null ? null : (MEDIA_TYPE_BY_ID.get(mediaTypeId) ?? null),
    mediaTypeName: readTrimmed(wire.mediaTypeName),
    campaignName: readTrimmed(wire.campaignName),
    teamName: readTrimmed(wire.teamName),
  };
}

/**
 * A `/contacts/completed` answer (null: 204, nothing in the window) -> one page. Throws InvalidCxoneAnswer
 * for a body not of the documented shape, or rows none of which could be read (that is no empty report).
 */
export function mapCompletedContactsAnswer(body: unknown): { page: CompletedContactsPage; unreadable: UnreadableRow[] } {
  const empty: CompletedContactsPage = { totalRecords: 0, contacts: [], positions: [], rows: 0 };
  if (body === null) return { page: empty, unreadable: [] };
  if (!isRecord(body)) throw new InvalidCxoneAnswer('CXone completed contacts answer is not a JSON object');
  const parsed = completedContactsAnswerSchema.safeParse(body);
  if (!parsed.success) {
    const where = issuePaths(parsed.error).join(', ');
    throw new InvalidCxoneAnswer(`CXone completed contacts answer has fields of the wrong type: ${where}`);
  }
  const root = parsed.data;
  const list = root.completedContacts ?? root.resultSet?.completedContacts;
  if (list === undefined || list === null) return { page: empty, unreadable: [] };
  const rows = list.map((item) => mapCompletedContact(item));
  const contacts = rows.filter((row): row is CompletedContactModel => !('problems' in row));
  const positions = rows.flatMap((row, index) => ('problems' in row ? [] : [index]));
  // The caller counts and logs the rows it could not read.
  const unreadable = rows.filter((row): row is UnreadableRow => 'problems' in row);
  if (list.length > 0 && contacts.length === 0) {
    const fields = [...new Set(unreadable.flatMap((row) => row.fields))].sort().join(', ');
    throw new InvalidCxoneAnswer(
      `CXone completed contacts answer had ${String(list.length)} rows and none could be read (fields: ${fields})`,
    );
  }
  const total = readCount(root.totalRecords ?? root.resultSet?.totalRecords);
  return {
    page: {
      // Without a total, at least what we have seen: the page is then the last one unless it is full.
      totalRecords: total === null ? contacts.length : Math.floor(total),
      contacts,
      positions,
      // Unreadable rows are left out of the page but still count for `skip`.
      rows: list.length,
    },
    unreadable,
  };
}
