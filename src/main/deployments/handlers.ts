/**
 * The `deployments:*` channels (src/shared/contract/deployments.ts), served
 * by the deployments service. Input is parsed and the access checked
 * by the dispatcher; the service and the state machine check the store,
 * the roles and every rule.
 */
import { deploymentMetrics, deploymentTimeline } from '../../shared/deployments/timeline.ts';
import type { DeploymentState } from '../../shared/deployments/stateMachine.ts';
import type { CallContext, FeatureHandlers } from '../app/dispatcher.ts';
import { requireCatalogUser } from '../session/actor.ts';
import type { SessionService } from '../session/service.ts';
import type { Actor, DeploymentsService } from './service.ts';

/** The caller as the deployments service needs them: id, role and stores. */
export function deploymentActor(sessions: SessionService, ctx: CallContext): Actor {
  const { user } = requireCatalogUser(sessions, ctx);
  return { userId: user.id, role: user.role, storeIds: user.storeIds };
}

export function createDeploymentsHandlers(deps: {
  deployments: DeploymentsService;
  sessions: SessionService;
}): FeatureHandlers<'deployments'> {
  const service = deps.deployments;
  const actor = (ctx: CallContext) => deploymentActor(deps.sessions, ctx);
  const view = (state: DeploymentState) => ({
    state,
    timeline: deploymentTimeline(state),
    metrics: deploymentMetrics(state),
    flags: service.flags(state.plan.releaseId, state.plan.storeId),
    gate: service.gate(state),
  });

  return {
    'deployments:list': (input, ctx) =>
      service.list(input, actor(ctx)).map((r) => ({
        id: r.id,
        storeId: r.storeId,
        releaseId: r.releaseId,
        status: r.status,
        phase: r.phase,
        plannedAt: r.plannedAt,
        updatedAt: r.updatedAt,
      })),
    'deployments:get': (input, ctx) => view(service.get(input.deploymentId, actor(ctx))),
    'deployments:plan': (input, ctx) => view(service.plan(input, actor(ctx))),
    'deployments:act': (input, ctx) =>
      view(service.act(input.deploymentId, input.action, actor(ctx))),
    'deployments:flags': (input, ctx) => service.storeFlags(input, actor(ctx)),
  };
}
