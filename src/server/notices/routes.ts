/**
 * In-console notices (device token): the store's notices after a log
 * position, and what is waiting now (./queries.ts). A bad `since` is 400
 * naming it.
 */
import { NOTICE_ROUTES, noticesQuery, noticesResponse } from '../../shared/notices/protocol.ts';
import type { FeaturePlugin } from '../http/context.ts';
import { deviceOf, describe, errorResponses, routeOf } from '../http/route.ts';
import { noticesOf } from './queries.ts';

export const noticeRoutes: FeaturePlugin = (app, { ctx }) => {
  app.route({
    ...routeOf(NOTICE_ROUTES.notices),
    schema: {
      ...describe(
        NOTICE_ROUTES.notices,
        'notices',
        "Notices for this device's store: no-go, rollback, blocker bug, release blocked, waiting change requests and interventions, and (communications=1) release communications sent to its ring",
      ),
      querystring: noticesQuery,
      response: { 200: noticesResponse, ...errorResponses },
    },
    validatorCompiler: () => (data: unknown) => ({ value: data }),
    handler: (request) =>
      noticesOf(ctx.db, deviceOf(request.principal).storeId, request.query, ctx.now()),
  });
  return Promise.resolve();
};
