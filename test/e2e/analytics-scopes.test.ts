/**
 * Access-key callers and Interaction Analytics: `recordings:analytics` guards analytics,
 * `recordings:transcripts` the transcript. A caller without the scope gets FORBIDDEN as data on the
 * status fields (and on the guarded field itself), and spends no Interaction Analytics call.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { SEEDED, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { codesByPath, gql } from '../helpers/graphql.js';
import { ACCESS_KEY_ENV, startStack, type Stack } from '../helpers/stack.js';

const AUDIENCE = 'crm-graph';
const clock = new ManualClock();
let simulator: RunningSimulator;
let stack: Stack;

beforeAll(async () => {
  simulator = await startSimulator({ clock });
  stack = await startStack({
    sharedSimulator: simulator,
    clock,
    env: { ...ACCESS_KEY_ENV, CALLER_JWT_ISSUER: simulator.idpIssuer, CALLER_JWT_AUDIENCE: AUDIENCE },
  });
});
afterAll(async () => {
  await stack.close();
  await simulator.close();
});

const QUERY = `{ recording(acdContactId: "${SEEDED.analyzedTransfer}") {
  mediaUrl { url }
  transcriptStatus { state }
  analyticsStatus { state }
  segments { analyticsStatus { state } }
} }`;

interface Data {
  recording: {
    mediaUrl: { url: string } | null;
    transcriptStatus: { state: string };
    analyticsStatus: { state: string };
    segments: Array<{ analyticsStatus: { state: string } }>;
  } | null;
}

describe('scopes over Interaction Analytics', () => {
  it('read only: FORBIDDEN states, playback stands, no Interaction Analytics call', async () => {
    const token = await simulator.mintToken({ issuer: 'idp', aud: AUDIENCE, sub: 'caller:reader', scope: 'recordings:read' });
    simulator.resetCalls();
    const response = await gql<Data>(stack.app.url, QUERY, { token });
    expect(response.errors).toBeUndefined();
    expect(response.data?.recording?.mediaUrl?.url).toBeTruthy();
    expect(response.data?.recording?.transcriptStatus.state).toBe('FORBIDDEN');
    expect(response.data?.recording?.analyticsStatus.state).toBe('FORBIDDEN');
    expect(response.data?.recording?.segments.map((segment) => segment.analyticsStatus.state)).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
    expect(simulator.count('analyzed-transcript')).toBe(0);
    const guarded = await gql(stack.app.url, `{ recording(acdContactId: "${SEEDED.analyzedTransfer}") { mediaUrl { url } analytics { summary } transcript { text } } }`, { token });
    expect(codesByPath(guarded)).toEqual({ 'recording.analytics': 'FORBIDDEN', 'recording.transcript': 'FORBIDDEN' });
    expect(simulator.count('analyzed-transcript')).toBe(0);
  });

  it('transcripts without analytics: the transcript, not the analytics', async () => {
    const token = await simulator.mintToken({ issuer: 'idp', aud: AUDIENCE, sub: 'caller:scribe', scope: 'recordings:read recordings:transcripts' });
    const response = await gql<Data>(stack.app.url, QUERY, { token });
    expect(response.errors).toBeUndefined();
    expect(response.data?.recording?.transcriptStatus.state).toBe('AVAILABLE');
    expect(response.data?.recording?.analyticsStatus.state).toBe('FORBIDDEN');
  });
});
