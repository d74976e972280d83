/**
 * The client reading answers the way NICE publishes them, against a fake CXone on port 0: report
 * rows it cannot read are counted and logged by field name only, a page of nothing readable is an
 * invalid answer (UPSTREAM_INVALID_ANSWER), a playback answer that differs from the published
 * schema is counted and logged once, and `icStatusDescription` carries an error's message.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CxoneError } from '../../src/cxone/errors.js';
import { CxoneReportingClient } from '../../src/cxone/reporting.js';
import { fromCxoneError } from '../../src/errors.js';
import { pino } from 'pino';
import { voiceContact } from '../helpers/fake-cxone.js';
import { metricValue, rejectionOf, scope, startHarness, type Harness } from '../helpers/cxone-harness.js';

const REPORT = '/incontactapi/services/v30.0/contacts/completed';
const QUERY = { from: '2024-03-01T00:00:00.000Z', to: '2024-03-02T00:00:00.000Z', agentId: null, skillId: null, mediaType: 'PHONE_CALL' as const, skip: 0, top: 5 };

let harness: Harness;
let reporting: CxoneReportingClient;

beforeEach(async () => {
  harness = await startHarness();
  const logger = pino({ level: 'debug' }, { write: (line: string) => void harness.logs.push(line) });
  reporting = new CxoneReportingClient({ client: harness.client, apiVersion: 'v30.0', metrics: harness.metrics, logger });
});
afterEach(async () => {
  harness.fake.assertDone();
  await harness.close();
});

const warnings = (message: string) => harness.logs.filter((line) => line.includes(message)).map((line) => JSON.parse(line) as Record<string, unknown>);

describe('the completed contacts report', () => {
  it('sends the paging both generations accept and mediaTypeId; counts an unreadable row and logs its field names once', async () => {
    const body = {
      totalRecords: 3,
      completedContacts: [
        { contactId: 11, masterContactId: 11, contactStartDate: '2024-03-01T10:00:00.000Z', mediaTypeId: 4 },
        { contactId: 12, startedWhen: '2024-03-01T11:00:00.000Z', phone: '5555550123' },
        { contactId: 13, masterContactId: 13, contactStartDate: '2024-03-01T12:00:00.000Z', mediaTypeId: 4 },
      ],
    };
    harness.fake.on('GET', REPORT, { status: 200, json: body }, { status: 200, json: body });
    for (let i = 0; i < 2; i += 1) {
      const page = await reporting.getCompletedContacts(QUERY, scope());
      expect(page.contacts.map((row) => row.contactId)).toEqual(['11', '13']);
      expect(page.rows).toBe(3);
    }
    const [request] = harness.fake.calls('GET', REPORT);
    expect(Object.fromEntries(request!.query)).toMatchObject({ orderBy: 'contactId asc', mediaTypeId: '4', top: '5', skip: '0' });
    expect(await metricValue(harness.metrics.unreadableRows, { endpoint: 'completed-contacts' })).toBe(2);
    const logged = warnings('CXone row unreadable');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ fields: ['contactId', 'phone', 'startedWhen'], problems: ['contactStartDate'] });
    expect(harness.logs.join('\n')).not.toContain('5555550123');
  });

  it('rows but none readable: UPSTREAM_INVALID_ANSWER, never an empty page', async () => {
    harness.fake.on('GET', REPORT, { status: 200, json: { totalRecords: 48, completedContacts: [{ id: 1, start: 'x' }, { id: 2, start: 'y' }] } });
    const error = await rejectionOf(reporting.getCompletedContacts(QUERY, scope()));
    expect(error).toBeInstanceOf(CxoneError);
    expect(fromCxoneError(error as CxoneError).extensions['code']).toBe('UPSTREAM_INVALID_ANSWER');
  });
});

describe('playback answers and errors', () => {
  it('an answer that differs from the published schema is read anyway, counted, and logged once with its field paths', async () => {
    const drifted = { ...(voiceContact('100000000001') as Record<string, unknown>), elevatedInteraction: 'no' };
    harness.fake.on('GET', '/media-playback/v1/contacts', { status: 200, json: drifted }, { status: 200, json: drifted });
    for (let i = 0; i < 2; i += 1) {
      const recording = await harness.client.getContact('100000000001', 'ALL', scope());
      expect(recording.acdContactId).toBe('100000000001');
    }
    expect(await metricValue(harness.metrics.wireMismatches, { endpoint: 'contacts' })).toBe(2);
    const logged = warnings('CXone answer differs from the published API');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ endpoint: 'contacts', fields: ['elevatedInteraction'] });
  });

  it("an error's message from the icStatusDescription header when the body has none", async () => {
    harness.fake.on('GET', '/media-playback/v1/contacts', { status: 404, headers: { icStatusDescription: 'Interaction Not Found' }, text: '' });
    const error = await rejectionOf(harness.client.getContact('100000000001', 'ALL', scope()));
    expect(error).toMatchObject({ status: 404, upstreamMessage: 'Interaction Not Found' });
  });
});
