/**
 * The desk feature's routes: desk enrollment codes and revocations (admin
 * token; central actions of the log naming the administrator), desk enrollment (the code), and the desk reads of the read models
 * (desk token; the guard checks the token, each query checks its scope).
 */
import { z } from 'zod';
import {
  DESK_ROUTES,
  deskEnrollResponse,
  deskEnrollmentCodeRequest,
  deskEnrollRequest,
  deskRecordsPage,
  deskRenewTokenResponse,
  deskRecordsQuery,
  deskRoleSchema,
  deskScopeText,
  deskStoreParams,
  deskStoresPage,
  deskStoresQuery,
  deskTerminalsPage,
  deskTerminalsQuery,
  revokeDeskRequest,
  revokeDeskResponse,
} from '../../shared/desk/protocol.ts';
import { runAdminAction } from '../admins/actions.ts';
import { adminActedBy } from '../admins/service.ts';
import { ServerError } from '../errors.ts';
import type { FeaturePlugin } from '../http/context.ts';
import type { Principal } from '../auth/tokens.ts';
import { describe, errorResponses, routeOf, serviceReadsBody } from '../http/route.ts';
import { enrollDesk, issueDeskEnrollmentCode } from './enroll.ts';
import { renewDeskToken, revokeDesk } from './tokens.ts';
import {
  DESK_FLAG_ROUTES,
  deskStoreFlags,
  deskStoreFlagsQuery,
} from '../../shared/releases/flags.ts';
import { storeFlags } from './flags.ts';
import { storeRecordsPage, storesPage, storeTerminalsPage, type DeskPrincipal } from './queries.ts';

const codeResponse = z
  .object({ code: z.string(), expiresAt: z.string(), scope: deskScopeText, role: deskRoleSchema })
  .strict();

function deskOf(principal: Principal | null): DeskPrincipal {
  if (principal?.kind !== 'desk')
    throw new ServerError('forbidden', 'This call needs a desk token.');
  return principal;
}

export const deskRoutes: FeaturePlugin = (app, { ctx }) => {
  app.route({
    ...routeOf(DESK_ROUTES.issueDeskEnrollmentCode),
    schema: {
      ...describe(DESK_ROUTES.issueDeskEnrollmentCode, 'desk', 'Issue a desk enrollment code'),
      body: deskEnrollmentCodeRequest,
      response: { 200: codeResponse, ...errorResponses },
    },
    validatorCompiler: serviceReadsBody,
    handler: async (request) => {
      const { result } = await runAdminAction<Awaited<ReturnType<typeof issueDeskEnrollmentCode>>>(
        ctx.db,
        ctx.key,
        {
          actedBy: adminActedBy(request.principal),
          type: 'admin.deskEnrollmentCode.issued',
          at: ctx.now(),
          // Never the code itself: it enrolls a desk.
          payload: (out) => ({ scope: out.scope, role: out.role, expiresAt: out.expiresAt }),
        },
        (d) => issueDeskEnrollmentCode(d, request.body, ctx.now()),
      );
      await ctx.store.durable();
      return result;
    },
  });
  app.route({
    ...routeOf(DESK_ROUTES.deskEnroll),
    schema: {
      ...describe(DESK_ROUTES.deskEnroll, 'desk', 'Enroll a desk with its code'),
      body: deskEnrollRequest,
      response: { 200: deskEnrollResponse, ...errorResponses },
    },
    validatorCompiler: serviceReadsBody,
    handler: async (request) => {
      const out = await enrollDesk(ctx.db, request.body, ctx.now(), ctx.tokenPolicy);
      await ctx.store.durable();
      return out;
    },
  });
  // Query and path parameters are read by the queries themselves, so a malformed one answers
  // 400 with the name of the bad parameter (never 500) and an out-of-scope one 403 scope_denied.
  app.route({
    ...routeOf(DESK_ROUTES.deskStores),
    schema: {
      ...describe(DESK_ROUTES.deskStores, 'desk', 'Stores in scope with their state for a release'),
      querystring: deskStoresQuery,
      response: { 200: deskStoresPage, ...errorResponses },
    },
    validatorCompiler: () => (data: unknown) => ({ value: data }),
    handler: (request) => storesPage(ctx.db, deskOf(request.principal), request.query, ctx.now()),
  });
  app.route({
    ...routeOf(DESK_ROUTES.deskStoreTerminals),
    schema: {
      ...describe(DESK_ROUTES.deskStoreTerminals, 'desk', "A store's terminals, paged"),
      params: deskStoreParams,
      querystring: deskTerminalsQuery,
      response: { 200: deskTerminalsPage, ...errorResponses },
    },
    validatorCompiler: () => (data: unknown) => ({ value: data }),
    handler: (request) =>
      storeTerminalsPage(
        ctx.db,
        deskOf(request.principal),
        request.params,
        request.query,
        ctx.now(),
      ),
  });
  app.route({
    ...routeOf(DESK_ROUTES.deskStoreRecords),
    schema: {
      ...describe(DESK_ROUTES.deskStoreRecords, 'desk', "A store's latest records"),
      params: deskStoreParams,
      querystring: deskRecordsQuery,
      response: { 200: deskRecordsPage, ...errorResponses },
    },
    validatorCompiler: () => (data: unknown) => ({ value: data }),
    handler: (request) =>
      storeRecordsPage(ctx.db, deskOf(request.principal), request.params, request.query, ctx.now()),
  });
  app.route({
    ...routeOf(DESK_FLAG_ROUTES.deskStoreFlags),
    schema: {
      ...describe(
        DESK_FLAG_ROUTES.deskStoreFlags,
        'desk',
        'The feature flags a store runs for a release (catalog values and approved change requests)',
      ),
      params: deskStoreParams,
      querystring: deskStoreFlagsQuery,
      response: { 200: deskStoreFlags, ...errorResponses },
    },
    validatorCompiler: () => (data: unknown) => ({ value: data }),
    handler: (request) =>
      storeFlags(ctx.db, deskOf(request.principal), request.params, request.query, ctx.now()),
  });
  app.route({
    ...routeOf(DESK_ROUTES.deskRenewToken),
    schema: {
      ...describe(
        DESK_ROUTES.deskRenewToken,
        'desk',
        'Rotate this desk token (also within the grace window after it expired)',
      ),
      response: { 200: deskRenewTokenResponse, ...errorResponses },
    },
    handler: async (request) => {
      const out = await renewDeskToken(ctx.db, deskOf(request.principal), {
        now: ctx.now(),
        policy: ctx.tokenPolicy,
      });
      await ctx.store.durable();
      return out;
    },
  });
  app.route({
    ...routeOf(DESK_ROUTES.revokeDesk),
    schema: {
      ...describe(
        DESK_ROUTES.revokeDesk,
        'desk',
        'Revoke one desk: its token stops working at once',
      ),
      body: revokeDeskRequest,
      response: { 200: revokeDeskResponse, ...errorResponses },
    },
    validatorCompiler: serviceReadsBody,
    handler: async (request) => {
      const { result } = await runAdminAction<Awaited<ReturnType<typeof revokeDesk>>>(
        ctx.db,
        ctx.key,
        {
          actedBy: adminActedBy(request.principal),
          type: 'admin.desk.revoked',
          at: ctx.now(),
          payload: (out) => ({ deskId: out.deskId, revokedAt: out.revokedAt }),
        },
        (d) => revokeDesk(d, request.body, ctx.now()),
      );
      await ctx.store.durable();
      return result;
    },
  });
  return Promise.resolve();
};
