/**
 * An in-memory console database for migration tests: `migrateTo(name)`
 * brings it to the schema as it stood after that migration, through the same
 * bundled list the console runs, so a test seeds the old schema and checks
 * what the next migration makes of it.
 */
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { migrateTo } from '../migrate.ts';

export type MigrationTestDb = {
  sqlite: Database.Database;
  db: Kysely<unknown>;
  migrateTo(name: string): Promise<void>;
  destroy(): Promise<void>;
};

export function createMigrationTestDb(): MigrationTestDb {
  const sqlite = new Database(':memory:');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { sqlite, db, migrateTo: (name) => migrateTo(db, name), destroy: () => db.destroy() };
}
