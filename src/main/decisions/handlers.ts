/** The `decisions:*` channels: go / no-go verdicts and signed decisions, served by the decisions service. */
import type { FeatureHandlers } from '../app/dispatcher.ts';
import { checklistActor } from '../checklists/handlers.ts';
import type { SessionService } from '../session/service.ts';
import type { DecisionsService } from './service.ts';

export function createDecisionsHandlers(deps: {
  decisions: DecisionsService;
  sessions: SessionService;
}): FeatureHandlers<'decisions'> {
  const { decisions, sessions } = deps;
  return {
    'decisions:verdict': (input, ctx) => decisions.verdict(input, checklistActor(sessions, ctx)),
    'decisions:record': (input, ctx) => decisions.record(input, checklistActor(sessions, ctx)),
    'decisions:list': (input) => decisions.list(input),
    'decisions:get': (input) => decisions.get(input.decisionId),
  };
}
