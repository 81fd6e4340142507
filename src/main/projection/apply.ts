/**
 * The console's adapter of the shared reducers (src/shared/projection):
 * answers their reads from the console's SQLite file and applies their row
 * changes to its state tables with cached prepared statements, inside the
 * caller's transaction. The feature code (checklists/projection.ts, the fleet
 * and deployments rebuilds, and the feed of other devices' events) goes
 * through `projectOnConsole`, so the console and the server's read models
 * are written by the same rules.
 */
import type Database from 'better-sqlite3';
import {
  PROJECTION_TABLES,
  reduceEvent,
  type Projection,
  type ProjectedEvent,
  type ProjectionTable,
  type ProjectionTableSpec,
  type ProjectionView,
  type Row,
  type RowChange,
} from '../../shared/projection/index.ts';
import { canonicalDump, type ProjectionDump } from '../../shared/projection/dump.ts';
import type { Db } from '../db/open.ts';

const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();

function statement(db: Db, text: string): Database.Statement {
  let cache = statements.get(db.sqlite);
  if (!cache) {
    cache = new Map();
    statements.set(db.sqlite, cache);
  }
  let s = cache.get(text);
  if (!s) {
    s = db.sqlite.prepare(text);
    cache.set(text, s);
  }
  return s;
}

function where(cols: readonly string[]): string {
  return cols.map((c) => `${c} = ?`).join(' AND ');
}

export function consoleView(db: Db): ProjectionView {
  return {
    get(table: ProjectionTable, key: Row): Row | null {
      const spec = PROJECTION_TABLES[table];
      const row = statement(
        db,
        `SELECT ${spec.columns.join(', ')} FROM ${table} WHERE ${where(spec.key)}`,
      ).get(...spec.key.map((c) => key[c])) as Row | undefined;
      return row ?? null;
    },
    currentResult(runId, terminalId, itemId) {
      const id = statement(
        db,
        'SELECT event_id FROM checklist_results WHERE run_id = ? AND terminal_id = ? AND item_id = ? AND is_current = 1',
      )
        .pluck()
        .get(runId, terminalId, itemId) as string | undefined;
      return id ?? null;
    },
    terminalBaseline(terminalId) {
      const row = statement(db, 'SELECT installed_since FROM terminals WHERE id = ?').get(
        terminalId,
      ) as { installed_since: string | null } | undefined;
      return row ? { installedSince: row.installed_since } : null;
    },
    releaseVersion(releaseId) {
      const v = statement(db, 'SELECT version FROM releases WHERE id = ?')
        .pluck()
        .get(releaseId) as string | undefined;
      return v ?? null;
    },
    releaseIdOfVersion(version) {
      const id = statement(db, 'SELECT id FROM releases WHERE version = ?').pluck().get(version) as
        string | undefined;
      return id ?? null;
    },
  };
}

function applyOne(db: Db, change: RowChange): void {
  const spec: ProjectionTableSpec = PROJECTION_TABLES[change.table];
  switch (change.op) {
    case 'put':
    case 'putIfAbsent':
    case 'append': {
      const cols = Object.keys(change.row);
      const values = cols.map((c) => change.row[c]);
      const insert = `INSERT INTO ${change.table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`;
      const rest = cols.filter((c) => !spec.key.includes(c));
      const text =
        change.op === 'append'
          ? insert
          : change.op === 'putIfAbsent' || rest.length === 0
            ? `${insert} ON CONFLICT (${spec.key.join(', ')}) DO NOTHING`
            : `${insert} ON CONFLICT (${spec.key.join(', ')}) DO UPDATE SET ${rest.map((c) => `${c} = excluded.${c}`).join(', ')}`;
      statement(db, text).run(...values);
      return;
    }
    case 'patch': {
      const cols = Object.keys(change.set);
      const values = cols.map((c) => change.set[c]);
      const sets = cols.map((c) => `${c} = ?`).join(', ');
      // The console's fleet table also carries the version's rank and the drift from the
      // ring's target (derived from the catalog, console-only columns the fleet screen sorts on).
      if (change.table === 'terminal_current' && cols.includes('release_id')) {
        const text =
          `UPDATE terminal_current SET ${sets}, ` +
          'version_rank = (SELECT version_rank FROM releases WHERE id = ?), ' +
          'is_drift = CASE WHEN target_release_id IS NULL OR target_release_id = ? THEN 0 ELSE 1 END ' +
          'WHERE terminal_id = ?';
        const release = change.set['release_id'];
        statement(db, text).run(...values, release, release, change.key['terminal_id']);
        return;
      }
      statement(db, `UPDATE ${change.table} SET ${sets} WHERE ${where(spec.key)}`).run(
        ...values,
        ...spec.key.map((c) => change.key[c]),
      );
      return;
    }
    case 'remove':
      statement(db, `DELETE FROM ${change.table} WHERE ${where(spec.key)}`).run(
        ...spec.key.map((c) => change.key[c]),
      );
      return;
  }
}

export function applyChangesToConsole(db: Db, changes: readonly RowChange[]): void {
  for (const change of changes) applyOne(db, change);
}

/** Reduces one event against the console's state and applies its changes (in the caller's transaction). */
export function projectOnConsole(db: Db, event: ProjectedEvent): Projection {
  const projection = reduceEvent(event, consoleView(db));
  applyChangesToConsole(db, projection.changes);
  return projection;
}

/** The console's projected state as a canonical dump (its catalog-only history rows left out). */
export function dumpConsoleState(db: Db): ProjectionDump {
  return canonicalDump((table) => {
    const where = table === 'terminal_versions' ? ' WHERE event_id IS NOT NULL' : '';
    return db.sqlite.prepare(`SELECT * FROM ${table}${where}`).all() as Row[];
  });
}
