/**
 * Release calendar routes (a Fastify plugin): the administrator's plan per
 * release and ring, and the desk's calendar of a span of days (any desk
 * role: it only reads, within the desk's scope). Both read their input in
 * the service so every bad field is named (400 invalid_input, fieldErrors).
 */
import type { Principal } from '../auth/tokens.ts';
import {
  CALENDAR_ROUTES,
  calendarQuery,
  releaseCalendar,
  releasePlanRequest,
  releasePlanResponse,
  type ReleasePlanRequest,
} from '../../shared/releases/calendar.ts';
import { runAdminAction } from '../admins/actions.ts';
import { adminActedBy } from '../admins/service.ts';
import { ServerError } from '../errors.ts';
import type { DeskPrincipal } from '../desk/queries.ts';
import type { FeaturePlugin } from '../http/context.ts';
import { describe, errorResponses, routeOf, serviceReadsBody } from '../http/route.ts';
import { deskCalendar, releasePlanPayload, setReleasePlan } from './service.ts';

function deskOf(principal: Principal | null): DeskPrincipal {
  if (principal?.kind !== 'desk')
    throw new ServerError('forbidden', 'This call needs a desk token.');
  return principal;
}

export const calendarRoutes: FeaturePlugin = (app, { ctx }) => {
  app.route({
    ...routeOf(CALENDAR_ROUTES.setReleasePlan),
    schema: {
      ...describe(
        CALENDAR_ROUTES.setReleasePlan,
        'releases',
        "Plan a release's rollout per ring (first and last day)",
      ),
      body: releasePlanRequest,
      response: { 200: releasePlanResponse, ...errorResponses },
    },
    validatorCompiler: serviceReadsBody,
    handler: async (request) => {
      const { result } = await runAdminAction<ReleasePlanRequest>(
        ctx.db,
        ctx.key,
        {
          actedBy: adminActedBy(request.principal),
          type: 'admin.releasePlan.set',
          at: ctx.now(),
          payload: (plan) => releasePlanPayload(plan),
        },
        (d) => setReleasePlan(d, request.body, ctx.now()),
      );
      await ctx.store.durable();
      return result;
    },
  });
  app.route({
    ...routeOf(CALENDAR_ROUTES.deskCalendar),
    schema: {
      ...describe(
        CALENDAR_ROUTES.deskCalendar,
        'desk',
        'The release calendar: plan against actual per release and ring, freezes, deployment windows, trading days',
      ),
      querystring: calendarQuery,
      response: { 200: releaseCalendar, ...errorResponses },
    },
    validatorCompiler: () => (data: unknown) => ({ value: data }),
    handler: (request) => deskCalendar(ctx.db, deskOf(request.principal), request.query, ctx.now()),
  });
  return Promise.resolve();
};
