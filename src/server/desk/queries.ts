/**
 * The desk read queries over the read models. Each is keyset
 * paged and bounded, reads indexes only for the page's stores, and checks the
 * desk's scope: a store or region outside it is `scope_denied` (403), never
 * an empty answer that could be mistaken for "nothing there".
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import {
  deskRecordsQuery,
  deskStoreParams,
  deskStoresQuery,
  deskTerminalsQuery,
  isRegionInScope,
  type DeskRecord,
  type DeskRecordsPage,
  type DeskStoreState,
  type DeskStoresPage,
  type DeskTerminalsPage,
} from '../../shared/desk/protocol.ts';
import type { ServerSchema } from '../db/schema.ts';
import { ServerError, parseInput } from '../errors.ts';
import type { Principal } from '../auth/tokens.ts';
import { dialectOf } from '../readModels/project.ts';

export type DeskPrincipal = Extract<Principal, { kind: 'desk' }>;

type Db = Kysely<ServerSchema>;
export type StoreData = { id: string; name: string; region: string; ring: string };

/** Deployment states that are over: everything else is open. */
const CLOSED_DEPLOYMENT_STATUSES = ['completed', 'rolled_back', 'failed', 'aborted'];

function denied(what: string): ServerError {
  return new ServerError('scope_denied', `${what} is outside this desk's scope.`);
}

/** The region a desk may list: the one asked for (if in scope), else its own (or every region). */
function regionFilter(principal: DeskPrincipal, asked: string | undefined): string | null {
  if (asked !== undefined) {
    if (!isRegionInScope(principal.scope, asked)) throw denied(`Region "${asked}"`);
    return asked;
  }
  return principal.scope.kind === 'region' ? principal.scope.region : null;
}

export async function storeInScope(
  db: Db,
  principal: DeskPrincipal,
  storeId: string,
): Promise<StoreData> {
  const row = await db
    .selectFrom('stores')
    .select('data')
    .where('id', '=', storeId)
    .executeTakeFirst();
  // An unknown store and a store outside the scope answer alike: a desk learns nothing beyond its scope.
  if (!row) throw denied(`Store ${storeId}`);
  const store = JSON.parse(row.data) as StoreData;
  if (!isRegionInScope(principal.scope, store.region)) throw denied(`Store ${storeId}`);
  return store;
}

/**
 * Whether a catalog change between two cursors touched the stores or their
 * terminals. Most catalog writes do not (a ring target, a release, a user, a
 * desk action's block), so a cache of the fleet checked with this survives
 * them: the check reads only the changes since the cache was last checked,
 * on the primary key, and stops at the first fleet change.
 */
export async function hasFleetChanged(db: Db, after: number, upTo: number): Promise<boolean> {
  if (upTo <= after) return false;
  const row = await db
    .selectFrom('catalog_changes')
    .select('cursor')
    .where('cursor', '>', after)
    .where('cursor', '<=', upTo)
    .where('entity', 'in', ['store', 'terminal'])
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The catalog cursor: every catalog write moves it, in the same transaction. */
export async function catalogCursor(db: Db): Promise<number> {
  const head = await db
    .selectFrom('catalog_head')
    .select('cursor')
    .where('id', '=', 1)
    .executeTakeFirst();
  return Number(head?.cursor ?? 0);
}

/**
 * Every store of the catalog, sorted by id, kept per database handle and
 * reloaded when a catalog change touched the stores (hasFleetChanged). A desk
 * page then filters 5,000 stores in memory instead of parsing each store's
 * JSON in SQL on every call; the check is one or two indexed reads, so
 * several server processes on one PostgreSQL stay exact.
 */
const storeCache = new WeakMap<Db, { cursor: number; stores: StoreData[] }>();

export async function catalogStores(db: Db): Promise<StoreData[]> {
  const cursor = await catalogCursor(db);
  const cached = storeCache.get(db);
  if (cached && !(await hasFleetChanged(db, cached.cursor, cursor))) {
    cached.cursor = Math.max(cached.cursor, cursor);
    return cached.stores;
  }
  const rows = await db.selectFrom('stores').select('data').orderBy('id').execute();
  const stores = rows.map((r) => JSON.parse(r.data) as StoreData);
  storeCache.set(db, { cursor, stores });
  return stores;
}

function pageOf(
  all: readonly StoreData[],
  region: string | null,
  after: string | undefined,
  limit: number,
): { page: StoreData[]; next: string | null } {
  const page: StoreData[] = [];
  for (const store of all) {
    if (after !== undefined && store.id <= after) continue;
    if (region !== null && store.region !== region) continue;
    if (page.length === limit) return { page, next: page[page.length - 1]!.id };
    page.push(store);
  }
  return { page, next: null };
}

export async function storesPage(
  db: Db,
  principal: DeskPrincipal,
  query: unknown,
  now: Date,
): Promise<DeskStoresPage> {
  const q = parseInput(deskStoresQuery, query, 'The stores query');
  const region = regionFilter(principal, q.region);
  const cached = storeCache.get(db);
  if (cached && dialectOf(db) === 'postgres') {
    // One round trip: the page from the cached catalog, its state and the
    // catalog cursor read in one statement; a moved cursor means the page
    // may be stale, and it is read again below after a reload.
    const { page, next } = pageOf(cached.stores, region, q.after, q.limit);
    const rows = await storeStateRowsPostgres(db, page, q.releaseId);
    if (rows.cursor === cached.cursor)
      return { stores: foldStoreStates(page, q.releaseId, rows), next, asOf: now.toISOString() };
  }
  const { page, next } = pageOf(await catalogStores(db), region, q.after, q.limit);
  return { stores: await storeStates(db, page, q.releaseId), next, asOf: now.toISOString() };
}

/** What the state of a page of stores is folded from. */
export type StoreStateRows = {
  counts: ReadonlyArray<{ store_id: string; release_id: string | null; n: number | string }>;
  targets: ReadonlyArray<{ ring: string; release_id: string }>;
  /** In central log order. */
  decisions: ReadonlyArray<{
    store_id: string;
    decision: string;
    verdict: string;
    signed_by: string;
    signed_at: string;
  }>;
  deployments: ReadonlyArray<{ store_id: string; n: number | string }>;
  /** By device id. */
  consoles: ReadonlyArray<{
    store_id: string;
    device_id: string;
    name: string | null;
    last_at: string;
  }>;
  /** Superseded records per store: conflicts the central log decided. */
  superseded: ReadonlyArray<{ store_id: string; n: number | string }>;
};

/** The state of each store of a page for one release: five indexed queries for the whole page. */
async function storeStates(
  db: Db,
  stores: readonly StoreData[],
  releaseId: string,
): Promise<DeskStoreState[]> {
  if (stores.length === 0) return [];
  return foldStoreStates(stores, releaseId, await storeStateRows(db, stores, releaseId));
}

/** The five queries one by one (any dialect): the plain path. */
export async function storeStateRows(
  db: Db,
  stores: readonly StoreData[],
  releaseId: string,
): Promise<StoreStateRows> {
  const ids = stores.map((s) => s.id);
  const [counts, targets, decisions, deployments, consoles, superseded] = await Promise.all([
    db
      .selectFrom('rm_terminals')
      .select(['store_id', 'release_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('store_id', 'in', ids)
      .groupBy(['store_id', 'release_id'])
      .execute(),
    db.selectFrom('ring_targets').select(['ring', 'release_id']).execute(),
    db
      .selectFrom('rm_decisions')
      .select(['store_id', 'decision', 'verdict', 'signed_by', 'signed_at', 'log_idx'])
      .where('release_id', '=', releaseId)
      .where('store_id', 'in', ids)
      .orderBy('log_idx')
      .execute(),
    db
      .selectFrom('rm_deployments')
      .select(['store_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('store_id', 'in', ids)
      .where('release_id', '=', releaseId)
      .where('status', 'not in', CLOSED_DEPLOYMENT_STATUSES)
      .groupBy('store_id')
      .execute(),
    db
      .selectFrom('rm_device_syncs')
      .leftJoin('devices', 'devices.id', 'rm_device_syncs.device_id')
      .select([
        'rm_device_syncs.store_id',
        'rm_device_syncs.device_id',
        'devices.name',
        'rm_device_syncs.last_at',
      ])
      .where('rm_device_syncs.store_id', 'in', ids)
      .orderBy('rm_device_syncs.device_id')
      .execute(),
    db
      .selectFrom('rm_superseded')
      .select(['store_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('store_id', 'in', ids)
      .groupBy('store_id')
      .execute(),
  ]);
  return { counts, targets, decisions, deployments, consoles, superseded };
}

/**
 * PostgreSQL: the same five queries as ONE statement (each a json_agg
 * subselect, one snapshot), plus the catalog cursor. A page then costs one
 * round trip instead of six, which is what a desk's p95 is made of on a busy
 * machine: each round trip waits for both processes to get a core.
 */
export async function storeStateRowsPostgres(
  db: Db,
  stores: readonly StoreData[],
  releaseId: string,
): Promise<StoreStateRows & { cursor: number }> {
  const ids = stores.map((s) => s.id);
  const closed = sql.join(CLOSED_DEPLOYMENT_STATUSES.map((c) => sql`${c}`));
  const agg = (body: RawBuilder<unknown>, order = sql``) =>
    sql`(SELECT coalesce(json_agg(q ${order}), '[]'::json) FROM (${body}) q)`;
  const result = await sql<{
    cursor: number | string | null;
    counts: StoreStateRows['counts'];
    targets: StoreStateRows['targets'];
    decisions: StoreStateRows['decisions'];
    deployments: StoreStateRows['deployments'];
    consoles: StoreStateRows['consoles'];
    superseded: StoreStateRows['superseded'];
  }>`SELECT
      (SELECT cursor FROM catalog_head WHERE id = 1) AS cursor,
      ${agg(sql`SELECT store_id, release_id, count(*) AS n FROM rm_terminals
        WHERE store_id = ANY(${ids}::text[]) GROUP BY store_id, release_id`)} AS counts,
      ${agg(sql`SELECT ring, release_id FROM ring_targets`)} AS targets,
      ${agg(
        sql`SELECT store_id, decision, verdict, signed_by, signed_at, log_idx FROM rm_decisions
        WHERE release_id = ${releaseId} AND store_id = ANY(${ids}::text[])`,
        sql`ORDER BY q.log_idx`,
      )} AS decisions,
      ${agg(sql`SELECT store_id, count(*) AS n FROM rm_deployments
        WHERE store_id = ANY(${ids}::text[]) AND release_id = ${releaseId} AND status NOT IN (${closed})
        GROUP BY store_id`)} AS deployments,
      ${agg(
        sql`SELECT s.store_id, s.device_id, d.name, s.last_at FROM rm_device_syncs s
        LEFT JOIN devices d ON d.id = s.device_id WHERE s.store_id = ANY(${ids}::text[])`,
        sql`ORDER BY q.device_id`,
      )} AS consoles,
      ${agg(sql`SELECT store_id, count(*) AS n FROM rm_superseded
        WHERE store_id = ANY(${ids}::text[]) GROUP BY store_id`)} AS superseded`.execute(db);
  const row = result.rows[0]!;
  return { ...row, cursor: Number(row.cursor ?? 0) };
}

export function foldStoreStates(
  stores: readonly StoreData[],
  releaseId: string,
  rows: StoreStateRows,
): DeskStoreState[] {
  const { counts, targets, decisions, deployments, consoles, superseded } = rows;
  const target = new Map(targets.map((t) => [t.ring, t.release_id]));
  const byStore = new Map(
    stores.map((s) => [
      s.id,
      {
        terminals: 0,
        installed: 0,
        drifting: 0,
        latestDecision: null as DeskStoreState['latestDecision'],
        openDeployments: 0,
        superseded: 0,
        consoles: [] as DeskStoreState['consoles'],
      },
    ]),
  );
  const ringOf = new Map(stores.map((s) => [s.id, s.ring]));
  for (const c of counts) {
    const s = byStore.get(c.store_id)!;
    const n = Number(c.n);
    s.terminals += n;
    if (c.release_id === releaseId) s.installed += n;
    const goal = target.get(ringOf.get(c.store_id)!);
    if (goal !== undefined && c.release_id !== goal) s.drifting += n;
  }
  // Ordered by log index: the last one seen is the latest in the central log.
  for (const d of decisions)
    byStore.get(d.store_id)!.latestDecision = {
      decision: d.decision,
      verdict: d.verdict,
      signedBy: d.signed_by,
      signedAt: d.signed_at,
    };
  for (const d of deployments) byStore.get(d.store_id)!.openDeployments = Number(d.n);
  for (const c of superseded) byStore.get(c.store_id)!.superseded = Number(c.n);
  for (const c of consoles)
    byStore.get(c.store_id)!.consoles.push({
      deviceId: c.device_id,
      name: c.name ?? null,
      lastSyncAt: c.last_at,
    });
  return stores.map((s) => ({
    storeId: s.id,
    name: s.name,
    region: s.region,
    ring: s.ring,
    ...byStore.get(s.id)!,
  }));
}

export async function storeTerminalsPage(
  db: Db,
  principal: DeskPrincipal,
  params: unknown,
  query: unknown,
  now: Date,
): Promise<DeskTerminalsPage> {
  const { storeId } = parseInput(deskStoreParams, params, 'The store');
  const q = parseInput(deskTerminalsQuery, query, 'The terminals query');
  await storeInScope(db, principal, storeId);
  let select = db
    .selectFrom('rm_terminals')
    .select(['terminal_id', 'release_id', 'version', 'since', 'last_seen'])
    .where('store_id', '=', storeId)
    .orderBy('terminal_id')
    .limit(q.limit + 1);
  if (q.after !== undefined) select = select.where('terminal_id', '>', q.after);
  const rows = await select.execute();
  const page = rows.slice(0, q.limit);
  return {
    terminals: page.map((t) => ({
      terminalId: t.terminal_id,
      releaseId: t.release_id,
      version: t.version,
      since: t.since,
      lastSeen: t.last_seen,
    })),
    next: rows.length > q.limit ? page[page.length - 1]!.terminal_id : null,
    asOf: now.toISOString(),
  };
}

/** A store's latest records of each kind (decisions, deployments, runs, bug reports, change requests), newest first. */
export async function storeRecordsPage(
  db: Db,
  principal: DeskPrincipal,
  params: unknown,
  query: unknown,
  now: Date,
): Promise<DeskRecordsPage> {
  const { storeId } = parseInput(deskStoreParams, params, 'The store');
  const q = parseInput(deskRecordsQuery, query, 'The records query');
  await storeInScope(db, principal, storeId);
  const release = q.releaseId;
  const [decisions, deployments, runs, bugs, requests] = await Promise.all([
    db
      .selectFrom('rm_decisions')
      .select(['id', 'release_id', 'decision', 'signed_by', 'signed_at'])
      .where('store_id', '=', storeId)
      .$if(release !== undefined, (b) => b.where('release_id', '=', release!))
      .orderBy('signed_at', 'desc')
      .limit(q.limit)
      .execute(),
    db
      .selectFrom('rm_deployments')
      .select(['id', 'release_id', 'status', 'updated_at'])
      .where('store_id', '=', storeId)
      .$if(release !== undefined, (b) => b.where('release_id', '=', release!))
      .orderBy('updated_at', 'desc')
      .limit(q.limit)
      .execute(),
    db
      .selectFrom('rm_checklist_runs')
      .select(['id', 'release_id', 'template_id', 'started_by', 'updated_at'])
      .where('store_id', '=', storeId)
      .$if(release !== undefined, (b) => b.where('release_id', '=', release!))
      .orderBy('updated_at', 'desc')
      .limit(q.limit)
      .execute(),
    db
      .selectFrom('rm_bug_reports')
      .select(['id', 'release_id', 'severity', 'reported_by', 'reported_at'])
      .where('store_id', '=', storeId)
      .$if(release !== undefined, (b) => b.where('release_id', '=', release!))
      .orderBy('reported_at', 'desc')
      .limit(q.limit)
      .execute(),
    db
      .selectFrom('rm_change_requests')
      .select(['id', 'release_id', 'status', 'requested_at'])
      .where('store_id', '=', storeId)
      .$if(release !== undefined, (b) => b.where('release_id', '=', release!))
      .orderBy('requested_at', 'desc')
      .limit(q.limit)
      .execute(),
  ]);
  const records: DeskRecord[] = [
    ...decisions.map((d) => ({
      kind: 'decision' as const,
      id: d.id,
      releaseId: d.release_id,
      status: d.decision,
      by: d.signed_by,
      at: d.signed_at,
    })),
    ...deployments.map((d) => ({
      kind: 'deployment' as const,
      id: d.id,
      releaseId: d.release_id,
      status: d.status,
      by: null,
      at: d.updated_at,
    })),
    ...runs.map((r) => ({
      kind: 'checklist_run' as const,
      id: r.id,
      releaseId: r.release_id,
      status: r.template_id,
      by: r.started_by,
      at: r.updated_at,
    })),
    ...bugs.map((b) => ({
      kind: 'bug_report' as const,
      id: b.id,
      // A report filed from the form without a terminal is about no one release.
      releaseId: b.release_id ?? '',
      status: b.severity,
      by: b.reported_by,
      at: b.reported_at,
    })),
    ...requests.map((c) => ({
      kind: 'change_request' as const,
      id: c.id,
      releaseId: c.release_id,
      status: c.status,
      by: null,
      at: c.requested_at,
    })),
  ].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.id < b.id ? -1 : 1));
  return { records: records.slice(0, q.limit), asOf: now.toISOString() };
}
