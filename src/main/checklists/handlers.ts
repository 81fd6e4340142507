/**
 * Handlers of every channel in src/shared/contract/checklists.ts (checklists,
 * decisions, draft bug reports, reports). Wired into the handler map by createApp.
 */
import type { checklistsContract } from '../../shared/contract/checklists.ts';
import { AppError } from '../../shared/errors.ts';
import type { Handlers } from '../app/dispatcher.ts';

export type ChecklistsChannel = keyof typeof checklistsContract;
export type ChecklistsHandlers = Pick<Handlers, ChecklistsChannel>;

function notYet(): never {
  throw new AppError('unavailable', 'Checklists are being set up on this console. Try again after the next update.');
}

export function createChecklistsHandlers(): ChecklistsHandlers {
  return {
    'checklists:templates': notYet,
    'checklists:listRuns': notYet,
    'checklists:getRun': notYet,
    'checklists:startRun': notYet,
    'checklists:pauseRun': notYet,
    'checklists:resumeRun': notYet,
    'checklists:recordResult': notYet,
    'checklists:attachEvidence': notYet,
    'checklists:getEvidence': notYet,
    'checklists:waiveItem': notYet,
    'feedback:draftBugReport': notYet,
    'feedback:listBugReports': notYet,
    'decisions:verdict': notYet,
    'decisions:record': notYet,
    'decisions:list': notYet,
    'decisions:get': notYet,
    'reports:runReport': notYet,
    'reports:decisionReport': notYet,
  };
}
