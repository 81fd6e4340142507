/**
 * Webhook subscriptions for administrators: create (URL, event types,
 * secret), list, delete, pause, resume, replay, and the delivery log. The
 * admin HTTP routes (./routes.ts) and the command line (./cli.ts) call these.
 */
import { v7 as uuidv7 } from 'uuid';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import {
  DEFAULT_INTERVENTION_WAIT_MINUTES,
  WEBHOOK_EVENT_TYPES,
  type WebhookEventType,
} from '../../shared/webhooks/events.ts';
import type { ServerSchema } from '../db/schema.ts';
import { ServerError } from '../errors.ts';
import { generateSecret, isValidSecret } from './signature.ts';

export const createSubscriptionInput = z
  .object({
    url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).max(2_000),
    eventTypes: z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1).max(WEBHOOK_EVENT_TYPES.length),
    /** `whsec_` + base64 of 24–64 bytes; generated when left out. */
    secret: z
      .string()
      .max(200)
      .refine(isValidSecret, 'must be whsec_ followed by base64 of 24 to 64 bytes')
      .optional(),
    /** For deployment.intervention_waiting: minutes at an intervention before it notifies. */
    waitMinutes: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60)
      .optional(),
  })
  .strict();
export type CreateSubscriptionInput = z.infer<typeof createSubscriptionInput>;

export const subscriptionView = z
  .object({
    id: z.string(),
    url: z.string(),
    eventTypes: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
    waitMinutes: z.number().int(),
    createdAt: z.string(),
    pausedAt: z.string().nullable(),
    pauseReason: z.string().nullable(),
    consecutiveFailures: z.number().int(),
    pending: z.number().int(),
    delivered: z.number().int(),
  })
  .strict();
export type SubscriptionView = z.infer<typeof subscriptionView>;

export const replayInput = z
  .object({
    /** Messages to send again; when left out, every message created at or after `since`. */
    messageIds: z.array(z.string().min(1).max(64)).min(1).max(10_000).optional(),
    since: z.iso.datetime().optional(),
  })
  .strict()
  .refine((v) => v.messageIds !== undefined || v.since !== undefined, {
    message: 'name messageIds or since',
    path: ['messageIds'],
  });
export type ReplayInput = z.infer<typeof replayInput>;

export const deliveryView = z
  .object({
    messageId: z.string(),
    attempt: z.number().int(),
    eventType: z.string(),
    attemptedAt: z.string(),
    statusCode: z.number().int().nullable(),
    outcome: z.enum(['delivered', 'failed']),
    error: z.string().nullable(),
    durationMs: z.number().int(),
  })
  .strict();
export type DeliveryView = z.infer<typeof deliveryView>;

/**
 * What the central log records of a new subscription (`admin.webhook.created`):
 * its id, events and the receiver's origin. Never the secret, nor the URL's
 * path or query, which often carry the receiver's own token.
 */
export function subscriptionCreatedPayload(subscription: SubscriptionView): {
  subscriptionId: string;
  origin: string;
  eventTypes: string[];
} {
  return {
    subscriptionId: subscription.id,
    origin: new URL(subscription.url).origin,
    eventTypes: [...subscription.eventTypes],
  };
}

function notFound(id: string): ServerError {
  return new ServerError('not_found', `There is no webhook subscription ${id}.`);
}

export async function createSubscription(
  db: Kysely<ServerSchema>,
  input: CreateSubscriptionInput,
  now: Date,
): Promise<{ subscription: SubscriptionView; secret: string }> {
  const id = `wh_${uuidv7()}`;
  const secret = input.secret ?? generateSecret();
  const eventTypes = [...new Set(input.eventTypes)];
  await db
    .insertInto('webhook_subscriptions')
    .values({
      id,
      url: input.url,
      event_types: JSON.stringify(eventTypes),
      secret,
      wait_minutes: input.waitMinutes ?? DEFAULT_INTERVENTION_WAIT_MINUTES,
      created_at: now.toISOString(),
      paused_at: null,
      pause_reason: null,
      consecutive_failures: 0,
    })
    .execute();
  return { subscription: await getSubscription(db, id), secret };
}

export async function listSubscriptions(db: Kysely<ServerSchema>): Promise<SubscriptionView[]> {
  const subs = await db.selectFrom('webhook_subscriptions').selectAll().orderBy('id').execute();
  const counts = await db
    .selectFrom('webhook_messages')
    .select(['subscription_id'])
    .select((eb) => [
      eb.fn.countAll<number>().as('total'),
      eb.fn.count<number>('delivered_at').as('delivered'),
    ])
    .groupBy('subscription_id')
    .execute();
  const countOf = new Map(counts.map((c) => [c.subscription_id, c]));
  return subs.map((s) => {
    const c = countOf.get(s.id);
    const total = Number(c?.total ?? 0);
    const delivered = Number(c?.delivered ?? 0);
    return {
      id: s.id,
      url: s.url,
      eventTypes: JSON.parse(s.event_types) as WebhookEventType[],
      waitMinutes: Number(s.wait_minutes),
      createdAt: s.created_at,
      pausedAt: s.paused_at,
      pauseReason: s.pause_reason,
      consecutiveFailures: Number(s.consecutive_failures),
      pending: total - delivered,
      delivered,
    };
  });
}

async function getSubscription(db: Kysely<ServerSchema>, id: string): Promise<SubscriptionView> {
  const found = (await listSubscriptions(db)).find((s) => s.id === id);
  if (!found) throw notFound(id);
  return found;
}

/** Removes the subscription, its outbox and its delivery log. */
export async function deleteSubscription(db: Kysely<ServerSchema>, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const r = await trx.deleteFrom('webhook_subscriptions').where('id', '=', id).executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) throw notFound(id);
    await trx.deleteFrom('webhook_messages').where('subscription_id', '=', id).execute();
    await trx.deleteFrom('webhook_deliveries').where('subscription_id', '=', id).execute();
  });
}

export async function pauseSubscription(
  db: Kysely<ServerSchema>,
  id: string,
  now: Date,
): Promise<SubscriptionView> {
  const r = await db
    .updateTable('webhook_subscriptions')
    .set({ paused_at: now.toISOString(), pause_reason: 'paused by an administrator' })
    .where('id', '=', id)
    .where('paused_at', 'is', null)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) await getSubscription(db, id);
  return getSubscription(db, id);
}

/** Clears the pause and the failure count; the messages that waited are due at once. */
export async function resumeSubscription(
  db: Kysely<ServerSchema>,
  id: string,
  now: Date,
): Promise<SubscriptionView> {
  await db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('webhook_subscriptions')
      .set({ paused_at: null, pause_reason: null, consecutive_failures: 0 })
      .where('id', '=', id)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) throw notFound(id);
    await trx
      .updateTable('webhook_messages')
      .set({ next_attempt_ms: now.getTime() })
      .where('subscription_id', '=', id)
      .where('delivered_at', 'is', null)
      .execute();
  });
  return getSubscription(db, id);
}

/**
 * Sends messages again (delivered or not): they become due now and keep
 * their id, so a receiver that deduplicates by `webhook-id` sees a repeat;
 * each new attempt gets the next attempt number in the delivery log.
 */
export async function replayMessages(
  db: Kysely<ServerSchema>,
  id: string,
  input: ReplayInput,
  now: Date,
): Promise<{ requeued: number }> {
  await getSubscription(db, id);
  let q = db
    .updateTable('webhook_messages')
    .set({ delivered_at: null, next_attempt_ms: now.getTime() })
    .where('subscription_id', '=', id);
  if (input.messageIds) q = q.where('id', 'in', input.messageIds);
  if (input.since) q = q.where('created_at', '>=', new Date(input.since).toISOString());
  const r = await q.executeTakeFirst();
  return { requeued: Number(r.numUpdatedRows) };
}

/** The delivery log of a subscription, newest first. */
export async function listDeliveries(
  db: Kysely<ServerSchema>,
  id: string,
  limit = 100,
): Promise<DeliveryView[]> {
  await getSubscription(db, id);
  const rows = await db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_messages as m', 'm.id', 'd.message_id')
    .select([
      'd.message_id',
      'd.attempt',
      'm.event_type',
      'd.attempted_at',
      'd.status_code',
      'd.outcome',
      'd.error',
      'd.duration_ms',
    ])
    .where('d.subscription_id', '=', id)
    .orderBy('d.attempted_at', 'desc')
    .orderBy('d.message_id')
    .orderBy('d.attempt', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    messageId: r.message_id,
    attempt: Number(r.attempt),
    eventType: r.event_type,
    attemptedAt: r.attempted_at,
    statusCode: r.status_code === null ? null : Number(r.status_code),
    outcome: r.outcome as 'delivered' | 'failed',
    error: r.error,
    durationMs: Number(r.duration_ms),
  }));
}
