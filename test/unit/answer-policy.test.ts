/**
 * The answer policy (src/answers/): decided once, from what executed, by the plugin as the answer is
 * sent; and the answer cache (src/http/response-cache.ts) that obeys it. A real Apollo server over a
 * tiny schema whose resolvers record what the pipeline's loaders would.
 */
import { ApolloServer } from '@apollo/server';
import { describe, expect, it } from 'vitest';
import { answerPolicyPlugin } from '../../src/answers/plugin.js';
import { AnswerRecord, cacheControlOf, type AnswerPolicy } from '../../src/answers/policy.js';
import { ManualClock } from '../../src/clock.js';
import { ResponseCache } from '../../src/http/response-cache.js';
import { createMetrics } from '../../src/metrics.js';

interface Context {
  readonly answer: AnswerRecord;
}

const typeDefs = `type Query { link(id: ID!, refresh: Boolean, state: Boolean, fail: Boolean, big: Boolean): String }`;
const SCOPE = { scope: 'tenant:user|', linksScope: 'tenant:user' };
const START = 1_000_000;

async function policyOf(variables: Record<string, unknown>, options: { scope?: typeof SCOPE | null; maxBytes?: number } = {}) {
  const answers = answerPolicyPlugin<Context>({
    recordOf: (context) => context.answer,
    maxResponseBytes: options.maxBytes ?? 10_000,
  });
  const server = new ApolloServer<Context>({
    typeDefs,
    resolvers: {
      Query: {
        link: (_parent, args: { id: string; refresh?: boolean; state?: boolean; fail?: boolean; big?: boolean }, { answer }) => {
          if (args.refresh === true) answer.refreshAsked();
          if (args.fail === true) throw new Error('upstream failed');
          answer.linkRead(90_000, args.id);
          if (args.state === true) answer.passingState();
          return args.big === true ? 'x'.repeat(20_000) : `https://media/${args.id}`;
        },
      },
    },
    plugins: [answers.plugin],
    stringifyResult: answers.stringify,
  });
  await server.start();
  const answer = new AnswerRecord(options.scope === undefined ? SCOPE : options.scope, START);
  const response = await server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: {
      method: 'POST',
      headers: new Map([['content-type', 'application/json']]) as never,
      search: '',
      body: { query: 'query Q($id: ID!, $r: Boolean, $s: Boolean, $f: Boolean, $b: Boolean) { link(id: $id, refresh: $r, state: $s, fail: $f, big: $b) }', variables },
    },
    context: () => Promise.resolve({ answer }),
  });
  await server.stop();
  const body = response.body.kind === 'complete' ? response.body.string : '';
  return { policy: answer.policy as AnswerPolicy, cacheControl: response.headers.get('cache-control'), body };
}

describe('answerPolicyPlugin: one decision per answer', () => {
  it('a clean answer: the client and the caches keep it for the earliest link, for the caller scope', async () => {
    const { policy, cacheControl, body } = await policyOf({ id: '1' });
    expect(cacheControl).toBe('private, max-age=90');
    expect(policy.replay).toEqual({ scope: SCOPE, expiresAt: START + 90_000, whole: true, entities: null });
    expect(body).toBe('{"data":{"link":"https://media/1"}}');
  });

  it('a refresh, however it was asked for: the client may keep it, the caches never replay it', async () => {
    const { policy, cacheControl } = await policyOf({ id: '1', r: true });
    expect(cacheControl).toBe('private, max-age=90');
    expect(policy.replay).toBeNull();
  });

  it('a passing state: no-store for everyone', async () => {
    const { policy, cacheControl } = await policyOf({ id: '1', s: true });
    expect(cacheControl).toBe('no-store');
    expect(policy).toEqual({ clientMaxAgeMs: null, replay: null });
  });

  it('an error: never kept whole', async () => {
    const { policy } = await policyOf({ id: '1', f: true });
    expect(policy.replay).toBeNull();
  });

  it('RESPONSE_TOO_LARGE: the bounded body is sent, and nobody keeps it', async () => {
    const { policy, cacheControl, body } = await policyOf({ id: '1', b: true }, { maxBytes: 1_000 });
    expect(body).toContain('RESPONSE_TOO_LARGE');
    expect(cacheControl).toBe('no-store');
    expect(policy.replay).toBeNull();
  });

  it('a refused caller (no scope): never replayed', async () => {
    expect((await policyOf({ id: '1' }, { scope: null })).policy.replay).toBeNull();
  });

  it('is decided once per request', () => {
    const record = new AnswerRecord(SCOPE, START);
    record.decide({ clientMaxAgeMs: null, replay: null });
    expect(() => record.decide({ clientMaxAgeMs: null, replay: null })).toThrow(/once/);
    expect(cacheControlOf(1_999)).toBe('private, max-age=1');
  });

  it("an entity's own lifetime is unknown once a read names no contact", () => {
    const record = new AnswerRecord(SCOPE, START);
    record.linkRead(5_000, '1');
    record.linkRead(9_000, '2');
    expect(record.remainingMsOf('2')).toBe(9_000);
    expect(record.remainingMs).toBe(5_000);
    record.linkRead(7_000, null);
    expect(record.remainingMsOf('2')).toBeUndefined();
  });
});

describe('ResponseCache: keeps what it is given, while current', () => {
  const setup = () => {
    const clock = new ManualClock(START);
    const cache = new ResponseCache({ maxBytes: 1_000_000, clock, metrics: createMetrics({ collectDefaults: false }) });
    const entry = (expiresAt: number) => ({ kind: 'response' as const, body: '{}', bytes: 2, headers: [], expiresAt, linksScope: 'l', generation: cache.generationOf('l') });
    return { clock, cache, entry };
  };

  it('from the second time a key is stored, until its expiry', () => {
    const { clock, cache, entry } = setup();
    cache.set('k', entry(START + 10_000));
    expect(cache.get('k')).toBeUndefined();
    cache.set('k', entry(START + 10_000));
    expect(cache.get('k')?.body).toBe('{}');
    clock.advance(10_000);
    expect(cache.get('k')).toBeUndefined();
  });

  it('drops what was kept before a forced refresh of its links scope', () => {
    const { cache, entry } = setup();
    cache.set('k', entry(START + 10_000));
    cache.set('k', entry(START + 10_000));
    cache.linksRefreshed('l');
    expect(cache.get('k')).toBeUndefined();
    cache.keepEntities(['e'], { responseKey: '_entities', variable: 'representations', parts: [{ body: '{}', expiresAt: START + 10_000 }] }, { linksScope: 'l', generation: 0 });
    expect(cache.getEntity('e')).toBeUndefined();
  });
});
