import { describe, expect, it } from 'vitest';
import {
  downloadUrl,
  playerUrl,
  statementDownloadUrl,
  statementPlayerUrl,
  uiBaseFromApiBase,
} from '../../src/ui-links.js';

const base = 'https://na1.nice-incontact.com';

describe('CXone UI links', () => {
  it('builds the player page', () => {
    expect(playerUrl(base, '600012345678')).toBe(
      'https://na1.nice-incontact.com/player/#/cxone-player/acd-contacts/600012345678',
    );
  });

  it('builds the statement player page', () => {
    expect(statementPlayerUrl(base, '600012345678', '4242')).toBe(
      'https://na1.nice-incontact.com/player/#/cxone-player/acd-contacts/600012345678/statements/4242',
    );
  });

  it('builds the download page, with and without voice only', () => {
    expect(downloadUrl(base, '600012345678', false)).toBe(
      'https://na1.nice-incontact.com/media-download/#/acd-contacts?acdContactId=600012345678&isDownload=true',
    );
    expect(downloadUrl(base, '600012345678', true)).toBe(
      'https://na1.nice-incontact.com/media-download/#/acd-contacts?acdContactId=600012345678&isDownload=true&mediaType=voice-only',
    );
  });

  it('builds the statement download page', () => {
    expect(statementDownloadUrl(base, '600012345678', '4242')).toBe(
      'https://na1.nice-incontact.com/media-download/#/acd-contacts/600012345678/statements/4242?isDownload=true&mediaType=voice-only',
    );
  });

  it('tolerates trailing slashes on the base', () => {
    expect(playerUrl('https://eu1.nice-incontact.com/', '1')).toBe(
      'https://eu1.nice-incontact.com/player/#/cxone-player/acd-contacts/1',
    );
    expect(downloadUrl('https://eu1.nice-incontact.com//', '1', false)).toBe(
      'https://eu1.nice-incontact.com/media-download/#/acd-contacts?acdContactId=1&isDownload=true',
    );
  });
});

describe('uiBaseFromApiBase', () => {
  it.each([
    ['https://api-na1.niceincontact.com', 'https://na1.nice-incontact.com'],
    ['https://api-eu1.niceincontact.com/', 'https://eu1.nice-incontact.com'],
    ['https://api-au1.niceincontact.com/media-playback/v1', 'https://au1.nice-incontact.com'],
    ['HTTPS://API-UK1.NICEINCONTACT.COM', 'https://uk1.nice-incontact.com'],
    ['api-jp1.niceincontact.com', 'https://jp1.nice-incontact.com'],
    ['https://na1.nice-incontact.com/media-playback/v1', 'https://na1.nice-incontact.com'],
  ])('derives the UI host from %s', (apiBase, expected) => {
    expect(uiBaseFromApiBase(apiBase)).toBe(expected);
  });

  it.each([
    ['a simulator', 'http://127.0.0.1:4010'],
    ['another host', 'https://api.example.com'],
    ['a look-alike domain', 'https://api-na1.niceincontact.com.evil.example'],
    ['garbage', '::not a url::'],
    ['an empty string', ''],
  ])('is null for %s', (_label, apiBase) => {
    expect(uiBaseFromApiBase(apiBase)).toBeNull();
  });
});
