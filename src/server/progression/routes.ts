/**
 * The release desk's progression route (desk token): one release over every
 * store in the desk's scope, with counts per ring and state. The query reads
 * its own parameters, so a malformed one answers 400 naming it and a region
 * outside the scope 403 `scope_denied`.
 */
import {
  PROGRESSION_ROUTES,
  progressionPage as progressionPageSchema,
  progressionQuery,
} from '../../shared/desk/progression.ts';
import { ServerError } from '../errors.ts';
import type { FeaturePlugin } from '../http/context.ts';
import { describe, errorResponses, routeOf } from '../http/route.ts';
import { progressionPage } from './queries.ts';

export const progressionRoutes: FeaturePlugin = (app, { ctx }) => {
  app.route({
    ...routeOf(PROGRESSION_ROUTES.deskProgression),
    schema: {
      ...describe(
        PROGRESSION_ROUTES.deskProgression,
        'desk',
        "One release's state at every store in scope, with counts per ring",
      ),
      querystring: progressionQuery,
      response: { 200: progressionPageSchema, ...errorResponses },
    },
    validatorCompiler: () => (data: unknown) => ({ value: data }),
    handler: (request) => {
      const principal = request.principal;
      if (principal?.kind !== 'desk')
        throw new ServerError('forbidden', 'This call needs a desk token.');
      return progressionPage(ctx.db, principal, request.query, ctx.now());
    },
  });
  return Promise.resolve();
};
