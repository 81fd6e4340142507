/**
 * A release's communication plan on the server: set by an administrator (API
 * or command line, a central action of the log), checked against the
 * release and its plan per ring (a ring the plan does not have is refused
 * naming `communications.N.when.ring`, and nothing is stored), and read by
 * the release desk with each communication's time per ring and whether it
 * was sent. Sending is ./scheduler.ts.
 */
import type { Kysely } from 'kysely';
import type { Ring } from '../../shared/domain/releases.ts';
import {
  commsPlan,
  commsPlanParams,
  dueInstants,
  type CommsPlan,
  type DeskCommsPlan,
  type RingDays,
} from '../../shared/releases/commsPlan.ts';
import { PublishRejected, parseFields, type FieldError } from '../catalog/deployments.ts';
import type { ServerSchema } from '../db/schema.ts';
import { parseInput } from '../errors.ts';
import { EVERY_RING } from './migrations.ts';

type Db = Kysely<ServerSchema>;

const WHAT = 'The communication plan';

/** The release plan's days per ring of each release asked for. */
export async function ringDaysOf(
  db: Db,
  releaseIds: readonly string[],
): Promise<Map<string, RingDays>> {
  const out = new Map<string, Map<Ring, { start: string; end: string }>>();
  if (releaseIds.length === 0) return out;
  const rows = await db
    .selectFrom('release_ring_plans')
    .select(['release_id', 'ring', 'planned_start', 'planned_end'])
    .where('release_id', 'in', [...releaseIds])
    .execute();
  for (const r of rows) {
    let days = out.get(r.release_id);
    if (!days) out.set(r.release_id, (days = new Map<Ring, { start: string; end: string }>()));
    days.set(r.ring as Ring, { start: r.planned_start, end: r.planned_end });
  }
  return out;
}

/**
 * Stores (replaces) a release's communication plan. Every problem is named
 * by field: an unknown release (`releaseId`), an unknown role or ring, an
 * empty message, or a ring the release plan has no days for. Nothing is
 * written unless all of it is valid.
 */
export async function setCommsPlan(db: Db, input: unknown, now: Date): Promise<CommsPlan> {
  const plan = parseFields(commsPlan, input, WHAT);
  const release = await db
    .selectFrom('releases')
    .select('id')
    .where('id', '=', plan.releaseId)
    .executeTakeFirst();
  if (!release)
    throw new PublishRejected(WHAT, [
      { field: 'releaseId', message: `release ${plan.releaseId} has not been published` },
    ]);
  const days = (await ringDaysOf(db, [plan.releaseId])).get(plan.releaseId) ?? new Map();
  const errors: FieldError[] = [];
  plan.communications.forEach((c, i) => {
    if (c.when.anchor === 'instant') return;
    if (c.when.ring !== undefined && !days.has(c.when.ring))
      errors.push({
        field: `communications.${i}.when.ring`,
        message: `the plan of release ${plan.releaseId} has no ${c.when.ring} ring; plan its days first (set-release-plan)`,
      });
    else if (c.when.ring === undefined && days.size === 0)
      errors.push({
        field: `communications.${i}.when`,
        message: `release ${plan.releaseId} has no plan per ring yet; plan its days first (set-release-plan)`,
      });
  });
  if (errors.length > 0) throw new PublishRejected(WHAT, errors);
  const data = JSON.stringify(plan);
  const at = now.toISOString();
  await db
    .insertInto('release_comms_plans')
    .values({ release_id: plan.releaseId, data, updated_at: at })
    .onConflict((oc) => oc.column('release_id').doUpdateSet({ data, updated_at: at }))
    .execute();
  return plan;
}

/** The plans of every release that has one. */
export async function commsPlans(db: Db): Promise<CommsPlan[]> {
  const rows = await db.selectFrom('release_comms_plans').select('data').execute();
  return rows.map((r) => JSON.parse(r.data) as CommsPlan);
}

/**
 * The release desk's read: each communication with its time per ring (from
 * the release plan as it is now) and, once sent, when. A release without a
 * plan answers an empty list.
 */
export async function deskCommsPlan(db: Db, params: unknown, now: Date): Promise<DeskCommsPlan> {
  const { releaseId } = parseInput(commsPlanParams, params, 'The release');
  const row = await db
    .selectFrom('release_comms_plans')
    .select('data')
    .where('release_id', '=', releaseId)
    .executeTakeFirst();
  const plan = row ? (JSON.parse(row.data) as CommsPlan) : null;
  const days = (await ringDaysOf(db, [releaseId])).get(releaseId) ?? new Map();
  const sent = await db
    .selectFrom('release_comms_sent')
    .select(['communication_id', 'ring', 'sent_at', 'due_at'])
    .where('release_id', '=', releaseId)
    .execute();
  const sentOf = new Map(sent.map((s) => [`${s.communication_id}\n${s.ring}`, s]));
  return {
    releaseId,
    communications: (plan?.communications ?? []).map((c) => ({
      id: c.id,
      roles: c.audience.roles,
      webhook: c.audience.webhook,
      when: c.when,
      message: c.message,
      sendings: dueInstants(c.when, days).map((d) => {
        const s = sentOf.get(`${c.id}\n${d.ring ?? EVERY_RING}`);
        // Once sent, the time it was due then stays what the desk shows.
        return { ring: d.ring, dueAt: s?.due_at ?? d.dueAt, sentAt: s?.sent_at ?? null };
      }),
    })),
    asOf: now.toISOString(),
  };
}
