/**
 * The `changeRequests:*` channels. Change requests gate deployments (a skipped
 * mandatory step, a start outside the window), so the deployments service
 * keeps them; this map only serves their channels.
 */
import type { FeatureHandlers } from '../app/dispatcher.ts';
import { deploymentActor } from '../deployments/handlers.ts';
import type { DeploymentsService } from '../deployments/service.ts';
import type { SessionService } from '../session/service.ts';

export function createChangeRequestsHandlers(deps: {
  deployments: DeploymentsService;
  sessions: SessionService;
}): FeatureHandlers<'changeRequests'> {
  const { deployments, sessions } = deps;
  return {
    'changeRequests:list': (input, ctx) =>
      deployments.changeRequests(input.storeId, deploymentActor(sessions, ctx)),
    'changeRequests:request': (input, ctx) =>
      deployments.requestChange(input, deploymentActor(sessions, ctx)),
    'changeRequests:decide': (input, ctx) =>
      deployments.decideChange(input, deploymentActor(sessions, ctx)),
  };
}
