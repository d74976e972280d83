import { describe, expect, it } from 'vitest';
import { documentedExpiry, earliestLinkExpiry, linkExpiry, signedExpiry } from '../../src/expiry.js';
import type { MediaUrlModel, RecordingModel, SegmentModel, StatementMediaModel } from '../../src/models.js';

const MINUTE = 60_000;
const answeredAt = Date.parse('2024-03-02T09:15:00.000Z');

function mediaUrl(expiresAt: string): MediaUrlModel {
  return { url: 'https://media.example/x.mp4', expiresAt, fileName: null, mediaType: 'voice-only' };
}

function segment(segmentId: string, link?: MediaUrlModel | null): SegmentModel {
  const base: SegmentModel = {
    segmentId,
    startTime: null,
    endTime: null,
    openReason: null,
    closeReason: null,
    direction: null,
    channelType: null,
    firstSegment: null,
    requestedMediaType: 'ALL',
  };
  return link === undefined ? base : { ...base, mediaUrl: link };
}

function recording(overrides: Partial<RecordingModel>): RecordingModel {
  return {
    acdContactId: '600012345678',
    contactId: null,
    requestedMediaType: 'ALL',
    startTime: null,
    endTime: null,
    durationSeconds: null,
    mediaUrl: null,
    screenUrl: null,
    transcript: null,
    segments: [],
    interactions: [],
    agents: [],
    sentiments: null,
    categories: null,
    tags: [],
    ...overrides,
  };
}

describe('documentedExpiry', () => {
  it('gives short calls 30 minutes', () => {
    expect(documentedExpiry(answeredAt, 600)).toBe(answeredAt + 30 * MINUTE);
  });

  it('gives a 2-hour call 2 hours', () => {
    expect(documentedExpiry(answeredAt, 7200)).toBe(answeredAt + 120 * MINUTE);
  });

  it('falls back to 30 minutes when the duration is unknown or nonsense', () => {
    expect(documentedExpiry(answeredAt, null)).toBe(answeredAt + 30 * MINUTE);
    expect(documentedExpiry(answeredAt, -5)).toBe(answeredAt + 30 * MINUTE);
    expect(documentedExpiry(answeredAt, Number.NaN)).toBe(answeredAt + 30 * MINUTE);
  });
});

describe('signedExpiry', () => {
  it('reads a CloudFront-style Expires in epoch seconds', () => {
    expect(signedExpiry('https://media.example/a.mp4?Expires=1709316000&Signature=abc&Key-Pair-Id=K1')).toBe(
      Date.parse('2024-03-01T18:00:00.000Z'),
    );
  });

  it('reads AWS SigV4 X-Amz-Date + X-Amz-Expires', () => {
    const url =
      'https://bucket.s3.us-west-2.amazonaws.com/a.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256' +
      '&X-Amz-Date=20240302T091500Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=abc';
    expect(signedExpiry(url)).toBe(answeredAt + 15 * MINUTE);
  });

  it('matches parameter names in any case', () => {
    expect(signedExpiry('https://m.example/a?x-amz-date=20240302T091500Z&X-AMZ-EXPIRES=60')).toBe(answeredAt + MINUTE);
    expect(signedExpiry('https://m.example/a?expires=1709316000')).toBe(Date.parse('2024-03-01T18:00:00.000Z'));
  });

  it('takes the earlier one when a link carries both', () => {
    expect(signedExpiry('https://m.example/a?Expires=1709316000&X-Amz-Date=20240302T091500Z&X-Amz-Expires=60')).toBe(
      Date.parse('2024-03-01T18:00:00.000Z'),
    );
  });

  it.each([
    ['no expiry', 'https://media.example/a.mp4?Signature=abc'],
    ['no query', 'https://media.example/a.mp4'],
    ['not a URL', 'not a url at all'],
    ['an empty string', ''],
    ['a non-numeric Expires', 'https://m.example/a?Expires=tomorrow'],
    ['a negative Expires', 'https://m.example/a?Expires=-1'],
    ['a fractional Expires', 'https://m.example/a?Expires=1709316000.5'],
    ['X-Amz-Date without X-Amz-Expires', 'https://m.example/a?X-Amz-Date=20240302T091500Z'],
    ['X-Amz-Expires without X-Amz-Date', 'https://m.example/a?X-Amz-Expires=900'],
    ['an extended-format X-Amz-Date', 'https://m.example/a?X-Amz-Date=2024-03-02T09:15:00Z&X-Amz-Expires=900'],
    ['an impossible X-Amz-Date', 'https://m.example/a?X-Amz-Date=20240231T091500Z&X-Amz-Expires=900'],
  ])('is null for %s', (_label, url) => {
    expect(signedExpiry(url)).toBeNull();
  });
});

describe('linkExpiry', () => {
  const sigV4 = 'https://b.s3.amazonaws.com/a.mp4?X-Amz-Date=20240302T091500Z&X-Amz-Expires=900&X-Amz-Signature=abc';

  it("lets a SigV4 link's 15 minutes win over CXone's 30", () => {
    expect(linkExpiry(sigV4, answeredAt, 600)).toBe(answeredAt + 15 * MINUTE);
  });

  it('follows the documented rule when the signed expiry is later', () => {
    expect(linkExpiry('https://m.example/a?Expires=1893456000', answeredAt, 7200)).toBe(answeredAt + 120 * MINUTE);
  });

  it('follows the documented rule when the link carries no expiry', () => {
    expect(linkExpiry('https://m.example/a.mp4?Signature=abc', answeredAt, null)).toBe(answeredAt + 30 * MINUTE);
  });
});

describe('earliestLinkExpiry', () => {
  it('is null for a model without links', () => {
    expect(earliestLinkExpiry(recording({}))).toBeNull();
    expect(earliestLinkExpiry(segment('s-1'))).toBeNull();
    expect(earliestLinkExpiry(segment('s-1', null))).toBeNull();
    const statement: StatementMediaModel = { acdContactId: '1', statementId: '2', mediaUrl: null };
    expect(earliestLinkExpiry(statement)).toBeNull();
  });

  it("finds the earliest across a recording's primary, screen, interaction and loaded segment links", () => {
    const model = recording({
      mediaUrl: mediaUrl('2024-03-02T11:00:00.000Z'),
      screenUrl: mediaUrl('2024-03-02T10:30:00.000Z'),
      interactions: [
        {
          kind: 'call',
          mediaType: 'voice-only',
          channelType: 'PHONE_CALL',
          startTime: null,
          endTime: null,
          mediaUrl: mediaUrl('2024-03-02T10:00:00.000Z'),
          participants: [],
          businessData: [],
        },
      ],
      segments: [segment('s-1'), segment('s-2', mediaUrl('2024-03-02T09:40:00.000Z')), segment('s-3', null)],
    });
    expect(earliestLinkExpiry(model)).toBe(Date.parse('2024-03-02T09:40:00.000Z'));
  });

  it("uses a segment's or a statement's own link", () => {
    expect(earliestLinkExpiry(segment('s-1', mediaUrl('2024-03-02T09:45:00.000Z')))).toBe(
      Date.parse('2024-03-02T09:45:00.000Z'),
    );
    const statement: StatementMediaModel = {
      acdContactId: '1',
      statementId: '2',
      mediaUrl: mediaUrl('2024-03-02T09:50:00.000Z'),
    };
    expect(earliestLinkExpiry(statement)).toBe(Date.parse('2024-03-02T09:50:00.000Z'));
  });
});
