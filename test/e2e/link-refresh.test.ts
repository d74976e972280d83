/**
 * `recording(refresh: true)`: a player whose link died gets a new one. Reproduces the reported
 * failure first (after the storage's signing key rotates, the cached link answers 403 and a plain
 * query hands the same dead link back), then shows that a refresh makes exactly one new upstream
 * call, replaces the cached entry, and is bounded per caller and contact so it cannot spend the
 * budget: simulator calls are counted for each step. Contact.recording(refresh:) is checked through the gateway.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEEDED } from '../../src/simulator/index.js';
import { DEMO_TOKENS } from '../../src/simulator/grants.js';
import { gql } from '../helpers/graphql.js';
import { scrape } from '../helpers/metrics.js';
import { startReplicas, type Replicas } from '../helpers/replicas.js';
import { startStack, type Stack } from '../helpers/stack.js';

const INTERVAL_SECONDS = 30;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { LINK_REFRESH_INTERVAL_SECONDS: String(INTERVAL_SECONDS) } });
});
afterAll(async () => {
  await stack.close();
});
beforeEach(() => {
  stack.simulator.resetCalls();
});

interface LinkData {
  recording: { acdContactId: string; mediaUrl: { url: string } | null } | null;
}

function linkQuery(acdContactId: string, refresh: boolean): string {
  return `{ recording(acdContactId: "${acdContactId}", refresh: ${String(refresh)}) { acdContactId mediaUrl { url } } }`;
}

async function link(acdContactId: string, refresh: boolean, token: string | null = DEMO_TOKENS.full): Promise<string> {
  const response = await gql<LinkData>(stack.app.url, linkQuery(acdContactId, refresh), { token });
  expect(response.errors).toBeUndefined();
  const url = response.data?.recording?.mediaUrl?.url;
  if (url === undefined) throw new Error('no media link');
  return url;
}

/** The HTTP status a player gets for the link. */
async function mediaStatus(url: string): Promise<number> {
  const response = await fetch(url, { headers: { range: 'bytes=0-99' } });
  await response.arrayBuffer();
  return response.status;
}

describe('a fresh link for a player whose link failed', () => {
  it('reproduces the failure: after the links are revoked, a plain query returns the same dead link from the cache', async () => {
    const contact = SEEDED.voice;
    const first = await link(contact, false);
    expect(await mediaStatus(first)).toBe(206);
    stack.simulator.revokeLinks();
    expect(await mediaStatus(first)).toBe(403);
    stack.simulator.resetCalls();
    const again = await link(contact, false);
    expect(again).toBe(first);
    expect(stack.simulator.count('contacts', contact)).toBe(0);
  });

  it('refresh: true makes one upstream call, returns a working link and replaces the cached entry', async () => {
    const contact = SEEDED.voice;
    const dead = await link(contact, false);
    stack.simulator.resetCalls();
    const reloads = async () => (await scrape(stack.app.url)).value('recording_cache_events_total', { event: 'reload' }) ?? 0;
    const before = await reloads();
    const fresh = await link(contact, true);
    expect((await reloads()) - before).toBe(1);
    expect(fresh).not.toBe(dead);
    expect(await mediaStatus(fresh)).toBe(206);
    expect(stack.simulator.count('contacts', contact)).toBe(1);
    // The cache now holds the fresh answer: a plain query gets it without an upstream call.
    expect(await link(contact, false)).toBe(fresh);
    expect(stack.simulator.count('contacts', contact)).toBe(1);
  });

  it('is bounded per caller and contact: one real refresh per interval, then the just-refreshed answer', async () => {
    const contact = SEEDED.chat;
    await link(contact, false);
    stack.simulator.resetCalls();
    const refreshed = await link(contact, true);
    expect(stack.simulator.count('contacts', contact)).toBe(1);
    // Ten more refreshes within the interval, sequential and concurrent: no upstream call.
    for (let i = 0; i < 5; i++) expect(await link(contact, true)).toBe(refreshed);
    const concurrent = await Promise.all(Array.from({ length: 5 }, () => link(contact, true)));
    expect(new Set(concurrent)).toEqual(new Set([refreshed]));
    expect(stack.simulator.count('contacts', contact)).toBe(1);
    // Another caller has its own bound; another contact too.
    await link(contact, true, DEMO_TOKENS.noAnalytics);
    expect(stack.simulator.count('contacts', contact)).toBe(2);
    await link(SEEDED.email, true);
    expect(stack.simulator.count('contacts', SEEDED.email)).toBe(1);
    // Just before the interval ends: still bounded. Once it has passed: one more real refresh.
    stack.clock.advance(INTERVAL_SECONDS * 1000 - 1);
    expect(await link(contact, true)).toBe(refreshed);
    expect(stack.simulator.count('contacts', contact)).toBe(2);
    stack.clock.advance(2);
    expect(await link(contact, true)).not.toBe(refreshed);
    expect(stack.simulator.count('contacts', contact)).toBe(3);
  });

  it('concurrent first refreshes share one upstream call', async () => {
    const contact = SEEDED.transferred;
    const links = await Promise.all(Array.from({ length: 10 }, () => link(contact, true)));
    expect(new Set(links).size).toBe(1);
    expect(stack.simulator.count('contacts', contact)).toBe(1);
  });

  it('spends nothing for a caller without a token', async () => {
    const response = await gql<LinkData>(stack.app.url, linkQuery(SEEDED.longCall, true), { token: null });
    expect(response.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    expect(stack.simulator.calls()).toHaveLength(0);
  });

  it('a failed refresh is an error, and the next allowed refresh recovers', async () => {
    const contact = SEEDED.voiceAndScreen;
    await link(contact, false);
    stack.simulator.configure({ faults: { rates: { 500: 1 } } });
    const failed = await gql<LinkData>(stack.app.url, linkQuery(contact, true));
    stack.simulator.configure({ faults: null });
    expect(failed.data?.recording).toBeNull();
    expect(failed.errors?.[0]?.extensions?.['code']).toBe('UPSTREAM_UNAVAILABLE');
    stack.clock.advance(INTERVAL_SECONDS * 1000 + 1);
    stack.simulator.resetCalls();
    await link(contact, true);
    expect(stack.simulator.count('contacts', contact)).toBe(1);
  });
});

describe('with the whole-response cache in front (on by default)', () => {
  it('a refresh answered within the interval is never kept: after a failed refresh, the next allowed one gets a new link', async () => {
    const contact = SEEDED.longCall;
    const dead = await link(contact, false);
    stack.simulator.revokeLinks();
    stack.simulator.configure({ faults: { rates: { 500: 1 } } });
    expect((await gql<LinkData>(stack.app.url, linkQuery(contact, true))).errors?.[0]?.extensions?.['code']).toBe('UPSTREAM_UNAVAILABLE');
    stack.simulator.configure({ faults: null });
    // Within the interval a refresh answers what is cached (the dead link), the same bytes twice:
    // exactly what a whole-response cache would keep and hand back to every later refresh.
    expect(await link(contact, true)).toBe(dead);
    expect(await link(contact, true)).toBe(dead);
    stack.clock.advance(INTERVAL_SECONDS * 1000 + 1);
    const fresh = await link(contact, true);
    expect(fresh).not.toBe(dead);
    expect(await mediaStatus(fresh)).toBe(206);
  });
});

describe('through the gateway: Contact.recording(refresh: true)', () => {
  let federated: Stack;
  beforeAll(async () => {
    federated = await startStack({ crmIds: [SEEDED.voice], env: { LINK_REFRESH_INTERVAL_SECONDS: String(INTERVAL_SECONDS) } });
  });
  afterAll(async () => {
    await federated.close();
  });

  it('refreshes the contact\'s links once per interval, as Query.recording does', async () => {
    const query = (refresh: boolean) =>
      `{ contact(acdContactId: "${SEEDED.voice}") { recording(refresh: ${String(refresh)}) { mediaUrl { url } } } }`;
    const url = async (refresh: boolean) => {
      const response = await gql<{ contact: { recording: { mediaUrl: { url: string } } } }>(federated.gateway!.url, query(refresh));
      expect(response.errors).toBeUndefined();
      return response.data!.contact.recording.mediaUrl.url;
    };
    const cached = await url(false);
    federated.simulator.revokeLinks();
    federated.simulator.resetCalls();
    const fresh = await url(true);
    expect(fresh).not.toBe(cached);
    expect(await url(true)).toBe(fresh);
    expect(await url(false)).toBe(fresh);
    expect(federated.simulator.count('contacts', SEEDED.voice)).toBe(1);
  });

  it('refreshes when recordingStatus is selected beside recording(refresh: true), as a player page asks', async () => {
    const query = (refresh: boolean) =>
      `{ contact(acdContactId: "${SEEDED.voice}") { recordingStatus { state } recording(refresh: ${String(refresh)}) { mediaUrl { url } } } }`;
    type Answer = { contact: { recordingStatus: { state: string }; recording: { mediaUrl: { url: string } } } };
    const url = async (refresh: boolean) => {
      const response = await gql<Answer>(federated.gateway!.url, query(refresh));
      expect(response.errors).toBeUndefined();
      expect(response.data!.contact.recordingStatus.state).toBe('AVAILABLE');
      return response.data!.contact.recording.mediaUrl.url;
    };
    const cached = await url(false);
    federated.simulator.revokeLinks();
    federated.clock.advance(INTERVAL_SECONDS * 1000 + 1);
    // The status's read of the cached entry must not hand the refresh the dead link it replaces.
    const fresh = await url(true);
    expect(fresh).not.toBe(cached);
    expect(await mediaStatus(fresh)).toBe(206);
  });
});

describe('statement and segment links: the same forced refresh as recordings', () => {
  const statementQuery = (refresh: boolean) =>
    `{ statement(acdContactId: "${SEEDED.voice}", statementId: "${SEEDED.voiceStatement}") { mediaUrl(refresh: ${String(refresh)}) { url } } }`;
  const statementLink = async (refresh: boolean, token: string = DEMO_TOKENS.full): Promise<string> => {
    const response = await gql<{ statement: { mediaUrl: { url: string } | null } }>(stack.app.url, statementQuery(refresh), { token });
    expect(response.errors).toBeUndefined();
    const url = response.data?.statement.mediaUrl?.url;
    if (url === undefined) throw new Error('no statement link');
    return url;
  };

  it('a revoked statement link is replaced by mediaUrl(refresh: true), once per interval', async () => {
    const dead = await statementLink(false);
    stack.simulator.revokeLinks();
    expect(await mediaStatus(dead)).toBe(403);
    // The reported failure: without refresh the dead link comes back from the cache.
    expect(await statementLink(false)).toBe(dead);
    stack.simulator.resetCalls();
    const fresh = await statementLink(true);
    expect(fresh).not.toBe(dead);
    expect(await mediaStatus(fresh)).toBe(206);
    expect(stack.simulator.count('statements')).toBe(1);
    // Within the interval: the refreshed link, no upstream call; a plain query gets it too.
    expect(await statementLink(true)).toBe(fresh);
    expect(await statementLink(false)).toBe(fresh);
    expect(stack.simulator.count('statements')).toBe(1);
    stack.clock.advance(INTERVAL_SECONDS * 1000 + 1);
    expect(await statementLink(true)).not.toBe(fresh);
    expect(stack.simulator.count('statements')).toBe(2);
  });

  it('a revoked segment link is replaced by mediaUrl(refresh: true), once per interval', async () => {
    const listed = await gql<{ recording: { segments: Array<{ segmentId: string }> } }>(
      stack.app.url,
      `{ recording(acdContactId: "${SEEDED.transferred}") { segments { segmentId } } }`,
    );
    const segmentId = listed.data?.recording.segments[0]?.segmentId;
    if (segmentId === undefined) throw new Error('no segment');
    const query = (refresh: boolean) => `{ segment(segmentId: "${segmentId}") { mediaUrl(refresh: ${String(refresh)}) { url } } }`;
    const segmentLink = async (refresh: boolean): Promise<string> => {
      const response = await gql<{ segment: { mediaUrl: { url: string } | null } }>(stack.app.url, query(refresh));
      expect(response.errors).toBeUndefined();
      const url = response.data?.segment.mediaUrl?.url;
      if (url === undefined) throw new Error('no segment link');
      return url;
    };
    const dead = await segmentLink(false);
    stack.simulator.revokeLinks();
    expect(await segmentLink(false)).toBe(dead);
    stack.simulator.resetCalls();
    const fresh = await segmentLink(true);
    expect(fresh).not.toBe(dead);
    expect(await mediaStatus(fresh)).toBe(206);
    expect(await segmentLink(true)).toBe(fresh);
    expect(stack.simulator.count('segments')).toBe(1);
  });
});

describe('one refresh gate for all replicas (Redis SET NX PX)', () => {
  let replicas: Replicas;
  beforeAll(async () => {
    replicas = await startReplicas({ env: { LINK_REFRESH_INTERVAL_SECONDS: String(INTERVAL_SECONDS) } });
  });
  afterAll(async () => {
    await replicas?.close();
  });

  it('a refresh on replica A bounds the same caller on replica B within the interval', async () => {
    const { a, b, simulator } = replicas;
    const refreshOn = async (replica: Stack): Promise<string> => {
      const response = await gql<LinkData>(replica.app.url, linkQuery(SEEDED.voice, true));
      expect(response.errors).toBeUndefined();
      return response.data?.recording?.mediaUrl?.url ?? 'none';
    };
    simulator.resetCalls();
    const fromA = await refreshOn(a);
    expect(simulator.count('contacts', SEEDED.voice)).toBe(1);
    // Per-replica gates let B refresh again at once: two upstream calls for one caller and contact.
    expect(await refreshOn(b)).toBe(fromA);
    expect(simulator.count('contacts', SEEDED.voice)).toBe(1);
  });
});
