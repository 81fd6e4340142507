/**
 * The audit feature's route: an audit bundle (JSON Lines) of one store's
 * events in a time range, or of the whole log, for an auditor or admin.
 */
import { z } from 'zod';
import { PROTOCOL_ROUTES, bundleQuery } from '../../shared/sync/protocol.ts';
import type { FeaturePlugin } from '../http/context.ts';
import { describe, errorResponses, routeOf } from '../http/route.ts';
import { buildBundle } from './bundle.ts';

export const auditRoutes: FeaturePlugin = (app, { ctx }) => {
  app.route({
    ...routeOf(PROTOCOL_ROUTES.bundle),
    schema: {
      ...describe(PROTOCOL_ROUTES.bundle, 'audit', 'An audit bundle (JSON Lines)'),
      querystring: bundleQuery,
      response: {
        200: {
          description:
            'One JSON document per line: header, keys, events, checkpoints, tree head, proofs.',
          content: { 'application/x-ndjson': { schema: z.string() } },
        },
        ...errorResponses,
      },
    },
    handler: async (request, reply) => {
      const lines = await buildBundle(ctx.db, ctx.key, ctx.now, request.query);
      return reply
        .header('content-type', 'application/x-ndjson; charset=utf-8')
        .send(lines.join('\n') + '\n');
    },
  });
  return Promise.resolve();
};
