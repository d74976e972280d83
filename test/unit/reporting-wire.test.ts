/**
 * The completed contacts report's wire tolerance and the cursor's validation: pure logic, so unit
 * tests; the end-to-end behaviour is in test/e2e/completed-contacts.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { mapCompletedContactsAnswer } from '../../src/cxone/reporting-wire.js';
import { InvalidCxoneAnswer } from '../../src/cxone/mapping.js';
import { decodeReportCursor, pageRequest, toConnection } from '../../src/resolvers/completed-contacts.js';
import { encodeCursor } from '../../src/resolvers/cursor.js';

const LIMITS = { maxPageSize: 500, maxWindowDays: 31 };

/** The page alone, for tests that do not look at unreadable rows. */
const pageOf = (body: unknown) => mapCompletedContactsAnswer(body).page;

describe('mapCompletedContactsAnswer', () => {
  it('reads the published names (contactStartDate, mediaTypeId) and the legacy ones (contactStart, mediaType)', () => {
    const published = { contactId: 11, masterContactId: 10, contactStartDate: '2024-03-01T10:00:00.000Z', totalDurationSeconds: 90, mediaTypeId: 4, acwSeconds: 5, fromAddress: '555', divisionNo: 0 };
    const legacy = { contactId: 11, masterContactId: 10, contactStart: '2024-03-01T10:00:00.000Z', totalDurationSeconds: 90, mediaType: 4, ACWSeconds: 5, fromAddr: '555' };
    for (const row of [published, legacy]) {
      const { page, unreadable } = mapCompletedContactsAnswer({ totalRecords: 1, completedContacts: [row] });
      expect(unreadable).toEqual([]);
      expect(page.contacts[0]).toMatchObject({ contactId: '11', acdContactId: '10', startTime: '2024-03-01T10:00:00.000Z', mediaType: 'PHONE_CALL', mediaTypeId: 4 });
    }
  });

  it('reads the top-level and the resultSet-wrapped shapes, numbers or strings, and times without a zone as UTC', () => {
    const row = { contactId: 11, masterContactId: '10', contactStart: '2024-03-01T10:00:00', totalDurationSeconds: 90, agentId: 7, firstName: 'Ann', lastName: 'Lee', isOutbound: false, mediaType: 4, mediaTypeName: 'Call' };
    for (const body of [{ totalRecords: 3, completedContacts: [row] }, { resultSet: { totalRecords: '3', completedContacts: [row] } }]) {
      const page = pageOf(body);
      expect(page.totalRecords).toBe(3);
      expect(page.contacts[0]).toMatchObject({
        acdContactId: '10',
        contactId: '11',
        startTime: '2024-03-01T10:00:00.000Z',
        endTime: '2024-03-01T10:01:30.000Z',
        agentId: '7',
        agentName: 'Ann Lee',
        direction: 'INBOUND',
        mediaType: 'PHONE_CALL',
      });
    }
  });

  it('204 (null) and a missing list are empty pages; unreadable rows are reported by field name and still count for skip', () => {
    expect(pageOf(null)).toEqual({ totalRecords: 0, contacts: [], positions: [], rows: 0 });
    expect(pageOf({ totalRecords: 0 }).contacts).toEqual([]);
    const { page, unreadable } = mapCompletedContactsAnswer({
      totalRecords: 3,
      completedContacts: [{ contactId: 'x', secret: 'value' }, { contactId: 5, contactStartDate: '2024-01-01T00:00:00Z' }, 'junk'],
    });
    expect(page.contacts.map((c) => c.contactId)).toEqual(['5']);
    expect(page.positions).toEqual([1]);
    expect(page.rows).toBe(3);
    expect(unreadable).toEqual([
      { fields: ['contactId', 'secret'], problems: ['contactId', 'contactStartDate'] },
      { fields: [], problems: ['(not an object)'] },
    ]);
    // Names only: no value of the row is in what is reported.
    expect(JSON.stringify(unreadable)).not.toContain('value');
  });

  it('a page that had rows and none readable is an invalid answer, not an empty page', () => {
    expect(() => mapCompletedContactsAnswer({ totalRecords: 48, completedContacts: [{ contactId: 1, startedAt: '2024-01-01T00:00:00Z' }] })).toThrow(
      /1 rows and none could be read \(fields: contactId, startedAt\)/,
    );
  });

  it('an answer that is not an object, or a list that is not an array, is an invalid answer', () => {
    expect(() => mapCompletedContactsAnswer([])).toThrow(InvalidCxoneAnswer);
    expect(() => mapCompletedContactsAnswer({ completedContacts: 'no' })).toThrow(InvalidCxoneAnswer);
  });
});

describe('the cursor', () => {
  const args = { from: '2024-01-01T00:00:00Z', to: '2024-01-02T00:00:00Z', first: 2 };

  it('round-trips and resumes after the last row read, dropping rows at or before it', () => {
    const first = pageRequest(args, LIMITS);
    const page = pageOf({
      totalRecords: 5,
      completedContacts: [
        { contactId: 1, contactStart: '2024-01-01T01:00:00Z' },
        { contactId: 2, contactStart: '2024-01-01T02:00:00Z' },
      ],
    });
    const connection = toConnection(first, page);
    expect(connection.hasNextPage).toBe(true);
    const next = pageRequest({ ...args, after: connection.endCursor }, LIMITS);
    expect(next.query.skip).toBe(2);
    expect(next.lastKey).toBe('2');
    const repeated = toConnection(
      next,
      pageOf({
        totalRecords: 6,
        completedContacts: [
          { contactId: 2, contactStart: '2024-01-01T02:00:00Z' },
          { contactId: 3, contactStart: '2024-01-01T03:00:00Z' },
        ],
      }),
    );
    expect(repeated.edges.map((edge) => edge.row.contactId)).toEqual(['3']);
  });

  it('refuses what is not one of ours', () => {
    const valid = toConnection(pageRequest(args, LIMITS), pageOf(null)).endCursor!;
    const state = decodeReportCursor(valid);
    for (const bad of [
      'x',
      '!!!',
      Buffer.from('{"v":2}').toString('base64url'),
      // A cursor of the earlier start-ordered version.
      Buffer.from(JSON.stringify({ ...state, v: 1, lastStart: null })).toString('base64url'),
      encodeCursor({ ...state, skip: 1.5 }),
      'a'.repeat(2000),
    ]) {
      expect(() => pageRequest({ ...args, after: bad }, LIMITS)).toThrow(/not a cursor|another window/);
    }
  });
});
