/** CXone's player and download pages: a login is needed, no API call, no expiry, so they are always handed out. */

/** `https://api-na1.niceincontact.com` style API hosts; the area is what the UI host is built from. */
const API_HOST = /^api-([a-z]+\d+)\.niceincontact\.com$/;

/** `https://na1.nice-incontact.com` style UI hosts (some NICE examples call the API on them). */
const UI_HOST = /^([a-z]+\d+)\.nice-incontact\.com$/;

function trimBase(uiBase: string): string {
  return uiBase.trim().replace(/\/+$/, '');
}

export function playerUrl(uiBase: string, acdContactId: string): string {
  return `${trimBase(uiBase)}/player/#/cxone-player/acd-contacts/${encodeURIComponent(acdContactId)}`;
}

export function statementPlayerUrl(uiBase: string, acdContactId: string, statementId: string): string {
  return `${playerUrl(uiBase, acdContactId)}/statements/${encodeURIComponent(statementId)}`;
}

export function downloadUrl(uiBase: string, acdContactId: string, voiceOnly: boolean): string {
  const base = `${trimBase(uiBase)}/media-download/#/acd-contacts?acdContactId=${encodeURIComponent(acdContactId)}&isDownload=true`;
  return voiceOnly ? `${base}&mediaType=voice-only` : base;
}

/** Statements are voice only. */
export function statementDownloadUrl(uiBase: string, acdContactId: string, statementId: string): string {
  return (
    `${trimBase(uiBase)}/media-download/#/acd-contacts/${encodeURIComponent(acdContactId)}` +
    `/statements/${encodeURIComponent(statementId)}?isDownload=true&mediaType=voice-only`
  );
}

/** `https://api-na1.niceincontact.com` -> `https://na1.nice-incontact.com`; null without a recognisable area. */
export function uiBaseFromApiBase(apiBase: string): string | null {
  const trimmed = apiBase.trim();
  // A bare host ("api-eu1.niceincontact.com") is read as https, the only scheme CXone serves.
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let host: string;
  try {
    host = new URL(withScheme).hostname.toLowerCase();
  } catch {
    return null;
  }
  const area = API_HOST.exec(host)?.[1] ?? UI_HOST.exec(host)?.[1];
  // An API base already on the UI host (as in some NICE examples) is its own UI base.
  return area === undefined ? null : `https://${area}.nice-incontact.com`;
}
