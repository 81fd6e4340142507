/**
 * Webhook subscriptions for administrators (admin token): create, list,
 * delete, pause, resume, replay, and the delivery log. Each change is a
 * central action of the log naming the administrator, in its transaction. The plugin also runs
 * the delivery worker (./worker.ts) while the server is up, unless the
 * server was created with `webhookDelivery: false` (tests drive their own
 * worker with a stepped clock).
 */
import { z } from 'zod';
import { WEBHOOK_ROUTES } from '../../shared/webhooks/protocol.ts';
import { runAdminAction } from '../admins/actions.ts';
import { adminActedBy } from '../admins/service.ts';
import type { FeaturePlugin } from '../http/context.ts';
import { describe, errorResponses, noQuery, routeOf } from '../http/route.ts';
import {
  createSubscription,
  createSubscriptionInput,
  deleteSubscription,
  deliveryView,
  listDeliveries,
  listSubscriptions,
  pauseSubscription,
  replayInput,
  replayMessages,
  resumeSubscription,
  subscriptionCreatedPayload,
  subscriptionView,
} from './subscriptions.ts';
import { createWebhookWorker } from './worker.ts';

const idParams = z.object({ id: z.string().min(1).max(64) }).strict();
const TAG = 'webhooks';

export const webhookRoutes: FeaturePlugin = (app, { ctx }) => {
  const { db, now } = ctx;
  if (ctx.webhookDelivery !== false) {
    const log = app.log.child({ scope: 'webhooks' });
    const worker = createWebhookWorker(db, {
      onError: (err) => log.error({ err }, 'webhook round failed'),
    });
    app.addHook('onReady', () => {
      worker.start();
      return Promise.resolve();
    });
    app.addHook('onClose', () => worker.stop());
  }
  app.route({
    ...routeOf(WEBHOOK_ROUTES.createWebhook),
    schema: {
      ...describe(
        WEBHOOK_ROUTES.createWebhook,
        TAG,
        'Subscribe a URL to release-health events; the signing secret is returned once',
      ),
      body: createSubscriptionInput,
      response: {
        200: z.object({ subscription: subscriptionView, secret: z.string() }).strict(),
        ...errorResponses,
      },
    },
    handler: async (request) => {
      const { result } = await runAdminAction<Awaited<ReturnType<typeof createSubscription>>>(
        db,
        ctx.key,
        {
          actedBy: adminActedBy(request.principal),
          type: 'admin.webhook.created',
          at: now(),
          payload: (out) => subscriptionCreatedPayload(out.subscription),
        },
        (d) => createSubscription(d, request.body, now()),
      );
      await ctx.store.durable();
      return result;
    },
  });
  app.route({
    ...routeOf(WEBHOOK_ROUTES.listWebhooks),
    schema: {
      ...describe(WEBHOOK_ROUTES.listWebhooks, TAG, 'Every webhook subscription (no secrets)'),
      querystring: noQuery,
      response: {
        200: z.object({ subscriptions: z.array(subscriptionView) }).strict(),
        ...errorResponses,
      },
    },
    handler: async () => ({ subscriptions: await listSubscriptions(db) }),
  });
  app.route({
    ...routeOf(WEBHOOK_ROUTES.deleteWebhook),
    schema: {
      ...describe(
        WEBHOOK_ROUTES.deleteWebhook,
        TAG,
        'Delete a subscription, its outbox and its log',
      ),
      params: idParams,
      response: { 200: z.object({ ok: z.literal(true) }).strict(), ...errorResponses },
    },
    handler: async (request) => {
      await runAdminAction(
        db,
        ctx.key,
        {
          actedBy: adminActedBy(request.principal),
          type: 'admin.webhook.deleted',
          at: now(),
          payload: { subscriptionId: request.params.id },
        },
        (d) => deleteSubscription(d, request.params.id),
      );
      await ctx.store.durable();
      return { ok: true as const };
    },
  });
  app.route({
    ...routeOf(WEBHOOK_ROUTES.pauseWebhook),
    schema: {
      ...describe(WEBHOOK_ROUTES.pauseWebhook, TAG, 'Pause deliveries (messages wait)'),
      params: idParams,
      response: { 200: z.object({ subscription: subscriptionView }).strict(), ...errorResponses },
    },
    handler: async (request) => {
      const { result } = await runAdminAction(
        db,
        ctx.key,
        {
          actedBy: adminActedBy(request.principal),
          type: 'admin.webhook.paused',
          at: now(),
          payload: { subscriptionId: request.params.id },
        },
        (d) => pauseSubscription(d, request.params.id, now()),
      );
      await ctx.store.durable();
      return { subscription: result };
    },
  });
  app.route({
    ...routeOf(WEBHOOK_ROUTES.resumeWebhook),
    schema: {
      ...describe(
        WEBHOOK_ROUTES.resumeWebhook,
        TAG,
        'Resume deliveries: clears the failure count, waiting messages are due at once',
      ),
      params: idParams,
      response: { 200: z.object({ subscription: subscriptionView }).strict(), ...errorResponses },
    },
    handler: async (request) => {
      const { result } = await runAdminAction(
        db,
        ctx.key,
        {
          actedBy: adminActedBy(request.principal),
          type: 'admin.webhook.resumed',
          at: now(),
          payload: { subscriptionId: request.params.id },
        },
        (d) => resumeSubscription(d, request.params.id, now()),
      );
      await ctx.store.durable();
      return { subscription: result };
    },
  });
  app.route({
    ...routeOf(WEBHOOK_ROUTES.replayWebhook),
    schema: {
      ...describe(
        WEBHOOK_ROUTES.replayWebhook,
        TAG,
        'Send messages again (by id, or every one created since a time)',
      ),
      params: idParams,
      body: replayInput,
      response: {
        200: z.object({ requeued: z.number().int() }).strict(),
        ...errorResponses,
      },
    },
    handler: async (request) => {
      const { result } = await runAdminAction<{ requeued: number }>(
        db,
        ctx.key,
        {
          actedBy: adminActedBy(request.principal),
          type: 'admin.webhook.replayed',
          at: now(),
          payload: (out) => ({ subscriptionId: request.params.id, requeued: out.requeued }),
        },
        (d) => replayMessages(d, request.params.id, request.body, now()),
      );
      await ctx.store.durable();
      return result;
    },
  });
  app.route({
    ...routeOf(WEBHOOK_ROUTES.listWebhookDeliveries),
    schema: {
      ...describe(
        WEBHOOK_ROUTES.listWebhookDeliveries,
        TAG,
        'The delivery log of a subscription, newest first: one row per attempt',
      ),
      params: idParams,
      querystring: z
        .object({
          limit: z
            .string()
            .regex(/^[1-9][0-9]{0,3}$/)
            .transform(Number)
            .pipe(z.number().max(1000))
            .optional(),
        })
        .strict(),
      response: {
        200: z.object({ deliveries: z.array(deliveryView) }).strict(),
        ...errorResponses,
      },
    },
    handler: async (request) => ({
      deliveries: await listDeliveries(db, request.params.id, request.query.limit),
    }),
  });
  return Promise.resolve();
};
