/**
 * The `checklists:*` channels, served by the checklist service. Input is
 * parsed and the role checked by the dispatcher; the service checks the
 * store and everything else.
 */
import type { FeatureHandlers } from '../app/dispatcher.ts';
import type { CallContext } from '../app/dispatcher.ts';
import { requireCatalogUser } from '../session/actor.ts';
import type { SessionService } from '../session/service.ts';
import type { Actor, ChecklistService } from './service.ts';
import type { Db } from '../db/open.ts';
import { listAssignments } from './assignments.ts';

/** The caller as the checklist, feedback and decision services need them: session and stores. */
export function checklistActor(sessions: SessionService, ctx: CallContext): Actor {
  const { session, user } = requireCatalogUser(sessions, ctx);
  return { session, storeIds: user.storeIds };
}

export function createChecklistsHandlers(deps: {
  checklists: ChecklistService;
  sessions: SessionService;
  db: Db;
  now: () => Date;
}): FeatureHandlers<'checklists'> {
  const { checklists } = deps;
  const actor = (ctx: CallContext) => checklistActor(deps.sessions, ctx);
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
    'checklists:assignments': (_input, ctx) => {
      const { storeIds } = actor(ctx);
      return listAssignments(
        deps.db,
        checklists,
        storeIds.length === 0 ? null : storeIds,
        deps.now(),
      );
    },
  };
}
