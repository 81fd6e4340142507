/**
 * Fleet queries and writes over the maintained projection `terminal_current`
 * (one row per terminal, with the catalog columns the screen sorts and filters
 * on) and `terminal_versions` (history). Every function takes the database
 * first so tests call it on a real temporary file. Prepared statements are
 * cached per connection: the matrix and the table window are hot paths.
 */
import type Database from 'better-sqlite3';
import type {
  FleetFilter,
  FleetFilterOptions,
  FleetMatrix,
  MatrixCell,
  Store,
  TerminalPage,
  TerminalRow,
  TerminalSortKey,
  VersionHistoryEntry,
} from '../../shared/contract/index.ts';
import { RINGS, type Ring } from '../../shared/domain/releases.ts';
import { assertNever } from '../../shared/errors.ts';
import type { Db } from '../db/open.ts';
import { selectRow, selectRows } from '../db/query.ts';
import type { Row } from '../db/schema.ts';

/** The columns of `terminal_current` the fleet screens read (CURRENT_COLUMNS), typed by the schema. */
type CurrentRow = Pick<
  Row<'terminal_current'>,
  | 'terminal_id'
  | 'store_id'
  | 'store_name'
  | 'terminal_name'
  | 'model'
  | 'serial'
  | 'release_id'
  | 'version'
  | 'since'
  | 'last_seen'
  | 'target_release_id'
  | 'is_drift'
>;

const CURRENT_COLUMNS =
  'terminal_id, store_id, store_name, terminal_name, model, serial, release_id, version, since, last_seen, target_release_id, is_drift';

const statementCache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** Prepares once per connection and SQL text: the filter combinations are few. */
function prepared(db: Db, text: string): Database.Statement {
  let cache = statementCache.get(db.sqlite);
  if (!cache) {
    cache = new Map();
    statementCache.set(db.sqlite, cache);
  }
  let statement = cache.get(text);
  if (!statement) {
    statement = db.sqlite.prepare(text);
    cache.set(text, statement);
  }
  return statement;
}

/** LIKE pattern for a search term; `\` escapes the wildcards a person may type. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The two tables a fleet filter runs over: the terminal rows, and the per-cell counts kept from them. */
export type FleetFilterTable = 'terminal_current' | 'store_release_counts';
export type FilterClause = { where: string; params: Array<string | number> };

/**
 * How each table answers the filter: the same columns by the same names,
 * except the release (the counts key "no release" as '', which a release
 * filter never matches) and drift (a count of drifting terminals). The counts
 * have no terminal columns: model and search need the terminal rows.
 */
const FILTER_COLUMNS = {
  terminal_current: {
    release: 'release_id = ?',
    drift: 'is_drift = 1',
    hasTerminalColumns: true,
  },
  store_release_counts: {
    release: "release_key = ? AND release_key <> ''",
    drift: 'drifting > 0',
    hasTerminalColumns: false,
  },
} as const satisfies Record<
  FleetFilterTable,
  { release: string; drift: string; hasTerminalColumns: boolean }
>;

/**
 * WHERE clause and parameters for a fleet filter over either table, or null
 * when the table cannot answer it (model or search over the counts). The SQL
 * text depends only on which filters are set, so the prepared statements stay
 * few.
 */
export function filterClause(filter: FleetFilter): FilterClause;
export function filterClause(filter: FleetFilter, table: FleetFilterTable): FilterClause | null;
export function filterClause(
  filter: FleetFilter,
  table: FleetFilterTable = 'terminal_current',
): FilterClause | null {
  const columns = FILTER_COLUMNS[table];
  const { model } = filter;
  const hasModel = model !== undefined && model !== '';
  const search = filter.search?.trim();
  if (!columns.hasTerminalColumns && (hasModel || search)) return null;
  const parts: string[] = [];
  const params: Array<string | number> = [];
  if (filter.region !== undefined && filter.region !== '') {
    parts.push('region = ?');
    params.push(filter.region);
  }
  if (filter.ring !== undefined) {
    parts.push('ring = ?');
    params.push(filter.ring);
  }
  if (hasModel) {
    parts.push('model = ?');
    params.push(model);
  }
  if (filter.releaseId !== undefined) {
    parts.push(columns.release);
    params.push(filter.releaseId);
  }
  if (filter.storeId !== undefined) {
    parts.push('store_id = ?');
    params.push(filter.storeId);
  }
  if (filter.driftOnly === true) parts.push(columns.drift);
  if (search) {
    const pattern = likePattern(search);
    parts.push(
      "(store_name LIKE ? ESCAPE '\\' OR terminal_name LIKE ? ESCAPE '\\' OR serial LIKE ? ESCAPE '\\' OR model LIKE ? ESCAPE '\\')",
    );
    params.push(pattern, pattern, pattern, pattern);
  }
  return { where: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

function hasTerminalLevelFilter(filter: FleetFilter): boolean {
  return (
    (filter.model !== undefined && filter.model !== '') ||
    filter.releaseId !== undefined ||
    filter.driftOnly === true ||
    Boolean(filter.search?.trim())
  );
}

type StoreWithTarget = Store & { targetReleaseId: string | null };

function listStores(db: Db): StoreWithTarget[] {
  const rows = prepared(
    db,
    `SELECT s.id, s.name, s.region, s.ring, s.timezone, s.country, rt.release_id AS target
       FROM stores s LEFT JOIN ring_targets rt ON rt.ring = s.ring ORDER BY s.name, s.id`,
  ).all() as Array<{
    id: string;
    name: string;
    region: string;
    ring: Ring;
    timezone: string;
    country: string | null;
    target: string | null;
  }>;
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    region: r.region,
    ring: r.ring,
    timezone: r.timezone,
    country: r.country,
    targetReleaseId: r.target,
  }));
}

export function getStore(db: Db, storeId: string): Store | null {
  const row = prepared(
    db,
    'SELECT id, name, region, ring, timezone, country FROM stores WHERE id = ?',
  ).get(storeId) as Store | undefined;
  return row ?? null;
}

type ReleaseLite = { id: string; version: string; rank: number };

function listReleasesLite(db: Db): ReleaseLite[] {
  return selectRows(
    db,
    db.kysely
      .selectFrom('releases')
      .select(['id', 'version', 'version_rank as rank'])
      .orderBy('version_rank'),
  );
}

export function findReleaseByVersion(
  db: Db,
  version: string,
): { id: string; version: string } | null {
  const query = db.kysely
    .selectFrom('releases')
    .select(['id', 'version'])
    .where('version', '=', version);
  return selectRow(db, query) ?? null;
}

/**
 * Terminals per release over the whole fleet: one GROUP BY over the
 * `terminal_current_by_release` index (the benchmark's "release summary").
 */
export function getReleaseSummary(db: Db): Array<{ releaseId: string | null; count: number }> {
  const rows = prepared(
    db,
    'SELECT release_id, count(*) AS n FROM terminal_current GROUP BY release_id',
  ).all() as Array<{
    release_id: string | null;
    n: number;
  }>;
  return rows.map((r) => ({ releaseId: r.release_id, count: r.n }));
}

/**
 * The matrix cells from the maintained `store_release_counts` (migration
 * 0050), for the filters it can answer: region, ring, store, release and
 * drift only. Returns null for the others (model, search), which need the
 * terminal rows. Same cells, same order as `matrixCellsFromTerminals`.
 */
export function matrixCellsFromCounts(db: Db, filter: FleetFilter): MatrixCell[] | null {
  const clause = filterClause(filter, 'store_release_counts');
  if (clause === null) return null;
  const { where, params } = clause;
  // Drift only: a cell counts its drifting terminals, and cells without any go.
  const isDriftOnly = filter.driftOnly === true;
  // Rows come in key order (store, release, region, ring); the few groups
  // split by region or ring are merged here, which costs less than a GROUP BY.
  const rows = prepared(
    db,
    `SELECT store_id, release_key, ${isDriftOnly ? 'drifting' : 'terminals'}, drifting
       FROM store_release_counts ${where} ORDER BY store_id, release_key`,
  )
    .raw(true)
    .all(...params) as Array<[string, string, number, number]>;
  const cells: MatrixCell[] = [];
  let last: MatrixCell | null = null;
  let lastKey = '';
  for (const [storeId, releaseKey, count, driftCount] of rows) {
    if (last !== null && last.storeId === storeId && lastKey === releaseKey) {
      last.count += count;
      last.driftCount += driftCount;
    } else {
      last = { storeId, releaseId: releaseKey === '' ? null : releaseKey, count, driftCount };
      lastKey = releaseKey;
      cells.push(last);
    }
  }
  return cells;
}

/** The matrix cells grouped from the terminal rows: answers every filter. */
export function matrixCellsFromTerminals(db: Db, filter: FleetFilter): MatrixCell[] {
  const { where, params } = filterClause(filter);
  // Raw rows: at thousands of stores the cells are the bulk of the answer, and arrays are cheaper than named rows.
  const grouped = prepared(
    db,
    `SELECT store_id, release_id, count(*) AS n, sum(is_drift) AS d FROM terminal_current ${where} GROUP BY store_id, release_id`,
  )
    .raw(true)
    .all(...params) as Array<[string, string | null, number, number]>;
  return grouped.map(([storeId, releaseId, count, driftCount]) => ({
    storeId,
    releaseId,
    count,
    driftCount,
  }));
}

/**
 * Store × release matrix computed in SQL: from the maintained counts when the
 * filter allows (the full matrix reads ~4,000 rows, not 50,000 terminals),
 * else one GROUP BY over `terminal_current_by_store_release`.
 */
export function getFleetMatrix(db: Db, filter: FleetFilter = {}): FleetMatrix {
  const cells = matrixCellsFromCounts(db, filter) ?? matrixCellsFromTerminals(db, filter);
  const perStore = new Map<string, { count: number; drift: number }>();
  const perRelease = new Map<string | null, number>();
  let terminals = 0;
  let drift = 0;
  for (const cell of cells) {
    let s = perStore.get(cell.storeId);
    if (s === undefined) {
      s = { count: 0, drift: 0 };
      perStore.set(cell.storeId, s);
    }
    s.count += cell.count;
    s.drift += cell.driftCount;
    perRelease.set(cell.releaseId, (perRelease.get(cell.releaseId) ?? 0) + cell.count);
    terminals += cell.count;
    drift += cell.driftCount;
  }

  const showEmptyStores = !hasTerminalLevelFilter(filter);
  const stores = listStores(db)
    .filter((s) => {
      if (perStore.has(s.id)) return true;
      if (!showEmptyStores) return false;
      if (filter.region && s.region !== filter.region) return false;
      if (filter.ring && s.ring !== filter.ring) return false;
      if (filter.storeId && s.id !== filter.storeId) return false;
      return true;
    })
    .map((s) => ({
      ...s,
      terminalCount: perStore.get(s.id)?.count ?? 0,
      driftCount: perStore.get(s.id)?.drift ?? 0,
    }));

  const releases: FleetMatrix['releases'] = listReleasesLite(db)
    .filter((r) => filter.releaseId === undefined || r.id === filter.releaseId)
    .map((r) => ({ id: r.id, version: r.version, terminalCount: perRelease.get(r.id) ?? 0 }));
  const unknown = perRelease.get(null);
  if (unknown) releases.push({ id: null, version: 'unknown', terminalCount: unknown });

  return { stores, releases, cells, totals: { terminals, drift, stores: stores.length } };
}

export function getFilterOptions(db: Db): FleetFilterOptions {
  const regions = selectRows(
    db,
    db.kysely.selectFrom('stores').select('region').distinct().orderBy('region'),
  ).map((r) => r.region);
  const ringsPresent = new Set<string>(
    selectRows(db, db.kysely.selectFrom('stores').select('ring').distinct()).map((r) => r.ring),
  );
  const models = selectRows(
    db,
    db.kysely.selectFrom('terminal_current').select('model').distinct().orderBy('model'),
  ).map((r) => r.model);
  const countries = selectRows(
    db,
    db.kysely
      .selectFrom('stores')
      .select('country')
      .distinct()
      .where('country', 'is not', null)
      .orderBy('country'),
  ).map((r) => r.country!);
  const releases = listReleasesLite(db).map((r) => ({ id: r.id, version: r.version }));
  return {
    regions,
    countries,
    rings: RINGS.filter((r) => ringsPresent.has(r)),
    models,
    releases,
  };
}

/** ORDER BY for each sort key; every one is served by an index of `terminal_current`. */
export function sortClause(key: TerminalSortKey, desc: boolean): string {
  const dir = desc ? ' DESC' : '';
  const cols = ((): string[] => {
    switch (key) {
      case 'store':
        return ['store_name', 'terminal_name', 'terminal_id'];
      case 'terminal':
        return ['terminal_name', 'terminal_id'];
      case 'model':
        return ['model', 'terminal_id'];
      case 'serial':
        return ['serial', 'terminal_id'];
      case 'version':
        // SemVer order, not text order: "1.10.0" comes after "1.9.0".
        return ['version_rank', 'terminal_id'];
      case 'since':
        return ['since', 'terminal_id'];
      case 'lastSeen':
        return ['last_seen', 'terminal_id'];
      case 'drift':
        return ['is_drift', 'terminal_id'];
      default:
        return assertNever(key, 'sort key');
    }
  })();
  return `ORDER BY ${cols.map((c) => c + dir).join(', ')}`;
}

function toRow(row: CurrentRow, versions: Map<string, string>): TerminalRow {
  return {
    id: row.terminal_id,
    storeId: row.store_id,
    storeName: row.store_name,
    name: row.terminal_name,
    model: row.model,
    serial: row.serial,
    releaseId: row.release_id,
    version: row.version,
    since: row.since,
    lastSeen: row.last_seen,
    targetVersion:
      row.target_release_id === null ? null : (versions.get(row.target_release_id) ?? null),
    isDrift: row.is_drift === 1,
  };
}

function releaseVersions(db: Db): Map<string, string> {
  return new Map(listReleasesLite(db).map((r) => [r.id, r.version]));
}

/** One window of the terminal table, filtered, sorted and counted in SQL. */
export function listTerminalWindow(
  db: Db,
  input: {
    filter: FleetFilter;
    sort: { key: TerminalSortKey; desc: boolean };
    offset: number;
    limit: number;
  },
): TerminalPage {
  const { where, params } = filterClause(input.filter);
  const rows = prepared(
    db,
    `SELECT ${CURRENT_COLUMNS} FROM terminal_current ${where} ${sortClause(input.sort.key, input.sort.desc)} LIMIT ? OFFSET ?`,
  ).all(...params, input.limit, input.offset) as CurrentRow[];
  const total = (
    prepared(db, `SELECT count(*) AS n FROM terminal_current ${where}`).get(...params) as {
      n: number;
    }
  ).n;
  const versions = releaseVersions(db);
  return { rows: rows.map((r) => toRow(r, versions)), total, offset: input.offset };
}

export function getTerminalRow(db: Db, terminalId: string): TerminalRow | null {
  const row = prepared(
    db,
    `SELECT ${CURRENT_COLUMNS} FROM terminal_current WHERE terminal_id = ?`,
  ).get(terminalId) as CurrentRow | undefined;
  return row ? toRow(row, releaseVersions(db)) : null;
}

const HISTORY_LIMIT = 500;

/** Newest first, bounded: a terminal's history never crosses the boundary whole. */
export function getVersionHistory(db: Db, terminalId: string): VersionHistoryEntry[] {
  const rows = prepared(
    db,
    `SELECT event_id, version, release_id, observed_at, recorded_by, source
       FROM terminal_versions WHERE terminal_id = ? ORDER BY id DESC LIMIT ${HISTORY_LIMIT}`,
  ).all(terminalId) as Array<{
    event_id: string | null;
    version: string;
    release_id: string | null;
    observed_at: string;
    recorded_by: string | null;
    source: VersionHistoryEntry['source'];
  }>;
  return rows.map((r) => ({
    eventId: r.event_id,
    version: r.version,
    releaseId: r.release_id,
    observedAt: r.observed_at,
    recordedBy: r.recorded_by,
    source: r.source,
  }));
}

export type VersionObservation = {
  terminalId: string;
  releaseId: string;
  version: string;
  at: string;
  eventId: string | null;
  recordedBy: string | null;
  source: 'typed' | 'scanned';
};

/**
 * Applies one recorded version to the projection. The live path (inside the
 * journal transaction) and the rebuild use this same function, so a rebuild
 * gives exactly the live state. `since` moves only when the release changes.
 *
 * An observation older than the catalog's baseline for that terminal (the
 * central server already knows a later state, e.g. after a catalog pull) goes
 * into the history but does not move the current release back.
 * Returns 'missing' (and writes nothing) when the terminal is not in the catalog.
 */
export function applyVersionObservation(
  db: Db,
  o: VersionObservation,
): 'applied' | 'history-only' | 'missing' {
  const baseline = prepared(db, 'SELECT installed_since FROM terminals WHERE id = ?').get(
    o.terminalId,
  ) as { installed_since: string | null } | undefined;
  if (!baseline) return 'missing';
  const isCurrent =
    baseline.installed_since === null || Date.parse(o.at) >= Date.parse(baseline.installed_since);
  if (isCurrent) {
    const updated = prepared(
      db,
      `UPDATE terminal_current SET
         since = CASE WHEN release_id IS ? THEN since ELSE ? END,
         release_id = ?,
         version = ?,
         version_rank = (SELECT version_rank FROM releases WHERE id = ?),
         last_seen = ?,
         is_drift = CASE WHEN target_release_id IS NULL OR target_release_id = ? THEN 0 ELSE 1 END
       WHERE terminal_id = ?`,
    ).run(o.releaseId, o.at, o.releaseId, o.version, o.releaseId, o.at, o.releaseId, o.terminalId);
    if (updated.changes === 0) return 'missing';
  }
  prepared(
    db,
    `INSERT INTO terminal_versions (terminal_id, version, release_id, observed_at, event_id, recorded_by, source)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(o.terminalId, o.version, o.releaseId, o.at, o.eventId, o.recordedBy, o.source);
  return isCurrent ? 'applied' : 'history-only';
}
