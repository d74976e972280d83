/**
 * CXone's own UI pages for a recording: the player and the download page. They need a CXone login,
 * cost no API call and never expire, so the subgraph can always hand them out, even when the
 * media link itself cannot be loaded. Shapes follow NICE's documented player and download pages.
 * Ids are validated as digits upstream; encoding them is a second guard.
 */

/** `https://api-na1.niceincontact.com` style API hosts; the area is what the UI host is built from. */
const API_HOST = /^api-([a-z]+\d+)\.niceincontact\.com$/;

/** `https://na1.nice-incontact.com` style UI hosts (some NICE examples call the API on them). */
const UI_HOST = /^([a-z]+\d+)\.nice-incontact\.com$/;

/** The base without trailing slashes, so `{base}/player` never has a double slash. */
function trimBase(uiBase: string): string {
  return uiBase.trim().replace(/\/+$/, '');
}

/** The CXone player page for a whole contact: where a supervisor plays the call with its screen. */
export function playerUrl(uiBase: string, acdContactId: string): string {
  return `${trimBase(uiBase)}/player/#/cxone-player/acd-contacts/${encodeURIComponent(acdContactId)}`;
}

/** The CXone player page for one recorded statement of a contact. */
export function statementPlayerUrl(uiBase: string, acdContactId: string, statementId: string): string {
  return `${playerUrl(uiBase, acdContactId)}/statements/${encodeURIComponent(statementId)}`;
}

/** The CXone download page for a contact; `voiceOnly` asks for the audio without the screen. */
export function downloadUrl(uiBase: string, acdContactId: string, voiceOnly: boolean): string {
  const base = `${trimBase(uiBase)}/media-download/#/acd-contacts?acdContactId=${encodeURIComponent(acdContactId)}&isDownload=true`;
  return voiceOnly ? `${base}&mediaType=voice-only` : base;
}

/** The CXone download page for one recorded statement (statements are voice only). */
export function statementDownloadUrl(uiBase: string, acdContactId: string, statementId: string): string {
  return (
    `${trimBase(uiBase)}/media-download/#/acd-contacts/${encodeURIComponent(acdContactId)}` +
    `/statements/${encodeURIComponent(statementId)}?isDownload=true&mediaType=voice-only`
  );
}

/**
 * The UI base for an API base, so `CXONE_UI_URL` can default to the tenant's area:
 * `https://api-na1.niceincontact.com` -> `https://na1.nice-incontact.com`. Null when the host has
 * no recognisable area (a simulator, a proxy): the caller must then be configured explicitly.
 */
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
