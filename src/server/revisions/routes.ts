/**
 * Revisions at the release desk (a Fastify plugin): the documents, one
 * document's history with diffs, and a committee member's approval. The
 * desk token is checked here, the acting user and the committee by the
 * service; bodies are read by the service so every bad field is named.
 */
import {
  REVISION_DESK_ROUTES,
  deskApproveRevisionRequest,
  deskRevisionDocuments as deskRevisionDocumentsSchema,
  deskRevisions as deskRevisionsSchema,
} from '../../shared/revisions/deskProtocol.ts';
import { revisionView, revisionsQuery } from '../../shared/revisions/revisions.ts';
import type { Principal } from '../auth/tokens.ts';
import { ServerError } from '../errors.ts';
import type { FeaturePlugin } from '../http/context.ts';
import { describe, errorResponses, noQuery, routeOf, serviceReadsBody } from '../http/route.ts';
import type { DeskPrincipal } from '../desk/queries.ts';
import { deskApproveRevision, deskRevisionDocuments, deskRevisions } from './desk.ts';

function deskOf(principal: Principal | null): DeskPrincipal {
  if (principal?.kind !== 'desk')
    throw new ServerError('forbidden', 'This call needs a desk token.');
  return principal;
}

export const revisionDeskRoutes: FeaturePlugin = (app, { ctx }) => {
  const r = REVISION_DESK_ROUTES;
  app.route({
    ...routeOf(r.deskRevisionDocuments),
    schema: {
      ...describe(
        r.deskRevisionDocuments,
        'desk',
        'Every runbook and checklist template with revisions, by its newest one',
      ),
      querystring: noQuery,
      response: { 200: deskRevisionDocumentsSchema, ...errorResponses },
    },
    handler: (request) => {
      deskOf(request.principal);
      return deskRevisionDocuments(ctx.db);
    },
  });
  app.route({
    ...routeOf(r.deskRevisions),
    validatorCompiler: () => (data: unknown) => ({ value: data }),
    schema: {
      ...describe(
        r.deskRevisions,
        'desk',
        "A runbook's or checklist template's revisions with diffs, and the committee that approves them",
      ),
      querystring: revisionsQuery,
      response: { 200: deskRevisionsSchema, ...errorResponses },
    },
    handler: (request) => {
      deskOf(request.principal);
      return deskRevisions(ctx.db, request.query);
    },
  });
  app.route({
    ...routeOf(r.deskApproveRevision),
    validatorCompiler: serviceReadsBody,
    schema: {
      ...describe(
        r.deskApproveRevision,
        'desk',
        "A committee member signs a revision's content hash; the last required approval puts it in the catalog",
      ),
      body: deskApproveRevisionRequest,
      response: { 200: revisionView, ...errorResponses },
    },
    handler: (request) =>
      deskApproveRevision(
        { db: ctx.db, key: ctx.key, now: ctx.now() },
        deskOf(request.principal),
        request.body,
      ),
  });
  return Promise.resolve();
};
