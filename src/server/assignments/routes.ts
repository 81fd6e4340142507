/**
 * Checklist assignment route: the release desk assigns a checklist template
 * to stores with a due date (desk token, scope-checked per store, the acting
 * catalog user named in the central log).
 */
import {
  ASSIGNMENT_ROUTES,
  assignChecklistRequest,
  assignChecklistResponse,
} from '../../shared/checklists/assignments.ts';
import type { Principal } from '../auth/tokens.ts';
import type { DeskPrincipal } from '../desk/queries.ts';
import { ServerError } from '../errors.ts';
import type { FeaturePlugin } from '../http/context.ts';
import { describe, errorResponses, routeOf, serviceReadsBody } from '../http/route.ts';
import { assignChecklist } from './service.ts';

function deskOf(principal: Principal | null): DeskPrincipal {
  if (principal?.kind !== 'desk')
    throw new ServerError('forbidden', 'This call needs a desk token.');
  return principal;
}

export const assignmentRoutes: FeaturePlugin = (app, { ctx }) => {
  app.route({
    ...routeOf(ASSIGNMENT_ROUTES.assignChecklist),
    schema: {
      ...describe(
        ASSIGNMENT_ROUTES.assignChecklist,
        'desk',
        'Assign a checklist template to stores with a due date (release desk)',
      ),
      body: assignChecklistRequest,
      response: { 200: assignChecklistResponse, ...errorResponses },
    },
    validatorCompiler: serviceReadsBody,
    handler: async (request) => {
      const out = await assignChecklist(
        ctx.db,
        ctx.key,
        deskOf(request.principal),
        request.body,
        ctx.now(),
      );
      await ctx.store.durable();
      return out;
    },
  });
  return Promise.resolve();
};
