/**
 * A second real router: Hive Gateway (open source) serving the supergraph composed with
 * @apollo/composition from a CRM keyed by its own id (acdContactId as a second key) and ours. It
 * verifies callers' JWTs before any subgraph is asked, forwards Authorization, and delivers a
 * `@defer`red recording part after the CRM list. The subgraph runs in access-key mode (its own
 * CXone key): callers bring the organisation's JWTs, here from the simulator's test identity
 * provider, verified by Hive (its JWKS) and again by the subgraph (CALLER_JWT_ISSUER).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { ManualClock } from '../../src/clock.js';
import { SEEDED, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { crmContacts, startCrmSubgraph, type RunningCrm } from '../../src/dev/crm-subgraph.js';
import { composeSupergraph } from '../../src/dev/gateway.js';
import { startHiveGateway, type RunningHiveGateway } from '../../src/dev/hive-gateway.js';
import { gql, gqlIncremental, type IncrementalPart } from '../helpers/graphql.js';
import { ACCESS_KEY_ENV, bulkIds, startStack, type Stack } from '../helpers/stack.js';

const AUDIENCE = 'crm-graph';
const ids = [...bulkIds(4), SEEDED.processing];

/** Past every cached link's expiry (bulk calls last at most 15 min: 30 min links), so the next request asks CXone again. */
const PAST_CACHED_LINKS_MS = 3 * 60 * 60_000;

/** Holds the gateway's calls to the recordings subgraph until released: proves the first part did not wait for them. */
class SubgraphGate {
  private release: (() => void) | undefined;
  private opened: Promise<void> = Promise.resolve();
  held = 0;
  close(): void {
    this.opened = new Promise<void>((resolve) => (this.release = resolve));
  }
  open(): void {
    this.release?.();
    this.release = undefined;
  }
  plugin(subgraphUrl: () => string): GatewayPlugin {
    return {
      onFetch: async ({ url }) => {
        if (!url.startsWith(subgraphUrl())) return;
        this.held += 1;
        await this.opened;
      },
    };
  }
}

let simulator: RunningSimulator;
let stack: Stack;
let crm: RunningCrm;
let hive: RunningHiveGateway;
let token: string;
let strangerToken: string;
const gate = new SubgraphGate();

beforeAll(async () => {
  // Hive verifies tokens by the wall clock, the subgraph and the simulator by this one: start them together.
  const clock = new ManualClock(Date.now());
  simulator = await startSimulator({ clock, processingPolls: 1_000 });
  stack = await startStack({
    clock,
    sharedSimulator: simulator,
    env: {
      ...ACCESS_KEY_ENV,
      CALLER_JWT_ISSUER: simulator.idpIssuer,
      CALLER_JWT_AUDIENCE: AUDIENCE,
    },
  });
  crm = await startCrmSubgraph(crmContacts(ids), { shape: 'own-id-acd-second-key' });
  // A day of validity: the tests move the subgraph's clock hours ahead to expire cached links.
  const mint = (scope: string, issuer: 'idp' | 'cxone' = 'idp') =>
    stack.simulator.mintToken({ issuer, aud: AUDIENCE, sub: 'agent-7', scope, expiresInSeconds: 86_400 });
  token = await mint('recordings:read recordings:transcripts');
  strangerToken = await mint('recordings:read recordings:transcripts', 'cxone');
  hive = await startHiveGateway({
    supergraphSdl: composeSupergraph({ url: crm.url, shape: 'own-id-acd-second-key' }, stack.app.url),
    jwt: { key: { jwksUri: `${stack.simulator.idpIssuer}/jwks.json` }, issuer: stack.simulator.idpIssuer, audience: AUDIENCE },
    plugins: [gate.plugin(() => stack.app.url)],
  });
});
afterAll(async () => {
  gate.open();
  await hive?.close();
  await crm?.close();
  await stack?.close();
  await simulator?.close();
});

const LIST = /* GraphQL */ `
  query List {
    contacts(first: 5) {
      id
      acdContactId
      customerName
      recordingStatus { state retryAfterSeconds }
      recording { acdContactId durationSeconds mediaUrl { url expiresAt } }
    }
  }
`;

interface ListContact {
  id: string;
  acdContactId: string;
  customerName: string;
  recordingStatus?: { state: string; retryAfterSeconds: number | null };
  recording?: { acdContactId: string; durationSeconds: number; mediaUrl: { url: string } } | null;
}

describe('Hive Gateway in front of the CRM and the recordings subgraph', () => {
  it('refuses callers without a valid JWT before any subgraph or CXone call', async () => {
    stack.simulator.resetCalls();
    const missing = await gql(hive.url, LIST, { token: null });
    const foreign = await gql(hive.url, LIST, { token: strangerToken });
    for (const response of [missing, foreign]) {
      expect(response.data ?? null).toBeNull();
      expect(response.errors?.length).toBeGreaterThan(0);
    }
    expect(missing.errors?.[0]?.message).toBe('Unauthenticated');
    // A token signed by a key the IdP's JWKS does not publish (here CXone's): Hive's key lookup
    // fails and it answers a masked "Unexpected error." (still refused before any subgraph).
    expect(stack.simulator.count('contacts')).toBe(0);
    expect(gate.held).toBe(0);
  });

  it('resolves the CRM list with recordings and statuses: one CXone call per contact', async () => {
    stack.simulator.resetCalls();
    const response = await gql<{ contacts: ListContact[] }>(hive.url, LIST, { token });
    const contacts = response.data!.contacts;
    expect(contacts.map((contact) => contact.acdContactId)).toEqual(ids);
    expect(contacts.slice(0, 4).map((contact) => contact.recordingStatus?.state)).toEqual(Array(4).fill('AVAILABLE'));
    for (const contact of contacts.slice(0, 4)) expect(contact.recording?.mediaUrl.url).toContain('/media/');
    // The processing contact: a state to read, and still an error on recording.
    expect(contacts[4]?.recordingStatus).toEqual({ state: 'PROCESSING', retryAfterSeconds: expect.any(Number) });
    expect(contacts[4]?.recording).toBeNull();
    // Hive reports the entity error at contacts.recording (no list index), Apollo's gateway at contacts.4.recording.
    expect(response.errors?.map((error) => [error.path?.at(-1), error.extensions?.['code']])).toEqual([
      ['recording', 'RECORDING_PROCESSING'],
    ]);
    // recording and recordingStatus share one load: one call per contact (the processing one retries inside its budget).
    expect(new Set(stack.simulator.calls().filter((call) => call.endpoint === 'contacts').map((call) => call.key))).toEqual(
      new Set(ids),
    );
    for (const id of ids.slice(0, 4)) expect(stack.simulator.count('contacts', id)).toBe(1);
  });

  it('serves a person with many calls (Customer.calls) with the recordings batched', async () => {
    stack.clock.advance(PAST_CACHED_LINKS_MS);
    stack.simulator.resetCalls();
    const response = await gql<{ customers: Array<{ name: string; calls: ListContact[] }> }>(
      hive.url,
      `{ customers { name calls { acdContactId recording { acdContactId durationSeconds } } } }`,
      { token },
    );
    const calls = response.data!.customers.flatMap((customer) => customer.calls);
    expect(calls.map((call) => call.acdContactId).sort()).toEqual([...ids].sort());
    for (const call of calls.filter((c) => c.acdContactId !== SEEDED.processing)) {
      expect(call.recording?.acdContactId).toBe(call.acdContactId);
    }
    for (const id of ids.slice(0, 4)) expect(stack.simulator.count('contacts', id)).toBe(1);
  });

  it('delivers a @defer-red recording part after the CRM list, really in parts', async () => {
    stack.clock.advance(PAST_CACHED_LINKS_MS);
    stack.simulator.resetCalls();
    gate.close();
    gate.held = 0;
    const parts = gqlIncremental(
      hive.url,
      `query Deferred {
        contacts(first: 5) {
          acdContactId
          customerName
          ... @defer(label: "recording") {
            recordingStatus { state }
            recording { acdContactId mediaUrl { url } }
          }
        }
      }`,
      { token },
    );
    const first = await parts.next();
    expect(first.done).toBe(false);
    const initial = first.value as IncrementalPart;
    // The list rendered while the recordings subgraph was still held: no recording, no CXone call.
    expect(initial.hasNext).toBe(true);
    const listed = (initial.data?.['contacts'] ?? []) as ListContact[];
    expect(listed.map((contact) => contact.customerName)).toHaveLength(5);
    expect(listed.every((contact) => contact.recording === undefined)).toBe(true);
    expect(stack.simulator.count('contacts')).toBe(0);
    expect(gate.held).toBeGreaterThan(0);

    gate.open();
    const later: IncrementalPart[] = [];
    for await (const part of parts) later.push(part);
    expect(later.at(-1)?.hasNext).toBe(false);
    const deferred = later.flatMap((part) => part.incremental ?? []);
    const byIndex = new Map(deferred.map((item) => [item.path?.[1], item.data as Partial<ListContact> | null | undefined]));
    for (const [index, id] of ids.entries()) {
      if (id === SEEDED.processing) {
        expect(byIndex.get(index)?.recordingStatus?.state).toBe('PROCESSING');
      } else {
        expect(byIndex.get(index)?.recording?.acdContactId).toBe(id);
      }
    }
    expect(stack.simulator.count('contacts', ids[0])).toBe(1);
  });

  it("estimates cost from our @cost/@listSize (demand control): a segment's mediaUrl adds 4 assumed segments x (1 + 10)", async () => {
    const estimate = async (selection: string) => {
      const response = await gql(hive.url, `{ recordings(acdContactIds: ["${ids[0]}"]) { ${selection} } }`, { token });
      return (response.extensions?.['cost'] as { estimated: number } | undefined)?.estimated;
    };
    const plain = await estimate('acdContactId');
    const withSegmentLinks = await estimate('acdContactId segments { mediaUrl { url } }');
    // recordings: 1 (object) + 10 (acdContactIds argument); Hive counts a list argument's cost once.
    expect(plain).toBe(11);
    expect((withSegmentLinks ?? 0) - (plain ?? 0)).toBe(4 * (1 + 1 + 10));
  });

  it("enforces this subgraph's own @requiresScopes: no recordings:analytics, no sentiments, the rest stands", async () => {
    const response = await gql<{ contacts: Array<{ recording: { acdContactId: string; sentiments?: unknown } | null }> }>(
      hive.url,
      `{ contacts(first: 2) { recording { acdContactId sentiments { overallSentiment } } } }`,
      { token },
    );
    expect(response.errors?.map((error) => error.extensions?.['code'])).toContain('UNAUTHORIZED_FIELD_OR_TYPE');
    expect(response.errors?.some((error) => error.path?.includes('sentiments'))).toBe(true);
    expect(response.data?.contacts.map((contact) => contact.recording?.acdContactId)).toEqual(ids.slice(0, 2));
    expect(response.data?.contacts.every((contact) => contact.recording?.sentiments === undefined || contact.recording.sentiments === null)).toBe(true);
  });
});

