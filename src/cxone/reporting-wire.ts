/**
 * CXone Reporting API: `GET {api}/incontactapi/services/v{N}/contacts/completed`, as it comes over
 * the wire, and its mapping to our model.
 *
 * Shapes relied on (public callers of the real API, found with the search tool's code corpus):
 * - the request parameters `startDate`, `endDate`, `top`, `skip`, `orderBy`, `mediaTypeId`,
 *   `skillId`, `agentId`, `fields` (a TypeScript test client's `CompletedContactsRequest_Reporting`
 *   sample, and a Python client paging with `top`/`skip` until a page is short);
 * - the answer `{ totalRecords, completedContacts: [...] }` (that Python client reads both at the
 *   top level); the TypeScript samples wrap the same list in `resultSet` with `_links`, so both are read;
 * - `204 No Content` when nothing matched (a C# client returns an empty list for it);
 * - each item: `contactId`, `masterContactId`, `contactStart`, `totalDurationSeconds`, `agentId`,
 *   `firstName`, `lastName`, `skillId`, `skillName`, `mediaType` (a number), `mediaTypeName`,
 *   `isOutbound`, `campaignName`, `teamName`, `lastUpdateTime` (the same samples);
 * - `mediaTypeId` values 1 email, 3 chat, 4 phone call, 5 voice mail, 6 work item, 7 SMS,
 *   8 social, 9 digital (the Python client's docstring).
 * Ids are numbers on the wire and may exceed 2^53 in theory; they are carried as strings.
 */
import type { CompletedContactModel, CompletedContactsPage, ReportingMediaTypeName } from '../models.js';
import { InvalidCxoneAnswer } from './mapping.js';
import type { Untrusted, Wire } from './wire.js';
import { isRecord } from '../json.js';

/** One completed contact (a contact leg: a transferred call has several, sharing `masterContactId`). */
export interface WireCompletedContact {
  readonly contactId?: Wire<number | string>;
  /** The ACD contact id the Media Playback API calls `acd-call-id`. */
  readonly masterContactId?: Wire<number | string>;
  readonly contactStart?: Wire<string>;
  readonly totalDurationSeconds?: Wire<number>;
  readonly agentId?: Wire<number | string>;
  readonly firstName?: Wire<string>;
  readonly lastName?: Wire<string>;
  readonly skillId?: Wire<number | string>;
  readonly skillName?: Wire<string>;
  readonly mediaType?: Wire<number | string>;
  readonly mediaTypeName?: Wire<string>;
  readonly isOutbound?: Wire<boolean>;
  readonly campaignName?: Wire<string>;
  readonly teamName?: Wire<string>;
  readonly lastUpdateTime?: Wire<string>;
}

/** The answer body; some API versions wrap it in `resultSet`. */
export interface WireCompletedContactsAnswer {
  readonly totalRecords?: Wire<number | string>;
  readonly completedContacts?: Wire<readonly WireCompletedContact[]>;
  readonly resultSet?: Wire<{ totalRecords?: Wire<number | string>; completedContacts?: Wire<readonly WireCompletedContact[]> }>;
}

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

function readText(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function readTime(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  // CXone's reporting times are UTC; some versions leave the Z off, which Date would read as local.
  const text = /[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value}Z`;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function readCount(value: unknown): number | null {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : null;
}

/** One wire item -> our model; null when it has no usable id or start (such a row cannot be a node). */
export function mapCompletedContact(item: unknown): CompletedContactModel | null {
  if (!isRecord(item)) return null;
  const wire = item as Untrusted<WireCompletedContact>;
  const contactId = readId(wire.contactId);
  const acdContactId = readId(wire.masterContactId) ?? contactId;
  const startTime = readTime(wire.contactStart);
  if (acdContactId === null || contactId === null || startTime === null) return null;
  const duration = readCount(wire.totalDurationSeconds);
  const mediaTypeId = readCount(wire.mediaType);
  const name = [readText(wire.firstName), readText(wire.lastName)].filter((part) => part !== null).join(' ');
  return {
    acdContactId,
    contactId,
    startTime,
    endTime: duration === null ? null : new Date(Date.parse(startTime) + duration * 1000).toISOString(),
    durationSeconds: duration,
    agentId: readId(wire.agentId),
    agentName: name === '' ? null : name,
    skillId: readId(wire.skillId),
    skillName: readText(wire.skillName),
    direction: wire.isOutbound === true ? 'OUTBOUND' : wire.isOutbound === false ? 'INBOUND' : null,
    mediaTypeId,
    mediaType: mediaTypeId === null ? null : (MEDIA_TYPE_BY_ID.get(mediaTypeId) ?? null),
    mediaTypeName: readText(wire.mediaTypeName),
    campaignName: readText(wire.campaignName),
    teamName: readText(wire.teamName),
  };
}

/**
 * A `/contacts/completed` answer -> one page. `null` is the 204 No Content answer (nothing in the
 * window). Throws InvalidCxoneAnswer when the body is not the documented object.
 */
export function mapCompletedContactsAnswer(body: unknown): CompletedContactsPage {
  if (body === null) return { totalRecords: 0, contacts: [], positions: [], rows: 0 };
  if (!isRecord(body)) throw new InvalidCxoneAnswer('CXone completed contacts answer is not a JSON object');
  const root = body as Untrusted<WireCompletedContactsAnswer>;
  const inner = isRecord(root.resultSet) ? (root.resultSet as Untrusted<WireCompletedContactsAnswer>) : root;
  const list = inner.completedContacts ?? root.completedContacts;
  if (list === undefined || list === null) return { totalRecords: 0, contacts: [], positions: [], rows: 0 };
  if (!Array.isArray(list)) throw new InvalidCxoneAnswer('CXone completed contacts answer has no completedContacts array');
  const contacts: CompletedContactModel[] = [];
  const positions: number[] = [];
  (list as unknown[]).forEach((item, index) => {
    const mapped = mapCompletedContact(item);
    if (mapped === null) return;
    contacts.push(mapped);
    positions.push(index);
  });
  const total = readCount(inner.totalRecords ?? root.totalRecords);
  return {
    // Without a total, at least what we have seen: the page is then the last one unless it is full.
    totalRecords: total === null ? contacts.length : Math.floor(total),
    contacts,
    positions,
    // Rows without an id or start are dropped, but they still count for `skip`.
    rows: list.length,
  };
}
