/**
 * The sync feature's routes: a device pushes its events (checked in pushChecker.ts) and pulls
 * the catalog changes of its store (catalog/service.ts).
 *
 * The push body stays raw bytes until the device is authenticated (the guard
 * runs in onRequest); then it is parsed and checked off the event loop
 * (sync/pushChecker.ts) and committed (sync/push.ts). Its schema is in
 * OpenAPI, but Fastify does not validate it: the checker does, faster.
 */
import {
  PROTOCOL_ROUTES,
  changesQuery,
  changesResponse,
  pushRequest,
  pushResponse,
} from '../../shared/sync/protocol.ts';
import { changesSince } from '../catalog/service.ts';
import type { FeaturePlugin } from '../http/context.ts';
import { deviceOf, describe, errorResponses, routeOf, serviceReadsBody } from '../http/route.ts';
import { commitPush } from './push.ts';

export const syncRoutes: FeaturePlugin = (app, { ctx }) => {
  const { db, metrics } = ctx;
  const ingest = {
    db,
    key: ctx.key,
    now: ctx.now,
    deviceKeys: ctx.deviceKeys,
    sqlite: ctx.store.sqlite,
    readModels: ctx.readModels,
  };

  app.route({
    ...routeOf(PROTOCOL_ROUTES.push, { rawBody: true }),
    validatorCompiler: serviceReadsBody,
    schema: {
      ...describe(PROTOCOL_ROUTES.push, 'sync', "Push a batch of one device's events"),
      body: pushRequest,
      response: { 200: pushResponse, ...errorResponses },
    },
    handler: async (request) => {
      const device = deviceOf(request.principal);
      // A push without a JSON content type never reaches here (415), so the body is bytes.
      const body: unknown = request.body;
      const raw = body instanceof Uint8Array ? body : new Uint8Array(0);
      const checked = await ctx.pushChecker.check(raw, device);
      const ack = await commitPush(ingest, checked);
      if (ack.appended) {
        metrics.ingestEvents.inc(ack.appended.lastSeq - ack.appended.firstSeq + 1);
        // Only the events this request appended: a retry lists stored marks again.
        const firstFresh = ack.appended.firstSeq;
        for (const q of ack.quarantined ?? [])
          if (q.seq >= firstFresh) metrics.quarantined.inc({ reason: q.reason });
        const newest = Date.parse(checked.ats[checked.ats.length - 1]!);
        metrics.syncLag.set({ device: device.deviceId }, (ctx.now().getTime() - newest) / 1000);
      }
      return ack;
    },
  });
  // The ack leaves after the durable commit (app.ts, onSend): this measures what a console waits.
  app.addHook('onResponse', async (request, reply) => {
    if (request.routeOptions.url === PROTOCOL_ROUTES.push.url && reply.statusCode === 200)
      metrics.ackLatency.observe(reply.elapsedTime / 1000);
  });

  app.route({
    ...routeOf(PROTOCOL_ROUTES.changes),
    schema: {
      ...describe(PROTOCOL_ROUTES.changes, 'sync', "Catalog changes for this device's store"),
      querystring: changesQuery,
      response: { 200: changesResponse, ...errorResponses },
    },
    handler: (request) =>
      changesSince(
        db,
        deviceOf(request.principal).storeId,
        Number(request.query.cursor ?? '0'),
        request.query.limit,
      ),
  });
  return Promise.resolve();
};
