/**
 * Draft bug reports filed from a failed (or blocked) checklist item, with the
 * context filled in from the run: release, store, terminal, item, the answer
 * and its evidence. One journal event each; the feedback feature (triage,
 * support) will build on these records.
 */
import { v7 as uuidv7 } from 'uuid';
import { describeAnswer } from '../../shared/checklists/answers.ts';
import type {
  BugReport,
  BugSeverity,
  BugReportStatus,
  StoredSeverity,
} from '../../shared/feedback/types.ts';
import { AppError } from '../../shared/errors.ts';
import type { Role } from '../../shared/domain/roles.ts';
import type { Journal } from '../audit/journal.ts';
import type { Db } from '../db/open.ts';
import { applyChecklistEvent, CHECKLIST_PROJECTION_TABLES } from '../checklists/projection.ts';
import {
  getEvidenceRef,
  personOf,
  releaseVersion,
  storeName,
  terminalNames,
} from '../checklists/repository.ts';
import type { Actor, ChecklistService } from '../checklists/service.ts';
import { recordFeedbackEvent } from './record.ts';

export type FeedbackService = {
  draftBugReport(
    input: {
      runId: string;
      terminalId: string;
      itemId: string;
      severity?: BugSeverity | undefined;
      title?: string | undefined;
      description?: string | undefined;
    },
    actor: Actor,
  ): BugReport;
  list(filter: {
    releaseId?: string | undefined;
    storeId?: string | undefined;
    runId?: string | undefined;
  }): BugReport[];
  get(id: string): BugReport;
  /** Sends a draft to the support desk (status new). Only its author. */
  sendDraft(reportId: string, actor: Actor): BugReport;
  /** Withdraws a draft: it no longer holds the go / no-go. Only its author. */
  discardDraft(reportId: string, actor: Actor): BugReport;
};

type Raw = {
  id: string;
  status: string;
  severity: string;
  title: string;
  description: string;
  release_id: string | null;
  store_id: string;
  terminal_id: string | null;
  run_id: string | null;
  item_id: string | null;
  answer_text: string;
  evidence: string;
  reported_by: string;
  reported_role: string;
  reported_at: string;
  event_id: string;
  template_data: string | null;
};

export function createFeedbackService(options: {
  db: Db;
  journal: Journal;
  checklists: ChecklistService;
}): FeedbackService {
  const { db, journal, checklists } = options;

  function toReport(r: Raw): BugReport {
    const template = r.template_data
      ? (JSON.parse(r.template_data) as {
          name: string;
          sections: Array<{ items: Array<{ id: string; title: string }> }>;
        })
      : null;
    const itemTitle =
      template?.sections.flatMap((s) => s.items).find((i) => i.id === r.item_id)?.title ??
      r.item_id ??
      '';
    return {
      id: r.id,
      status: r.status as BugReportStatus,
      severity: r.severity as StoredSeverity,
      title: r.title,
      description: r.description,
      releaseId: r.release_id,
      releaseVersion:
        r.release_id === null ? '' : (releaseVersion(db, r.release_id) ?? r.release_id),
      storeId: r.store_id,
      storeName: storeName(db, r.store_id) ?? r.store_id,
      terminalId: r.terminal_id,
      terminalName:
        r.terminal_id === null
          ? ''
          : (terminalNames(db, [r.terminal_id]).get(r.terminal_id)?.name ?? r.terminal_id),
      runId: r.run_id,
      templateName: template?.name ?? '',
      itemId: r.item_id,
      itemTitle,
      answerText: r.answer_text,
      evidence: (JSON.parse(r.evidence) as string[]).map(
        (sha) =>
          getEvidenceRef(db, sha) ?? {
            sha256: sha,
            mimeType: 'application/octet-stream',
            byteLength: 0,
            fileName: 'missing',
          },
      ),
      reportedBy: personOf(db, r.reported_by, r.reported_role as Role),
      reportedAt: r.reported_at,
      eventId: r.event_id,
    };
  }

  const SELECT =
    'SELECT b.*, r.template_data FROM bug_reports b LEFT JOIN checklist_runs r ON r.id = b.run_id';

  function get(id: string): BugReport {
    const row = db.sqlite.prepare(`${SELECT} WHERE b.id = ?`).get(id) as Raw | undefined;
    if (!row) throw new AppError('not_found', 'This bug report does not exist on this console.');
    return toReport(row);
  }

  function decideDraft(
    type: 'feedback.bug_report.sent' | 'feedback.bug_report.discarded',
    reportId: string,
    actor: Actor,
  ): BugReport {
    const report = get(reportId);
    if (actor.storeIds.length > 0 && !actor.storeIds.includes(report.storeId))
      throw new AppError(
        'forbidden',
        'You are not assigned to this store, so you cannot change its bug reports.',
      );
    recordFeedbackEvent(db, journal, {
      type,
      storeId: report.storeId,
      actor: { userId: actor.session.user.id, role: actor.session.user.role },
      payload: { reportId },
    });
    return get(reportId);
  }

  return {
    get,
    sendDraft: (reportId, actor) => decideDraft('feedback.bug_report.sent', reportId, actor),
    discardDraft: (reportId, actor) =>
      decideDraft('feedback.bug_report.discarded', reportId, actor),
    draftBugReport(input, actor) {
      const loaded = checklists.loadRun(input.runId);
      if (actor.storeIds.length > 0 && !actor.storeIds.includes(loaded.row.storeId)) {
        throw new AppError(
          'forbidden',
          'You are not assigned to this store, so you cannot report bugs from its checklists.',
        );
      }
      if (!loaded.row.terminalIds.includes(input.terminalId))
        throw new AppError(
          'invalid_input',
          'This terminal is not part of the run. Nothing was filed.',
        );
      const item = loaded.items.get(input.itemId);
      if (!item)
        throw new AppError(
          'invalid_input',
          'This item is not in the run’s checklist. Nothing was filed.',
        );
      const result = loaded.results.get(input.terminalId)?.get(item.id);
      if (!result || (result.outcome !== 'fail' && result.outcome !== 'blocked')) {
        throw new AppError(
          'conflict',
          `"${item.title}" has not failed on this terminal: a bug report is filed from a failed or blocked item. Nothing was filed.`,
        );
      }
      const terminalName = loaded.terminalNames.get(input.terminalId) ?? input.terminalId;
      const version = releaseVersion(db, loaded.row.releaseId) ?? loaded.row.releaseId;
      const answerText = describeAnswer(result.answer, item.answer);
      const title = input.title ?? `${item.title} failed on ${terminalName} (${version})`;
      const description =
        input.description ??
        [
          `Checklist: ${loaded.row.template.name}, section item "${item.title}".`,
          `Store: ${storeName(db, loaded.row.storeId) ?? loaded.row.storeId}. Terminal: ${terminalName}. Release: ${version}.`,
          `Answer: ${answerText}.`,
          result.note ? `Note: ${result.note}` : '',
        ]
          .filter((line) => line.length > 0)
          .join('\n');
      const bugReportId = uuidv7();
      journal.record({
        type: 'feedback.bug_report.drafted',
        storeId: loaded.row.storeId,
        actor: { userId: actor.session.user.id, role: actor.session.user.role },
        payload: {
          bugReportId,
          runId: loaded.row.id,
          terminalId: input.terminalId,
          itemId: item.id,
          releaseId: loaded.row.releaseId,
          severity: input.severity ?? 'major',
          title,
          description,
          answerText: answerText.slice(0, 2200),
          evidence: result.evidence,
        },
        tables: CHECKLIST_PROJECTION_TABLES,
        apply: (e) => applyChecklistEvent(db, e),
      });
      return get(bugReportId);
    },
    list(filter) {
      const where: string[] = [];
      const args: string[] = [];
      if (filter.releaseId !== undefined) {
        where.push('b.release_id = ?');
        args.push(filter.releaseId);
      }
      if (filter.storeId !== undefined) {
        where.push('b.store_id = ?');
        args.push(filter.storeId);
      }
      if (filter.runId !== undefined) {
        where.push('b.run_id = ?');
        args.push(filter.runId);
      }
      const rows = db.sqlite
        .prepare(
          `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY b.reported_at DESC, b.id DESC LIMIT 500`,
        )
        .all(...args) as Raw[];
      return rows.map(toReport);
    },
  };
}
