/** A small CRM subgraph owning Contact, with the plainly named types (Recording, Segment...) ours compose beside. */
import { parse, type DocumentNode } from 'graphql';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { SEEDED, bulkContactId } from '../simulator/index.js';
import { serveApollo, type RunningService } from './listen.js';

export type CrmShape =
  /** `Contact @key(fields: "acdContactId")`: the CRM's contact is the call. */
  | 'acd-key'
  /** Keyed by the CRM's own `id`, with `acdContactId` as a second key (nullable: not every contact is a call). */
  | 'own-id-acd-second-key'
  /** Keyed by its own `id` only, `acdContactId` `@shareable`: composes with schema.graphql alone. */
  | 'own-id-acd-shareable';

/** Each composes with what this subgraph serves for it (`reportingComposes`). */
export const CRM_SHAPES: readonly CrmShape[] = ['acd-key', 'own-id-acd-second-key', 'own-id-acd-shareable'];

/** The CRM resolves Contact by acdContactId, so reporting.graphql composes too. */
export function reportingComposes(shape: CrmShape): boolean {
  return shape !== 'own-id-acd-shareable';
}

const CONTACT_DECLARATIONS: Readonly<Record<CrmShape, string>> = {
  'acd-key': `
    type Contact @key(fields: "acdContactId") {
      acdContactId: ID!`,
  'own-id-acd-second-key': `
    type Contact @key(fields: "id") @key(fields: "acdContactId") {
      id: ID!
      "Null for a contact that is not an ACD call (a note, a meeting)."
      acdContactId: ID`,
  'own-id-acd-shareable': `
    type Contact @key(fields: "id") {
      id: ID!
      "Null for a contact that is not an ACD call (a note, a meeting)."
      acdContactId: ID @shareable`,
};

export function crmTypeDefsFor(shape: CrmShape): DocumentNode {
  return parse(/* GraphQL */ `
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@shareable"])

    ${CONTACT_DECLARATIONS[shape]}
      customerName: String!
      subject: String!
      customer: Customer!
      "The CRM's own interaction log of this contact."
      interactions: [Interaction!]!
    }

    "A person with many calls."
    type Customer @key(fields: "id") {
      id: ID!
      name: String!
      calls: [Contact!]!
      segment: Segment!
      statements: [Statement!]!
      meetingRecordings: [Recording!]!
    }

    "The CRM's own types, named the way CRMs name them."
    enum MediaType { PHONE VIDEO EMAIL }
    type Recording { id: ID! title: String! mediaType: MediaType! }
    type Segment { id: ID! name: String! }
    type Statement { id: ID! amount: Float! }
    type Participant { id: ID! displayName: String! }
    type Interaction { id: ID! channel: MediaType! participants: [Participant!]! }

    type Query {
      "A page of contacts, newest first."
      contacts(first: Int = 20, offset: Int = 0): [Contact!]!
      contact(acdContactId: ID!): Contact
      customers: [Customer!]!
    }
  `);
}

/** The default shape's schema (demo/codegen.ts). */
export const crmTypeDefs = crmTypeDefsFor('acd-key');

interface CrmContact {
  readonly id: string;
  /** Null (or empty) for a CRM contact that is not an ACD call: a bad key for the recordings subgraph. */
  readonly acdContactId: string | null;
  readonly customerName: string;
  readonly subject: string;
  readonly customerId: string;
}

const NAMES = ['Ada Byron', 'Grace Hopper', 'Alan Turing', 'Edsger Dijkstra', 'Barbara Liskov', 'Ken Thompson'];

function crmContact(id: string, acdContactId: string | null, customer: number, subject: string): CrmContact {
  return { id, acdContactId, customerName: NAMES[customer] ?? 'Customer', subject, customerId: `customer-${customer + 1}` };
}

/** Null ids: contacts that are no call. */
export function crmContacts(ids: ReadonlyArray<string | null>): CrmContact[] {
  return ids.map((acdContactId, index) => crmContact(`crm-${index + 1}`, acdContactId, index % NAMES.length, `Case ${1000 + index}`));
}

/** The dev CRM's contacts: every seeded call of the simulator (errors included, on purpose), then 50 bulk calls. */
export function seededCrmContacts(): CrmContact[] {
  const seeded = Object.values(SEEDED).filter((value): value is string => typeof value === 'string' && /^1\d{11}$/.test(value));
  const bulkIds = Array.from({ length: 50 }, (_, index) => bulkContactId(index + 1));
  return crmContacts([...new Set([...seeded, ...bulkIds])]);
}

/** The same for the same id. */
function unseededContact(acdContactId: string): CrmContact {
  return crmContact(`crm-acd-${acdContactId}`, acdContactId, Number(BigInt(acdContactId) % BigInt(NAMES.length)), `Call ${acdContactId}`);
}

export type RunningCrm = RunningService;

export async function startCrmSubgraph(
  contacts: readonly CrmContact[],
  options: { port?: number; host?: string; shape?: CrmShape } = {},
): Promise<RunningCrm> {
  const shape = options.shape ?? 'acd-key';
  const byAcdId = new Map(contacts.flatMap((contact) => (contact.acdContactId === null ? [] : [[contact.acdContactId, contact] as const])));
  const byId = new Map(contacts.map((contact) => [contact.id, contact]));
  const customerIds = [...new Set(contacts.map((contact) => contact.customerId))];
  const contactForAcdId = (acdContactId: string): CrmContact | null =>
    byAcdId.get(acdContactId) ?? (/^\d{1,20}$/.test(acdContactId) ? unseededContact(acdContactId) : null);
  const customer = (id: string) => ({ id, name: contacts.find((contact) => contact.customerId === id)?.customerName ?? 'Customer' });
  const server = new ApolloServer({
    schema: buildSubgraphSchema({
      typeDefs: crmTypeDefsFor(shape),
      resolvers: {
        Query: {
          contacts: (_: unknown, args: { first: number; offset: number }) =>
            contacts.slice(args.offset, args.offset + Math.min(args.first, 5000)),
          contact: (_: unknown, args: { acdContactId: string }) => contactForAcdId(args.acdContactId),
          customers: () => customerIds.map(customer),
        },
        Contact: {
          // A CRM knows every call: an unseeded one (a report's row) gets a generated customer.
          __resolveReference: (reference: { id?: string; acdContactId?: string }) =>
            reference.id !== undefined ? (byId.get(reference.id) ?? null) : contactForAcdId(reference.acdContactId ?? ''),
          customer: (contact: CrmContact) => customer(contact.customerId),
          interactions: (contact: CrmContact) => [
            { id: `${contact.id}-i1`, channel: 'PHONE', participants: [{ id: 'p1', displayName: contact.customerName }] },
          ],
        },
        Customer: {
          __resolveReference: (reference: { id: string }) => customer(reference.id),
          calls: (parent: { id: string }) => contacts.filter((contact) => contact.customerId === parent.id),
          segment: () => ({ id: 'seg-vip', name: 'VIP' }),
          statements: (parent: { id: string }) => [{ id: `${parent.id}-2026-01`, amount: 42.5 }],
          meetingRecordings: (parent: { id: string }) => [{ id: `${parent.id}-m1`, title: 'Onboarding', mediaType: 'VIDEO' }],
        },
      },
    }),
  });
  await server.start();
  return serveApollo(server, expressMiddleware(server), { port: options.port, host: options.host });
}
