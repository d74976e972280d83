/**
 * The completed contacts report's wire tolerance and the cursor's validation: pure logic, so unit
 * tests; the end-to-end behaviour is in test/e2e/completed-contacts.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { mapCompletedContactsAnswer } from '../../src/cxone/reporting-wire.js';
import { InvalidCxoneAnswer } from '../../src/cxone/mapping.js';
import { decodeCursor, encodeCursor, pageRequest, toConnection } from '../../src/resolvers/completed-contacts.js';

const LIMITS = { maxPageSize: 500, maxWindowDays: 31 };

describe('mapCompletedContactsAnswer', () => {
  it('reads the top-level and the resultSet-wrapped shapes, numbers or strings, and times without a zone as UTC', () => {
    const row = { contactId: 11, masterContactId: '10', contactStart: '2024-03-01T10:00:00', totalDurationSeconds: 90, agentId: 7, firstName: 'Ann', lastName: 'Lee', isOutbound: false, mediaType: 4, mediaTypeName: 'Call' };
    for (const body of [{ totalRecords: 3, completedContacts: [row] }, { resultSet: { totalRecords: '3', completedContacts: [row] } }]) {
      const page = mapCompletedContactsAnswer(body);
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

  it('204 (null) and a missing list are empty pages; unusable rows are dropped but still count for skip', () => {
    expect(mapCompletedContactsAnswer(null)).toEqual({ totalRecords: 0, contacts: [], positions: [], rows: 0 });
    expect(mapCompletedContactsAnswer({ totalRecords: 0 }).contacts).toEqual([]);
    const page = mapCompletedContactsAnswer({
      totalRecords: 3,
      completedContacts: [{ contactId: 'x' }, { contactId: 5, contactStart: '2024-01-01T00:00:00Z' }, 'junk'],
    });
    expect(page.contacts.map((c) => c.contactId)).toEqual(['5']);
    expect(page.positions).toEqual([1]);
    expect(page.rows).toBe(3);
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
    const page = mapCompletedContactsAnswer({
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
    expect(next.lastKey).toEqual({ start: '2024-01-01T02:00:00.000Z', contactId: '2' });
    const repeated = toConnection(
      next,
      mapCompletedContactsAnswer({
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
    const valid = toConnection(pageRequest(args, LIMITS), mapCompletedContactsAnswer(null)).endCursor!;
    const state = decodeCursor(valid);
    for (const bad of [
      'x',
      '!!!',
      Buffer.from('{"v":2}').toString('base64url'),
      encodeCursor({ ...state, skip: 1.5 }),
      'a'.repeat(2000),
    ]) {
      expect(() => pageRequest({ ...args, after: bad }, LIMITS)).toThrow(/not a cursor|another window/);
    }
  });
});
