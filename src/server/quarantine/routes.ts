/**
 * Quarantine for admins: the events that broke the actor rule (appended,
 * marked, left out of every read model and feed), paged by log index, with
 * the count per reason; and revoking a user, after which every event the
 * user acts in is quarantined `actor_revoked`.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import {
  QUARANTINE_REASONS,
  QUARANTINE_REASON_TEXT,
  type QuarantineReason,
} from '../../shared/audit/actorRule.ts';
import type { AuditEventBody } from '../../shared/audit/event.ts';
import type { RouteAuth } from '../../shared/sync/protocol.ts';
import { recordChanges } from '../catalog/service.ts';
import type { ServerSchema } from '../db/schema.ts';
import { parseInput } from '../errors.ts';
import { revokeUser } from './catalog.ts';

export const QUARANTINE_ROUTES = {
  listQuarantine: { method: 'GET', url: '/v1/admin/quarantine', auth: 'admin' },
  revokeUser: { method: 'POST', url: '/v1/admin/users/revoke', auth: 'admin' },
} as const satisfies Record<
  string,
  { method: 'GET' | 'POST'; url: string; auth: RouteAuth; bodyLimit?: number }
>;

export const MAX_QUARANTINE_PAGE = 500;

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

export const revokeUserInput = z.object({ userId: z.string().min(1).max(64) }).strict();

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

type RouteFn = (
  def: (typeof QUARANTINE_ROUTES)[keyof typeof QUARANTINE_ROUTES],
  handler: (ctx: { body: unknown; query: unknown }) => Promise<unknown>,
) => void;

/** Registers the routes with the server's route helper (app.ts: auth, rate limit, durable answers). */
export function registerQuarantineRoutes(
  route: RouteFn,
  deps: { db: Kysely<ServerSchema>; now: () => Date },
): void {
  route(QUARANTINE_ROUTES.listQuarantine, ({ query }) =>
    listQuarantine(deps.db, parseInput(quarantineQuery, query, 'The quarantine query')),
  );
  route(QUARANTINE_ROUTES.revokeUser, async ({ body }) => {
    const req = parseInput(revokeUserInput, body, 'The revocation');
    await revokeUser(deps.db, req.userId, deps.now(), recordChanges);
    return { ok: true };
  });
}
