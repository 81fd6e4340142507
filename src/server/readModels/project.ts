/**
 * The server's adapter of the shared reducers (src/shared/projection): folds
 * a run of accepted log entries into the `rm_*` read models inside the
 * caller's transaction. Everything the reducers will read is fetched first
 * (one query per kind of need), the events are reduced in log order against
 * that snapshot plus the changes made so far, and each touched table is then
 * written in one multi-row statement (upsert, delete). A 1,000-event push
 * costs about ten statements, not thousands, on PostgreSQL as on SQLite.
 *
 * Used by the push transaction (src/server/ingest/push.ts) and by
 * `rebuildReadModels` (./rebuild.ts), page by page, so both write the same
 * rows. Quarantined entries (issue 22.6) are skipped.
 */
import { CompiledQuery, PostgresAdapter, type Kysely } from 'kysely';
import {
  isProjectedType,
  keyText,
  needsOf,
  PROJECTION_TABLES,
  reduceEvent,
  type Cell,
  type Need,
  type ProjectedEvent,
  type ProjectionTable,
  type ProjectionTableSpec,
  type ProjectionView,
  type Row,
  type RowChange,
} from '../../shared/projection/index.ts';
import type { ServerSchema } from '../db/schema.ts';

export type Dialect = 'sqlite' | 'postgres';

/** One appended log entry, as push.ts and the rebuild hold it. */
export type LogEntryToProject = {
  idx: number;
  device_id: string;
  seq: number;
  store_id: string;
  type: string;
  hash: string;
  /** The exact RFC 8785 text that was hashed (the event without its hash). */
  body: string;
  /** Set by the actor check (22.6): a quarantined entry is left out of every read model. */
  quarantine_reason?: string | null;
};

/** The server table of each shared table. */
export const SERVER_TABLE: Record<ProjectionTable, string> = {
  terminal_current: 'rm_terminals',
  terminal_versions: 'rm_terminal_versions',
  checklist_runs: 'rm_checklist_runs',
  checklist_results: 'rm_checklist_results',
  checklist_waivers: 'rm_checklist_waivers',
  evidence_files: 'rm_evidence_files',
  bug_reports: 'rm_bug_reports',
  decisions: 'rm_decisions',
  deployments: 'rm_deployments',
  change_requests: 'rm_change_requests',
  deployment_actors: 'rm_deployment_actors',
};

/** Server-only columns: where in the log a row came from (desks order by it). */
const LOG_IDX_TABLES = new Set<ProjectionTable>(['terminal_versions', 'decisions']);

function columnsOf(table: ProjectionTable): string[] {
  const spec: ProjectionTableSpec = PROJECTION_TABLES[table];
  return LOG_IDX_TABLES.has(table) ? [...spec.columns, 'log_idx'] : [...spec.columns];
}

/** Builds one statement with the dialect's placeholders (`?` or `$n`). */
export class Statement {
  readonly parts: string[] = [];
  readonly params: Cell[] = [];
  private readonly dialect: Dialect;
  constructor(dialect: Dialect) {
    this.dialect = dialect;
  }
  text(t: string): this {
    this.parts.push(t);
    return this;
  }
  param(v: Cell): this {
    this.params.push(v);
    this.parts.push(this.dialect === 'sqlite' ? '?' : `$${this.params.length}`);
    return this;
  }
  tuple(values: readonly Cell[]): this {
    this.parts.push('(');
    values.forEach((v, i) => {
      if (i > 0) this.parts.push(', ');
      this.param(v);
    });
    this.parts.push(')');
    return this;
  }
  compile(): CompiledQuery {
    return CompiledQuery.raw(this.parts.join(''), this.params);
  }
}

// SQLite's limit is 32,766 host parameters, PostgreSQL's 65,535.
const MAX_PARAMS = 30_000;

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function run<R = Record<string, Cell>>(db: Kysely<ServerSchema>, s: Statement): Promise<R[]> {
  const result = await db.executeQuery<R>(s.compile());
  return result.rows;
}

/** Catalog facts the fleet reducer reads; a rebuild loads them once. */
export type CatalogFacts = {
  releaseVersion: Map<string, string>;
  releaseIdOfVersion: Map<string, string>;
};

export async function loadCatalogFacts(db: Kysely<ServerSchema>): Promise<CatalogFacts> {
  const rows = await db.selectFrom('releases').select(['id', 'data']).execute();
  const facts: CatalogFacts = { releaseVersion: new Map(), releaseIdOfVersion: new Map() };
  for (const r of rows) {
    const version = (JSON.parse(r.data) as { version: string }).version;
    facts.releaseVersion.set(r.id, version);
    facts.releaseIdOfVersion.set(version, r.id);
  }
  return facts;
}

type Superseded = {
  event_id: string;
  log_idx: number;
  store_id: string;
  device_id: string;
  type: string;
  reason: string;
  won_by: string | null;
};

const RESULT_KEY = (run: string, terminal: string, item: string) =>
  `${run}\u001f${terminal}\u001f${item}`;

/**
 * The reducers' view during one fold: rows fetched for this run of entries
 * plus the changes made so far. Asking for a row that was not fetched is a
 * bug in a reducer's `needs` and throws, so it cannot silently read stale state.
 */
class Overlay implements ProjectionView {
  readonly rows = new Map<ProjectionTable, Map<string, Row | null>>();
  readonly dirty = new Map<ProjectionTable, Set<string>>();
  readonly current = new Map<string, string | null>();
  readonly baselines = new Map<string, { installedSince: string | null } | null>();
  catalog: CatalogFacts | null = null;

  table(t: ProjectionTable): Map<string, Row | null> {
    let m = this.rows.get(t);
    if (!m) {
      m = new Map();
      this.rows.set(t, m);
    }
    return m;
  }
  get(table: ProjectionTable, key: Row): Row | null {
    const k = keyText(table, key);
    const row = this.table(table).get(k);
    if (row === undefined) throw new Error(`read model ${table} row ${k} was not fetched`);
    return row;
  }
  currentResult(runId: string, terminalId: string, itemId: string): string | null {
    const v = this.current.get(RESULT_KEY(runId, terminalId, itemId));
    if (v === undefined) throw new Error(`current result of run ${runId} was not fetched`);
    return v;
  }
  terminalBaseline(terminalId: string): { installedSince: string | null } | null {
    const v = this.baselines.get(terminalId);
    if (v === undefined) throw new Error(`terminal ${terminalId} was not fetched`);
    return v;
  }
  releaseVersion(releaseId: string): string | null {
    return this.catalog!.releaseVersion.get(releaseId) ?? null;
  }
  releaseIdOfVersion(version: string): string | null {
    return this.catalog!.releaseIdOfVersion.get(version) ?? null;
  }

  apply(change: RowChange, logIdx: number): void {
    const rows = this.table(change.table);
    const k = keyText(
      change.table,
      change.op === 'patch' || change.op === 'remove' ? change.key : change.row,
    );
    const before = rows.get(k) ?? null;
    let after: Row | null;
    switch (change.op) {
      case 'put':
        after = { ...change.row };
        break;
      case 'putIfAbsent':
      case 'append':
        if (before !== null) return;
        after = { ...change.row };
        break;
      case 'patch':
        if (before === null) return;
        after = { ...before, ...change.set };
        break;
      case 'remove':
        after = null;
        break;
    }
    if (after !== null && LOG_IDX_TABLES.has(change.table) && change.op !== 'patch')
      after['log_idx'] = logIdx;
    rows.set(k, after);
    let d = this.dirty.get(change.table);
    if (!d) {
      d = new Set();
      this.dirty.set(change.table, d);
    }
    d.add(k);
    if (change.table === 'checklist_results') this.trackCurrent(before, after);
  }

  private trackCurrent(before: Row | null, after: Row | null): void {
    if (before !== null && before['is_current'] === 1)
      this.current.set(
        RESULT_KEY(
          String(before['run_id']),
          String(before['terminal_id']),
          String(before['item_id']),
        ),
        null,
      );
    if (after !== null && after['is_current'] === 1)
      this.current.set(
        RESULT_KEY(String(after['run_id']), String(after['terminal_id']), String(after['item_id'])),
        String(after['event_id']),
      );
  }
}

function parseEntry(entry: LogEntryToProject): ProjectedEvent {
  const body = JSON.parse(entry.body) as Omit<ProjectedEvent, 'hash'>;
  return { ...body, hash: entry.hash };
}

async function fetchNeeds(
  db: Kysely<ServerSchema>,
  dialect: Dialect,
  overlay: Overlay,
  needs: readonly Need[],
  catalog: CatalogFacts | undefined,
): Promise<void> {
  const rowKeys = new Map<ProjectionTable, Map<string, Row>>();
  const runs = new Set<string>();
  const terminals = new Set<string>();
  let wantsReleases = false;
  for (const need of needs) {
    switch (need.kind) {
      case 'row': {
        const k = keyText(need.table, need.key);
        if (overlay.table(need.table).has(k)) break;
        let m = rowKeys.get(need.table);
        if (!m) {
          m = new Map();
          rowKeys.set(need.table, m);
        }
        m.set(k, need.key);
        break;
      }
      case 'currentResult':
        if (!overlay.current.has(RESULT_KEY(need.runId, need.terminalId, need.itemId)))
          runs.add(need.runId);
        break;
      case 'terminalBaseline':
        if (!overlay.baselines.has(need.terminalId)) terminals.add(need.terminalId);
        break;
      case 'releases':
        wantsReleases = true;
        break;
    }
  }
  for (const [table, keys] of rowKeys) {
    const keyCols = PROJECTION_TABLES[table].key;
    const cols = columnsOf(table);
    const rows = overlay.table(table);
    for (const k of keys.keys()) rows.set(k, null);
    for (const part of chunk([...keys.values()], Math.floor(MAX_PARAMS / keyCols.length))) {
      const s = new Statement(dialect).text(
        `SELECT ${cols.join(', ')} FROM ${SERVER_TABLE[table]} WHERE `,
      );
      if (keyCols.length === 1) {
        s.text(`${keyCols[0]} IN `).tuple(part.map((key) => key[keyCols[0]]!));
      } else {
        part.forEach((key, i) => {
          s.text(i === 0 ? '(' : ' OR (');
          keyCols.forEach((c, j) => {
            s.text(j === 0 ? `${c} = ` : ` AND ${c} = `).param(key[c]!);
          });
          s.text(')');
        });
      }
      for (const row of await run<Row>(db, s)) rows.set(keyText(table, row), row);
    }
  }
  if (runs.size > 0) {
    // Every current result of the runs touched, whole: the reducers ask for (run, terminal, item)
    // triples and then patch the row they name.
    const cols = columnsOf('checklist_results');
    const results = overlay.table('checklist_results');
    for (const part of chunk([...runs], MAX_PARAMS)) {
      const s = new Statement(dialect)
        .text(
          `SELECT ${cols.join(', ')} FROM rm_checklist_results WHERE is_current = 1 AND run_id IN `,
        )
        .tuple(part);
      for (const r of await run<Row>(db, s)) {
        const k = keyText('checklist_results', r);
        // A row changed earlier in this fold is newer than the stored one.
        if (results.has(k)) continue;
        results.set(k, r);
        overlay.current.set(
          RESULT_KEY(String(r['run_id']), String(r['terminal_id']), String(r['item_id'])),
          String(r['event_id']),
        );
      }
    }
    for (const need of needs)
      if (need.kind === 'currentResult') {
        const k = RESULT_KEY(need.runId, need.terminalId, need.itemId);
        if (!overlay.current.has(k)) overlay.current.set(k, null);
      }
  }
  if (terminals.size > 0) {
    for (const id of terminals) overlay.baselines.set(id, null);
    for (const part of chunk([...terminals], MAX_PARAMS)) {
      const s = new Statement(dialect)
        .text('SELECT id, data FROM terminals WHERE id IN ')
        .tuple(part);
      for (const r of await run<{ id: string; data: string }>(db, s)) {
        const t = JSON.parse(r.data) as { installed: { since: string } | null };
        overlay.baselines.set(r.id, { installedSince: t.installed?.since ?? null });
      }
    }
  }
  if (wantsReleases && overlay.catalog === null)
    overlay.catalog = catalog ?? (await loadCatalogFacts(db));
}

async function flush(
  db: Kysely<ServerSchema>,
  dialect: Dialect,
  overlay: Overlay,
  superseded: readonly Superseded[],
): Promise<void> {
  for (const [table, keys] of overlay.dirty) {
    const rows = overlay.table(table);
    const cols = columnsOf(table);
    const keyCols: readonly string[] = PROJECTION_TABLES[table].key;
    const put: Row[] = [];
    const removed: string[] = [];
    for (const k of keys) {
      const row = rows.get(k);
      if (row) put.push(row);
      else removed.push(k);
    }
    const nonKey = cols.filter((c) => !keyCols.includes(c));
    for (const part of chunk(put, Math.floor(MAX_PARAMS / cols.length))) {
      const s = new Statement(dialect).text(
        `INSERT INTO ${SERVER_TABLE[table]} (${cols.join(', ')}) VALUES `,
      );
      part.forEach((row, i) => {
        if (i > 0) s.text(', ');
        s.tuple(cols.map((c) => row[c] ?? null));
      });
      s.text(
        nonKey.length === 0
          ? ` ON CONFLICT (${keyCols.join(', ')}) DO NOTHING`
          : ` ON CONFLICT (${keyCols.join(', ')}) DO UPDATE SET ${nonKey.map((c) => `${c} = excluded.${c}`).join(', ')}`,
      );
      await run(db, s);
    }
    for (const k of removed) {
      const parts = k.split('\u001f');
      const s = new Statement(dialect).text(`DELETE FROM ${SERVER_TABLE[table]} WHERE `);
      keyCols.forEach((c, j) => s.text(j === 0 ? `${c} = ` : ` AND ${c} = `).param(parts[j]!));
      await run(db, s);
    }
  }
  const cols = [
    'event_id',
    'log_idx',
    'store_id',
    'device_id',
    'type',
    'reason',
    'won_by',
  ] as const;
  for (const part of chunk(superseded, Math.floor(MAX_PARAMS / cols.length))) {
    const s = new Statement(dialect).text(`INSERT INTO rm_superseded (${cols.join(', ')}) VALUES `);
    part.forEach((row, i) => {
      if (i > 0) s.text(', ');
      s.tuple(cols.map((c) => row[c]));
    });
    s.text(' ON CONFLICT (event_id) DO NOTHING');
    await run(db, s);
  }
}

export type ProjectOptions = {
  dialect: Dialect;
  /** Catalog facts loaded once by a caller projecting many pages (the rebuild). */
  catalog?: CatalogFacts;
  /** When the entries were received (the push's commit time), for the desks' "last sync". */
  receivedAt?: string;
};

/**
 * Projects log entries (in log order) into the read models, in the caller's
 * transaction. Returns how many events changed state and how many were superseded.
 */
export async function projectEntries(
  db: Kysely<ServerSchema>,
  entries: readonly LogEntryToProject[],
  options: ProjectOptions,
): Promise<{ projected: number; superseded: number }> {
  const events: Array<{ entry: LogEntryToProject; event: ProjectedEvent }> = [];
  const needs: Need[] = [];
  for (const entry of entries) {
    if (entry.quarantine_reason != null || !isProjectedType(entry.type)) continue;
    const event = parseEntry(entry);
    events.push({ entry, event });
    for (const need of needsOf(event)) needs.push(need);
  }
  const overlay = new Overlay();
  await fetchNeeds(db, options.dialect, overlay, needs, options.catalog);
  const superseded: Superseded[] = [];
  let projected = 0;
  for (const { entry, event } of events) {
    const outcome = reduceEvent(event, overlay);
    if (outcome.superseded !== null) {
      superseded.push({
        event_id: event.id,
        log_idx: entry.idx,
        store_id: entry.store_id,
        device_id: entry.device_id,
        type: entry.type,
        reason: outcome.superseded.reason,
        won_by: outcome.superseded.wonBy,
      });
      continue;
    }
    if (outcome.changes.length > 0) projected++;
    for (const change of outcome.changes) overlay.apply(change, entry.idx);
  }
  await flush(db, options.dialect, overlay, superseded);
  if (options.receivedAt !== undefined)
    await recordDeviceSyncs(db, options.dialect, entries, options.receivedAt);
  return { projected, superseded: superseded.length };
}

/** The last entry of each device in `entries`, for the desks' "last sync of each console". */
async function recordDeviceSyncs(
  db: Kysely<ServerSchema>,
  dialect: Dialect,
  entries: readonly LogEntryToProject[],
  receivedAt: string,
): Promise<void> {
  const last = new Map<string, LogEntryToProject>();
  for (const e of entries) {
    const before = last.get(e.device_id);
    if (!before || e.idx > before.idx) last.set(e.device_id, e);
  }
  if (last.size === 0) return;
  const s = new Statement(dialect).text(
    'INSERT INTO rm_device_syncs (device_id, store_id, last_idx, last_seq, last_at) VALUES ',
  );
  [...last.values()].forEach((e, i) => {
    if (i > 0) s.text(', ');
    s.tuple([e.device_id, e.store_id, e.idx, e.seq, receivedAt]);
  });
  s.text(
    ' ON CONFLICT (device_id) DO UPDATE SET store_id = excluded.store_id, last_idx = excluded.last_idx, last_seq = excluded.last_seq, last_at = excluded.last_at',
  );
  await run(db, s);
}

/** The dialect behind a Kysely instance (the catalog code is written for both). */
export function dialectOf(db: Kysely<ServerSchema>): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
