/**
 * "Our reports": the store's bug reports and feature requests as the console
 * knows them (its own records and the desk's triage that came back through
 * the feed), with the desk's store-visible comments and the store's replies.
 * Read from the console's tables only, so it works offline. A reply is one
 * `feedback.reply.added` event.
 */
import { AppError } from '../../shared/errors.ts';
import type {
  BugReportStatus,
  FeatureRequestStatus,
  FeedbackComment,
  OurBugReport,
  OurFeatureRequest,
  StoredSeverity,
} from '../../shared/feedback/types.ts';
import type { Journal } from '../audit/journal.ts';
import type { Actor } from '../checklists/service.ts';
import type { Db } from '../db/open.ts';
import { withAttachmentProblems } from './attachmentProblems.ts';
import { recordFeedbackEvent } from './record.ts';

const LIMIT = 500;

export type OurReports = { reports: OurBugReport[]; requests: OurFeatureRequest[] };

export type OurReportsService = {
  list(actor: Actor): OurReports;
  reply(
    input: { reportId?: string | undefined; requestId?: string | undefined; text: string },
    actor: Actor,
  ): OurReports;
};

export function createOurReportsService(deps: {
  db: Db;
  journal: Journal;
  deviceStoreId: () => string | null;
}): OurReportsService {
  const { db, journal } = deps;

  /** The stores whose reports this console shows: its enrolled store, else the person's stores (all when none). */
  function storesOf(actor: Actor): string[] | null {
    const device = deps.deviceStoreId();
    if (device !== null) return [device];
    return actor.storeIds.length > 0 ? [...actor.storeIds] : null;
  }

  function commentsOf(targetIds: string[]): Map<string, FeedbackComment[]> {
    const out = new Map<string, FeedbackComment[]>();
    if (targetIds.length === 0) return out;
    const rows = db.sqlite
      .prepare(
        `SELECT c.event_id AS id, c.target_id AS targetId, coalesce(u.name, c.author) AS author,
           c.author_role AS role, c.text, c.at FROM feedback_comments c
         LEFT JOIN users u ON u.id = c.author
         WHERE c.visibility = 'store' AND c.target_id IN (SELECT value FROM json_each(?))
         ORDER BY c.at, c.event_id`,
      )
      .all(JSON.stringify(targetIds)) as Array<{
      id: string;
      targetId: string;
      author: string;
      role: string;
      text: string;
      at: string;
    }>;
    for (const r of rows) {
      const list = out.get(r.targetId) ?? [];
      list.push({
        id: r.id,
        author: r.author,
        isFromStore: r.role !== 'support' && r.role !== 'admin',
        text: r.text,
        at: r.at,
      });
      out.set(r.targetId, list);
    }
    return out;
  }

  function list(actor: Actor): OurReports {
    const stores = storesOf(actor);
    const scope = (alias: string) =>
      stores === null ? '1 = 1' : `${alias}.store_id IN (SELECT value FROM json_each(?))`;
    const args = stores === null ? [] : [JSON.stringify(stores)];
    const reports = db.sqlite
      .prepare(
        `SELECT b.id, b.title, b.status, b.severity, b.severity_set AS severitySet, b.store_id AS storeId,
           t.name AS terminalName, coalesce(r.version, b.fixed_in) AS fixedIn, b.duplicate_of AS duplicateOf,
           b.reported_at AS reportedAt, coalesce(b.updated_at, b.reported_at) AS updatedAt
         FROM bug_reports b LEFT JOIN terminals t ON t.id = b.terminal_id
         LEFT JOIN releases r ON r.id = b.fixed_in
         WHERE ${scope('b')} AND b.status <> 'discarded'
         ORDER BY coalesce(b.updated_at, b.reported_at) DESC, b.id DESC LIMIT ${LIMIT}`,
      )
      .all(...args) as Array<{
      id: string;
      title: string;
      status: BugReportStatus;
      severity: StoredSeverity;
      severitySet: StoredSeverity | null;
      storeId: string;
      terminalName: string | null;
      fixedIn: string | null;
      duplicateOf: string | null;
      reportedAt: string;
      updatedAt: string;
    }>;
    // The store's own requests, then the other stores' requests it voted for (as last fetched).
    const requests = db.sqlite
      .prepare(
        `SELECT f.id AS id, f.title, f.category, f.status, coalesce(r.version, f.planned_for) AS plannedFor,
           max((SELECT count(*) FROM feature_request_votes v WHERE v.request_id = f.id), coalesce(c.votes, 0)) AS votes,
           f.filed_at AS filedAt, 1 AS isFiledByUs, f.updated_at AS sortAt
         FROM feature_requests f LEFT JOIN releases r ON r.id = f.planned_for
         LEFT JOIN chain_feature_requests c ON c.id = f.id
         WHERE ${scope('f')}
         UNION ALL
         SELECT c.id AS id, c.title, c.category, c.status, coalesce(r.version, c.planned_for) AS plannedFor,
           c.votes + (NOT c.has_our_vote) AS votes, min(v.voted_at) AS filedAt, 0 AS isFiledByUs,
           max(c.updated_at, min(v.voted_at)) AS sortAt
         FROM feature_request_votes v JOIN chain_feature_requests c ON c.id = v.request_id
         LEFT JOIN releases r ON r.id = c.planned_for
         WHERE ${scope('v')} AND NOT EXISTS (SELECT 1 FROM feature_requests f WHERE f.id = v.request_id)
         GROUP BY c.id
         ORDER BY sortAt DESC, id DESC LIMIT ${LIMIT}`,
      )
      .all(...args, ...args) as Array<
      Omit<OurFeatureRequest, 'comments' | 'isFiledByUs'> & {
        status: FeatureRequestStatus;
        isFiledByUs: number;
        sortAt: string;
      }
    >;
    const comments = commentsOf([...reports.map((r) => r.id), ...requests.map((r) => r.id)]);
    return {
      reports: reports.map(({ severitySet, ...r }) => ({
        ...r,
        severity: severitySet ?? r.severity,
        isSeverityTriaged: severitySet !== null,
        comments: comments.get(r.id) ?? [],
      })),
      requests: requests.map(({ sortAt: _sortAt, ...r }) => ({
        ...r,
        isFiledByUs: r.isFiledByUs === 1,
        comments: comments.get(r.id) ?? [],
      })),
    };
  }

  return {
    list: (actor) => withAttachmentProblems(db, list(actor)),
    reply(input, actor) {
      const target = input.reportId ?? input.requestId;
      if (target === undefined || (input.reportId !== undefined && input.requestId !== undefined))
        throw new AppError(
          'invalid_input',
          'Reply to one report or one request. Nothing was sent.',
        );
      const table = input.reportId !== undefined ? 'bug_reports' : 'feature_requests';
      const row = db.sqlite
        .prepare(`SELECT store_id AS storeId FROM ${table} WHERE id = ?`)
        .get(target) as { storeId: string } | undefined;
      if (!row)
        throw new AppError('not_found', 'This report is not on this console. Nothing was sent.');
      if (actor.storeIds.length > 0 && !actor.storeIds.includes(row.storeId))
        throw new AppError(
          'forbidden',
          'You are not assigned to this store, so you cannot answer for it.',
        );
      recordFeedbackEvent(db, journal, {
        type: 'feedback.reply.added',
        storeId: row.storeId,
        actor: { userId: actor.session.user.id, role: actor.session.user.role },
        payload:
          input.reportId !== undefined
            ? { reportId: input.reportId, text: input.text }
            : { requestId: target, text: input.text },
      });
      return withAttachmentProblems(db, list(actor));
    },
  };
}
