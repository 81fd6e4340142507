/**
 * Named administrators' routes: the bootstrap token creates the first
 * administrator (and nothing else), an administrator issues further admin
 * tokens to users of role admin. Both are central actions of the log. Desks
 * read the central actions in their scope (./centralActions.ts).
 */
import {
  approveRevisionInput,
  revisionView,
  revisionsQuery,
  revisionsResponse,
} from '../../shared/revisions/revisions.ts';
import {
  CENTRAL_ACTION_ROUTES,
  centralActionsPage,
  centralActionsQuery,
} from '../../shared/desk/centralActions.ts';
import { ServerError } from '../errors.ts';
import type { FeaturePlugin } from '../http/context.ts';
import { approveRevision, listRevisions } from '../revisions/service.ts';
import { describe, errorResponses, routeOf, serviceReadsBody } from '../http/route.ts';
import { NAMED_ADMIN_ROUTES } from '../routes.ts';
import {
  adminActedBy,
  adminTokenInput,
  adminTokenResponse,
  bootstrapAdminInput,
  bootstrapFirstAdmin,
  issueAdminToken,
} from './service.ts';
import { deskCentralActions } from './centralActions.ts';

export const adminRoutes: FeaturePlugin = (app, { ctx }) => {
  const { db, now } = ctx;
  app.route({
    ...routeOf(CENTRAL_ACTION_ROUTES.deskCentralActions),
    schema: {
      ...describe(
        CENTRAL_ACTION_ROUTES.deskCentralActions,
        'desk',
        'Central actions in the desk scope (who changed what, and when), newest first, paged by log index',
      ),
      querystring: centralActionsQuery,
      response: { 200: centralActionsPage, ...errorResponses },
    },
    // The query reads its parameters itself, so a bad one is named (400), never a 500.
    validatorCompiler: () => (data: unknown) => ({ value: data }),
    handler: (request) => {
      const principal = request.principal;
      if (principal?.kind !== 'desk')
        throw new ServerError('forbidden', 'This call needs a desk token.');
      return deskCentralActions(db, principal, request.query, now());
    },
  });
  app.route({
    ...routeOf(NAMED_ADMIN_ROUTES.bootstrapAdmin),
    validatorCompiler: serviceReadsBody,
    schema: {
      ...describe(
        NAMED_ADMIN_ROUTES.bootstrapAdmin,
        'admin',
        'Create the first named administrator and their admin token (bootstrap token, once)',
      ),
      body: bootstrapAdminInput,
      response: { 200: adminTokenResponse, ...errorResponses },
    },
    handler: async (request) => {
      const out = await bootstrapFirstAdmin(db, ctx.key, request.body, now());
      await ctx.store.durable();
      return out;
    },
  });
  app.route({
    ...routeOf(NAMED_ADMIN_ROUTES.issueAdminToken),
    validatorCompiler: serviceReadsBody,
    schema: {
      ...describe(
        NAMED_ADMIN_ROUTES.issueAdminToken,
        'admin',
        'Issue an admin token to a named administrator (a user of role admin)',
      ),
      body: adminTokenInput,
      response: { 200: adminTokenResponse, ...errorResponses },
    },
    handler: async (request) => {
      const out = await issueAdminToken(
        db,
        ctx.key,
        adminActedBy(request.principal),
        request.body,
        now(),
      );
      await ctx.store.durable();
      return out;
    },
  });
  app.route({
    ...routeOf(NAMED_ADMIN_ROUTES.listRevisions),
    schema: {
      ...describe(
        NAMED_ADMIN_ROUTES.listRevisions,
        'admin',
        "A runbook's or checklist template's revisions: number, date, author, content hash, diff, approvals",
      ),
      querystring: revisionsQuery,
      response: { 200: revisionsResponse, ...errorResponses },
    },
    handler: async (request) => ({ revisions: await listRevisions(db, request.query) }),
  });
  app.route({
    ...routeOf(NAMED_ADMIN_ROUTES.approveRevision),
    schema: {
      ...describe(
        NAMED_ADMIN_ROUTES.approveRevision,
        'admin',
        "Sign a revision's content hash; the last required approval puts it in the catalog",
      ),
      body: approveRevisionInput,
      response: { 200: revisionView, ...errorResponses },
    },
    handler: async (request) => {
      const out = await approveRevision(
        db,
        ctx.key,
        adminActedBy(request.principal),
        request.body,
        now(),
      );
      await ctx.store.durable();
      return out;
    },
  });
  return Promise.resolve();
};
