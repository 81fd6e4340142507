/**
 * Risk register and store notes routes: the admin publishes (admin token;
 * every bad field listed, nothing stored) and the release desk's reads (desk
 * token; a release's register names no store, and the read counts are per
 * store of the desk's scope).
 */
import type { Principal } from '../auth/tokens.ts';
import {
  RISK_ROUTES,
  catalogReleaseRisk,
  deskRisks as deskRisksSchema,
  riskParams,
} from '../../shared/releases/risks.ts';
import {
  STORE_NOTES_ROUTES,
  catalogStoreNotes,
  deskStoreNotesReads as deskStoreNotesReadsSchema,
  storeNotesParams,
} from '../../shared/releases/storeNotes.ts';
import { ServerError } from '../errors.ts';
import type { DeskPrincipal } from '../desk/queries.ts';
import type { FeaturePlugin } from '../http/context.ts';
import { describe, errorResponses, routeOf, serviceReadsBody } from '../http/route.ts';
import { deskRisks, deskStoreNotesReads, publishRisk, publishStoreNotes } from './service.ts';

function deskOf(principal: Principal | null): DeskPrincipal {
  if (principal?.kind !== 'desk')
    throw new ServerError('forbidden', 'This call needs a desk token.');
  return principal;
}

export const riskRoutes: FeaturePlugin = (app, { ctx }) => {
  app.route({
    ...routeOf(RISK_ROUTES.publishRisk),
    validatorCompiler: serviceReadsBody,
    schema: {
      ...describe(
        RISK_ROUTES.publishRisk,
        'releases',
        "Publish or update a risk of a release's risk register",
      ),
      body: catalogReleaseRisk,
      response: { 200: catalogReleaseRisk, ...errorResponses },
    },
    handler: async (request) => {
      const out = await publishRisk(ctx.db, request.body, ctx.now());
      await ctx.store.durable();
      return out;
    },
  });
  app.route({
    ...routeOf(RISK_ROUTES.deskRisks),
    validatorCompiler: () => (data: unknown) => ({ value: data }),
    schema: {
      ...describe(RISK_ROUTES.deskRisks, 'desk', "A release's risk register"),
      params: riskParams,
      response: { 200: deskRisksSchema, ...errorResponses },
    },
    handler: (request) => {
      deskOf(request.principal);
      return deskRisks(ctx.db, request.params, ctx.now());
    },
  });
  app.route({
    ...routeOf(STORE_NOTES_ROUTES.publishStoreNotes),
    validatorCompiler: serviceReadsBody,
    schema: {
      ...describe(
        STORE_NOTES_ROUTES.publishStoreNotes,
        'releases',
        "Publish a release's plain-language notes for store staff",
      ),
      body: catalogStoreNotes,
      response: { 200: catalogStoreNotes, ...errorResponses },
    },
    handler: async (request) => {
      const out = await publishStoreNotes(ctx.db, request.body, ctx.now());
      await ctx.store.durable();
      return out;
    },
  });
  app.route({
    ...routeOf(STORE_NOTES_ROUTES.deskStoreNotesReads),
    validatorCompiler: () => (data: unknown) => ({ value: data }),
    schema: {
      ...describe(
        STORE_NOTES_ROUTES.deskStoreNotesReads,
        'desk',
        "How many people read a release's store notes, per store",
      ),
      params: storeNotesParams,
      response: { 200: deskStoreNotesReadsSchema, ...errorResponses },
    },
    handler: (request) => {
      return deskStoreNotesReads(ctx.db, deskOf(request.principal), request.params, ctx.now());
    },
  });
  return Promise.resolve();
};
