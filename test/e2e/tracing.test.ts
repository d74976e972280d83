/**
 * OpenTelemetry tracing over real HTTP: an OTLP/HTTP receiver on port 0 stands in for the
 * collector. A caller's `traceparent` is continued by the operation, resolver, cache, budget and
 * CXone spans, and carried on to CXone (the simulator records what it received); through the
 * gateway, one page is one trace down to every CXone call. With tracing off nothing is exported
 * and nothing is propagated.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql } from '../helpers/graphql.js';
import { bulkIds, startStack, type Stack } from '../helpers/stack.js';
import { DEMO_TOKENS } from '../../src/simulator/grants.js';
import { SEEDED } from '../../src/simulator/index.js';

interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly name: string;
  readonly kind: number;
  readonly attributes: Record<string, string | number | boolean>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
}
interface OtlpExport {
  resourceSpans?: Array<{
    scopeSpans?: Array<{
      spans?: Array<{
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind: number;
        attributes?: Array<{ key: string; value: OtlpValue }>;
      }>;
    }>;
  }>;
}

/** A minimal OTLP/HTTP (JSON) trace receiver. */
async function startReceiver(): Promise<{ url: string; spans: ReceivedSpan[]; posts: () => number; close(): Promise<void> }> {
  const spans: ReceivedSpan[] = [];
  let posts = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      posts += 1;
      expect(req.url).toBe('/v1/traces');
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpExport;
      for (const resource of body.resourceSpans ?? []) {
        for (const scope of resource.scopeSpans ?? []) {
          for (const span of scope.spans ?? []) {
            const attributes: Record<string, string | number | boolean> = {};
            for (const { key, value } of span.attributes ?? []) {
              attributes[key] = value.stringValue ?? value.boolValue ?? value.doubleValue ?? Number(value.intValue);
            }
            spans.push({
              traceId: span.traceId,
              spanId: span.spanId,
              parentSpanId: span.parentSpanId || undefined,
              name: span.name,
              kind: span.kind,
              attributes,
            });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    posts: () => posts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function newTraceparent(): { traceparent: string; traceId: string; parentId: string } {
  const traceId = randomBytes(16).toString('hex');
  const parentId = randomBytes(8).toString('hex');
  return { traceparent: `00-${traceId}-${parentId}-01`, traceId, parentId };
}

const ONE = /* GraphQL */ `
  query One($id: ID!) { recording(acdContactId: $id) { acdContactId mediaUrl { url } } }
`;

let receiver: Awaited<ReturnType<typeof startReceiver>>;
let stack: Stack;
const pageIds = bulkIds(3, 500);

beforeAll(async () => {
  receiver = await startReceiver();
  stack = await startStack({
    crmIds: pageIds,
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, CXONE_RATE_LIMIT: '150' },
  });
});
afterAll(async () => {
  await stack.close();
  await receiver.close();
});

async function spansOf(traceId: string): Promise<ReceivedSpan[]> {
  await stack.app.telemetry!.flush();
  return receiver.spans.filter((span) => span.traceId === traceId);
}

/** The names of a span's ancestors, nearest first. */
function ancestry(span: ReceivedSpan, all: readonly ReceivedSpan[]): string[] {
  const names: string[] = [];
  let parent = all.find((candidate) => candidate.spanId === span.parentSpanId);
  while (parent !== undefined) {
    names.push(parent.name);
    const current: ReceivedSpan = parent;
    parent = all.find((candidate) => candidate.spanId === current.parentSpanId);
  }
  return names;
}

describe('tracing on (OTEL_EXPORTER_OTLP_ENDPOINT set)', () => {
  it("continues the caller's trace through the resolver, cache, budget and CXone, and hands it to CXone", async () => {
    stack.simulator.resetCalls();
    const { traceparent, traceId, parentId } = newTraceparent();
    const response = await gql(stack.app.url, ONE, { variables: { id: SEEDED.voice }, headers: { traceparent } });
    expect(response.errors).toBeUndefined();

    const spans = await spansOf(traceId);
    const operation = spans.find((span) => span.name === 'query One');
    expect(operation?.parentSpanId).toBe(parentId);
    expect(operation?.attributes).toMatchObject({ 'graphql.operation.name': 'One', 'http.response.status_code': 200 });

    const resolver = spans.find((span) => span.name === 'resolve Query.recording');
    expect(resolver?.parentSpanId).toBe(operation?.spanId);
    const read = spans.find((span) => span.name === 'cache read');
    expect(read?.attributes['cache.hit']).toBe(false);
    expect(ancestry(read!, spans)).toEqual(['load recording batch', 'resolve Query.recording', 'query One']);
    expect(spans.filter((span) => span.name === 'cache write')).toHaveLength(1);
    expect(spans.find((span) => span.name === 'CXone budget')?.attributes['cxone.budget.granted']).toBe(true);

    const cxone = spans.filter((span) => span.name === 'CXone contacts');
    expect(cxone).toHaveLength(1);
    expect(cxone[0]!.attributes).toMatchObject({
      'cxone.endpoint': 'contacts',
      'cxone.retry': 0,
      'cxone.acd_contact_id': SEEDED.voice,
      'http.response.status_code': 200,
    });
    expect(ancestry(cxone[0]!, spans)).toContain('query One');

    // The simulator received the same trace, with the CXone span as its parent.
    const calls = stack.simulator.calls().filter((call) => call.endpoint === 'contacts');
    expect(calls.map((call) => call.traceparent)).toEqual([`00-${traceId}-${cxone[0]!.spanId}-01`]);
  });

  it('marks the cache hit on the next request, with no CXone span', async () => {
    stack.simulator.resetCalls();
    const { traceparent, traceId } = newTraceparent();
    await gql(stack.app.url, ONE, { variables: { id: SEEDED.voice }, headers: { traceparent } });
    const spans = await spansOf(traceId);
    expect(spans.find((span) => span.name === 'cache read')?.attributes['cache.hit']).toBe(true);
    expect(spans.filter((span) => span.name.startsWith('CXone'))).toEqual([]);
    expect(stack.simulator.count('contacts')).toBe(0);
  });

  it('numbers retries: a contact still processing is one span per attempt', async () => {
    const { traceparent, traceId } = newTraceparent();
    const response = await gql(stack.app.url, ONE, { variables: { id: SEEDED.processing }, headers: { traceparent } });
    const cxone = (await spansOf(traceId)).filter((span) => span.name === 'CXone contacts');
    expect(cxone.length).toBeGreaterThan(1);
    expect(cxone.map((span) => span.attributes['cxone.retry'])).toEqual(cxone.map((_span, index) => index));
    expect(cxone[0]!.attributes['http.response.status_code']).toBe(202);
    // However it ended, the trace says how.
    if (response.errors === undefined) expect(cxone.at(-1)!.attributes['http.response.status_code']).toBe(200);
  });

  it('never puts a token, a signed link or a cache key into a span', async () => {
    const { traceparent, traceId } = newTraceparent();
    const response = await gql<{ recording: { mediaUrl: { url: string } } }>(stack.app.url, ONE, {
      variables: { id: SEEDED.voiceAndScreen },
      headers: { traceparent },
    });
    const link = new URL(response.data!.recording.mediaUrl.url);
    const values = (await spansOf(traceId)).flatMap((span) => [span.name, ...Object.values(span.attributes).map(String)]);
    expect(values.length).toBeGreaterThan(10);
    for (const value of values) {
      expect(value).not.toContain(DEMO_TOKENS.full);
      expect(value).not.toContain(link.search.slice(1, 20));
      expect(value).not.toMatch(/^v1:|Bearer/);
    }
  });

  it('shows one federated page as one trace: the router-side parent, our _entities batch, each CXone call', async () => {
    stack.simulator.resetCalls();
    const { traceparent, traceId, parentId } = newTraceparent();
    const response = await gql(stack.gateway!.url, '{ contacts(first: 3) { acdContactId recording { durationSeconds } } }', {
      headers: { traceparent },
    });
    expect(response.errors).toBeUndefined();
    const spans = await spansOf(traceId);
    const operation = spans.find((span) => span.attributes['http.request.method'] === 'POST' && span.kind === 2);
    expect(operation?.parentSpanId).toBe(parentId);
    expect(spans.find((span) => span.name === 'resolve Query._entities')?.attributes['graphql.batch.size']).toBe(3);
    // Contact.recording of the three entities: one loader batch, parent of every CXone call.
    const batches = spans.filter((span) => span.name === 'load recording batch');
    expect(batches.map((span) => span.attributes['graphql.batch.size'])).toEqual([3]);
    const cxone = spans.filter((span) => span.name === 'CXone contacts');
    expect(cxone.map((span) => span.attributes['cxone.acd_contact_id']).sort()).toEqual([...pageIds].sort());
    for (const span of cxone) {
      expect(ancestry(span, spans)).toEqual(['load recording batch', operation!.name]);
    }
    const received = stack.simulator.calls().filter((call) => call.endpoint === 'contacts');
    expect(received.map((call) => call.traceparent?.split('-')[1])).toEqual([traceId, traceId, traceId]);
  });
});

describe('tracing off (no OTLP endpoint)', () => {
  it('starts no exporter and passes no trace context on', async () => {
    const postsBefore = receiver.posts();
    const untraced = await startStack({ sharedSimulator: stack.simulator, clock: stack.clock });
    try {
      expect(untraced.app.telemetry).toBeUndefined();
      stack.simulator.resetCalls();
      const { traceparent } = newTraceparent();
      const response = await gql(untraced.app.url, ONE, { variables: { id: SEEDED.chat }, headers: { traceparent } });
      expect(response.errors).toBeUndefined();
      const calls = stack.simulator.calls().filter((call) => call.endpoint === 'contacts');
      expect(calls).toHaveLength(1);
      expect(calls[0]!.traceparent).toBeUndefined();
    } finally {
      await untraced.close();
    }
    await stack.app.telemetry!.flush();
    // Nothing from the untraced app reached the receiver (the traced app had no new spans either).
    expect(receiver.posts()).toBe(postsBefore);
  });
});
