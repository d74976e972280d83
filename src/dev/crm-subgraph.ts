/**
 * A small CRM subgraph that owns Contact, as the real CRM graph would: it knows customers and
 * their ACD contact ids, nothing about recordings. Used by the federation tests, the demo and the
 * benchmark.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse } from 'graphql';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import express from 'express';

export const crmTypeDefs = parse(/* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Contact @key(fields: "acdContactId") {
    acdContactId: ID!
    customerName: String!
    subject: String!
  }

  type Query {
    "A page of contacts, newest first."
    contacts(first: Int = 20, offset: Int = 0): [Contact!]!
    contact(acdContactId: ID!): Contact
  }
`);

export interface CrmContact {
  readonly acdContactId: string;
  readonly customerName: string;
  readonly subject: string;
}

const NAMES = ['Ada Byron', 'Grace Hopper', 'Alan Turing', 'Edsger Dijkstra', 'Barbara Liskov', 'Ken Thompson'];

/** The CRM's contacts: the given ids, each with a customer name derived from its position. */
export function crmContacts(ids: readonly string[]): CrmContact[] {
  return ids.map((acdContactId, index) => ({
    acdContactId,
    customerName: NAMES[index % NAMES.length] ?? 'Customer',
    subject: `Case ${1000 + index}`,
  }));
}

export interface RunningCrm {
  readonly url: string;
  close(): Promise<void>;
}

export async function startCrmSubgraph(contacts: readonly CrmContact[], port = 0, host = '127.0.0.1'): Promise<RunningCrm> {
  const byId = new Map(contacts.map((contact) => [contact.acdContactId, contact]));
  const server = new ApolloServer({
    schema: buildSubgraphSchema({
      typeDefs: crmTypeDefs,
      resolvers: {
        Query: {
          contacts: (_: unknown, args: { first: number; offset: number }) =>
            contacts.slice(args.offset, args.offset + Math.min(args.first, 5000)),
          contact: (_: unknown, args: { acdContactId: string }) => byId.get(args.acdContactId) ?? null,
        },
        Contact: {
          __resolveReference: (reference: { acdContactId: string }) => byId.get(reference.acdContactId) ?? null,
        },
      },
    }),
  });
  await server.start();
  const app = express();
  app.use('/graphql', express.json({ limit: '5mb' }), expressMiddleware(server));
  const httpServer = http.createServer(app);
  await new Promise<void>((resolve) => httpServer.listen(port, host, resolve));
  const address = httpServer.address() as AddressInfo;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}/graphql`,
    async close() {
      await server.stop();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
