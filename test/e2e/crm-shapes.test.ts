/**
 * The CRM shapes the README documents, each through a real gateway (@apollo/gateway) over HTTP:
 * Contact keyed by acdContactId, keyed by the CRM's own id with acdContactId as a second key or
 * @shareable, and a person with many calls. A CRM contact whose acdContactId is empty or null is
 * never an INTERNAL_SERVER_ERROR. recordingStatus shares recording's upstream call.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CRM_SHAPES, type CrmShape } from '../../src/dev/crm-subgraph.js';
import { SEEDED } from '../../src/simulator/index.js';
import { gql, type GraphQLResponse } from '../helpers/graphql.js';
import { bulkIds, startStack, type Stack } from '../helpers/stack.js';

interface Row {
  acdContactId: string | null;
  customerName: string;
  recordingStatus: { acdContactId: string; mediaType: string; state: string; retryAfterSeconds: number | null; message: string | null } | null;
  recording: { acdContactId: string; mediaType: string; mediaUrl: { url: string } | null } | null;
}

const PAGE = /* GraphQL */ `
  query Page {
    contacts(first: 20) {
      acdContactId
      customerName
      recordingStatus { acdContactId mediaType state retryAfterSeconds message }
      recording { acdContactId mediaType mediaUrl { url } }
    }
  }
`;

function codes(response: GraphQLResponse<unknown>): string[] {
  return (response.errors ?? []).map((error) => String(error.extensions?.['code']));
}

describe.each(CRM_SHAPES)('a CRM whose Contact is shaped %s', (shape: CrmShape) => {
  const ids = bulkIds(3, shape === 'acd-key' ? 11 : shape === 'own-id-acd-second-key' ? 21 : 31);
  // An ACD id must be non-null where the CRM keys Contact by it; elsewhere null is how a CRM says "no call".
  const badKey = shape === 'acd-key' ? '' : null;
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ crmIds: [...ids, SEEDED.preCutoff, badKey], crmShape: shape });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('adds recording and recordingStatus to the CRM contacts, one CXone call per contact', async () => {
    stack.simulator.resetCalls();
    const response = await gql<{ contacts: Row[] }>(stack.gateway!.url, PAGE);
    const rows = response.data!.contacts;
    expect(rows).toHaveLength(5);
    for (const [index, id] of ids.entries()) {
      expect(rows[index]?.recording?.acdContactId).toBe(id);
      expect(rows[index]?.recordingStatus).toEqual({ acdContactId: id, mediaType: 'ALL', state: 'AVAILABLE', retryAfterSeconds: null, message: null });
      expect(stack.simulator.count('contacts', id)).toBe(1);
    }
    // A contact with no recording: a state to read, an error on recording only.
    expect(rows[3]?.recordingStatus?.state).toBe('NOT_FOUND');
    expect(rows[3]?.recordingStatus?.message).toMatch(/2018-12-13/);
    expect(rows[3]?.recording).toBeNull();
    expect(stack.simulator.count('contacts', SEEDED.preCutoff)).toBe(1);
    expect(response.errors?.find((error) => error.path?.join('.') === 'contacts.3.recording')?.extensions?.['code']).toBe(
      'RECORDING_NOT_FOUND',
    );
    expect(stack.simulator.count('contacts')).toBe(ids.length + 1);
  });

  // A null key (a CRM contact that is no call) is the sender's error: BAD_USER_INPUT, never INTERNAL_SERVER_ERROR.
  it(`gives the contact whose acdContactId is ${JSON.stringify(badKey)} recording: null with BAD_USER_INPUT, no upstream call`, async () => {
    stack.simulator.resetCalls();
    const response = await gql<{ contacts: Row[] }>(stack.gateway!.url, PAGE);
    expect(response.data?.contacts[4]?.recording).toBeNull();
    expect(response.data?.contacts[4]?.recordingStatus).toBeNull();
    const byPath = new Map((response.errors ?? []).map((error) => [error.path?.join('.'), error.extensions?.['code']]));
    expect(byPath.get('contacts.4.recording')).toBe('BAD_USER_INPUT');
    expect(byPath.get('contacts.4.recordingStatus')).toBe('BAD_USER_INPUT');
    expect(codes(response)).not.toContain('INTERNAL_SERVER_ERROR');
    expect(stack.simulator.count('contacts')).toBe(0);
  });

  it('serves a person with many calls (Customer.calls), one CXone call per contact', async () => {
    stack.simulator.resetCalls();
    stack.clock.advance(3 * 60 * 60_000); // past every cached link: the recordings are asked again
    const response = await gql<{ customers: Array<{ name: string; calls: Row[] }> }>(
      stack.gateway!.url,
      `{ customers { name calls { acdContactId recording { acdContactId } } } }`,
    );
    const calls = response.data!.customers.flatMap((customer) => customer.calls);
    expect(calls).toHaveLength(5);
    for (const id of ids) {
      expect(calls.find((call) => call.acdContactId === id)?.recording?.acdContactId).toBe(id);
      expect(stack.simulator.count('contacts', id)).toBe(1);
    }
  });
});
