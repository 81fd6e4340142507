/**
 * The scope feed's route (feed.ts): a device reads the other devices' accepted
 * events of its store, proved against a signed tree head. The page is written
 * as JSON text from the stored canonical bodies, so it is sent as is rather
 * than serialized again; its schema is published in OpenAPI.
 */
import { FEED_ROUTE, feedQuery, feedResponse } from '../../shared/sync/feed.ts';
import type { FeaturePlugin } from '../http/context.ts';
import { deviceOf, describe, errorResponses, routeOf } from '../http/route.ts';
import { hasQuarantineColumn, readFeedPage } from './feed.ts';

export const feedRoutes: FeaturePlugin = async (app, { ctx }) => {
  const options = { hasQuarantine: await hasQuarantineColumn(ctx.db) };
  app.route({
    ...routeOf(FEED_ROUTE),
    schema: {
      ...describe(FEED_ROUTE, 'sync', "Other devices' events of this device's store"),
      querystring: feedQuery,
      response: {
        200: {
          description:
            'A page of the scope feed with its feed proof (docs/protocol.md, "The scope feed").',
          content: { 'application/json': { schema: feedResponse } },
        },
        ...errorResponses,
      },
    },
    handler: async (request, reply) => {
      const text = await readFeedPage(
        ctx.db,
        ctx.key,
        ctx.now,
        deviceOf(request.principal),
        request.query,
        options,
      );
      // Already JSON text of the schema above: a string payload is sent as is, not serialized
      // again (the type provider only knows the object form, hence the cast).
      return reply.header('content-type', 'application/json; charset=utf-8').send(text as never);
    },
  });
};
