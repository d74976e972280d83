/** CXone's completed contacts report: where "yesterday's calls of agent X" becomes ACD contact ids. */
import { firstSighting, type Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { CompletedContactsPage, CompletedContactsQuery } from '../models.js';
import type { CxoneHttpClient } from './client.js';
import type { CallScope, CxoneReportingApi } from './ports.js';
import { mapCompletedContactsAnswer, REPORTING_MEDIA_TYPE_IDS, type UnreadableRow } from './reporting-wire.js';

interface ReportingClientOptions {
  readonly client: Pick<CxoneHttpClient, 'send'>;
  /** e.g. `v30.0`: the `incontactapi/services` version the tenant serves. */
  readonly apiVersion: string;
  readonly metrics: Pick<Metrics, 'unreadableRows'>;
  readonly logger: Logger;
}


/** `CxoneReportingApi` over the shared CXone client. One per process. */
export class CxoneReportingClient implements CxoneReportingApi {
  /** Distinct unreadable row shapes logged per process; past 100, only the metric counts. */
  private readonly firstShape = firstSighting(100);

  constructor(private readonly options: ReportingClientOptions) {}

  /**
   * `GET {api}/incontactapi/services/v{N}/contacts/completed`, ordered by contact id: both generations
   * name it alike (a field one lacks is refused), and contacts completing meanwhile are inserted, never
   * removed, so `skip` can only repeat rows of the page before (the resolver drops those), never lose one.
   */
  getCompletedContacts(query: CompletedContactsQuery, scope: CallScope): Promise<CompletedContactsPage> {
    const params = new URLSearchParams({
      startDate: query.from,
      endDate: query.to,
      top: String(query.top),
      skip: String(query.skip),
      orderBy: 'contactId asc',
    });
    if (query.agentId !== null) params.set('agentId', query.agentId);
    if (query.skillId !== null) params.set('skillId', query.skillId);
    if (query.mediaType !== null) params.set('mediaTypeId', String(REPORTING_MEDIA_TYPE_IDS[query.mediaType]));
    return this.options.client.send(
      {
        endpoint: 'completed-contacts',
        resource: { kind: 'completed-contacts' },
        root: `/incontactapi/services/${encodeURIComponent(this.options.apiVersion)}`,
        path: '/contacts/completed',
        query: params,
        acceptNoContent: true,
      },
      // Reporting is bulk work: it yields to contact pages when the tenant's budget is tight.
      { ...scope, priority: 'bulk' },
      (body) => {
        const { page, unreadable } = mapCompletedContactsAnswer(body);
        if (unreadable.length > 0) this.report(unreadable);
        return page;
      },
    );
  }

  /** Counts every unreadable row; logs each shape (its field names, never values) once. */
  private report(rows: readonly UnreadableRow[]): void {
    this.options.metrics.unreadableRows.inc({ endpoint: 'completed-contacts' }, rows.length);
    for (const row of rows) {
      if (!this.firstShape(`${row.fields.join(',')}|${row.problems.join(',')}`)) continue;
      this.options.logger.warn(
        { endpoint: 'completed-contacts', fields: row.fields, problems: row.problems },
        'CXone row unreadable: left out of the page (report it with these field names)',
      );
    }
  }
}
