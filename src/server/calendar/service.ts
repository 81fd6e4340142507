/**
 * The release calendar: an administrator's plan per release and ring, and the
 * desk's read of a span of days (shared/releases/calendar.ts) — the plan next
 * to what happened, the freezes and deployment windows of the stores in the
 * desk's scope, and one store's trading days.
 */
import type { Kysely } from 'kysely';
import type { Ring } from '../../shared/domain/releases.ts';
import { catalogStoreWindows, type StoreWindows } from '../../shared/deployments/windows.ts';
import { isRegionInScope } from '../../shared/desk/protocol.ts';
import {
  calendarQuery,
  overlapsDays,
  releasePlanRequest,
  ringOrder,
  tradingDaysOf,
  type CalendarDeploymentWindow,
  type CalendarFreeze,
  type CalendarRing,
  type ReleaseCalendar,
  type ReleasePlanRequest,
} from '../../shared/releases/calendar.ts';
import { PublishRejected, parseFields, type FieldError } from '../catalog/deployments.ts';
import type { ServerSchema } from '../db/schema.ts';
import type { DeskPrincipal } from '../desk/queries.ts';
import { GO_DECISIONS, catalogStores, type DeskStore } from '../releaseDesk/evidence.ts';
import { storeInScope } from '../desk/queries.ts';

type Db = Kysely<ServerSchema>;

/** A read's bad query: every field named, like a refused publish, in words that fit a read. */
class QueryRejected extends PublishRejected {
  constructor(what: string, fieldErrors: FieldError[]) {
    super(what, fieldErrors);
    this.message = `${what} is not valid: ${fieldErrors.map((e) => `${e.field}: ${e.message}`).join('; ')}.`;
  }
}

/**
 * Sets the planned days of the rings named (the others keep their plan).
 * Bad input names each field (a reversed range names `rings.N.end`, an
 * unknown ring `rings.N.ring`); an unpublished release names `releaseId`.
 * Nothing is written unless all of it is valid.
 */
export async function setReleasePlan(
  db: Db,
  input: unknown,
  now: Date,
): Promise<ReleasePlanRequest> {
  const plan = parseFields(releasePlanRequest, input, 'The release plan');
  await db.transaction().execute(async (trx) => {
    const release = await trx
      .selectFrom('releases')
      .select('id')
      .where('id', '=', plan.releaseId)
      .executeTakeFirst();
    if (!release)
      throw new PublishRejected('The release plan', [
        { field: 'releaseId', message: `release ${plan.releaseId} has not been published` },
      ]);
    for (const r of plan.rings) {
      const row = {
        release_id: plan.releaseId,
        ring: r.ring,
        planned_start: r.start,
        planned_end: r.end,
        set_at: now.toISOString(),
      };
      await trx
        .insertInto('release_ring_plans')
        .values(row)
        .onConflict((oc) =>
          oc.columns(['release_id', 'ring']).doUpdateSet({
            planned_start: row.planned_start,
            planned_end: row.planned_end,
            set_at: row.set_at,
          }),
        )
        .execute();
    }
  });
  return plan;
}

/** What the central log records of a plan set (`admin.releasePlan.set`): the release and each ring's days. */
export function releasePlanPayload(plan: ReleasePlanRequest): {
  releaseId: string;
  rings: Array<{ ring: string; start: string; end: string }>;
} {
  return {
    releaseId: plan.releaseId,
    rings: plan.rings.map((r) => ({ ring: r.ring, start: r.start, end: r.end })),
  };
}

/** The latest trading hours and freezes the catalog publishes for each store. */
async function storeWindowsOf(db: Db, storeIds: ReadonlySet<string>): Promise<StoreWindows[]> {
  const rows = await db
    .selectFrom('catalog_changes')
    .select(['entity_id', 'op', 'value'])
    .where('entity', '=', 'storeWindows')
    .orderBy('cursor')
    .execute();
  const latest = new Map<string, StoreWindows | null>();
  for (const r of rows)
    latest.set(
      r.entity_id,
      r.op === 'upsert' && r.value !== null ? catalogStoreWindows.parse(JSON.parse(r.value)) : null,
    );
  return [...latest.values()].filter(
    (w): w is StoreWindows => w !== null && storeIds.has(w.storeId),
  );
}

function ringEntries(
  plans: ReadonlyArray<{
    release_id: string;
    ring: string;
    planned_start: string;
    planned_end: string;
  }>,
  promotions: ReadonlyArray<{ release_id: string; ring: string; at: string }>,
  decisions: ReadonlyArray<{
    release_id: string;
    store_id: string;
    decision: string;
    signed_at: string;
    log_idx: number | string;
  }>,
  versions: ReadonlyMap<string, string>,
  stores: readonly DeskStore[],
): CalendarRing[] {
  const storeRing = new Map(stores.map((s) => [s.id, s.ring]));
  const storesPerRing = new Map<Ring, number>();
  for (const s of stores) storesPerRing.set(s.ring, (storesPerRing.get(s.ring) ?? 0) + 1);
  const entries = new Map<string, CalendarRing>();
  const entryOf = (releaseId: string, ring: Ring): CalendarRing => {
    const key = `${releaseId}\n${ring}`;
    let e = entries.get(key);
    if (!e) {
      e = {
        releaseId,
        version: versions.get(releaseId) ?? releaseId,
        ring,
        plannedStart: null,
        plannedEnd: null,
        targetAt: null,
        firstGoAt: null,
        lastGoAt: null,
        goStores: 0,
        stores: storesPerRing.get(ring) ?? 0,
      };
      entries.set(key, e);
    }
    return e;
  };
  for (const p of plans) {
    const e = entryOf(p.release_id, p.ring as Ring);
    e.plannedStart = p.planned_start;
    e.plannedEnd = p.planned_end;
  }
  for (const p of promotions) {
    const e = entryOf(p.release_id, p.ring as Ring);
    if (e.targetAt === null || p.at < e.targetAt) e.targetAt = p.at;
  }
  // Each store's latest decision counts: a go later reversed by a no-go is no validation.
  const latest = new Map<string, (typeof decisions)[number]>();
  for (const d of decisions) {
    const key = `${d.release_id}\n${d.store_id}`;
    const seen = latest.get(key);
    if (!seen || Number(d.log_idx) > Number(seen.log_idx)) latest.set(key, d);
  }
  for (const d of latest.values()) {
    const ring = storeRing.get(d.store_id);
    if (ring === undefined || !GO_DECISIONS.includes(d.decision)) continue;
    const e = entryOf(d.release_id, ring);
    e.goStores += 1;
    if (e.firstGoAt === null || d.signed_at < e.firstGoAt) e.firstGoAt = d.signed_at;
    if (e.lastGoAt === null || d.signed_at > e.lastGoAt) e.lastGoAt = d.signed_at;
  }
  return [...entries.values()];
}

/**
 * The calendar of `from`..`to` for the desk's scope: releases per ring whose
 * plan or history touches those days, the freezes and deployment windows of
 * the stores in scope (identical ones counted together), and the trading days
 * of `storeId` when it is asked for (a store outside the scope is refused
 * like an unknown one).
 */
export async function deskCalendar(
  db: Db,
  desk: DeskPrincipal,
  query: unknown,
  now: Date,
): Promise<ReleaseCalendar> {
  const r = calendarQuery.safeParse(query);
  if (!r.success)
    throw new QueryRejected(
      'The calendar range',
      r.error.issues.map((i) => ({
        field: i.path.length > 0 ? i.path.map(String).join('.') : '(query)',
        message: i.message,
      })),
    );
  const { from, to, storeId } = r.data;
  const asked = storeId === undefined ? null : await storeInScope(db, desk, storeId);
  const stores = (await catalogStores(db)).filter((s) => isRegionInScope(desk.scope, s.region));
  const inScope = new Set(stores.map((s) => s.id));

  const [plans, promotions, releases] = await Promise.all([
    db
      .selectFrom('release_ring_plans')
      .select(['release_id', 'ring', 'planned_start', 'planned_end'])
      .execute(),
    db.selectFrom('release_promotions').select(['release_id', 'ring', 'at']).execute(),
    db.selectFrom('releases').select(['id', 'data']).execute(),
  ]);
  const versions = new Map(
    releases.map((row) => [row.id, (JSON.parse(row.data) as { version: string }).version]),
  );
  const releaseIds = [...new Set([...plans, ...promotions].map((p) => p.release_id))];
  const decisions =
    releaseIds.length === 0
      ? []
      : await db
          .selectFrom('rm_decisions')
          .select(['release_id', 'store_id', 'decision', 'signed_at', 'log_idx'])
          .where('release_id', 'in', releaseIds)
          .execute();
  const rings = ringEntries(plans, promotions, decisions, versions, stores)
    .filter((e) =>
      [
        [e.plannedStart, e.plannedEnd],
        [e.targetAt, e.targetAt],
        [e.firstGoAt, e.lastGoAt],
      ].some(([a, b]) => a != null && b != null && overlapsDays(a, b, from, to)),
    )
    .sort(
      (a, b) =>
        (a.plannedStart ?? a.targetAt ?? '').localeCompare(b.plannedStart ?? b.targetAt ?? '') ||
        a.version.localeCompare(b.version) ||
        ringOrder(a.ring) - ringOrder(b.ring),
    );

  const windows = await storeWindowsOf(db, inScope);
  const freezes = new Map<string, CalendarFreeze>();
  for (const w of windows)
    for (const f of w.freezes) {
      if (!overlapsDays(f.from, f.to, from, to)) continue;
      const key = JSON.stringify([f.name, f.from, f.to]);
      const seen = freezes.get(key);
      if (seen) seen.stores += 1;
      else freezes.set(key, { name: f.name, from: f.from, to: f.to, stores: 1 });
    }

  const deploymentWindows = new Map<string, CalendarDeploymentWindow>();
  const windowRows = await db
    .selectFrom('deployment_windows')
    .select(['release_id', 'store_id', 'start_local', 'end_local'])
    .where('start_local', '<=', `${to}T23:59`)
    .where('end_local', '>=', `${from}T00:00`)
    .execute();
  for (const w of windowRows) {
    if (!inScope.has(w.store_id)) continue;
    const key = JSON.stringify([w.release_id, w.start_local, w.end_local]);
    const seen = deploymentWindows.get(key);
    if (seen) seen.stores += 1;
    else
      deploymentWindows.set(key, {
        releaseId: w.release_id,
        version: versions.get(w.release_id) ?? w.release_id,
        start: w.start_local,
        end: w.end_local,
        stores: 1,
      });
  }

  let store: ReleaseCalendar['store'] = null;
  if (asked !== null) {
    const full = stores.find((s) => s.id === asked.id);
    const timezone = full?.timezone ?? 'UTC';
    const own = windows.find((w) => w.storeId === asked.id);
    store = {
      id: asked.id,
      name: asked.name,
      timezone,
      hasTradingHours: own !== undefined,
      tradingDays: own === undefined ? [] : tradingDaysOf(own, timezone, from, to),
    };
  }

  return {
    from,
    to,
    rings,
    freezes: [...freezes.values()].sort((a, b) => a.from.localeCompare(b.from)),
    deploymentWindows: [...deploymentWindows.values()].sort((a, b) =>
      a.start.localeCompare(b.start),
    ),
    store,
    asOf: now.toISOString(),
  };
}
