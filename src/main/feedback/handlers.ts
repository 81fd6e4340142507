/** The `feedback:*` channels: bug reports drafted from checklist items, served by the feedback service. */
import type { FeatureHandlers } from '../app/dispatcher.ts';
import { checklistActor } from '../checklists/handlers.ts';
import type { SessionService } from '../session/service.ts';
import type { FeedbackService } from './service.ts';

export function createFeedbackHandlers(deps: {
  feedback: FeedbackService;
  sessions: SessionService;
}): FeatureHandlers<'feedback'> {
  const { feedback, sessions } = deps;
  return {
    'feedback:draftBugReport': (input, ctx) =>
      feedback.draftBugReport(input, checklistActor(sessions, ctx)),
    'feedback:sendDraft': (input, ctx) =>
      feedback.sendDraft(input.reportId, checklistActor(sessions, ctx)),
    'feedback:discardDraft': (input, ctx) =>
      feedback.discardDraft(input.reportId, checklistActor(sessions, ctx)),
    'feedback:listBugReports': (input) => feedback.list(input),
  };
}
