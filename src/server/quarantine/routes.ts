/**
 * Quarantine for admins: the events that broke the actor rule (appended,
 * marked, left out of every read model and feed), paged by log index, with
 * the count per reason; and revoking a user, after which every event the
 * user acts in is quarantined `actor_revoked`.
 */
import { runAdminAction } from '../admins/actions.ts';
import { adminActedBy } from '../admins/service.ts';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import {
  QUARANTINE_REASONS,
  QUARANTINE_REASON_TEXT,
  type QuarantineReason,
} from '../../shared/audit/actorRule.ts';
import type { AuditEventBody } from '../../shared/audit/event.ts';
import { recordChanges } from '../catalog/service.ts';
import type { ServerSchema } from '../db/schema.ts';
import type { FeaturePlugin } from '../http/context.ts';
import { describe, errorResponses, routeOf } from '../http/route.ts';
import { QUARANTINE_ROUTES } from '../routes.ts';
import { revokeUser } from './catalog.ts';

const MAX_QUARANTINE_PAGE = 500;

export const quarantineQuery = z
  .object({
    /** Keyset cursor: the `next` of the previous page (entries with a larger log index). */
    after: z
      .string()
      .regex(/^(0|[1-9][0-9]{0,15})$/)
      .transform(Number)
      .optional(),
    limit: z
      .string()
      .regex(/^[1-9][0-9]{0,3}$/)
      .transform(Number)
      .pipe(z.number().max(MAX_QUARANTINE_PAGE))
      .optional(),
    storeId: z.string().min(1).max(64).optional(),
  })
  .strict();

const revokeUserInput = z.object({ userId: z.string().min(1).max(64) }).strict();

export type QuarantineEntry = {
  index: number;
  deviceId: string;
  seq: number;
  storeId: string;
  type: string;
  at: string;
  actor: { userId: string; role: string };
  reason: QuarantineReason;
  /** What the reason means, in plain words. */
  explanation: string;
};

export type QuarantinePage = {
  entries: QuarantineEntry[];
  /** Pass as `after` for the next page; null on the last page. */
  next: number | null;
  /** How many events are quarantined in all (in the store asked for, if any), per reason. */
  counts: { total: number; byReason: Record<QuarantineReason, number> };
};

/** One page of quarantined events, oldest first, and the counts. */
export async function listQuarantine(
  db: Kysely<ServerSchema>,
  q: { after?: number | undefined; limit?: number | undefined; storeId?: string | undefined },
): Promise<QuarantinePage> {
  const limit = q.limit ?? 100;
  let page = db
    .selectFrom('log_entries')
    .select(['idx', 'device_id', 'seq', 'store_id', 'type', 'at', 'body', 'quarantine_reason'])
    .where('quarantine_reason', 'is not', null);
  if (q.after !== undefined) page = page.where('idx', '>', q.after);
  if (q.storeId !== undefined) page = page.where('store_id', '=', q.storeId);
  const rows = await page
    .orderBy('idx')
    .limit(limit + 1)
    .execute();
  let counting = db
    .selectFrom('log_entries')
    .select(['quarantine_reason'])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('quarantine_reason', 'is not', null);
  if (q.storeId !== undefined) counting = counting.where('store_id', '=', q.storeId);
  const grouped = await counting.groupBy('quarantine_reason').execute();
  const byReason = Object.fromEntries(QUARANTINE_REASONS.map((r) => [r, 0])) as Record<
    QuarantineReason,
    number
  >;
  let total = 0;
  for (const g of grouped) {
    const n = Number(g.n);
    byReason[g.quarantine_reason as QuarantineReason] = n;
    total += n;
  }
  const shown = rows.slice(0, limit);
  return {
    entries: shown.map((r) => {
      const reason = r.quarantine_reason as QuarantineReason;
      const body = JSON.parse(r.body) as AuditEventBody;
      return {
        index: Number(r.idx),
        deviceId: r.device_id,
        seq: Number(r.seq),
        storeId: r.store_id,
        type: r.type,
        at: r.at,
        actor: { userId: body.actor.userId, role: body.actor.role },
        reason,
        explanation: QUARANTINE_REASON_TEXT[reason],
      };
    }),
    next: rows.length > limit ? Number(shown[shown.length - 1]!.idx) : null,
    counts: { total, byReason },
  };
}

const quarantineEntry = z
  .object({
    index: z.number().int(),
    deviceId: z.string(),
    seq: z.number().int(),
    storeId: z.string(),
    type: z.string(),
    at: z.string(),
    actor: z.object({ userId: z.string(), role: z.string() }).strict(),
    reason: z.enum(QUARANTINE_REASONS),
    explanation: z.string(),
  })
  .strict();
const quarantinePage = z
  .object({
    entries: z.array(quarantineEntry),
    next: z.number().int().nullable(),
    counts: z
      .object({
        total: z.number().int(),
        byReason: z.record(z.enum(QUARANTINE_REASONS), z.number().int()),
      })
      .strict(),
  })
  .strict();

/** The quarantine feature's routes (admin token). */
export const quarantineRoutes: FeaturePlugin = (app, { ctx }) => {
  const { db, now } = ctx;
  app.route({
    ...routeOf(QUARANTINE_ROUTES.listQuarantine),
    schema: {
      ...describe(
        QUARANTINE_ROUTES.listQuarantine,
        'admin',
        'Quarantined events (appended, but breaking the actor rule), paged by log index, with counts',
      ),
      querystring: quarantineQuery,
      response: { 200: quarantinePage, ...errorResponses },
    },
    handler: (request) => listQuarantine(db, request.query),
  });
  app.route({
    ...routeOf(QUARANTINE_ROUTES.revokeUser),
    schema: {
      ...describe(
        QUARANTINE_ROUTES.revokeUser,
        'admin',
        'Revoke a user: removed from every console; their later events are quarantined',
      ),
      body: revokeUserInput,
      response: { 200: z.object({ ok: z.literal(true) }).strict(), ...errorResponses },
    },
    handler: async (request) => {
      await runAdminAction<{ storeIds: string[] }>(
        db,
        ctx.key,
        {
          actedBy: adminActedBy(request.principal),
          type: 'admin.user.revoked',
          at: now(),
          payload: (out) => ({ userId: request.body.userId, storeIds: out.storeIds }),
        },
        (d) => revokeUser(d, request.body.userId, now(), recordChanges),
      );
      await ctx.store.durable();
      return { ok: true as const };
    },
  });
  return Promise.resolve();
};
