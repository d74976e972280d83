/**
 * The simulator against NICE's published API: every answer it gives (playback, reporting, token,
 * refresh, discovery, tenant configuration, errors) is parsed with the same zod schemas the client
 * reads CXone with, on both variants. A simulator that drifts from the spec turns this red; so does
 * a schema that stops describing what the simulator sends, since both come from the spec.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ManualClock } from '../../src/clock.js';
import {
  cxoneConfigurationSchema,
  oauthTokenAnswerSchema,
  openIdConfigurationSchema,
  readTokenAnswer,
  sessionRefreshAnswerSchema,
} from '../../src/cxone/auth-wire.js';
import { contactAnswerSchema, errorAnswerSchema, mismatchedPaths } from '../../src/cxone/playback-wire.js';
import { completedContactRowSchema, completedContactsAnswerSchema, mapCompletedContactsAnswer } from '../../src/cxone/reporting-wire.js';
import { DEFAULT_SIM_CREDENTIALS, SEEDED, SIMULATOR_VARIANTS, bulkContactId, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';

const MEDIA_TYPES = ['all', 'voice-only', 'voice-and-screen', 'chat', 'email'] as const;
const CONTACTS = [
  SEEDED.voice,
  SEEDED.voiceAndScreen,
  SEEDED.chat,
  SEEDED.digitalChat,
  SEEDED.email,
  SEEDED.transferred,
  SEEDED.longCall,
  SEEDED.quirky,
  SEEDED.archivedContact,
  bulkContactId(1),
  bulkContactId(500),
];

/** Every strict mismatch, as `what: paths`, so a failure names the field. */
function expectShape(schema: z.ZodType, body: unknown, what: string): void {
  expect({ what, mismatches: mismatchedPaths(schema, body) }).toEqual({ what, mismatches: [] });
}

describe.each(SIMULATOR_VARIANTS)('the %s simulator speaks the published API', (variant) => {
  let sim: RunningSimulator;
  let token: string;
  const clock = new ManualClock();

  async function get(path: string, auth: string | null = token): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${sim.url}${path}`, { headers: auth === null ? {} : { authorization: `Bearer ${auth}` } });
    const text = await response.text();
    return { status: response.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
  }

  async function post(path: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${sim.url}${path}`, { method: 'POST', headers, body });
    return { status: response.status, body: (await response.json()) as unknown };
  }

  beforeAll(async () => {
    sim = await startSimulator({ clock, variant, processingPolls: 0 });
    token = await sim.mintToken();
  });
  afterAll(async () => {
    await sim.close();
  });

  it('contacts, for every seeded kind and media type, with and without isDownload', async () => {
    let answered = 0;
    for (const id of CONTACTS) {
      for (const mediaType of MEDIA_TYPES) {
        for (const isDownload of ['false', 'true']) {
          const { status, body } = await get(`/media-playback/v1/contacts?acd-call-id=${id}&media-type=${mediaType}&exclude-waveforms=true&isDownload=${isDownload}`);
          if (status === 200) {
            answered += 1;
            expectShape(contactAnswerSchema, body, `contacts ${id} ${mediaType} isDownload=${isDownload}`);
          } else {
            expectShape(errorAnswerSchema, body, `contacts ${id} ${mediaType} error ${String(status)}`);
          }
        }
      }
    }
    expect(answered).toBeGreaterThan(CONTACTS.length);
  });

  it('segments and statements', async () => {
    const { body } = await get(`/media-playback/v1/contacts?acd-call-id=${SEEDED.transferred}`);
    const segmentIds = JSON.stringify(body).match(/"segmentId":"([^"]+)"/g)?.map((match) => match.slice('"segmentId":"'.length, -1)) ?? [];
    expect(segmentIds.length).toBeGreaterThan(0);
    for (const segmentId of [...new Set(segmentIds), SEEDED.archivedSegment]) {
      const answer = await get(`/media-playback/v1/segments/${segmentId}?exclude-waveforms=true`);
      expectShape(answer.status === 200 ? contactAnswerSchema : errorAnswerSchema, answer.body, `segment ${segmentId}`);
    }
    for (const statementId of [SEEDED.voiceStatement, SEEDED.voiceStatement2, '9999']) {
      const answer = await get(`/media-playback/v1/acd-contacts/${SEEDED.voice}/statements/${statementId}`);
      expectShape(answer.status === 200 ? contactAnswerSchema : errorAnswerSchema, answer.body, `statement ${statementId}`);
    }
  });

  it('the completed contacts report: every row readable under its generation\'s names, 204 when empty, errors', async () => {
    let rows = 0;
    for (const [from, to] of [
      ['2024-03-04T00:00:00.000Z', '2024-03-11T00:00:00.000Z'],
      ['2024-05-01T00:00:00.000Z', '2024-05-15T00:00:00.000Z'],
      [new Date(clock.now() - 86_400_000).toISOString(), new Date(clock.now()).toISOString()],
    ] as const) {
      const { status, body } = await get(`/incontactapi/services/v30.0/contacts/completed?startDate=${from}&endDate=${to}&top=10000&orderBy=contactId%20asc`);
      expect(status).toBe(200);
      expectShape(completedContactsAnswerSchema, body, `report ${from}`);
      const list = (body as { completedContacts: unknown[] }).completedContacts;
      for (const row of list) expectShape(completedContactRowSchema, row, `report row of ${from}`);
      const mapped = mapCompletedContactsAnswer(body);
      expect(mapped.unreadable).toEqual([]);
      rows += mapped.page.contacts.length;
      // Each generation's own names, and not the other's.
      const names = new Set(list.flatMap((row) => Object.keys(row as object)));
      const own = variant === 'published' ? ['contactStartDate', 'mediaTypeId', 'acwSeconds', 'fromAddress', 'divisionNo'] : ['contactStart', 'mediaType', 'ACWSeconds', 'fromAddr'];
      const other = variant === 'published' ? ['contactStart', 'mediaType', 'ACWSeconds', 'fromAddr'] : ['contactStartDate', 'acwSeconds', 'fromAddress', 'divisionNo'];
      for (const name of own) expect(names).toContain(name);
      for (const name of other) expect(names).not.toContain(name);
    }
    expect(rows).toBeGreaterThan(100);
    expect((await get('/incontactapi/services/v30.0/contacts/completed?startDate=2023-01-01T00:00:00Z&endDate=2023-01-02T00:00:00Z')).status).toBe(204);
    const refused = await get('/incontactapi/services/v30.0/contacts/completed?startDate=2024-01-01T00:00:00Z');
    expect(refused.status).toBe(400);
    expectShape(errorAnswerSchema, refused.body, 'report error');
  });

  it('discovery and the tenant configuration', async () => {
    const openid = await get('/.well-known/openid-configuration', null);
    expectShape(openIdConfigurationSchema, openid.body, 'openid-configuration');
    expect((openid.body as { token_endpoint_auth_methods_supported: string[] }).token_endpoint_auth_methods_supported).toEqual([
      'client_secret_basic',
      'client_secret_post',
    ]);
    const tenant = await get('/.well-known/cxone-configuration?tenantId=sim-tenant-0001', null);
    expectShape(cxoneConfigurationSchema, tenant.body, 'cxone-configuration');
    // The fields the spec's getCXoneConfig marks required, and the ones the subgraph reads.
    for (const field of ['private', 'domain', 'uhDomain', 'area', 'api_endpoint', 'ui_endpoint', 'auth_endpoint', 'tenantId']) expect(tenant.body).toHaveProperty(field);
  });

  it('logins answer the OAuth shape; the session refresh answers the published {token, ...} shape (legacy: the OAuth one)', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const basic = `Basic ${Buffer.from(`${DEFAULT_SIM_CREDENTIALS.clientId}:${DEFAULT_SIM_CREDENTIALS.clientSecret}`).toString('base64')}`;
    const password = new URLSearchParams({ grant_type: 'password', username: DEFAULT_SIM_CREDENTIALS.accessKeyId, password: DEFAULT_SIM_CREDENTIALS.accessKeySecret });
    for (const request of [
      { headers: { ...form, authorization: basic }, body: password.toString() },
      {
        headers: form,
        body: new URLSearchParams({ ...Object.fromEntries(password), client_id: DEFAULT_SIM_CREDENTIALS.clientId, client_secret: DEFAULT_SIM_CREDENTIALS.clientSecret }).toString(),
      },
    ]) {
      const granted = await post('/auth/token', request.body, request.headers);
      expect(granted.status).toBe(200);
      expectShape(oauthTokenAnswerSchema, granted.body, 'password grant');
    }
    const json = { 'content-type': 'application/json' };
    const login = await post(
      '/authentication/v1/token/access-key',
      JSON.stringify({ accessKeyId: DEFAULT_SIM_CREDENTIALS.accessKeyId, accessKeySecret: DEFAULT_SIM_CREDENTIALS.accessKeySecret }),
      json,
    );
    expectShape(oauthTokenAnswerSchema, login.body, 'access-key login');
    const refreshToken = (login.body as { refresh_token: string }).refresh_token;
    const refreshed = await post('/public/user/refresh', JSON.stringify({ token: refreshToken }), json);
    expect(refreshed.status).toBe(200);
    if (variant === 'published') {
      expectShape(sessionRefreshAnswerSchema, refreshed.body, 'session refresh');
      expect(refreshed.body).toHaveProperty('token');
      expect(refreshed.body).not.toHaveProperty('access_token');
    } else {
      expectShape(oauthTokenAnswerSchema, refreshed.body, 'session refresh (legacy)');
    }
    // The client reads it, whichever shape, with a lifetime near the token's hour.
    const read = readTokenAnswer(refreshed.body, clock.now());
    expect(read?.accessToken).toMatch(/^ey/);
    expect(read?.expiresInSeconds).toBeGreaterThan(3500);
    expect(read?.expiresInSeconds).toBeLessThanOrEqual(3600);
  });

  it('errors carry {internalCode, message} and icStatusDescription', async () => {
    const unauthorized = await fetch(`${sim.url}/media-playback/v1/contacts?acd-call-id=${SEEDED.voice}`);
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get('icstatusdescription')).toBeTruthy();
    expectShape(errorAnswerSchema, await unauthorized.json(), '401');
  });
});

describe('the schemas catch drift', () => {
  it.each([
    ['a report row with the start as a number', completedContactRowSchema, { contactId: 1, contactStartDate: 1_700_000_000 }, ['contactStartDate']],
    ['a report whose list is an object', completedContactsAnswerSchema, { completedContacts: { rows: [] } }, ['completedContacts']],
    ['interactions that are not a list', contactAnswerSchema, { interactions: { mediaType: 'voice-only' } }, ['interactions']],
    ['a segment flag as a string', contactAnswerSchema, { interactions: [{ data: { segmentsDataList: [{ firstSegment: 'yes' }] } }] }, ['interactions.[].data.segmentsDataList.[].firstSegment']],
    ['a refresh answer with a numeric token', sessionRefreshAnswerSchema, { token: 42 }, ['token']],
    ['discovery with a string of auth methods', openIdConfigurationSchema, { token_endpoint_auth_methods_supported: 'client_secret_post' }, ['token_endpoint_auth_methods_supported']],
  ] as const)('%s', (_name, schema, body, paths) => {
    expect(mismatchedPaths(schema, body)).toEqual(paths);
  });
});
