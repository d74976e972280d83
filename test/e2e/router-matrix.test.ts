/**
 * Every common CRM shape behind every router that runs here, over real HTTP: a CRM keyed by
 * acdContactId, by its own id with acdContactId as a second key, by its own id with acdContactId
 * only a (@shareable) field, each with a Customer whose calls are Contacts. Routers:
 * @apollo/gateway composing from the running subgraphs (IntrospectAndCompose, which needs
 * FEDERATION_AUTH_DIRECTIVES=false), Hive Gateway, and Hive Router's Rust query planner, the last
 * two from a supergraph composed from the schema files as shipped. Each serves a federated page
 * with CRM fields and recordings joined, a customer's calls, the time-window report where the
 * shape composes with it, and `@defer` where the router supports it (Hive Gateway; Hive Router's
 * planner answers a deferred operation in one part; @apollo/gateway, on graphql 16, refuses it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CRM_SHAPES, crmContacts, reportingComposes, startCrmSubgraph, type CrmShape, type RunningCrm } from '../../src/dev/crm-subgraph.js';
import { composeSupergraph, startGateway } from '../../src/dev/gateway.js';
import { startHiveGateway } from '../../src/dev/hive-gateway.js';
import { gql, gqlIncremental, type IncrementalPart } from '../helpers/graphql.js';
import { bulkIds, startStack, type Stack } from '../helpers/stack.js';
import { ManualClock } from '../../src/clock.js';
import { DEMO_TOKENS, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';

type RouterName = '@apollo/gateway (IntrospectAndCompose)' | 'Hive Gateway' | 'Hive Router query planner';
const ROUTERS: readonly RouterName[] = ['@apollo/gateway (IntrospectAndCompose)', 'Hive Gateway', 'Hive Router query planner'];

interface Router {
  readonly url: string;
  close(): Promise<void>;
}

interface PageRow {
  acdContactId: string | null;
  customerName: string;
  recording: { acdContactId: string; durationSeconds: number | null; mediaUrl: { url: string } | null } | null;
}

const PAGE = `{ contacts(first: 3) { acdContactId customerName recording { acdContactId durationSeconds mediaUrl { url } } } }`;
const DAY = 86_400_000;

const clock = new ManualClock();
let simulator: RunningSimulator;

beforeAll(async () => {
  simulator = await startSimulator({ clock });
});
afterAll(async () => {
  await simulator?.close();
});

describe.each(CRM_SHAPES)('a CRM shaped %s', (shape: CrmShape) => {
  const ids = bulkIds(3, 41 + CRM_SHAPES.indexOf(shape) * 3);
  const reporting = reportingComposes(shape);
  let stack: Stack;
  let crm: RunningCrm;

  beforeAll(async () => {
    stack = await startStack({
      sharedSimulator: simulator,
      clock,
      crmShape: shape,
      env: { FEDERATION_AUTH_DIRECTIVES: 'false', FEDERATION_REPORTING: String(reporting) },
    });
    crm = await startCrmSubgraph(crmContacts(ids), { shape });
  });
  afterAll(async () => {
    await crm?.close();
    await stack?.close();
  });

  async function startRouter(name: RouterName): Promise<Router> {
    if (name === '@apollo/gateway (IntrospectAndCompose)') {
      return startGateway({ crmUrl: crm.url, recordingsUrl: stack.app.url, introspect: true });
    }
    // As shipped: composed from schema.graphql (+ reporting.graphql), authorization directives included.
    const supergraphSdl = composeSupergraph({ url: crm.url, shape }, stack.app.url, { reporting });
    return startHiveGateway({ supergraphSdl, planner: name === 'Hive Gateway' ? 'gateway' : 'hive-router' });
  }

  describe.each(ROUTERS)('behind %s', (name: RouterName) => {
    let router: Router;
    beforeAll(async () => {
      router = await startRouter(name);
    });
    afterAll(async () => {
      await router?.close();
    });

    it('joins CRM fields and recordings on a contact page', async () => {
      const response = await gql<{ contacts: PageRow[] }>(router.url, PAGE);
      expect(response.errors).toBeUndefined();
      const rows = response.data!.contacts;
      expect(rows.map((row) => row.acdContactId)).toEqual(ids);
      for (const row of rows) {
        expect(row.customerName).toMatch(/\w+ \w+/);
        expect(row.recording?.acdContactId).toBe(row.acdContactId);
        expect(row.recording?.mediaUrl?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/media\//);
      }
    });

    it("serves a customer's calls with their recordings", async () => {
      const response = await gql<{ customers: Array<{ name: string; calls: PageRow[] }> }>(
        router.url,
        `{ customers { name calls { acdContactId recording { acdContactId } } } }`,
      );
      expect(response.errors).toBeUndefined();
      const calls = response.data!.customers.flatMap((customer) => customer.calls);
      expect(calls.map((call) => call.acdContactId).sort()).toEqual(ids);
      for (const call of calls) expect(call.recording?.acdContactId).toBe(call.acdContactId);
    });

    it.runIf(reporting)("joins the CRM's fields onto the time-window report's contacts", async () => {
      const today = Math.floor(clock.now() / DAY);
      const response = await gql<{ completedContacts: { edges: Array<{ node: PageRow }> } }>(
        router.url,
        `query Yesterday($from: DateTime!, $to: DateTime!) {
          completedContacts(from: $from, to: $to, first: 2) { edges { node { acdContactId customerName recording { acdContactId } } } }
        }`,
        { variables: { from: new Date((today - 1) * DAY).toISOString(), to: new Date(today * DAY).toISOString() } },
      );
      expect(response.errors).toBeUndefined();
      const nodes = response.data!.completedContacts.edges.map((edge) => edge.node);
      expect(nodes).toHaveLength(2);
      for (const node of nodes) {
        expect(node.customerName).toMatch(/\w+ \w+/);
        expect(node.recording?.acdContactId).toBe(node.acdContactId);
      }
    });

    // graphql 16, under @apollo/gateway, has no @defer ("Unknown directive"); Hive Router's planner
    // plans it away and answers in one part (checked below, so a change of either shows here).
    it.runIf(name !== '@apollo/gateway (IntrospectAndCompose)')('serves @defer: the CRM list first, recordings after, where the router streams', async () => {
      const parts: IncrementalPart[] = [];
      for await (const part of gqlIncremental(
        router.url,
        `{ contacts(first: 3) { acdContactId customerName ... @defer { recording { acdContactId } } } }`,
        { token: DEMO_TOKENS.full },
      )) {
        parts.push(part);
      }
      const [initial, ...later] = parts;
      const listed = (initial?.data?.['contacts'] ?? []) as PageRow[];
      expect(listed.map((row) => row.acdContactId)).toEqual(ids);
      if (name === 'Hive Router query planner') {
        expect(parts).toHaveLength(1);
        for (const row of listed) expect(row.recording?.acdContactId).toBe(row.acdContactId);
        return;
      }
      expect(initial?.hasNext).toBe(true);
      expect(listed.every((row) => row.recording === undefined)).toBe(true);
      const deferred = later.flatMap((part) => part.incremental ?? []);
      const byIndex = new Map(deferred.map((item) => [item.path?.[1], item.data as Partial<PageRow> | null | undefined]));
      for (const [index, id] of ids.entries()) expect(byIndex.get(index)?.recording?.acdContactId).toBe(id);
      expect(later.at(-1)?.hasNext).toBe(false);
    });
  });
});
