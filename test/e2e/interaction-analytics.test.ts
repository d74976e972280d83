/**
 * Interaction Analytics behind `recording`, over real HTTP against the simulator: voice
 * transcripts joined across segments, summaries and sentiment, states for a call not analyzed and
 * a tenant without the product, one upstream call per segment only when selected, kept 24 h per
 * caller, and `analyzedSegments` paging a window in one call per page, through a router too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEEDED } from '../../src/simulator/index.js';
import { gql, type GraphQLResponse } from '../helpers/graphql.js';
import { startStack, type Stack } from '../helpers/stack.js';

const HOUR = 3_600_000;

interface Block {
  readonly segmentId: string;
  readonly speaker: string;
  readonly text: string;
  readonly startSeconds: number | null;
  readonly endSeconds: number | null;
  readonly confidence: number | null;
}
interface Sentiment {
  readonly channel: string | null;
  readonly overall: string | null;
  readonly begin: string | null;
  readonly end: string | null;
  readonly frustration: string | null;
}
interface Analytics {
  readonly summary: string | null;
  readonly intent: string | null;
  readonly actions: string[];
  readonly outcomes: string[];
  readonly sentiment: Sentiment | null;
  readonly entities: Array<{ text: string; type: string | null }>;
  readonly categories: Array<{ categoryHierarchy: string[] }>;
}
interface Status {
  readonly state: string;
  readonly message: string | null;
}
interface RecordingData {
  readonly recording: {
    readonly mediaUrl: { readonly url: string } | null;
    readonly transcript: { readonly kind: string; readonly text: string; readonly blocks: Block[] } | null;
    readonly transcriptStatus: Status;
    readonly analytics: Analytics | null;
    readonly analyticsStatus: Status;
    readonly segments: Array<{ segmentId: string; startTime: string; analytics: Analytics | null; analyticsStatus: Status }>;
  } | null;
}

const ANALYTICS = `summary intent actions outcomes sentiment { channel overall begin end frustration } entities { text type } categories { categoryHierarchy }`;
const FULL = `mediaUrl { url }
  transcript { kind text blocks { segmentId speaker text startSeconds endSeconds confidence } }
  transcriptStatus { state message }
  analytics { ${ANALYTICS} }
  analyticsStatus { state message }
  segments { segmentId startTime analytics { ${ANALYTICS} } analyticsStatus { state message } }`;

const recordingQuery = (id: string, selection = FULL): string => `{ recording(acdContactId: "${id}") { ${selection} } }`;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.close();
});

describe('voice transcripts from Interaction Analytics', () => {
  it('a one-segment call: blocks with speakers and times, its summary and end sentiment, one call', async () => {
    stack.simulator.resetCalls();
    const response = await gql<RecordingData>(stack.app.url, recordingQuery(SEEDED.voice));
    expect(response.errors).toBeUndefined();
    const recording = response.data!.recording!;
    expect(recording.mediaUrl?.url).toBeTruthy();
    expect(recording.transcript?.kind).toBe('VOICE');
    const blocks = recording.transcript!.blocks;
    expect(blocks).toHaveLength(6);
    expect(blocks.map((block) => block.speaker)).toEqual(['AGENT', 'CUSTOMER', 'AGENT', 'CUSTOMER', 'AGENT', 'CUSTOMER']);
    expect(blocks[1]?.text).toBe('Hi, I was charged twice for my March subscription.');
    const starts = blocks.map((block) => block.startSeconds ?? -1);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(starts[0]).toBe(0);
    expect(blocks.every((block) => (block.endSeconds ?? 0) <= 240 && (block.confidence ?? 0) > 0.5)).toBe(true);
    expect(recording.transcript!.text.split('\n')[0]).toBe('AGENT: Thank you for calling Example Billing, this is Alice. How can I help?');
    expect(recording.transcriptStatus).toEqual({ state: 'AVAILABLE', message: null });
    expect(recording.analytics).toMatchObject({
      summary: expect.stringContaining('charged twice'),
      intent: 'Refund duplicate charge',
      actions: ['Refund issued for the duplicate charge'],
      outcomes: ['Resolved'],
      sentiment: { channel: 'Customer', begin: 'NEGATIVE', end: 'POSITIVE' },
      entities: [{ text: 'ACC-1001', type: 'ACCOUNT_NUMBER' }],
      categories: [{ categoryHierarchy: ['Billing', 'Refund request'] }],
    });
    // Transcript, roll-up, statuses and the segment's analytics share the one call.
    expect(stack.simulator.count('analyzed-transcript')).toBe(1);
    expect(stack.simulator.count('contacts', SEEDED.voice)).toBe(1);
  });

  it('a call transferred over three segments reads as one conversation; the roll-up spans it', async () => {
    stack.simulator.resetCalls();
    const response = await gql<RecordingData>(stack.app.url, recordingQuery(SEEDED.analyzedTransfer));
    expect(response.errors).toBeUndefined();
    const recording = response.data!.recording!;
    const segmentIds = recording.segments.map((segment) => segment.segmentId);
    expect(segmentIds).toHaveLength(3);
    const blocks = recording.transcript!.blocks;
    expect(blocks).toHaveLength(11);
    // Time order across segments: every block of segment n before those of n+1, on the recording's clock.
    expect(blocks.map((block) => segmentIds.indexOf(block.segmentId))).toEqual([0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2]);
    const starts = blocks.map((block) => block.startSeconds ?? -1);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(blocks[4]?.startSeconds).toBe(60);
    expect(blocks[7]?.startSeconds).toBe(150);
    expect(new Set(blocks.map((block) => block.speaker))).toEqual(new Set(['IVR', 'AGENT', 'CUSTOMER']));
    expect(recording.analytics).toMatchObject({
      intent: 'Fix router connection',
      outcomes: ['Transferred', 'Resolved'],
      sentiment: { begin: 'NEGATIVE', end: 'POSITIVE', frustration: 'MEDIUM' },
    });
    expect(recording.analytics?.summary).toContain('transferred to technical support');
    expect(recording.analytics?.summary).toContain('Thursday');
    expect(recording.segments.map((segment) => segment.analytics?.sentiment?.end)).toEqual(['NEGATIVE', 'NEUTRAL', 'POSITIVE']);
    expect(recording.segments.map((segment) => segment.analyticsStatus.state)).toEqual(['AVAILABLE', 'AVAILABLE', 'AVAILABLE']);
    // One call per segment, however many fields use them.
    expect(stack.simulator.count('analyzed-transcript')).toBe(3);
    for (const segmentId of segmentIds) expect(stack.simulator.count('analyzed-transcript', segmentId)).toBe(1);
  });

  it('only when selected: playback fields alone make no Interaction Analytics call', async () => {
    stack.simulator.resetCalls();
    const response = await gql<RecordingData>(stack.app.url, recordingQuery(SEEDED.longCall, 'mediaUrl { url } segments { segmentId }'));
    expect(response.errors).toBeUndefined();
    expect(stack.simulator.count('contacts', SEEDED.longCall)).toBe(1);
    expect(stack.simulator.count('analyzed-transcript')).toBe(0);
  });

  it('kept for 24 hours in the shared cache: links are renewed meanwhile, transcripts are not asked again', async () => {
    const query = recordingQuery(SEEDED.voiceAndScreen, 'mediaUrl { url } transcript { blocks { text } }');
    const first = await gql<RecordingData>(stack.app.url, query);
    expect(first.data?.recording?.transcript?.blocks.length).toBeGreaterThan(0);
    stack.simulator.resetCalls();
    stack.clock.advance(2 * HOUR);
    const later = await gql<RecordingData>(stack.app.url, query);
    expect(later.errors).toBeUndefined();
    expect(later.data?.recording?.transcript).toEqual(first.data?.recording?.transcript);
    expect(stack.simulator.count('contacts', SEEDED.voiceAndScreen)).toBe(1);
    expect(stack.simulator.count('analyzed-transcript')).toBe(0);
    stack.clock.advance(23 * HOUR);
    const nextDay = await gql<RecordingData>(stack.app.url, query);
    expect(nextDay.errors).toBeUndefined();
    expect(stack.simulator.count('analyzed-transcript')).toBe(1);
  });

  it("no caller gets another caller's transcript: each verified user's is their own call", async () => {
    const query = recordingQuery(SEEDED.analyzedTransfer, 'transcript { blocks { text } }');
    const alice = await stack.simulator.mintToken({ sub: 'user:ia-alice' });
    const bob = await stack.simulator.mintToken({ sub: 'user:ia-bob' });
    expect((await gql<RecordingData>(stack.app.url, query, { token: alice })).errors).toBeUndefined();
    stack.simulator.resetCalls();
    const other = await gql<RecordingData>(stack.app.url, query, { token: bob });
    expect(other.errors).toBeUndefined();
    expect(stack.simulator.count('analyzed-transcript')).toBe(3);
    stack.simulator.resetCalls();
    expect((await gql<RecordingData>(stack.app.url, recordingQuery(SEEDED.analyzedTransfer, 'transcript { text }'), { token: alice })).errors).toBeUndefined();
    expect(stack.simulator.count('analyzed-transcript')).toBe(0);
  });
});

describe('states as data', () => {
  it('a call not analyzed yet: playback stands, analytics fields are null with NOT_ANALYZED, no error', async () => {
    const response = await gql<RecordingData>(stack.app.url, recordingQuery(SEEDED.notAnalyzed));
    expect(response.errors).toBeUndefined();
    const recording = response.data!.recording!;
    expect(recording.mediaUrl?.url).toBeTruthy();
    expect(recording.transcript).toBeNull();
    expect(recording.analytics).toBeNull();
    expect(recording.transcriptStatus.state).toBe('NOT_ANALYZED');
    expect(recording.analyticsStatus.state).toBe('NOT_ANALYZED');
    expect(recording.segments[0]?.analyticsStatus.state).toBe('NOT_ANALYZED');
  });

  it('chat keeps its own transcript: no Interaction Analytics call, analytics NOT_VOICE', async () => {
    stack.simulator.resetCalls();
    const response = await gql<RecordingData>(
      stack.app.url,
      recordingQuery(SEEDED.chat, 'transcript { kind blocks { text } } transcriptStatus { state } analytics { summary } analyticsStatus { state }'),
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?.recording).toMatchObject({
      transcript: { kind: 'CHAT', blocks: [] },
      transcriptStatus: { state: 'AVAILABLE' },
      analytics: null,
      analyticsStatus: { state: 'NOT_VOICE' },
    });
    expect(stack.simulator.count('analyzed-transcript')).toBe(0);
  });

  it('a tenant without Interaction Analytics: NOT_ENABLED, the recording stands', async () => {
    const bare = await startStack({ simulator: { interactionAnalytics: false } });
    try {
      const response = await gql<RecordingData>(bare.app.url, recordingQuery(SEEDED.analyzedTransfer));
      expect(response.errors).toBeUndefined();
      const recording = response.data!.recording!;
      expect(recording.mediaUrl?.url).toBeTruthy();
      expect(recording.segments).toHaveLength(3);
      expect(recording.transcript).toBeNull();
      expect(recording.analytics).toBeNull();
      expect(recording.analyticsStatus.state).toBe('NOT_ENABLED');
      expect(recording.transcriptStatus.state).toBe('NOT_ENABLED');
      expect(recording.segments.map((segment) => segment.analyticsStatus.state)).toEqual(['NOT_ENABLED', 'NOT_ENABLED', 'NOT_ENABLED']);
      const listing = await gql(bare.app.url, `{ analyzedSegments(from: "2024-11-05T00:00:00Z", to: "2024-11-06T00:00:00Z") { totalCount } }`);
      expect(listing.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
      // Interaction Analytics' 403 says nothing of playback: the same caller still plays a contact
      // not seen before, with an upstream call (a refusal remembered for playback would make none).
      const before = bare.simulator.count('contacts', SEEDED.voice);
      const playback = await gql<{ recording: { mediaUrl: { url: string } | null } | null }>(
        bare.app.url,
        `{ recording(acdContactId: "${SEEDED.voice}") { mediaUrl { url } } }`,
      );
      expect(playback.errors).toBeUndefined();
      expect(playback.data?.recording?.mediaUrl?.url).toBeTruthy();
      expect(bare.simulator.count('contacts', SEEDED.voice)).toBe(before + 1);
    } finally {
      await bare.close();
    }
  });
});

interface AnalyzedPage {
  readonly analyzedSegments: {
    readonly totalCount: number;
    readonly pageInfo: { readonly hasNextPage: boolean; readonly endCursor: string | null };
    readonly edges: Array<{
      readonly cursor: string;
      readonly node: { readonly acdContactId: string };
      readonly segment: { readonly segmentId: string; readonly acdContactId: string; readonly startTime: string };
      readonly analytics: { readonly intent: string | null; readonly outcomes: string[]; readonly sentiment: { readonly end: string | null } | null };
    }>;
  };
}
const PAGE = `query Page($from: DateTime!, $to: DateTime!, $first: Int, $after: String) {
  analyzedSegments(from: $from, to: $to, mediaType: VOICE_ONLY, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { acdContactId } segment { segmentId acdContactId startTime } analytics { intent outcomes sentiment { end } } }
  }
}`;

describe('analyzedSegments: a window of analyzed calls, one upstream call per page', () => {
  it('pages a day in ceil(total / first) calls, oldest first, every segment once, nodes joined to Contact', async () => {
    stack.simulator.resetCalls();
    const window = { from: '2024-11-05T00:00:00.000Z', to: '2024-11-06T00:00:00.000Z' };
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    let total = 0;
    do {
      const response: GraphQLResponse<AnalyzedPage> = await gql<AnalyzedPage>(stack.app.url, PAGE, {
        variables: { ...window, first: 20, after },
      });
      expect(response.errors).toBeUndefined();
      const connection = response.data!.analyzedSegments;
      pages += 1;
      total = connection.totalCount;
      for (const edge of connection.edges) {
        expect(edge.node.acdContactId).toBe(edge.segment.acdContactId);
        seen.push(edge.segment.segmentId);
      }
      after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
    } while (after !== null);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(total);
    expect(total).toBeGreaterThan(20);
    expect(pages).toBe(Math.ceil(total / 20));
    expect(stack.simulator.count('analyzed-segments')).toBe(pages);
    console.info(`[calls] analyzedSegments: ${String(total)} analyzed segments of one day in ${String(pages)} calls (first: 20)`);
    // The transferred call's three legs are in the window, with their intents.
    const transferred = await gql<AnalyzedPage>(stack.app.url, PAGE, {
      variables: { from: '2024-11-05T10:00:00.000Z', to: '2024-11-05T10:05:00.000Z', first: 50 },
    });
    const legs = transferred.data!.analyzedSegments.edges.filter((edge) => edge.node.acdContactId === SEEDED.analyzedTransfer);
    expect(legs.map((edge) => edge.analytics.outcomes[0])).toEqual(['Transferred', 'Transferred', 'Resolved']);
    expect(legs.map((edge) => edge.analytics.sentiment?.end)).toEqual(['NEGATIVE', 'NEUTRAL', 'POSITIVE']);
  });

  it('resumes after any edge with one call; bad arguments are BAD_USER_INPUT before any call', async () => {
    const window = { from: '2024-11-05T00:00:00.000Z', to: '2024-11-06T00:00:00.000Z' };
    const whole = (await gql<AnalyzedPage>(stack.app.url, PAGE, { variables: { ...window, first: 10 } })).data!.analyzedSegments;
    stack.simulator.resetCalls();
    const resumed = (await gql<AnalyzedPage>(stack.app.url, PAGE, { variables: { ...window, first: 5, after: whole.edges[3]!.cursor } })).data!
      .analyzedSegments;
    expect(resumed.edges.map((edge) => edge.segment.segmentId)).toEqual(whole.edges.slice(4, 9).map((edge) => edge.segment.segmentId));
    expect(stack.simulator.count('analyzed-segments')).toBe(1);
    stack.simulator.resetCalls();
    for (const variables of [
      { ...window, first: 0 },
      { from: window.to, to: window.from },
      { ...window, after: 'not-a-cursor' },
      { from: '2024-11-01T00:00:00.000Z', to: '2024-11-02T00:00:00.000Z', after: whole.pageInfo.endCursor },
    ]) {
      const response = await gql(stack.app.url, PAGE, { variables });
      expect(response.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    }
    expect(stack.simulator.count('analyzed-segments')).toBe(0);
  });
});

describe('through a router', () => {
  it('the CRM contact page gets transcript, summary and end sentiment; a report node joins the CRM', async () => {
    const routed = await startStack({ crmIds: [SEEDED.analyzedTransfer, SEEDED.notAnalyzed] });
    try {
      const response = await gql<{
        contacts: Array<{ acdContactId: string; customerName: string; recording: { transcript: { blocks: Block[] } | null; analytics: Analytics | null; analyticsStatus: Status } }>;
      }>(
        routed.gateway!.url,
        `{ contacts(first: 2) { acdContactId customerName recording { transcript { blocks { segmentId speaker text startSeconds } } analytics { summary sentiment { end } } analyticsStatus { state } } } }`,
      );
      expect(response.errors).toBeUndefined();
      const [transfer, pending] = response.data!.contacts;
      expect(transfer?.recording.transcript?.blocks).toHaveLength(11);
      expect(transfer?.recording.analytics?.sentiment?.end).toBe('POSITIVE');
      expect(pending?.recording).toMatchObject({ transcript: null, analytics: null, analyticsStatus: { state: 'NOT_ANALYZED' } });
      const report = await gql<{ analyzedSegments: { edges: Array<{ node: { acdContactId: string; customerName: string | null } }> } }>(
        routed.gateway!.url,
        `{ analyzedSegments(from: "2024-11-05T10:00:00Z", to: "2024-11-05T10:01:00Z") { edges { node { acdContactId customerName } } } }`,
      );
      expect(report.errors).toBeUndefined();
      expect(report.data?.analyzedSegments.edges[0]?.node).toMatchObject({ acdContactId: SEEDED.analyzedTransfer, customerName: expect.any(String) });
    } finally {
      await routed.close();
    }
  });
});
