import { describe, expect, it } from 'vitest';
import { hashToken } from '../../src/credential.js';
import { redactUrl } from '../../src/cxone/redact.js';

describe('redactUrl', () => {
  it('keeps scheme, host and path of a signed link and hides its query', () => {
    const url =
      'https://cxone-recordings-na1.s3.us-west-2.amazonaws.com/tenant-4711/600012345679/combined.mp4' +
      '?X-Amz-Date=20240302T091500Z&X-Amz-Expires=900&X-Amz-Signature=5d672d79c15b';
    const redacted = redactUrl(url);
    expect(redacted).toBe(
      'https://cxone-recordings-na1.s3.us-west-2.amazonaws.com/tenant-4711/600012345679/combined.mp4?[redacted]',
    );
    expect(redacted).not.toContain('5d672d79c15b');
  });

  it('leaves a URL without a query as it is', () => {
    expect(redactUrl('https://api-na1.niceincontact.com/media-playback/v1/segments/seg-1')).toBe(
      'https://api-na1.niceincontact.com/media-playback/v1/segments/seg-1',
    );
  });

  it('keeps the port and drops user info and fragment', () => {
    expect(redactUrl('http://user:pa55@127.0.0.1:4010/media/a.mp4?token=t#frag')).toBe(
      'http://127.0.0.1:4010/media/a.mp4?[redacted]',
    );
  });

  it('redacts a path-only request URL', () => {
    expect(redactUrl('/media-playback/v1/contacts?acd-call-id=600012345678&media-type=all')).toBe(
      '/media-playback/v1/contacts?[redacted]',
    );
  });

  it.each(['', 'not a url', 'eyJhbGciOiJIUzI1NiJ9.secret.sig', 'http://', '//no-scheme/x?y=1'])(
    'never throws or echoes garbage input (%s)',
    (input) => {
      expect(redactUrl(input)).toBe('[invalid url]');
    },
  );
});

describe('hashToken', () => {
  it('is the sha256 hex of the full token', () => {
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('tells tokens apart that share a prefix (no truncation)', () => {
    const a = hashToken(`${'x'.repeat(4096)}a`);
    const b = hashToken(`${'x'.repeat(4096)}b`);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });
});
