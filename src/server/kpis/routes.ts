/**
 * The desk's KPI routes (desk token): the report as JSON and as CSV. Query
 * parameters are read by the query itself, so a malformed or unknown one is
 * 400 naming it (never 500) and an out-of-scope one 403 `scope_denied`.
 */
import { z } from 'zod';
import { kpiQuery, kpiReport } from '../../shared/kpis/definitions.ts';
import { releaseHealth, releaseParams, releaseVerdict } from '../../shared/kpis/health.ts';
import { HEALTH_ROUTES, KPI_ROUTES } from '../../shared/kpis/protocol.ts';
import type { Principal } from '../auth/tokens.ts';
import type { DeskPrincipal } from '../desk/queries.ts';
import { ServerError } from '../errors.ts';
import type { FeaturePlugin } from '../http/context.ts';
import { describe, errorResponses, noQuery, routeOf } from '../http/route.ts';
import { releaseHealthOf, releaseVerdictOf } from './health.ts';
import { kpiReportCsv, kpiReportOf, storesInScope } from './queries.ts';

function deskOf(principal: Principal | null): DeskPrincipal {
  if (principal?.kind !== 'desk')
    throw new ServerError('forbidden', 'This call needs a desk token.');
  return principal;
}

export const kpiRoutes: FeaturePlugin = (app, { ctx }) => {
  app.route({
    ...routeOf(KPI_ROUTES.deskKpis),
    schema: {
      ...describe(
        KPI_ROUTES.deskKpis,
        'kpis',
        'Release KPIs for stores, a release and a period, from maintained aggregates',
      ),
      querystring: kpiQuery,
      response: { 200: kpiReport, ...errorResponses },
    },
    validatorCompiler: () => (data: unknown) => ({ value: data }),
    handler: (request) => kpiReportOf(ctx.db, deskOf(request.principal), request.query, ctx.now()),
  });
  app.route({
    ...routeOf(KPI_ROUTES.deskKpisCsv),
    schema: {
      ...describe(KPI_ROUTES.deskKpisCsv, 'kpis', 'The same KPI report as CSV'),
      querystring: kpiQuery,
      response: {
        200: {
          description: 'One row per KPI, with the filters.',
          content: { 'text/csv': { schema: z.string() } },
        },
        ...errorResponses,
      },
    },
    validatorCompiler: () => (data: unknown) => ({ value: data }),
    handler: async (request, reply) => {
      const report = await kpiReportOf(ctx.db, deskOf(request.principal), request.query, ctx.now());
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="kpis-${report.filters.from}-${report.filters.to}.csv"`,
        )
        .send(kpiReportCsv(report));
    },
  });
  app.route({
    ...routeOf(HEALTH_ROUTES.deskReleaseHealth),
    schema: {
      ...describe(
        HEALTH_ROUTES.deskReleaseHealth,
        'kpis',
        "A release's health in the desk's scope: rollout, KPIs beside the previous release, open bugs, verdict",
      ),
      params: releaseParams,
      querystring: noQuery,
      response: { 200: releaseHealth, ...errorResponses },
    },
    handler: async (request) => {
      const desk = deskOf(request.principal);
      return releaseHealthOf(
        ctx.db,
        request.params.id,
        await storesInScope(ctx.db, desk),
        ctx.now(),
      );
    },
  });
  app.route({
    ...routeOf(HEALTH_ROUTES.releaseVerdict),
    schema: {
      ...describe(
        HEALTH_ROUTES.releaseVerdict,
        'kpis',
        "A release's chain-wide health verdict, for store consoles (device token)",
      ),
      params: releaseParams,
      querystring: noQuery,
      response: { 200: releaseVerdict, ...errorResponses },
    },
    handler: (request) => releaseVerdictOf(ctx.db, request.params.id, ctx.now()),
  });
  return Promise.resolve();
};
