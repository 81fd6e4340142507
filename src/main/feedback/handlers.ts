/**
 * The `feedback:*` channels: bug reports drafted from checklist items (sent
 * or discarded by their author), and reports filed from the report form with
 * their staged attachments and context.
 */
import type { FeatureHandlers } from '../app/dispatcher.ts';
import { checklistActor } from '../checklists/handlers.ts';
import type { SessionService } from '../session/service.ts';
import type { OurReportsService } from './ourReports.ts';
import type { FeatureRequestService } from './requests.ts';
import type { ReportService } from './reports.ts';
import type { FeedbackService } from './service.ts';
import type { AttachmentStaging } from './staging.ts';

export function createFeedbackHandlers(deps: {
  feedback: FeedbackService;
  reports: ReportService;
  staging: AttachmentStaging;
  ourReports: OurReportsService;
  requests: FeatureRequestService;
  sessions: SessionService;
}): FeatureHandlers<'feedback'> {
  const { feedback, reports, sessions } = deps;
  return {
    'feedback:draftBugReport': (input, ctx) =>
      feedback.draftBugReport(input, checklistActor(sessions, ctx)),
    'feedback:sendDraft': (input, ctx) =>
      feedback.sendDraft(input.reportId, checklistActor(sessions, ctx)),
    'feedback:discardDraft': (input, ctx) =>
      feedback.discardDraft(input.reportId, checklistActor(sessions, ctx)),
    'feedback:putAttachmentPiece': (input) => deps.staging.putPiece(input),
    'feedback:previewContext': (input, ctx) =>
      reports.previewContext(input, checklistActor(sessions, ctx)),
    'feedback:fileBugReport': (input, ctx) =>
      reports.fileBugReport(input, checklistActor(sessions, ctx)),
    'feedback:ourReports': (_input, ctx) => deps.ourReports.list(checklistActor(sessions, ctx)),
    'feedback:reply': (input, ctx) => deps.ourReports.reply(input, checklistActor(sessions, ctx)),
    'feedback:suggestRequests': (input, ctx) =>
      deps.requests.suggest(input.text, checklistActor(sessions, ctx)),
    'feedback:fileFeatureRequest': (input, ctx) =>
      deps.requests.file(input, checklistActor(sessions, ctx)),
    'feedback:voteFeatureRequest': (input, ctx) =>
      deps.requests.vote(input.requestId, checklistActor(sessions, ctx), input.storeId),
    'feedback:listBugReports': (input) => feedback.list(input),
  };
}
