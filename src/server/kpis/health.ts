/**
 * Per-release health: rollout progress, the release's KPIs since it was
 * published beside the previous release's at the same point of its rollout,
 * open bugs by severity, and the verdict (src/shared/kpis/verdict.ts). Read
 * from the read models and the KPI aggregates only. A desk sees its scope;
 * store consoles get the chain-wide verdict alone.
 */
import { CLOSED_REPORT_STATUSES } from '../../shared/feedback/types.ts';
import type { Kysely } from 'kysely';
import { computeKpis } from '../../shared/kpis/definitions.ts';
import type { ReleaseHealth, ReleaseVerdict } from '../../shared/kpis/health.ts';
import { healthVerdict, type OpenBugs } from '../../shared/kpis/verdict.ts';
import type { ServerSchema } from '../db/schema.ts';
import { ServerError } from '../errors.ts';
import { kpiSums } from './queries.ts';

type Db = Kysely<ServerSchema>;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

type Published = { releaseId: string; version: string; at: string; cursor: number };

/** Every release with its publication (first catalog change), in publication order. */
async function publications(db: Db): Promise<Published[]> {
  const [firsts, releases] = await Promise.all([
    db
      .selectFrom('catalog_changes')
      .select(['entity_id', (eb) => eb.fn.min('cursor').as('cursor')])
      .where('entity', '=', 'release')
      .groupBy('entity_id')
      .execute(),
    db.selectFrom('releases').select(['id', 'data']).execute(),
  ]);
  const cursors = firsts.map((f) => Number(f.cursor));
  const at = new Map<number, string>();
  if (cursors.length > 0)
    for (const r of await db
      .selectFrom('catalog_changes')
      .select(['cursor', 'at'])
      .where('cursor', 'in', cursors)
      .execute())
      at.set(Number(r.cursor), r.at);
  const version = new Map(
    releases.map((r) => [r.id, (JSON.parse(r.data) as { version: string }).version]),
  );
  return firsts
    .map((f) => ({
      releaseId: f.entity_id,
      version: version.get(f.entity_id) ?? '',
      cursor: Number(f.cursor),
      at: at.get(Number(f.cursor)) ?? '',
    }))
    .sort((a, b) => a.cursor - b.cursor);
}

const SEVERITY_KIND: Record<string, keyof OpenBugs | undefined> = {
  blocker: 'blocker',
  S1: 'blocker',
  S2: 'blocker',
  major: 'major',
  S3: 'major',
  minor: 'minor',
  S4: 'minor',
};

async function openBugsOf(
  db: Db,
  releaseId: string,
  stores: readonly string[] | null,
): Promise<OpenBugs> {
  const bugs: OpenBugs = { blocker: 0, major: 0, minor: 0 };
  if (stores !== null && stores.length === 0) return bugs;
  // Open as the go / no-go rule counts it; the desk's triaged severity, when set, wins over the
  // reported one. S1 and S2 are blockers; S3 counts as major and S4 as minor.
  let q = db
    .selectFrom('rm_bug_reports')
    .select(['severity', 'severity_set', (eb) => eb.fn.countAll<number>().as('n')])
    .where('release_id', '=', releaseId)
    .where('status', 'not in', [...CLOSED_REPORT_STATUSES, 'closed']);
  if (stores !== null) q = q.where('store_id', 'in', [...stores]);
  for (const r of await q.groupBy(['severity', 'severity_set']).execute()) {
    const kind = SEVERITY_KIND[r.severity_set ?? r.severity];
    if (kind) bugs[kind] += Number(r.n);
  }
  return bugs;
}

async function rolloutOf(db: Db, releaseId: string, stores: readonly string[] | null) {
  if (stores !== null && stores.length === 0)
    return {
      storesInScope: 0,
      storesOnRelease: 0,
      terminalsInScope: 0,
      terminalsOnRelease: 0,
      share: 0,
    };
  let terminals = db
    .selectFrom('rm_terminals')
    .select((eb) => [
      eb.fn.countAll<number>().as('n'),
      eb.fn
        .count<number>(eb.case().when('release_id', '=', releaseId).then(1).end())
        .as('on_release'),
    ]);
  let onRelease = db
    .selectFrom('rm_terminals')
    .select((eb) => eb.fn.count<number>('store_id').distinct().as('n'))
    .where('release_id', '=', releaseId);
  if (stores !== null) {
    terminals = terminals.where('store_id', 'in', [...stores]);
    onRelease = onRelease.where('store_id', 'in', [...stores]);
  }
  const [t, s, storeCount] = await Promise.all([
    terminals.executeTakeFirstOrThrow(),
    onRelease.executeTakeFirstOrThrow(),
    stores === null
      ? db
          .selectFrom('stores')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
          .then((r) => Number(r.n))
      : Promise.resolve(stores.length),
  ]);
  const total = Number(t.n);
  const on = Number(t.on_release);
  return {
    storesInScope: storeCount,
    storesOnRelease: Number(s.n),
    terminalsInScope: total,
    terminalsOnRelease: on,
    share: total === 0 ? 0 : Math.round((on / total) * 10_000) / 10_000,
  };
}

/** The health of a release over `stores` (null: every store). Unknown release: 404. */
export async function releaseHealthOf(
  db: Db,
  releaseId: string,
  stores: readonly string[] | null,
  now: Date,
): Promise<ReleaseHealth> {
  const all = await publications(db);
  const i = all.findIndex((p) => p.releaseId === releaseId);
  if (i < 0) throw new ServerError('not_found', `There is no release ${releaseId}.`);
  const current = all[i]!;
  const publishedMs = Date.parse(current.at);
  const elapsed = Math.max(0, now.getTime() - publishedMs);
  const period = { from: day(publishedMs), to: day(Math.max(publishedMs, now.getTime())) };
  const prev = i > 0 ? all[i - 1]! : null;
  const prevPeriod =
    prev === null
      ? null
      : { from: day(Date.parse(prev.at)), to: day(Date.parse(prev.at) + elapsed) };
  const [sums, prevSums, openBugs, rollout] = await Promise.all([
    kpiSums(db, { stores, releaseId, ...period }),
    prev === null || prevPeriod === null
      ? Promise.resolve(null)
      : kpiSums(db, { stores, releaseId: prev.releaseId, ...prevPeriod }),
    openBugsOf(db, releaseId, stores),
    rolloutOf(db, releaseId, stores),
  ]);
  return {
    releaseId,
    version: current.version,
    publishedAt: current.at || null,
    rollout,
    period,
    kpis: computeKpis(sums),
    previous:
      prev === null || prevSums === null || prevPeriod === null
        ? null
        : {
            releaseId: prev.releaseId,
            version: prev.version,
            period: prevPeriod,
            kpis: computeKpis(prevSums),
          },
    openBugs,
    verdict: healthVerdict({ current: sums, previous: prevSums, openBugs }),
    asOf: now.toISOString(),
  };
}

/** The chain-wide verdict for store consoles: what a store manager sees before validating a release. */
export async function releaseVerdictOf(
  db: Db,
  releaseId: string,
  now: Date,
): Promise<ReleaseVerdict> {
  const h = await releaseHealthOf(db, releaseId, null, now);
  return { releaseId, version: h.version, verdict: h.verdict, asOf: h.asOf };
}
