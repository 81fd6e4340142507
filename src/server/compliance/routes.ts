/**
 * Compliance routes: the administrator publishes a region's rules; auditors
 * (and admins) read the compliance report of any region, desks of a region
 * inside their scope, as JSON or as CSV.
 */
import { z } from 'zod';
import {
  COMPLIANCE_ROUTES,
  complianceReport,
  complianceReportQuery,
  type ComplianceReport,
} from '../../shared/compliance/protocol.ts';
import { complianceRule, scopeOf, type ComplianceRule } from '../../shared/compliance/rules.ts';
import type { Principal } from '../auth/tokens.ts';
import type { DeskPrincipal } from '../desk/queries.ts';
import { ServerError } from '../errors.ts';
import type { FeaturePlugin } from '../http/context.ts';
import { describe, errorResponses, routeOf, serviceReadsBody } from '../http/route.ts';
import { complianceCsvFileName, complianceReportCsv } from '../../shared/compliance/csv.ts';
import { complianceReportOf } from './report.ts';
import { setComplianceRule } from './service.ts';
import { runAdminAction } from '../admins/actions.ts';
import { adminActedBy } from '../admins/service.ts';

function deskOf(principal: Principal | null): DeskPrincipal {
  if (principal?.kind !== 'desk')
    throw new ServerError('forbidden', 'This call needs a desk token.');
  return principal;
}

const csvResponse = {
  description: 'One row per store and required check, with its proof and the signed tree head.',
  content: { 'text/csv': { schema: z.string() } },
};

function csvFileName(report: ComplianceReport): string {
  return complianceCsvFileName(report);
}

export const complianceRoutes: FeaturePlugin = (app, { ctx }) => {
  const r = COMPLIANCE_ROUTES;
  const report = (query: z.infer<typeof complianceReportQuery>, desk?: DeskPrincipal) =>
    complianceReportOf(ctx.db, ctx.key, query, ctx.now, desk);

  app.route({
    ...routeOf(r.setComplianceRule),
    validatorCompiler: serviceReadsBody,
    schema: {
      ...describe(
        r.setComplianceRule,
        'catalog',
        "Publish a region's or a country's compliance rule",
      ),
      body: complianceRule,
      response: { 200: complianceRule, ...errorResponses },
    },
    // A central action: the rule and the log entry naming its administrator commit together.
    handler: async (request) => {
      const { result } = await runAdminAction<ComplianceRule>(
        ctx.db,
        ctx.key,
        {
          actedBy: adminActedBy(request.principal),
          type: 'admin.complianceRule.set',
          at: ctx.now(),
          payload: (rule) => ({ ruleId: rule.id, ...scopeOf(rule) }),
        },
        (d) => setComplianceRule(d, request.body, ctx.now()),
      );
      await ctx.store.durable();
      return result;
    },
  });
  app.route({
    ...routeOf(r.auditComplianceReport),
    schema: {
      ...describe(
        r.auditComplianceReport,
        'audit',
        'The compliance report of a release in a region or a country',
      ),
      querystring: complianceReportQuery,
      response: { 200: complianceReport, ...errorResponses },
    },
    handler: (request) => report(request.query),
  });
  app.route({
    ...routeOf(r.auditComplianceReportCsv),
    schema: {
      ...describe(r.auditComplianceReportCsv, 'audit', 'The same compliance report as CSV'),
      querystring: complianceReportQuery,
      response: { 200: csvResponse, ...errorResponses },
    },
    handler: async (request, reply) => {
      const out = await report(request.query);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${csvFileName(out)}"`)
        .send(complianceReportCsv(out));
    },
  });
  app.route({
    ...routeOf(r.deskComplianceReport),
    schema: {
      ...describe(
        r.deskComplianceReport,
        'desk',
        "The compliance report of a release in a region (or a country) of the desk's scope",
      ),
      querystring: complianceReportQuery,
      response: { 200: complianceReport, ...errorResponses },
    },
    handler: (request) => report(request.query, deskOf(request.principal)),
  });
  app.route({
    ...routeOf(r.deskComplianceReportCsv),
    schema: {
      ...describe(r.deskComplianceReportCsv, 'desk', 'The same compliance report as CSV'),
      querystring: complianceReportQuery,
      response: { 200: csvResponse, ...errorResponses },
    },
    handler: async (request, reply) => {
      const out = await report(request.query, deskOf(request.principal));
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${csvFileName(out)}"`)
        .send(complianceReportCsv(out));
    },
  });
  return Promise.resolve();
};
