/**
 * Console self-update routes: the signed update manifest of a version (public,
 * like the log's key: a console checks it with the key it already trusts),
 * and for administrators publishing a manifest and the update policy.
 */
import { runAdminAction } from '../admins/actions.ts';
import { adminActedBy } from '../admins/service.ts';
import { z } from 'zod';
import { publishUpdateInput, signedUpdateManifest } from '../../shared/updates/manifest.ts';
import { consoleUpdatePolicy } from '../../shared/updates/policy.ts';
import type { FeaturePlugin } from '../http/context.ts';
import { describe, errorResponses, noQuery, routeOf, serviceReadsBody } from '../http/route.ts';
import { UPDATE_ROUTES } from '../routes.ts';
import { publishUpdateManifest, readUpdateManifest, setConsoleUpdatePolicy } from './service.ts';

const manifestParams = z
  .object({ channel: z.string().min(1).max(40), version: z.string().min(1).max(64) })
  .strict();

export const updateRoutes: FeaturePlugin = (app, { ctx }) => {
  const { db, key, now } = ctx;
  const r = UPDATE_ROUTES;
  app.route({
    ...routeOf(r.updateManifest),
    schema: {
      ...describe(
        r.updateManifest,
        'updates',
        "A console version's update manifest, signed with the central log's key",
      ),
      params: manifestParams,
      querystring: noQuery,
      response: { 200: signedUpdateManifest, ...errorResponses },
    },
    handler: (request) => readUpdateManifest(db, request.params.channel, request.params.version),
  });
  app.route({
    ...routeOf(r.publishUpdateManifest),
    validatorCompiler: serviceReadsBody,
    schema: {
      ...describe(
        r.publishUpdateManifest,
        'updates',
        'Publish the files of a console version on a channel; the server signs the manifest',
      ),
      body: publishUpdateInput,
      response: { 200: signedUpdateManifest, ...errorResponses },
    },
    handler: (request) =>
      publishUpdateManifest(db, key, request.body, now(), adminActedBy(request.principal)),
  });
  app.route({
    ...routeOf(r.setConsoleUpdatePolicy),
    validatorCompiler: serviceReadsBody,
    schema: {
      ...describe(
        r.setConsoleUpdatePolicy,
        'updates',
        'Publish the console update policy: channel per ring, staged percentage, pins, downgrades',
      ),
      body: consoleUpdatePolicy,
      response: { 200: consoleUpdatePolicy, ...errorResponses },
    },
    handler: async (request) => {
      const { result } = await runAdminAction(
        db,
        key,
        {
          actedBy: adminActedBy(request.principal),
          type: 'admin.updatePolicy.set',
          at: now(),
          payload: {},
        },
        (d) => setConsoleUpdatePolicy(d, request.body, now()),
      );
      await ctx.store.durable();
      return result;
    },
  });
  return Promise.resolve();
};
