import { sql, type Kysely } from 'kysely';

/**
 * Which console versions have opened this database. Written on each
 * successful open (src/main/db/migrate.ts), so a console older than the
 * newest version recorded here refuses the database and can say which
 * version wrote it, even when the newer version added no migration (its
 * event types or payloads may still be unknown to the older one).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE console_versions (
    version TEXT PRIMARY KEY,
    first_opened_at TEXT NOT NULL,
    last_opened_at TEXT NOT NULL
  ) STRICT, WITHOUT ROWID`.execute(db);
}
