/**
 * Operations routes: /healthz (the process answers), /readyz (it can serve:
 * readiness.ts), /metrics (Prometheus text) and /docs/openapi.json (the
 * OpenAPI 3.1 description generated from every route's zod schemas).
 */
import { z } from 'zod';
import type { FeaturePlugin } from '../http/context.ts';
import { describe, errorResponses, noQuery, routeOf } from '../http/route.ts';
import { OPS_ROUTES } from '../routes.ts';

const readinessResponse = z
  .object({
    status: z.enum(['ready', 'not_ready']),
    checks: z.array(
      z.object({ name: z.string(), ok: z.boolean(), reason: z.string().optional() }).strict(),
    ),
  })
  .strict();

export const opsRoutes: FeaturePlugin = (app, { ctx }) => {
  app.route({
    ...routeOf(OPS_ROUTES.healthz),
    schema: {
      ...describe(OPS_ROUTES.healthz, 'ops', 'Liveness: the process answers'),
      querystring: noQuery,
      response: { 200: z.object({ status: z.literal('ok') }).strict(), ...errorResponses },
    },
    handler: () => Promise.resolve({ status: 'ok' as const }),
  });

  app.route({
    ...routeOf(OPS_ROUTES.readyz),
    schema: {
      ...describe(
        OPS_ROUTES.readyz,
        'ops',
        'Readiness: database reachable, migrations current, log key loaded, and every added check',
      ),
      querystring: noQuery,
      response: { 200: readinessResponse, 503: readinessResponse, ...errorResponses },
    },
    handler: async (_request, reply) => {
      const report = await ctx.readiness.run();
      return reply
        .status(report.isReady ? 200 : 503)
        .send({ status: report.isReady ? 'ready' : 'not_ready', checks: report.checks });
    },
  });

  app.route({
    ...routeOf(OPS_ROUTES.metrics),
    schema: {
      ...describe(OPS_ROUTES.metrics, 'ops', 'Prometheus metrics'),
      querystring: noQuery,
      response: {
        200: {
          description: 'Prometheus text exposition format.',
          content: { 'text/plain': { schema: z.string() } },
        },
        ...errorResponses,
      },
    },
    handler: async (_request, reply) => {
      const text = await ctx.metrics.registry.metrics();
      return reply.header('content-type', ctx.metrics.registry.contentType).send(text);
    },
  });

  app.route({
    ...routeOf(OPS_ROUTES.openapi),
    schema: { hide: true, querystring: noQuery },
    handler: () => Promise.resolve(app.swagger()),
  });
  return Promise.resolve();
};
