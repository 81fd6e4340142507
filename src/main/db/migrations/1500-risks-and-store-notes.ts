import { sql, type Kysely } from 'kysely';

/**
 * Two catalog parts and one projection: each release's risk register (open
 * risks are acknowledged at go / no-go), each release's notes for store staff
 * ("what's new"), and who read which notes on this console (a projection of
 * the `release.store_notes.read` audit events, replayed on a rebuild).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE release_risks (
    id TEXT PRIMARY KEY,
    release_id TEXT NOT NULL,
    data TEXT NOT NULL
  ) STRICT`.execute(db);
  await sql`CREATE INDEX release_risks_by_release ON release_risks (release_id, id)`.execute(db);
  await sql`CREATE TABLE release_store_notes (
    release_id TEXT PRIMARY KEY,
    markdown TEXT NOT NULL
  ) STRICT`.execute(db);
  await sql`CREATE TABLE store_notes_reads (
    release_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    read_at TEXT NOT NULL,
    PRIMARY KEY (release_id, user_id)
  ) STRICT`.execute(db);
}
