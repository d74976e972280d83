/**
 * CXone's Reporting API, the completed contacts report: where a reporting user's "yesterday's calls
 * of agent X" becomes ACD contact ids. One page is one logical call through the same client stack
 * as the Media Playback calls (auth, budget, resilience, transport); the wire shapes and their
 * mapping live in reporting-wire.ts.
 */
import type { CompletedContactsPage, CompletedContactsQuery } from '../models.js';
import type { CxoneHttpClient } from './client.js';
import type { CallScope, CxoneReportingApi } from './ports.js';
import { mapCompletedContactsAnswer } from './reporting-wire.js';

/** Options of `CxoneReportingClient`. */
export interface ReportingClientOptions {
  /** The client whose stack every page goes through. */
  readonly client: Pick<CxoneHttpClient, 'send'>;
  /** e.g. `v30.0`: the `incontactapi/services` version the tenant serves. */
  readonly apiVersion: string;
}

/** `CxoneReportingApi` over the shared CXone client. One per process; it holds no state. */
export class CxoneReportingClient implements CxoneReportingApi {
  private readonly root: string;

  constructor(private readonly options: ReportingClientOptions) {
    this.root = `/incontactapi/services/${encodeURIComponent(options.apiVersion)}`;
  }

  /**
   * `GET {api}/incontactapi/services/v{N}/contacts/completed`. Ordered by start so `skip` walks a
   * stable list: contacts completing meanwhile are inserted, never removed, so a page can only
   * repeat rows of the page before (the resolver drops those), never lose one.
   */
  getCompletedContacts(query: CompletedContactsQuery, scope: CallScope): Promise<CompletedContactsPage> {
    const params = new URLSearchParams({
      startDate: query.from,
      endDate: query.to,
      top: String(query.top),
      skip: String(query.skip),
      orderBy: 'contactStart asc',
    });
    if (query.agentId !== null) params.set('agentId', query.agentId);
    if (query.skillId !== null) params.set('skillId', query.skillId);
    if (query.mediaTypeId !== null) params.set('mediaTypeId', String(query.mediaTypeId));
    return this.options.client.send(
      {
        endpoint: 'completed-contacts',
        resource: { kind: 'completed-contacts' },
        root: this.root,
        path: '/contacts/completed',
        query: params,
        acceptNoContent: true,
      },
      // Reporting is bulk work: it yields to contact pages when the tenant's budget is tight.
      { ...scope, priority: 'bulk' },
      (body) => mapCompletedContactsAnswer(body),
    );
  }
}
