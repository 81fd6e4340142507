/**
 * Communication plan routes (a Fastify plugin): the administrator sets a
 * release's plan (admin token; a central action of the log naming them;
 * every bad field listed, nothing stored) and the release desk reads it with
 * each communication's time per ring and whether it was sent (desk token).
 * The plugin also runs the scheduler that sends communications at their time
 * (./scheduler.ts), at once after a plan is set and then every 30 s, unless the server was created with `commsSchedule: false`
 * (tests tick it themselves with a stepped clock).
 */
import type { Principal } from '../auth/tokens.ts';
import {
  COMMS_PLAN_ROUTES,
  commsPlan,
  commsPlanParams,
  deskCommsPlan as deskCommsPlanSchema,
  type CommsPlan,
} from '../../shared/releases/commsPlan.ts';
import { runAdminAction } from '../admins/actions.ts';
import { adminActedBy } from '../admins/service.ts';
import { ServerError } from '../errors.ts';
import type { FeaturePlugin } from '../http/context.ts';
import { describe, errorResponses, routeOf, serviceReadsBody } from '../http/route.ts';
import { createCommsScheduler, type CommsScheduler } from './scheduler.ts';
import { deskCommsPlan, setCommsPlan } from './service.ts';

export const commsPlanRoutes: FeaturePlugin = (app, { ctx }) => {
  const log = app.log.child({ scope: 'comms' });
  let scheduler: CommsScheduler | null = null;
  if (ctx.commsSchedule !== false) {
    const s = (scheduler = createCommsScheduler({
      db: ctx.db,
      key: ctx.key,
      now: ctx.now,
      afterSend: () => ctx.store.durable(),
      onError: (err) => log.error({ err }, 'communication tick failed'),
    }));
    app.addHook('onReady', () => {
      s.start();
      return Promise.resolve();
    });
    app.addHook('onClose', () => s.stop());
  }
  app.route({
    ...routeOf(COMMS_PLAN_ROUTES.setCommsPlan),
    validatorCompiler: serviceReadsBody,
    schema: {
      ...describe(
        COMMS_PLAN_ROUTES.setCommsPlan,
        'releases',
        "Set a release's communication plan: who is told what, and when (relative to its plan per ring or at an instant)",
      ),
      body: commsPlan,
      response: { 200: commsPlan, ...errorResponses },
    },
    handler: async (request) => {
      const { result } = await runAdminAction<CommsPlan>(
        ctx.db,
        ctx.key,
        {
          actedBy: adminActedBy(request.principal),
          type: 'admin.commsPlan.set',
          at: ctx.now(),
          payload: (plan) => ({
            releaseId: plan.releaseId,
            communications: plan.communications.map((c) => c.id),
          }),
        },
        (d) => setCommsPlan(d, request.body, ctx.now()),
      );
      await ctx.store.durable();
      // What is already due goes out now, not at the next tick; the plan is stored either way.
      await scheduler
        ?.runOnce()
        .catch((err: unknown) => log.error({ err }, 'communication tick failed'));
      return result;
    },
  });
  app.route({
    ...routeOf(COMMS_PLAN_ROUTES.deskCommsPlan),
    validatorCompiler: () => (data: unknown) => ({ value: data }),
    schema: {
      ...describe(
        COMMS_PLAN_ROUTES.deskCommsPlan,
        'desk',
        "A release's communication plan: each communication's time per ring and whether it was sent",
      ),
      params: commsPlanParams,
      response: { 200: deskCommsPlanSchema, ...errorResponses },
    },
    handler: (request) => {
      deskOf(request.principal);
      return deskCommsPlan(ctx.db, request.params, ctx.now());
    },
  });
  return Promise.resolve();
};

function deskOf(principal: Principal | null): void {
  if (principal?.kind !== 'desk')
    throw new ServerError('forbidden', 'This call needs a desk token.');
}
