/**
 * Release extras on the server: each release's imported JUnit report with
 * its summary (the latest import replaces the previous one), and the
 * checklists the release desk assigned to stores.
 */
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

function releaseExtrasMigration(dialect: 'sqlite' | 'postgres'): Migration {
  const strict = dialect === 'sqlite' ? sql` STRICT` : sql``;
  const bigint = dialect === 'sqlite' ? sql`INTEGER` : sql`BIGINT`;
  return {
    async up(db: Kysely<unknown>) {
      await sql`CREATE TABLE release_test_results (release_id TEXT PRIMARY KEY,
        summary TEXT NOT NULL, xml TEXT NOT NULL, imported_at TEXT NOT NULL)${strict}`.execute(db);
      await sql`CREATE TABLE checklist_assignments (id TEXT PRIMARY KEY, store_id TEXT NOT NULL,
        template_id TEXT NOT NULL, release_id TEXT, due_at TEXT NOT NULL, data TEXT NOT NULL,
        log_index ${bigint} NOT NULL)${strict}`.execute(db);
      await sql`CREATE INDEX checklist_assignments_by_store ON checklist_assignments (store_id, due_at, id)`.execute(
        db,
      );
    },
  };
}

export const RELEASE_EXTRAS_MIGRATION_SQLITE = releaseExtrasMigration('sqlite');
export const RELEASE_EXTRAS_MIGRATION_POSTGRES = releaseExtrasMigration('postgres');
