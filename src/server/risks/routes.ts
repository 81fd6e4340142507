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
import { runAdminAction, type AdminActionType } from '../admins/actions.ts';
import { adminActedBy } from '../admins/service.ts';
import type { JsonValue } from '../../shared/audit/event.ts';
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
  /** A central action: the change and its log entry naming the administrator, in one transaction. */
  async function asAdmin<T>(
    principal: Principal | null,
    type: AdminActionType,
    change: (d: typeof ctx.db) => Promise<T>,
    payload: (result: T) => { [k: string]: JsonValue },
  ): Promise<T> {
    const { result } = await runAdminAction(
      ctx.db,
      ctx.key,
      { actedBy: adminActedBy(principal), type, at: ctx.now(), payload },
      change,
    );
    await ctx.store.durable();
    return result;
  }

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
    handler: (request) =>
      asAdmin(
        request.principal,
        'admin.risk.published',
        (d) => publishRisk(d, request.body, ctx.now()),
        (risk) => ({ releaseId: risk.releaseId, riskId: risk.id, status: risk.status }),
      ),
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
    handler: (request) =>
      asAdmin(
        request.principal,
        'admin.storeNotes.published',
        (d) => publishStoreNotes(d, request.body, ctx.now()),
        (notes) => ({ releaseId: notes.releaseId }),
      ),
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
