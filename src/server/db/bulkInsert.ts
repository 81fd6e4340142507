/**
 * Bulk inserts on the push hot path. On SQLite, one cached prepared statement
 * run per row on the same connection (inside the caller's transaction) is
 * several times faster than compiling a 1,000-row multi-VALUES statement each
 * time; PostgreSQL gets Kysely's multi-row inserts in chunks.
 */
import type Database from 'better-sqlite3';
import type { Transaction } from 'kysely';
import type { ServerSchema } from './schema.ts';

type BulkTable = 'log_entries' | 'merkle_nodes';
type Row<T extends BulkTable> = { [K in keyof ServerSchema[T]]: ServerSchema[T][K] };

const CHUNK = 500;
const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();

function prepared(
  sqlite: Database.Database,
  table: string,
  columns: readonly string[],
): Database.Statement {
  let byTable = statements.get(sqlite);
  if (!byTable) {
    byTable = new Map();
    statements.set(sqlite, byTable);
  }
  const key = `${table}(${columns.join(',')})`;
  let stmt = byTable.get(key);
  if (!stmt) {
    stmt = sqlite.prepare(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
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
    const stmt = prepared(sqlite, table, columns);
    for (const row of rows) stmt.run(...columns.map((c) => (row as Record<string, unknown>)[c]));
    return;
  }
  for (let i = 0; i < rows.length; i += CHUNK) {
    await trx
      .insertInto(table)
      .values(rows.slice(i, i + CHUNK) as never)
      .execute();
  }
}
