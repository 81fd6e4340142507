/**
 * Handlers of every channel in src/shared/contract/checklists.ts (checklists,
 * decisions, draft bug reports, reports), wired into the handler map by
 * createApp. Input is parsed and the role checked by the dispatcher; the
 * services check the store and everything else.
 */
import type { checklistsContract } from '../../shared/contract/checklists.ts';
import { AppError } from '../../shared/errors.ts';
import type { CallContext, Handlers } from '../app/dispatcher.ts';
import type { Journal } from '../audit/journal.ts';
import type { SessionService } from '../session/service.ts';
import type { Db } from '../db/open.ts';
import { createDecisionsService } from '../decisions/service.ts';
import { createFeedbackService } from '../feedback/service.ts';
import { createSavePdfHandler, type PdfPrinter } from '../reports/pdfPrinter.ts';
import { createReportsService } from '../reports/service.ts';
import { createEvidenceStore } from './evidenceStore.ts';
import { createChecklistService, type Actor } from './service.ts';

export type ChecklistsChannel = keyof typeof checklistsContract;
export type ChecklistsHandlers = Pick<Handlers, ChecklistsChannel>;

export function createChecklistsHandlers(deps: {
  db: Db;
  journal: Journal;
  auth: SessionService;
  dataDir: string;
  now: () => Date;
  pdfPrinter?: PdfPrinter | null | undefined;
}): ChecklistsHandlers {
  const { db, journal, auth, now } = deps;
  const evidence = createEvidenceStore(deps.dataDir);
  const checklists = createChecklistService({ db, journal, evidence });
  const feedback = createFeedbackService({ db, journal, checklists });
  const decisions = createDecisionsService({ db, journal, auth, evidence, checklists, now });
  const reports = createReportsService({ db, checklists, decisions, now });

  function actor(ctx: CallContext): Actor {
    if (!ctx.session) throw new AppError('not_signed_in', 'Sign in to do this.');
    const user = auth.getUser(ctx.session.user.id);
    if (!user)
      throw new AppError('forbidden', 'Your user is no longer in the catalog. Sign in again.');
    return { session: ctx.session, storeIds: user.storeIds };
  }

  return {
    'checklists:templates': (input) => checklists.templates(input.releaseId),
    'checklists:listRuns': (input) => checklists.listRuns(input),
    'checklists:getRun': (input) => checklists.getRun(input.runId),
    'checklists:startRun': (input, ctx) => checklists.startRun(input, actor(ctx)),
    'checklists:pauseRun': (input, ctx) => checklists.setPaused(input.runId, true, actor(ctx)),
    'checklists:resumeRun': (input, ctx) => checklists.setPaused(input.runId, false, actor(ctx)),
    'checklists:recordResult': (input, ctx) => checklists.recordResult(input, actor(ctx)),
    'checklists:attachEvidence': (input, ctx) => checklists.attachEvidence(input, actor(ctx)),
    'checklists:getEvidence': (input) => checklists.getEvidence(input.sha256),
    'checklists:waiveItem': (input, ctx) => checklists.waiveItem(input, actor(ctx)),
    'feedback:draftBugReport': (input, ctx) => feedback.draftBugReport(input, actor(ctx)),
    'feedback:listBugReports': (input) => feedback.list(input),
    'decisions:verdict': (input, ctx) => decisions.verdict(input, actor(ctx)),
    'decisions:record': (input, ctx) => decisions.record(input, actor(ctx)),
    'decisions:list': (input) => decisions.list(input),
    'decisions:get': (input) => decisions.get(input.decisionId),
    'reports:runReport': (input) => reports.runReport(input.runId),
    'reports:decisionReport': (input) => reports.decisionReport(input.decisionId),
    'reports:savePdf': createSavePdfHandler(deps.pdfPrinter),
  };
}
