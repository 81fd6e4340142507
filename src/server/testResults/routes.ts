/**
 * Test results routes: the admin import of a release's JUnit report (admin
 * token, body limited to the report's size) and the desk's read.
 */
import type { Principal } from '../auth/tokens.ts';
import {
  TEST_RESULT_ROUTES,
  deskTestResults as deskTestResultsSchema,
  importTestResultsRequest,
  testResultsParams,
  testResultsSummary,
  type TestResultsSummary,
} from '../../shared/releases/testResults.ts';
import { runAdminAction } from '../admins/actions.ts';
import { adminActedBy } from '../admins/service.ts';
import { ServerError } from '../errors.ts';
import type { DeskPrincipal } from '../desk/queries.ts';
import type { FeaturePlugin } from '../http/context.ts';
import { describe, errorResponses, routeOf, serviceReadsBody } from '../http/route.ts';
import { deskTestResults, importTestResults, testResultsPayload } from './service.ts';

function deskOf(principal: Principal | null): DeskPrincipal {
  if (principal?.kind !== 'desk')
    throw new ServerError('forbidden', 'This call needs a desk token.');
  return principal;
}

export const testResultRoutes: FeaturePlugin = (app, { ctx }) => {
  app.route({
    ...routeOf(TEST_RESULT_ROUTES.importTestResults),
    schema: {
      ...describe(
        TEST_RESULT_ROUTES.importTestResults,
        'releases',
        "Import a release's automated test results (JUnit XML)",
      ),
      params: testResultsParams,
      body: importTestResultsRequest,
      response: { 200: testResultsSummary, ...errorResponses },
    },
    validatorCompiler: serviceReadsBody,
    handler: async (request) => {
      const { result } = await runAdminAction<TestResultsSummary>(
        ctx.db,
        ctx.key,
        {
          actedBy: adminActedBy(request.principal),
          type: 'admin.testResults.imported',
          at: ctx.now(),
          payload: testResultsPayload,
        },
        (d) => importTestResults(d, request.params, request.body, ctx.now()),
      );
      await ctx.store.durable();
      return result;
    },
  });
  app.route({
    ...routeOf(TEST_RESULT_ROUTES.deskTestResults),
    schema: {
      ...describe(
        TEST_RESULT_ROUTES.deskTestResults,
        'desk',
        "A release's automated test results summary",
      ),
      params: testResultsParams,
      response: { 200: deskTestResultsSchema, ...errorResponses },
    },
    validatorCompiler: () => (data: unknown) => ({ value: data }),
    handler: (request) =>
      deskTestResults(ctx.db, deskOf(request.principal), request.params, ctx.now()),
  });
  return Promise.resolve();
};
