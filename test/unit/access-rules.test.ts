/**
 * The access rules come from the schema's own directives (one source of truth with the router):
 * what the subgraph enforces is exactly what schema.graphql declares, and a router composing it sees
 * the same directives.
 */
import { describe, expect, it } from 'vitest';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { check, readAccessRules } from '../../src/callers/access-rules.js';
import type { CallerCheck } from '../../src/callers/identity.js';
import { composeSupergraph } from '../../src/dev/gateway.js';
import { AppError, ErrorCode } from '../../src/errors.js';
import { typeDefs } from '../../src/schema.js';

const READ = [['recordings:read']];

describe('access rules read from schema.graphql', () => {
  const rules = readAccessRules(buildSubgraphSchema({ typeDefs }));

  it('guards every way into recordings with recordings:read, and analytics and transcripts with their own scope', () => {
    const recordingType = (coordinate: string) => rules.get(coordinate)?.scopeGroups;
    for (const entry of ['Query.recording', 'Query.recordings', 'Query.segment', 'Query.statement', 'Contact.recording', 'Contact.recordingStatus']) {
      expect(recordingType(entry), entry).toEqual([READ]);
    }
    expect(recordingType('CxoneRecording.sentiments')).toEqual([[['recordings:analytics']]]);
    expect(recordingType('CxoneRecording.categories')).toEqual([[['recordings:analytics']]]);
    expect(recordingType('CxoneRecording.transcript')).toEqual([[['recordings:transcripts']]]);
    // The entity key stays open: the router resolves Contact references without a caller's scopes.
    expect(rules.has('Contact.acdContactId')).toBe(false);
  });

  it('checks a caller against a rule: refusal first, then each scope group', () => {
    const rule = rules.get('CxoneRecording.sentiments')!;
    const refusal = new AppError(ErrorCode.Unauthenticated, 'no');
    const refused: CallerCheck = { accepted: false, error: refusal };
    const withScopes = (scopes: string[] | null): CallerCheck => ({
      accepted: true,
      caller: {
        caller: { mode: 'access-key' },
        tenantId: 't',
        cacheScope: 'tenant',
        callerId: 'c',
        scopes: scopes === null ? null : new Set(scopes),
      },
    });
    expect(check(refused, rule, 'CxoneRecording.sentiments')).toBe(refusal);
    expect(check(withScopes(null), rule, 'CxoneRecording.sentiments')).toBeNull();
    expect(check(withScopes(['recordings:analytics']), rule, 'CxoneRecording.sentiments')).toBeNull();
    expect(check(withScopes(['recordings:read']), rule, 'CxoneRecording.sentiments')?.extensions['code']).toBe('FORBIDDEN');
  });

  it('a router composing the schema receives the same directives', () => {
    const supergraph = composeSupergraph({ url: 'http://crm.invalid/graphql' }, 'http://recordings.invalid/graphql');
    expect(supergraph).toContain('@link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY)');
    expect(supergraph).toContain('@link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY)');
    expect(supergraph).toMatch(/sentiments: \[CxoneSentiment!\][^\n]*@requiresScopes\(scopes: \[\["recordings:analytics"\]\]\)/);
    expect(supergraph).toMatch(/type CxoneRecording[^{]*@authenticated[^{]*@requiresScopes\(scopes: \[\["recordings:read"\]\]\)/);
  });
});
