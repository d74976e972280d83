/**
 * schema.graphql composed (@apollo/composition, as rover does) beside CRM subgraphs shaped the way
 * CRMs are: every shape the README documents composes, the one it warns about does not, and the
 * CRM's own Recording, Segment, Statement, MediaType, Participant and Interaction never collide
 * with ours.
 */
import { describe, expect, it } from 'vitest';
import { buildASTSchema, isObjectType, parse } from 'graphql';
import { composeServices } from '@apollo/composition';
import { CRM_SHAPES, crmTypeDefsFor, reportingComposes } from '../../src/dev/crm-subgraph.js';
import { coreTypeDefs, servedTypeDefs } from '../../src/schema.js';
import { composeSupergraph } from '../../src/dev/gateway.js';

const RECORDINGS_URL = 'http://recordings.internal/graphql';
const CRM_URL = 'http://crm.internal/graphql';

function compose(crmSdl: string) {
  return composeServices([
    { name: 'crm', typeDefs: parse(crmSdl), url: CRM_URL },
    { name: 'recordings', typeDefs: servedTypeDefs(), url: RECORDINGS_URL },
  ]);
}

describe('composition beside a CRM', () => {
  it.each(CRM_SHAPES)('composes with a CRM whose Contact is shaped %s', (shape) => {
    const reporting = reportingComposes(shape);
    const supergraph = buildASTSchema(parse(composeSupergraph({ url: CRM_URL, shape }, RECORDINGS_URL, { reporting })));
    expect(supergraph.getQueryType()?.getFields()['completedContacts'] !== undefined).toBe(reporting);
    // The CRM's own types and ours, side by side.
    for (const name of ['Recording', 'Segment', 'Statement', 'MediaType', 'Participant', 'Interaction']) {
      expect(supergraph.getType(name), name).toBeDefined();
      expect(supergraph.getType(`Cxone${name}`), `Cxone${name}`).toBeDefined();
    }
    const contact = supergraph.getType('Contact');
    expect(isObjectType(contact) && Object.keys(contact.getFields())).toEqual(
      expect.arrayContaining(['acdContactId', 'recording', 'recordingStatus', 'customerName']),
    );
  });

  it('composes a person with many calls (Customer.calls: [Contact!]!)', () => {
    const supergraph = buildASTSchema(parse(composeSupergraph({ url: CRM_URL, shape: 'own-id-acd-second-key' }, RECORDINGS_URL)));
    const customer = supergraph.getType('Customer');
    expect(isObjectType(customer) && String(customer.getFields()['calls']?.type)).toBe('[Contact!]!');
  });

  it('fails, naming the field, for a CRM keyed by its own id with acdContactId as a plain field', () => {
    const result = compose(`
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])
      type Contact @key(fields: "id") { id: ID! acdContactId: ID customerName: String! }
      type Query { contacts: [Contact!]! }
    `);
    expect(result.errors?.map((error) => error.message).join('\n')).toMatch(/Non-shareable field "Contact\.acdContactId"/);
  });

  it('needs FEDERATION_REPORTING=false for a CRM keyed only by its own id with acdContactId @shareable', () => {
    // Our completedContacts returns Contact entities; the router must ask the CRM for their fields
    // by a key we can provide, and we only know acdContactId. Without reporting.graphql it composes
    // (above); a second key on the CRM's side would keep reporting too.
    expect(() => composeSupergraph({ url: CRM_URL, shape: 'own-id-acd-shareable' }, RECORDINGS_URL)).toThrow(
      /(completedContacts|analyzedSegments)[\s\S]*cannot move to subgraph "crm" using @key\(fields: "id"\) of "Contact"/,
    );
  });

  it('would collide with unprefixed names: a CRM Recording unlike ours fails to compose', () => {
    // Why every type we define carries the Cxone prefix: the same CRM against our old names.
    const ours = `
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])
      type Contact @key(fields: "acdContactId") { acdContactId: ID! recording: Recording }
      type Recording { acdContactId: ID! durationSeconds: Float }
    `;
    const result = composeServices([
      { name: 'crm', typeDefs: crmTypeDefsFor('acd-key'), url: CRM_URL },
      { name: 'recordings', typeDefs: parse(ours), url: RECORDINGS_URL },
    ]);
    // The collision itself, not any error: the CRM's Recording cannot get our Recording's fields.
    const errors = result.errors ?? [];
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((error) => error.extensions['code'] === 'SATISFIABILITY_ERROR' && error.message.includes('"Recording.'))).toBe(true);
    expect(errors.some((error) => error.message.includes('type "Recording" has no @key defined in subgraph "recordings"'))).toBe(true);
  });
});

describe('schema.graphql for routers', () => {
  const schema = servedTypeDefs();

  it('prefixes every type it defines with Cxone, except Contact, Query and DateTime', () => {
    const defined = schema.definitions.flatMap((definition) =>
      'name' in definition && definition.name !== undefined && definition.kind.endsWith('Definition') ? [definition.name.value] : [],
    );
    expect(defined.length).toBeGreaterThan(10);
    expect(defined.filter((name) => !name.startsWith('Cxone') && !['Contact', 'Query', 'DateTime'].includes(name))).toEqual([]);
  });

  it('links Federation 2.9+ and carries @cost, @listSize, @tag and @specifiedBy into the supergraph', () => {
    const sdl = composeSupergraph({ url: CRM_URL }, RECORDINGS_URL);
    expect(sdl).toMatch(/recording\(\s*mediaType: CxoneMediaType = ALL[\s\S]*?refresh: Boolean = false\s*\): CxoneRecording @join__field\(graph: RECORDINGS\) @cost\(weight: 10\)/);
    expect(sdl).toMatch(/acdContactIds: \[ID!\]! @cost\(weight: 10\)/);
    expect(sdl).toMatch(/statementIds: \[ID!\]! @cost\(weight: 10\)/);
    expect(sdl).toMatch(/segments: \[CxoneSegment!\]! @listSize\(assumedSize: 4\)/);
    expect(sdl).toMatch(/sentiments: \[CxoneSentiment!\][^\n]*@listSize\(assumedSize: 10\)/);
    expect(sdl).toMatch(/sentiments: \[CxoneSentiment!\][^\n]*@tag\(name: "cxone-analytics"\)/);
    expect(sdl).toMatch(/sentiments: \[CxoneSentiment!\][^\n]*@requiresScopes\(scopes: \[\["recordings:analytics"\]\]\)/);
    expect(sdl).toMatch(/type CxoneRecordingStatus[^{]*@requiresScopes\(scopes: \[\["recordings:read"\]\]\)/);
    expect(sdl).toMatch(/scalar DateTime[^{}]*?@specifiedBy\(url: "https:\/\/scalars\.graphql\.org\/andimarek\/date-time"\)/);
    const link = /federation\/v2\.(\d+)/.exec(coreTypeDefs.loc?.source.body ?? '');
    expect(Number(link?.[1])).toBeGreaterThanOrEqual(9);
  });
});
