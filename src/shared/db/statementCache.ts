/**
 * Kysely's SQLite driver prepares every query's SQL again at each call
 * (better-sqlite3's `prepare`: SQLite parses and plans it anew), although
 * the console and the server run the same few hundred statements over and
 * over. This hands Kysely the same prepared statement for the same SQL text,
 * most recently used kept, at most `size` of them.
 *
 * Sound because better-sqlite3 statements are reusable (a streamed query
 * broken off resets its statement) and re-prepare themselves after a schema
 * change (a migration), and Kysely sets no mode on them (raw, pluck, expand).
 * Measured on this 2-core machine, CPU-s of the test files most made of
 * server requests: see the commit that added it.
 */
import type { SqliteDatabase, SqliteStatement } from 'kysely';

const STATEMENT_CACHE_SIZE = 500;

export function withStatementCache(
  database: SqliteDatabase,
  size = STATEMENT_CACHE_SIZE,
): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    close: () => database.close(),
    prepare(sql) {
      const cached = statements.get(sql);
      if (cached) {
        // Map order is insertion order: moved to the end, it is the most recently used.
        statements.delete(sql);
        statements.set(sql, cached);
        return cached;
      }
      const statement = database.prepare(sql);
      statements.set(sql, statement);
      if (statements.size > size) statements.delete(statements.keys().next().value!);
      return statement;
    },
  };
}
