import { describe, expect, it } from 'vitest';
import { mapAnalyzedSegments, mapAnalyzedTranscript, speakerOf } from '../../src/cxone/analytics-wire.js';
import { InvalidCxoneAnswer } from '../../src/cxone/mapping.js';

describe('Interaction Analytics wire mapping', () => {
  it('speaker: userType, else the channel name, else CXone\'s own value', () => {
    expect(speakerOf('agent', 'Channel 0')).toBe('AGENT');
    expect(speakerOf(null, 'Customer')).toBe('CUSTOMER');
    expect(speakerOf('Supervisor', 'Agent')).toBe('AGENT');
    expect(speakerOf(undefined, 'IVR')).toBe('IVR');
    expect(speakerOf(' ', null)).toBe('UNKNOWN');
  });

  it('a transcript: blocks in time order (ms -> s), empty text dropped, summary and annotations read', () => {
    const analysis = mapAnalyzedTranscript(
      {
        transcriptBlocks: [
          { text: 'second', userType: 'CUSTOMER', voiceMetadata: { startTime: 4000, endTime: 6500, confidence: 0.7 } },
          { text: 'first', channelName: 'Agent', voiceMetadata: { startTime: 0, endTime: 3500 } },
          { text: '  ', userType: 'AGENT' },
        ],
        annotations: [
          { objectType: 'sentiment', type: 'END', value: 'positive', channelName: 'Customer' },
          { objectType: 'ENTITY', type: 'DATE', displayText: 'Monday' },
          { objectType: 'CATEGORY', categoryPath: 'Billing/Refund' },
          { objectType: 'SOMETHING_ELSE', value: 'ignored' },
        ],
        segmentSummary: { summary: 'S', primaryIntent: { topic: 'T' }, actions: [{ text: 'A' }, { score: 1 }], outcomes: [{ name: 'O' }] },
        unknownKey: true,
      },
      'seg-1',
      123,
    );
    expect(analysis.blocks.map((block) => [block.text, block.speaker, block.startSeconds, block.endSeconds])).toEqual([
      ['first', 'AGENT', 0, 3.5],
      ['second', 'CUSTOMER', 4, 6.5],
    ]);
    expect(analysis.analytics).toMatchObject({ summary: 'S', intent: 'T', actions: ['A'], outcomes: ['O'] });
    expect(analysis.analytics.channels).toEqual([{ channel: 'Customer', overall: null, begin: null, end: 'POSITIVE', frustration: null }]);
    expect(analysis.analytics.entities).toEqual([{ channel: null, text: 'Monday', type: 'DATE', sentiment: null }]);
    expect(analysis.analytics.categories[0]?.categoryHierarchy).toEqual(['Billing', 'Refund']);
    expect(analysis).toMatchObject({ analyzed: true, keepUntil: 123, segmentId: 'seg-1' });
  });

  it('an empty answer is "not analyzed"; a wrong type is an unreadable answer', () => {
    expect(mapAnalyzedTranscript({}, 's', 0).analyzed).toBe(false);
    expect(() => mapAnalyzedTranscript({ transcriptBlocks: 'nope' }, 's', 0)).toThrow(InvalidCxoneAnswer);
    expect(() => mapAnalyzedTranscript([], 's', 0)).toThrow(InvalidCxoneAnswer);
  });

  it('a listing page: rows joined by acdContactId, the next cursor from links.next, 204 an empty last page', () => {
    const page = mapAnalyzedSegments({
      totalRecords: 3,
      interactions: [
        { segmentId: 'a', acdContactId: 100000000001, startTime: '2024-11-05T10:00:00Z', channels: [{ name: 'Customer', endSentiment: { value: 'negative' } }] },
        { segmentId: 'b' },
        { segmentId: 'c', acdContactId: '12', segmentSummaryOutcomes: ['Resolved'], categoryMatches: [{ fullPaths: ['X/Y'] }] },
      ],
      links: { next: 'https://api.example/interaction-analytics-gateway/v2/segments/analyzed?cursor=40&pageSize=20' },
    });
    expect(page.segments.map((row) => row.acdContactId)).toEqual(['100000000001', '12']);
    expect(page.segments[0]?.startTime).toBe('2024-11-05T10:00:00.000Z');
    expect(page.segments[0]?.analytics.channels[0]?.end).toBe('NEGATIVE');
    expect(page.segments[1]?.analytics.outcomes).toEqual(['Resolved']);
    expect(page.nextCursor).toBe(40);
    expect(mapAnalyzedSegments({ totalRecords: 0, links: { next: 'https://x/?cursor=abc' } }).nextCursor).toBeNull();
    expect(mapAnalyzedSegments(null)).toEqual({ totalRecords: 0, segments: [], nextCursor: null });
  });
});
