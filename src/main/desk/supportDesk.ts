/**
 * The console as a support desk: the inbox, a report's detail and the
 * feature requests are read from the central read models with the desk token
 * (nothing is copied whole: a page at a time, filtered and searched by the
 * server); a triage action is sent as the signed-in user, and the server
 * records it in the central log. Saved inbox views stay on this console.
 */
import {
  deskFeedbackActionResult,
  inboxPage,
  reportAttachmentFile,
  reportDetail,
  requestsPage,
  type DeskFeedbackActionResult,
  type InboxPage,
  type InboxQuery,
  type ReportAttachmentFile,
  type ReportDetail,
  type RequestsPage,
  type RequestsQuery,
  type TriageAction,
} from '../../shared/feedback/deskProtocol.ts';
import type { SupportDeskView } from '../../shared/contract/supportDesk.ts';
import type { Db } from '../db/open.ts';
import type { DeskService } from './service.ts';

export type SupportDeskService = ReturnType<typeof createSupportDeskService>;

/** A query string of the defined values (the server reads and checks each one). */
function queryString(query: object): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query))
    if ((typeof v === 'string' && v !== '') || typeof v === 'number') params.set(k, String(v));
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

export function createSupportDeskService(deps: {
  db: Db;
  desk: Pick<DeskService, 'request'>;
  now: () => Date;
}) {
  const { db, desk, now } = deps;

  async function reports(query: InboxQuery): Promise<InboxPage> {
    return inboxPage.parse(await desk.request(`/v1/desk/feedback/reports${queryString(query)}`));
  }

  async function report(input: { id: string }): Promise<ReportDetail> {
    return reportDetail.parse(
      await desk.request(`/v1/desk/feedback/reports/${encodeURIComponent(input.id)}`),
    );
  }

  async function attachment(input: {
    reportId: string;
    sha256: string;
  }): Promise<ReportAttachmentFile> {
    return reportAttachmentFile.parse(
      await desk.request(
        `/v1/desk/feedback/reports/${encodeURIComponent(input.reportId)}/attachments/${input.sha256}/inline`,
      ),
    );
  }

  async function requests(query: RequestsQuery): Promise<RequestsPage> {
    return requestsPage.parse(
      await desk.request(`/v1/desk/feedback/requests${queryString(query)}`),
    );
  }

  /** `actedBy` is the signed-in user; the server checks them against the catalog. */
  async function act(action: TriageAction, actedBy: string): Promise<DeskFeedbackActionResult> {
    return deskFeedbackActionResult.parse(
      await desk.request('/v1/desk/feedback/actions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ actedBy, action }),
      }),
    );
  }

  function views(): SupportDeskView[] {
    const rows = db.sqlite
      .prepare('SELECT name, filters, saved_at FROM support_desk_views ORDER BY name')
      .all() as Array<{ name: string; filters: string; saved_at: string }>;
    return rows.map((r) => ({
      name: r.name,
      filters: JSON.parse(r.filters) as Record<string, string>,
      savedAt: r.saved_at,
    }));
  }

  function saveView(input: { name: string; filters: Record<string, string | undefined> }) {
    const filters: Record<string, string> = {};
    for (const [k, v] of Object.entries(input.filters))
      if (v !== undefined && v !== '') filters[k] = v;
    db.sqlite
      .prepare(
        `INSERT INTO support_desk_views (name, filters, saved_at) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET filters = excluded.filters, saved_at = excluded.saved_at`,
      )
      .run(input.name, JSON.stringify(filters), now().toISOString());
    return views();
  }

  function deleteView(input: { name: string }) {
    db.sqlite.prepare('DELETE FROM support_desk_views WHERE name = ?').run(input.name);
    return views();
  }

  return { reports, report, attachment, requests, act, views, saveView, deleteView };
}
