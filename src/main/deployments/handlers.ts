/**
 * Handlers of every channel in src/shared/contract/deployments.ts, wired
 * into the handler map by createApp. Input is parsed and the access checked
 * by the dispatcher; the service and the state machine check the store,
 * the roles and every rule.
 */
import type { deploymentsContract } from '../../shared/contract/deployments.ts';
import { deploymentMetrics, deploymentTimeline } from '../../shared/deployments/timeline.ts';
import type { DeploymentState } from '../../shared/deployments/stateMachine.ts';
import { AppError } from '../../shared/errors.ts';
import type { CallContext, Handlers } from '../app/dispatcher.ts';
import type { Journal } from '../audit/journal.ts';
import type { SessionService } from '../session/service.ts';
import type { Db } from '../db/open.ts';
import { createDeploymentsService, type Actor } from './service.ts';

export type DeploymentsChannel = keyof typeof deploymentsContract;
export type DeploymentsHandlers = Pick<Handlers, DeploymentsChannel>;

export function createDeploymentsHandlers(deps: {
  db: Db;
  journal: Journal;
  auth: SessionService;
  now: () => Date;
}): DeploymentsHandlers {
  const service = createDeploymentsService(deps);

  function actor(ctx: CallContext): Actor {
    if (!ctx.session) throw new AppError('not_signed_in', 'Sign in to do this.');
    const user = deps.auth.getUser(ctx.session.user.id);
    if (!user)
      throw new AppError('forbidden', 'Your user is no longer in the catalog. Sign in again.');
    return { userId: user.id, role: user.role, storeIds: user.storeIds };
  }
  const view = (state: DeploymentState) => ({
    state,
    timeline: deploymentTimeline(state),
    metrics: deploymentMetrics(state),
    flags: service.flags(state.plan.releaseId, state.plan.storeId),
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
    'changeRequests:list': (input, ctx) => service.changeRequests(input.storeId, actor(ctx)),
    'changeRequests:request': (input, ctx) => service.requestChange(input, actor(ctx)),
    'changeRequests:decide': (input, ctx) => service.decideChange(input, actor(ctx)),
  };
}
