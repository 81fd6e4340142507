/**
 * Bulk inserts on the push hot path. On SQLite, cached prepared statements of
 * SQLITE_ROWS rows each run on the same connection (inside the caller's
 * transaction): several times faster than compiling a 1,000-row multi-VALUES
 * statement each time, and about 20% faster than one statement run per row
 * (fewer crossings into the native driver). PostgreSQL gets Kysely's multi-row
 * inserts in chunks.
 */
import type Database from 'better-sqlite3';
import type { Transaction } from 'kysely';
import type { ServerSchema } from './schema.ts';

type BulkTable = 'log_entries' | 'merkle_nodes';
type Row<T extends BulkTable> = { [K in keyof ServerSchema[T]]: ServerSchema[T][K] };

const CHUNK = 500;
const SQLITE_ROWS = 50;
const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();

function prepared(
  sqlite: Database.Database,
  table: string,
  columns: readonly string[],
  rowCount: number,
): Database.Statement {
  let byTable = statements.get(sqlite);
  if (!byTable) {
    byTable = new Map();
    statements.set(sqlite, byTable);
  }
  const key = `${table}(${columns.join(',')})×${rowCount}`;
  let stmt = byTable.get(key);
  if (!stmt) {
    stmt = sqlite.prepare(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES ` +
        Array.from({ length: rowCount }, () => `(${columns.map(() => '?').join(', ')})`).join(', '),
    );
    byTable.set(key, stmt);
  }
  return stmt;
}

export async function insertRows<T extends BulkTable>(
  trx: Transaction<ServerSchema>,
  sqlite: Database.Database | null,
  table: T,
  rows: ReadonlyArray<Row<T>>,
): Promise<void> {
  if (rows.length === 0) return;
  if (sqlite) {
    const columns = Object.keys(rows[0]!);
    const values = (row: Row<T>) => columns.map((c) => (row as Record<string, unknown>)[c]);
    const full = prepared(sqlite, table, columns, SQLITE_ROWS);
    let i = 0;
    for (; i + SQLITE_ROWS <= rows.length; i += SQLITE_ROWS) {
      full.run(...rows.slice(i, i + SQLITE_ROWS).flatMap(values));
    }
    const single = i < rows.length ? prepared(sqlite, table, columns, 1) : null;
    for (; i < rows.length; i++) single!.run(...values(rows[i]!));
    return;
  }
  for (let i = 0; i < rows.length; i += CHUNK) {
    await trx
      .insertInto(table)
      .values(rows.slice(i, i + CHUNK) as never)
      .execute();
  }
}
