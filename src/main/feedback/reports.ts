/**
 * Bug reports filed from the report form, from any screen: the person's
 * words, what it is about (a terminal, a run and its item), the attachments
 * staged before (screenshot, photos, files) and the crash dumps they kept
 * ticked, with the console's context. One `feedback.bug_report.filed`
 * event; the attachments are evidence files, uploaded content-addressed
 * before the event is pushed (src/main/sync/evidenceUpload.ts).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { AppError } from '../../shared/errors.ts';
import type { ReportAttachment, ReportContext } from '../../shared/feedback/events.ts';
import type { FiledBugReport, ReportSeverity } from '../../shared/feedback/types.ts';
import type { Journal } from '../audit/journal.ts';
import type { EvidenceStore } from '../checklists/evidenceStore.ts';
import type { Actor, ChecklistService } from '../checklists/service.ts';
import type { Db } from '../db/open.ts';
import { listCrashDumps } from '../shell/crashDumps.ts';
import { buildReportContext } from './context.ts';
import { recordFeedbackEvent } from './record.ts';

export type FileBugReportInput = {
  title: string;
  happened: string;
  expected: string;
  severitySuggestion: ReportSeverity;
  storeId?: string | undefined;
  terminalId?: string | undefined;
  runId?: string | undefined;
  itemId?: string | undefined;
  screen: string;
  selection: ReportContext['selection'];
  attachments: Array<Omit<ReportAttachment, 'size'>>;
  /** Names from shell:listCrashDumps the person left ticked. */
  crashDumps: string[];
  includeBreadcrumbs: boolean;
  includeLog: boolean;
};

export type ReportService = {
  /** Exactly the context a report filed now would carry, to show before sending. */
  previewContext(
    input: Pick<
      FileBugReportInput,
      'storeId' | 'terminalId' | 'runId' | 'selection' | 'includeBreadcrumbs' | 'includeLog'
    >,
    actor: Actor,
  ): ReportContext;
  fileBugReport(input: FileBugReportInput, actor: Actor): FiledBugReport;
};

export function createReportService(deps: {
  db: Db;
  journal: Journal;
  checklists: ChecklistService;
  evidence: EvidenceStore;
  appVersion: string;
  logFile: string | null;
  crashDumpDir: string | null;
  deviceStoreId: () => string | null;
  /** Exact secret values to blank in log lines (tokens, keys). */
  secrets: () => string[];
}): ReportService {
  const { db, journal, checklists, evidence } = deps;

  /** The store and release a report is about: the run's, else the terminal's, else the store chosen. */
  function subjectOf(
    input: Pick<FileBugReportInput, 'storeId' | 'terminalId' | 'runId'>,
    actor: Actor,
  ): { storeId: string; releaseId: string | null } {
    let subject: { storeId: string; releaseId: string | null } | null = null;
    if (input.runId !== undefined) {
      const run = checklists.loadRun(input.runId).row;
      subject = { storeId: run.storeId, releaseId: run.releaseId };
    } else if (input.terminalId !== undefined) {
      const t = db.sqlite
        .prepare(
          'SELECT store_id AS storeId, release_id AS releaseId FROM terminal_current WHERE terminal_id = ?',
        )
        .get(input.terminalId) as { storeId: string; releaseId: string | null } | undefined;
      if (!t)
        throw new AppError('not_found', 'This terminal is not in the catalog. Nothing was filed.');
      subject = t;
    } else {
      const storeId =
        input.storeId ??
        deps.deviceStoreId() ??
        (actor.storeIds.length === 1 ? actor.storeIds[0]! : null);
      if (storeId === null)
        throw new AppError(
          'invalid_input',
          'Choose the store (or a terminal) this report is about. Nothing was filed.',
        );
      subject = { storeId, releaseId: null };
    }
    if (actor.storeIds.length > 0 && !actor.storeIds.includes(subject.storeId))
      throw new AppError(
        'forbidden',
        'You are not assigned to this store, so you cannot report problems for it.',
      );
    return subject;
  }

  function previewContext(
    input: Parameters<ReportService['previewContext']>[0],
    actor: Actor,
  ): ReportContext {
    const { storeId } = subjectOf(input, actor);
    return buildReportContext(db, {
      appVersion: deps.appVersion,
      storeId,
      selection: input.selection,
      logFile: deps.logFile,
      includeBreadcrumbs: input.includeBreadcrumbs,
      includeLog: input.includeLog,
      secrets: deps.secrets(),
    });
  }

  return {
    previewContext,
    fileBugReport(input, actor) {
      if (input.itemId !== undefined && input.runId === undefined)
        throw new AppError(
          'invalid_input',
          'A checklist item is reported with its run. Nothing was filed.',
        );
      const subject = subjectOf(input, actor);
      const attachments: ReportAttachment[] = input.attachments.map((a) => {
        const file = evidence.pathOf(a.sha256);
        if (!existsSync(file))
          throw new AppError(
            'not_found',
            `The attachment "${a.name}" is no longer on this console; add it again. Nothing was filed.`,
          );
        return { ...a, size: statSync(file).size };
      });
      if (input.crashDumps.length > 0) {
        // Only dumps the shell lists are read: a name is never a path the renderer chose.
        const listed = new Map(listCrashDumps(deps.crashDumpDir).dumps.map((d) => [d.name, d]));
        for (const name of input.crashDumps) {
          if (!listed.has(name) || deps.crashDumpDir === null)
            throw new AppError('not_found', `The crash dump "${name}" is gone. Nothing was filed.`);
          const sha256 = evidence.put(readFileSync(join(deps.crashDumpDir, name)));
          attachments.push({
            sha256,
            name: name.split(/[\\/]/).pop()!.slice(0, 200),
            mime: 'application/octet-stream',
            size: statSync(evidence.pathOf(sha256)).size,
            kind: 'crash_dump',
          });
        }
      }
      if (attachments.length > 10)
        throw new AppError(
          'invalid_input',
          'A report carries at most 10 attachments. Nothing was filed.',
        );
      const context = previewContext(input, actor);
      const reportId = uuidv7();
      recordFeedbackEvent(db, journal, {
        type: 'feedback.bug_report.filed',
        storeId: subject.storeId,
        actor: { userId: actor.session.user.id, role: actor.session.user.role },
        payload: {
          reportId,
          title: input.title,
          happened: input.happened,
          expected: input.expected,
          severitySuggestion: input.severitySuggestion,
          ...(input.terminalId !== undefined ? { terminalId: input.terminalId } : {}),
          ...(subject.releaseId !== null ? { releaseId: subject.releaseId } : {}),
          ...(input.runId !== undefined ? { runId: input.runId } : {}),
          ...(input.itemId !== undefined ? { itemId: input.itemId } : {}),
          screen: input.screen,
          context,
          attachments,
        },
      });
      const eventId = db.sqlite
        .prepare('SELECT event_id FROM bug_reports WHERE id = ?')
        .pluck()
        .get(reportId) as string;
      return {
        id: reportId,
        status: 'new',
        storeId: subject.storeId,
        releaseId: subject.releaseId,
        attachments,
        eventId,
      };
    },
  };
}
