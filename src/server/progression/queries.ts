/**
 * The release desk's progression query: one release over every store in the
 * desk's scope. The catalog's stores and their terminal counts are cached per
 * catalog cursor (a catalog write moves it in the same transaction); the
 * release's own facts are four reads keyed by the release (installed
 * terminals, decisions, deployments, ring targets), each on an index that
 * leads with release_id (migration 0500), so the cost grows with the stores
 * that touched the release, never with the log. On PostgreSQL the four are
 * one statement: one round trip, one snapshot.
 */
import { sql, type Kysely } from 'kysely';
import { RINGS, type Ring } from '../../shared/domain/releases.ts';
import {
  emptyStateCounts,
  progressionQuery,
  progressionStateOf,
  type ProgressionPage,
  type ProgressionRing,
  type ProgressionStore,
} from '../../shared/desk/progression.ts';
import { isRegionInScope } from '../../shared/desk/protocol.ts';
import { isInCohort } from '../../shared/releases/cohort.ts';
import type { ServerSchema } from '../db/schema.ts';
import { ServerError, parseInput } from '../errors.ts';
import {
  catalogCursor,
  catalogStores,
  hasFleetChanged,
  type DeskPrincipal,
  type StoreData,
} from '../desk/queries.ts';
import { dialectOf } from '../readModels/project.ts';

type Db = Kysely<ServerSchema>;

/** Catalog release statuses under which nothing may move (a desk block is the lifecycle's `blocked`). */
const BLOCKED_STATUSES = new Set(['paused', 'withdrawn']);

/** What one release's progression is folded from. */
type ProgressionRows = {
  releaseData: string | null;
  installed: ReadonlyArray<{ store_id: string; n: number | string }>;
  /** In central log order: the last one per store is its latest. */
  decisions: ReadonlyArray<{
    store_id: string;
    decision: string;
    signed_by: string;
    signed_at: string;
  }>;
  /** Oldest first: the last one per store is its latest. */
  deployments: ReadonlyArray<{ store_id: string; status: string; updated_at: string }>;
  targets: ReadonlyArray<{ ring: string; release_id: string }>;
  /** The release's lifecycle state on the release desk (null: never moved). */
  lifecycleState: string | null;
  /** Stores with a scheduled window for the release. */
  windows: ReadonlyArray<{ store_id: string }>;
  /** Staged rollouts per ring: only the cohort of a ring takes its target. */
  rollouts: ReadonlyArray<{ ring: string; release_id: string; percent: number | string }>;
};

const terminalCounts = new WeakMap<Db, { cursor: number; byStore: Map<string, number> }>();

/** Terminals per store from the catalog, cached like the stores (until a fleet change). */
async function terminalsPerStore(db: Db): Promise<Map<string, number>> {
  const cursor = await catalogCursor(db);
  const cached = terminalCounts.get(db);
  if (cached && !(await hasFleetChanged(db, cached.cursor, cursor))) {
    cached.cursor = Math.max(cached.cursor, cursor);
    return cached.byStore;
  }
  const rows = await db
    .selectFrom('terminals')
    .select(['store_id', (eb) => eb.fn.countAll<number | string>().as('n')])
    .groupBy('store_id')
    .execute();
  const byStore = new Map(rows.map((r) => [r.store_id, Number(r.n)]));
  terminalCounts.set(db, { cursor, byStore });
  return byStore;
}

/** The four reads one by one (any dialect). */
async function progressionRows(db: Db, releaseId: string): Promise<ProgressionRows> {
  const [release, installed, decisions, deployments, targets, lifecycle, windows, rollouts] =
    await Promise.all([
      db.selectFrom('releases').select('data').where('id', '=', releaseId).executeTakeFirst(),
      db
        .selectFrom('rm_terminals')
        .select(['store_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('release_id', '=', releaseId)
        .groupBy('store_id')
        .execute(),
      db
        .selectFrom('rm_decisions')
        .select(['store_id', 'decision', 'signed_by', 'signed_at'])
        .where('release_id', '=', releaseId)
        .orderBy('log_idx')
        .execute(),
      db
        .selectFrom('rm_deployments')
        .select(['store_id', 'status', 'updated_at'])
        .where('release_id', '=', releaseId)
        .orderBy('updated_at')
        .orderBy('id')
        .execute(),
      db.selectFrom('ring_targets').select(['ring', 'release_id']).execute(),
      db
        .selectFrom('release_lifecycles')
        .select('state')
        .where('release_id', '=', releaseId)
        .executeTakeFirst(),
      db
        .selectFrom('deployment_windows')
        .select('store_id')
        .where('release_id', '=', releaseId)
        .execute(),
      db.selectFrom('ring_rollouts').select(['ring', 'release_id', 'percent']).execute(),
    ]);
  return {
    releaseData: release?.data ?? null,
    installed,
    decisions,
    deployments,
    targets,
    lifecycleState: lifecycle?.state ?? null,
    windows,
    rollouts,
  };
}

/** PostgreSQL: the same reads as one statement (json_agg subselects). */
async function progressionRowsPostgres(db: Db, releaseId: string): Promise<ProgressionRows> {
  const result = await sql<{
    release_data: string | null;
    installed: ProgressionRows['installed'];
    decisions: ProgressionRows['decisions'];
    deployments: ProgressionRows['deployments'];
    targets: ProgressionRows['targets'];
    lifecycle_state: string | null;
    windows: ProgressionRows['windows'];
    rollouts: ProgressionRows['rollouts'];
  }>`SELECT
      (SELECT state FROM release_lifecycles WHERE release_id = ${releaseId}) AS lifecycle_state,
      (SELECT coalesce(json_agg(q), '[]'::json) FROM (
        SELECT store_id FROM deployment_windows WHERE release_id = ${releaseId}) q) AS windows,
      (SELECT coalesce(json_agg(q), '[]'::json) FROM (
        SELECT ring, release_id, percent FROM ring_rollouts) q) AS rollouts,
      (SELECT data FROM releases WHERE id = ${releaseId}) AS release_data,
      (SELECT coalesce(json_agg(q), '[]'::json) FROM (
        SELECT store_id, count(*) AS n FROM rm_terminals WHERE release_id = ${releaseId} GROUP BY store_id) q) AS installed,
      (SELECT coalesce(json_agg(q), '[]'::json) FROM (
        SELECT DISTINCT ON (store_id) store_id, decision, signed_by, signed_at FROM rm_decisions
        WHERE release_id = ${releaseId} ORDER BY store_id, log_idx DESC) q) AS decisions,
      (SELECT coalesce(json_agg(q), '[]'::json) FROM (
        SELECT DISTINCT ON (store_id) store_id, status, updated_at FROM rm_deployments
        WHERE release_id = ${releaseId} ORDER BY store_id, updated_at DESC, id DESC) q) AS deployments,
      (SELECT coalesce(json_agg(q), '[]'::json) FROM (SELECT ring, release_id FROM ring_targets) q) AS targets`.execute(
    db,
  );
  const row = result.rows[0]!;
  return {
    releaseData: row.release_data,
    installed: row.installed,
    decisions: row.decisions,
    deployments: row.deployments,
    targets: row.targets,
    lifecycleState: row.lifecycle_state,
    windows: row.windows,
    rollouts: row.rollouts,
  };
}

function regionOf(principal: DeskPrincipal, asked: string | undefined): string | null {
  if (asked !== undefined) {
    if (!isRegionInScope(principal.scope, asked))
      throw new ServerError('scope_denied', `Region "${asked}" is outside this desk's scope.`);
    return asked;
  }
  return principal.scope.kind === 'region' ? principal.scope.region : null;
}

/** Every store of the scope with its state, in store id order. */
function foldProgression(
  stores: readonly StoreData[],
  terminals: ReadonlyMap<string, number>,
  releaseId: string,
  rows: ProgressionRows,
): ProgressionStore[] {
  const release = JSON.parse(rows.releaseData!) as { status: string };
  const isReleaseBlocked =
    BLOCKED_STATUSES.has(release.status) || rows.lifecycleState === 'blocked';
  const windows = new Set(rows.windows.map((w) => w.store_id));
  // A staged ring targets the release for its cohort only (the same hash the catalog pull uses).
  const stagedPercent = new Map(
    rows.rollouts.filter((r) => r.release_id === releaseId).map((r) => [r.ring, Number(r.percent)]),
  );
  const installed = new Map(rows.installed.map((r) => [r.store_id, Number(r.n)]));
  const decisions = new Map<string, ProgressionRows['decisions'][number]>();
  for (const d of rows.decisions) decisions.set(d.store_id, d);
  const deployments = new Map<string, ProgressionRows['deployments'][number]>();
  for (const d of rows.deployments) deployments.set(d.store_id, d);
  const targetRings = new Set(
    rows.targets.filter((t) => t.release_id === releaseId).map((t) => t.ring),
  );
  return stores.map((s) => {
    const d = decisions.get(s.id);
    const dep = deployments.get(s.id);
    const decision = d
      ? { decision: d.decision, signedBy: d.signed_by, signedAt: d.signed_at }
      : null;
    const deployment = dep ? { status: dep.status, updatedAt: dep.updated_at } : null;
    const facts = {
      isReleaseBlocked,
      isRingTarget:
        windows.has(s.id) ||
        (targetRings.has(s.ring) && isInCohort(releaseId, s.id, stagedPercent.get(s.ring) ?? 100)),
      terminals: terminals.get(s.id) ?? 0,
      installed: installed.get(s.id) ?? 0,
      decision,
      deployment,
    };
    return {
      storeId: s.id,
      name: s.name,
      region: s.region,
      ring: s.ring,
      state: progressionStateOf(facts),
      terminals: facts.terminals,
      installed: facts.installed,
      decision,
      deployment,
    };
  });
}

/**
 * Every read model and release-desk table the progression reads changes only
 * with an entry appended to the central log (a push, or a desk action's
 * server entry) or a catalog change; so the folded progression of a release
 * is exact for as long as the log size and the catalog cursor stay put, and
 * is kept per database handle for the last few releases asked. A desk
 * scrolling, filtering or refreshing then costs one indexed read of the two
 * heads; a new push or catalog change recomputes on the next call (the cold
 * cost is in bench/progression.ts). Several server processes on one
 * PostgreSQL stay exact: the heads are read from the database every time.
 */
const RECENT_RELEASES = 8;
type Folded = {
  key: string;
  stores: ProgressionStore[];
  targets: ProgressionRows['targets'];
};
const foldedCache = new WeakMap<Db, Folded[]>();

async function heads(db: Db): Promise<string> {
  const row = await sql<{ size: number | string; cursor: number | string }>`SELECT
    (SELECT size FROM log_head WHERE id = 1) AS size,
    (SELECT cursor FROM catalog_head WHERE id = 1) AS cursor`.execute(db);
  const h = row.rows[0]!;
  return `${String(h.size)}:${String(h.cursor)}`;
}

async function foldedProgression(db: Db, releaseId: string): Promise<Folded> {
  const key = `${releaseId}@${await heads(db)}`;
  const recent = foldedCache.get(db) ?? [];
  const hit = recent.find((f) => f.key === key);
  if (hit) return hit;
  const [stores, terminals, rows] = await Promise.all([
    catalogStores(db),
    terminalsPerStore(db),
    dialectOf(db) === 'postgres'
      ? progressionRowsPostgres(db, releaseId)
      : progressionRows(db, releaseId),
  ]);
  if (rows.releaseData === null)
    throw new ServerError('not_found', `Release ${releaseId} is not in the catalog.`);
  const folded = {
    key,
    stores: foldProgression(stores, terminals, releaseId, rows),
    targets: rows.targets,
  };
  foldedCache.set(
    db,
    [folded, ...recent.filter((f) => !f.key.startsWith(`${releaseId}@`))].slice(0, RECENT_RELEASES),
  );
  return folded;
}

export async function progressionPage(
  db: Db,
  principal: DeskPrincipal,
  query: unknown,
  now: Date,
): Promise<ProgressionPage> {
  const q = parseInput(progressionQuery, query, 'The progression query');
  const region = regionOf(principal, q.region);
  const folded = await foldedProgression(db, q.releaseId);
  const needle = q.search?.trim().toLowerCase() ?? '';
  const target = new Map(folded.targets.map((t) => [t.ring, t.release_id]));
  const rings: ProgressionRing[] = RINGS.map((ring: Ring) => ({
    ring,
    targetReleaseId: target.get(ring) ?? null,
    stores: 0,
    counts: emptyStateCounts(),
  }));
  const ringIndex = new Map(rings.map((r) => [r.ring as string, r]));
  const matching: ProgressionStore[] = [];
  for (const s of folded.stores) {
    if (region !== null && s.region !== region) continue;
    if (
      needle !== '' &&
      !s.storeId.toLowerCase().includes(needle) &&
      !s.name.toLowerCase().includes(needle)
    )
      continue;
    const r = ringIndex.get(s.ring);
    if (r) {
      r.stores++;
      r.counts[s.state]++;
    }
    if (
      (q.ring === undefined || s.ring === q.ring) &&
      (q.state === undefined || s.state === q.state)
    )
      matching.push(s);
  }
  return {
    releaseId: q.releaseId,
    rings,
    total: matching.length,
    offset: q.offset,
    stores: matching.slice(q.offset, q.offset + q.limit),
    asOf: now.toISOString(),
  };
}
