/**
 * `recording { playerUrl downloadUrl }` (with ids) is built from the contact id: no upstream call,
 * as schema.graphql says, whether asked directly, through `_entities` or in a report; one more
 * field that needs CXone makes the call again. Counted on the simulator.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bulkContactId } from '../../src/simulator/index.js';
import { codesByPath, gql } from '../helpers/graphql.js';
import { startStack, type Stack } from '../helpers/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.close();
});
beforeEach(() => {
  stack.simulator.resetCalls();
});

const ENTITIES = `query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Contact { acdContactId recording { ...Links } } }
}
fragment Links on CxoneRecording { __typename acdContactId mediaType playerUrl downloadUrl voiceOnly: downloadUrl(voiceOnly: true) }`;

interface Links {
  acdContactId: string;
  mediaType: string;
  playerUrl: string;
  downloadUrl: string;
}

describe('links only', () => {
  it('costs no upstream call through _entities (fragments included)', async () => {
    const ids = [bulkContactId(1), bulkContactId(2), bulkContactId(3)];
    const response = await gql<{ _entities: Array<{ recording: Links }> }>(stack.app.url, ENTITIES, {
      variables: { representations: ids.map((acdContactId) => ({ __typename: 'Contact', acdContactId })) },
    });
    expect(response.errors).toBeUndefined();
    expect(response.data?._entities.map((entity) => entity.recording.acdContactId)).toEqual(ids);
    expect(response.data?._entities[0]?.recording.playerUrl).toContain(ids[0]);
    expect(response.data?._entities[0]?.recording.mediaType).toBe('ALL');
    expect(stack.simulator.count('contacts')).toBe(0);
  });

  it('costs no upstream call for recording(acdContactId:) and recordings(acdContactIds:)', async () => {
    const one = await gql<{ recording: Links }>(
      stack.app.url,
      `{ recording(acdContactId: "${bulkContactId(4)}", mediaType: VOICE_ONLY) { playerUrl downloadUrl mediaType } }`,
    );
    expect(one.errors).toBeUndefined();
    expect(one.data?.recording.mediaType).toBe('VOICE_ONLY');
    const many = await gql<{ recordings: Array<Links | null> }>(
      stack.app.url,
      `{ recordings(acdContactIds: ["${bulkContactId(5)}", "x1"]) { acdContactId playerUrl } }`,
    );
    expect(many.data?.recordings[0]?.acdContactId).toBe(bulkContactId(5));
    expect(many.data?.recordings[1]).toBeNull();
    expect(codesByPath(many)).toEqual({ 'recordings.1': 'BAD_USER_INPUT' });
    expect(stack.simulator.count('contacts')).toBe(0);
  });

  it('still needs a caller: no token is UNAUTHENTICATED, with no call', async () => {
    const response = await gql(stack.app.url, `{ recording(acdContactId: "${bulkContactId(6)}") { playerUrl } }`, { token: null });
    expect(codesByPath(response)).toEqual({ recording: 'UNAUTHENTICATED' });
    expect(stack.simulator.count('contacts')).toBe(0);
  });

  it('makes the call once anything else is selected', async () => {
    const response = await gql(stack.app.url, `{ recording(acdContactId: "${bulkContactId(7)}") { playerUrl durationSeconds } }`);
    expect(response.errors).toBeUndefined();
    expect(stack.simulator.count('contacts')).toBe(1);
  });
});
