/**
 * The desk's KPI routes (desk token): the report as JSON and as CSV. Query
 * parameters are read by the query itself, so a malformed or unknown one is
 * 400 naming it (never 500) and an out-of-scope one 403 `scope_denied`.
 */
import { z } from 'zod';
import { kpiQuery, kpiReport } from '../../shared/kpis/definitions.ts';
import { KPI_ROUTES } from '../../shared/kpis/protocol.ts';
import type { Principal } from '../auth/tokens.ts';
import type { DeskPrincipal } from '../desk/queries.ts';
import { ServerError } from '../errors.ts';
import type { FeaturePlugin } from '../http/context.ts';
import { describe, errorResponses, routeOf } from '../http/route.ts';
import { kpiReportCsv, kpiReportOf } from './queries.ts';

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
  return Promise.resolve();
};
