/**
 * The server's adapter of the shared reducers (src/shared/projection): folds
 * a run of accepted log entries into the `rm_*` read models inside the
 * caller's transaction. Everything the reducers will read is fetched first
 * (one query per kind of need), the events are reduced in log order against
 * that snapshot plus the changes made so far, and each touched table is then
 * written in one multi-row statement (upsert, delete). A 1,000-event push
 * costs about ten statements, not thousands, on PostgreSQL as on SQLite.
 *
 * Used by the push transaction (src/server/sync/push.ts) and by
 * `rebuildReadModels` (./rebuild.ts), page by page, so both write the same
 * rows. Quarantined entries are skipped.
 */
import { CompiledQuery, PostgresAdapter, sql, type Kysely, type RawBuilder } from 'kysely';
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
import { createWinnerTracker, earlierStandingEvent } from './superseded.ts';

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
  feature_requests: 'rm_feature_requests',
  feature_request_votes: 'rm_feature_request_votes',
  feedback_comments: 'rm_feedback_comments',
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
/** Rows of one `VALUES` list: SQLite parses a longer one as too deep an expression (limit 1,000). */
const MAX_ROW_VALUES = 400;

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
  return catalogFactsOf(await db.selectFrom('releases').select(['id', 'data']).execute());
}

function catalogFactsOf(rows: ReadonlyArray<{ id: string; data: string }>): CatalogFacts {
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
    const known = rows.get(k);
    const before = known ?? null;
    // Removing a row the fold knows is absent writes nothing.
    if (change.op === 'remove' && known === null) return;
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

/** One read of a fold: its SQL, and what to do with its rows. */
export type Query = { write: (s: Statement) => void; accept: (rows: Row[]) => void };

/**
 * Runs the queries of one fold: one by one on SQLite (in process, no round
 * trip), as ONE statement on PostgreSQL (each query a json_agg subselect), so
 * a push pays one round trip for every read its reducers need while it holds
 * the log lock.
 */
async function runQueries(
  db: Kysely<ServerSchema>,
  dialect: Dialect,
  queries: readonly Query[],
): Promise<void> {
  if (queries.length === 0) return;
  if (dialect === 'sqlite') {
    for (const q of queries) {
      const s = new Statement(dialect);
      q.write(s);
      q.accept(await run<Row>(db, s));
    }
    return;
  }
  const s = new Statement(dialect).text('SELECT ');
  queries.forEach((q, i) => {
    if (i > 0) s.text(', ');
    s.text(`(SELECT coalesce(json_agg(q), '[]'::json) FROM (`);
    q.write(s);
    s.text(`) q) AS q${i}`);
  });
  const [row] = await run<Record<string, Row[]>>(db, s);
  queries.forEach((q, i) => q.accept(row![`q${i}`] ?? []));
}

function inList(s: Statement, values: readonly Cell[]): void {
  s.tuple(values);
}

async function fetchNeeds(
  db: Kysely<ServerSchema>,
  dialect: Dialect,
  overlay: Overlay,
  needs: readonly Need[],
  catalog: CatalogFacts | undefined,
  alsoRead: readonly Query[] = [],
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
  const queries: Query[] = [...alsoRead];
  for (const [table, keys] of rowKeys) {
    const keyCols: readonly string[] = PROJECTION_TABLES[table].key;
    const cols = columnsOf(table);
    const rows = overlay.table(table);
    for (const k of keys.keys()) rows.set(k, null);
    // Composite keys as row values: `(a, b) IN (VALUES …)`, in chunks SQLite's parser accepts.
    const size = keyCols.length === 1 ? MAX_PARAMS : MAX_ROW_VALUES;
    for (const part of chunk([...keys.values()], size)) {
      queries.push({
        write(s) {
          s.text(`SELECT ${cols.join(', ')} FROM ${SERVER_TABLE[table]} WHERE `);
          if (keyCols.length === 1) {
            s.text(`${keyCols[0]} IN `);
            inList(
              s,
              part.map((key) => key[keyCols[0]!]!),
            );
          } else {
            s.text(`(${keyCols.join(', ')}) IN (VALUES `);
            part.forEach((key, i) => {
              if (i > 0) s.text(', ');
              s.tuple(keyCols.map((c) => key[c] ?? null));
            });
            s.text(')');
          }
        },
        accept(found) {
          for (const row of found) rows.set(keyText(table, row), row);
        },
      });
    }
  }
  if (runs.size > 0) {
    // Every current result of the runs touched, whole: the reducers ask for (run, terminal, item)
    // triples and then patch the row they name.
    const cols = columnsOf('checklist_results');
    const results = overlay.table('checklist_results');
    for (const part of chunk([...runs], MAX_PARAMS))
      queries.push({
        write(s) {
          s.text(
            `SELECT ${cols.join(', ')} FROM rm_checklist_results WHERE is_current = 1 AND run_id IN `,
          );
          inList(s, part);
        },
        accept(found) {
          for (const r of found) {
            const k = keyText('checklist_results', r);
            // A row changed earlier in this fold is newer than the stored one.
            if (results.has(k)) continue;
            results.set(k, r);
            overlay.current.set(
              RESULT_KEY(String(r['run_id']), String(r['terminal_id']), String(r['item_id'])),
              String(r['event_id']),
            );
          }
        },
      });
  }
  if (terminals.size > 0) {
    for (const id of terminals) overlay.baselines.set(id, null);
    for (const part of chunk([...terminals], MAX_PARAMS))
      queries.push({
        write(s) {
          s.text('SELECT id, data FROM terminals WHERE id IN ');
          inList(s, part);
        },
        accept(found) {
          for (const r of found) {
            const t = JSON.parse(String(r['data'])) as { installed: { since: string } | null };
            overlay.baselines.set(String(r['id']), { installedSince: t.installed?.since ?? null });
          }
        },
      });
  }
  if (wantsReleases && overlay.catalog === null) {
    if (catalog) overlay.catalog = catalog;
    else
      queries.push({
        write(s) {
          s.text('SELECT id, data FROM releases');
        },
        accept(found) {
          overlay.catalog = catalogFactsOf(found as Array<{ id: string; data: string }>);
        },
      });
  }
  await runQueries(db, dialect, queries);
  if (runs.size > 0)
    for (const need of needs)
      if (need.kind === 'currentResult') {
        const k = RESULT_KEY(need.runId, need.terminalId, need.itemId);
        if (!overlay.current.has(k)) overlay.current.set(k, null);
      }
}

type SyncRow = {
  device_id: string;
  store_id: string;
  last_idx: number;
  last_seq: number;
  last_at: string;
};

/** What one fold writes: the final row of every key it touched, the keys it removed, the superseded entries, the consoles' last syncs. */
export type ProjectionPlan = {
  puts: Array<{ table: ProjectionTable; rows: Row[] }>;
  removes: Array<{ table: ProjectionTable; keys: Row[] }>;
  superseded: Superseded[];
  syncs: SyncRow[];
  projected: number;
};

function planOf(
  overlay: Overlay,
  superseded: Superseded[],
  syncs: SyncRow[],
  projected: number,
): ProjectionPlan {
  const plan: ProjectionPlan = { puts: [], removes: [], superseded, syncs, projected };
  for (const [table, keys] of overlay.dirty) {
    const rows = overlay.table(table);
    const keyCols: readonly string[] = PROJECTION_TABLES[table].key;
    const put: Row[] = [];
    const removed: Row[] = [];
    for (const k of keys) {
      const row = rows.get(k);
      if (row) put.push(row);
      else {
        const parts = k.split('\u001f');
        const key: Row = {};
        keyCols.forEach((c, j) => (key[c] = parts[j] ?? null));
        removed.push(key);
      }
    }
    if (put.length > 0) plan.puts.push({ table, rows: put });
    if (removed.length > 0) plan.removes.push({ table, keys: removed });
  }
  return plan;
}

const SUPERSEDED_COLS = [
  'event_id',
  'log_idx',
  'store_id',
  'device_id',
  'type',
  'reason',
  'won_by',
] as const;
const SYNC_COLS = ['device_id', 'store_id', 'last_idx', 'last_seq', 'last_at'] as const;

function upsertTail(keyCols: readonly string[], cols: readonly string[]): string {
  const nonKey = cols.filter((c) => !keyCols.includes(c));
  return nonKey.length === 0
    ? ` ON CONFLICT (${keyCols.join(', ')}) DO NOTHING`
    : ` ON CONFLICT (${keyCols.join(', ')}) DO UPDATE SET ${nonKey.map((c) => `${c} = excluded.${c}`).join(', ')}`;
}

/**
 * PostgreSQL: the plan as data-modifying CTEs, each table's rows passed as one
 * JSON parameter (json_populate_recordset takes the table's own row type), to
 * run in the push's single write statement (sync/postgresBatch.ts): the
 * read models cost the push no round trip of their own for writing.
 */
export function pgProjectionCtes(plan: ProjectionPlan): Array<RawBuilder<unknown>> {
  const ctes: Array<RawBuilder<unknown>> = [];
  const cte = (body: RawBuilder<unknown>) => sql`${sql.raw(`rm_w${ctes.length}`)} AS (${body})`;
  const pick = (rows: readonly Row[], cols: readonly string[]) =>
    JSON.stringify(rows.map((r) => Object.fromEntries(cols.map((c) => [c, r[c] ?? null]))));
  for (const { table, rows } of plan.puts) {
    const cols = columnsOf(table);
    const t = SERVER_TABLE[table];
    ctes.push(
      cte(sql`INSERT INTO ${sql.table(t)} (${sql.raw(cols.join(', '))})
        SELECT ${sql.raw(cols.join(', '))} FROM json_populate_recordset(NULL::${sql.table(t)}, ${pick(rows, cols)}::json)
        ${sql.raw(upsertTail(PROJECTION_TABLES[table].key, cols))}`),
    );
  }
  for (const { table, keys } of plan.removes) {
    const keyCols: readonly string[] = PROJECTION_TABLES[table].key;
    const t = SERVER_TABLE[table];
    ctes.push(
      cte(sql`DELETE FROM ${sql.table(t)} WHERE (${sql.raw(keyCols.join(', '))}) IN
        (SELECT ${sql.raw(keyCols.join(', '))} FROM json_populate_recordset(NULL::${sql.table(t)}, ${pick(keys, keyCols)}::json))`),
    );
  }
  if (plan.superseded.length > 0)
    ctes.push(
      cte(sql`INSERT INTO rm_superseded (${sql.raw(SUPERSEDED_COLS.join(', '))})
        SELECT ${sql.raw(SUPERSEDED_COLS.join(', '))} FROM json_populate_recordset(NULL::rm_superseded, ${JSON.stringify(plan.superseded)}::json)
        ON CONFLICT (event_id) DO NOTHING`),
    );
  if (plan.syncs.length > 0)
    ctes.push(
      cte(sql`INSERT INTO rm_device_syncs (${sql.raw(SYNC_COLS.join(', '))})
        SELECT ${sql.raw(SYNC_COLS.join(', '))} FROM json_populate_recordset(NULL::rm_device_syncs, ${JSON.stringify(plan.syncs)}::json)
        ${sql.raw(upsertTail(['device_id'], SYNC_COLS))}`),
    );
  return ctes;
}

async function writePlan(
  db: Kysely<ServerSchema>,
  dialect: Dialect,
  plan: ProjectionPlan,
): Promise<void> {
  if (dialect === 'postgres') {
    const ctes = pgProjectionCtes(plan);
    if (ctes.length > 0) await sql`WITH ${sql.join(ctes)} SELECT 1`.execute(db);
    return;
  }
  for (const { table, rows } of plan.puts) {
    const cols = columnsOf(table);
    for (const part of chunk(rows, Math.floor(MAX_PARAMS / cols.length))) {
      const s = new Statement(dialect).text(
        `INSERT INTO ${SERVER_TABLE[table]} (${cols.join(', ')}) VALUES `,
      );
      part.forEach((row, i) => {
        if (i > 0) s.text(', ');
        s.tuple(cols.map((c) => row[c] ?? null));
      });
      s.text(upsertTail(PROJECTION_TABLES[table].key, cols));
      await run(db, s);
    }
  }
  for (const { table, keys } of plan.removes) {
    const keyCols: readonly string[] = PROJECTION_TABLES[table].key;
    for (const part of chunk(keys, MAX_ROW_VALUES)) {
      const s = new Statement(dialect).text(
        `DELETE FROM ${SERVER_TABLE[table]} WHERE (${keyCols.join(', ')}) IN (VALUES `,
      );
      part.forEach((key, i) => {
        if (i > 0) s.text(', ');
        s.tuple(keyCols.map((c) => key[c] ?? null));
      });
      s.text(')');
      await run(db, s);
    }
  }
  const groups: Array<[string, readonly string[], ReadonlyArray<Record<string, Cell>>, string]> = [
    ['rm_superseded', SUPERSEDED_COLS, plan.superseded, ' ON CONFLICT (event_id) DO NOTHING'],
    ['rm_device_syncs', SYNC_COLS, plan.syncs, upsertTail(['device_id'], SYNC_COLS)],
  ];
  for (const [table, cols, rows, tail] of groups)
    for (const part of chunk(rows, Math.floor(MAX_PARAMS / cols.length))) {
      const s = new Statement(dialect).text(`INSERT INTO ${table} (${cols.join(', ')}) VALUES `);
      part.forEach((row, i) => {
        if (i > 0) s.text(', ');
        s.tuple(cols.map((c) => row[c] ?? null));
      });
      s.text(tail);
      await run(db, s);
    }
}

export type ProjectOptions = {
  dialect: Dialect;
  /** Catalog facts loaded once by a caller projecting many pages (the rebuild). */
  catalog?: CatalogFacts;
  /** When the entries were received (the push's commit time), for the desks' "last sync". */
  receivedAt?: string;
  /** The entries' events already parsed (index for index; null where not projected), e.g. before a lock was taken. */
  parsed?: ReadonlyArray<ProjectedEvent | null>;
  /**
   * Other reads of the caller, run in the same round trip as the fold's own
   * (PostgreSQL: the same statement). With them, the reads cover every
   * entry, and `afterReads` runs before the fold: it may still mark entries
   * quarantined (the push's actor check reads the catalog this way), and
   * those are then left out of the fold.
   */
  alsoRead?: readonly Query[];
  afterReads?: () => void;
};

/** Parses the events the reducers will read (null for the others): work a push can do before it takes the log lock. */
export function parseForProjection(
  entries: ReadonlyArray<Pick<LogEntryToProject, 'type' | 'hash' | 'body'>>,
): Array<ProjectedEvent | null> {
  return entries.map((e) =>
    isProjectedType(e.type)
      ? { ...(JSON.parse(e.body) as Omit<ProjectedEvent, 'hash'>), hash: e.hash }
      : null,
  );
}

/**
 * Reads what the entries' reducers need and folds them (in log order) into a
 * plan of final rows, in the caller's transaction; nothing is written yet.
 */
export async function planProjection(
  db: Kysely<ServerSchema>,
  entries: readonly LogEntryToProject[],
  options: ProjectOptions,
): Promise<ProjectionPlan> {
  const events: Array<{ entry: LogEntryToProject; event: ProjectedEvent }> = [];
  const needs: Need[] = [];
  entries.forEach((entry, i) => {
    if (entry.quarantine_reason != null || !isProjectedType(entry.type)) return;
    const event = options.parsed?.[i] ?? parseEntry(entry);
    events.push({ entry, event });
    for (const need of needsOf(event)) needs.push(need);
  });
  const overlay = new Overlay();
  await fetchNeeds(db, options.dialect, overlay, needs, options.catalog, options.alsoRead);
  options.afterReads?.();
  const superseded: Superseded[] = [];
  const winners = createWinnerTracker();
  const lookUpWinner: Array<{ row: Superseded; event: ProjectedEvent }> = [];
  let projected = 0;
  for (const { entry, event } of events) {
    // Marked quarantined after the reads (afterReads): fetched for, but left out.
    if (entry.quarantine_reason != null) continue;
    const outcome = reduceEvent(event, overlay);
    if (outcome.superseded !== null) {
      const row: Superseded = {
        event_id: event.id,
        log_idx: entry.idx,
        store_id: entry.store_id,
        device_id: entry.device_id,
        type: entry.type,
        reason: outcome.superseded.reason,
        won_by: outcome.superseded.wonBy ?? winners.winnerOf(event) ?? null,
      };
      superseded.push(row);
      if (row.won_by === null && winners.winnerOf(event) === undefined)
        lookUpWinner.push({ row, event });
      continue;
    }
    winners.stood(event);
    if (outcome.changes.length > 0) projected++;
    for (const change of outcome.changes) overlay.apply(change, entry.idx);
  }
  if (lookUpWinner.length > 0) {
    // The record last changed in an earlier push: the winner is found in the log (rare).
    const losers = new Set(superseded.map((s) => s.event_id));
    for (const { row, event } of lookUpWinner) {
      row.won_by = await earlierStandingEvent(
        db,
        { type: event.type, payload: event.payload, storeId: row.store_id, idx: row.log_idx },
        losers,
      );
    }
  }
  return planOf(overlay, superseded, deviceSyncs(entries, options.receivedAt), projected);
}

/**
 * Projects log entries (in log order) into the read models, in the caller's
 * transaction. Returns how many events changed state and how many were superseded.
 */
export async function projectEntries(
  db: Kysely<ServerSchema>,
  entries: readonly LogEntryToProject[],
  options: ProjectOptions,
): Promise<{ projected: number; superseded: number }> {
  const plan = await planProjection(db, entries, options);
  await writePlan(db, options.dialect, plan);
  return { projected: plan.projected, superseded: plan.superseded.length };
}

/** The last entry of each device in `entries`, for the desks' "last sync of each console". */
function deviceSyncs(
  entries: readonly LogEntryToProject[],
  receivedAt: string | undefined,
): SyncRow[] {
  if (receivedAt === undefined) return [];
  const last = new Map<string, LogEntryToProject>();
  for (const e of entries) {
    const before = last.get(e.device_id);
    if (!before || e.idx > before.idx) last.set(e.device_id, e);
  }
  return [...last.values()].map((e) => ({
    device_id: e.device_id,
    store_id: e.store_id,
    last_idx: e.idx,
    last_seq: e.seq,
    last_at: receivedAt,
  }));
}

/** The dialect behind a Kysely instance (the catalog code is written for both). */
export function dialectOf(db: Kysely<ServerSchema>): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
