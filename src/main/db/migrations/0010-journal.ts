import { sql, type Kysely } from 'kysely';

/**
 * The device identity and the hash-chained journal (DESIGN.md §5). `body` is
 * the exact canonical JSON that was hashed, so verification reads bytes, not a
 * re-serialised object. Triggers make the journal append-only.
 *
 * No secondary index: the journal is read by seq only (sync, verify, rebuild),
 * and every index costs on the hottest write path (measured: 100k appends
 * 2.16 s with indexes on id and type, 1.27 s without). Event ids are UUIDv7,
 * unique by construction, and covered by the hash chain.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE device (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    device_id TEXT NOT NULL,
    created_at TEXT NOT NULL
  ) STRICT`.execute(db);
  await sql`CREATE TABLE journal (
    seq INTEGER PRIMARY KEY CHECK (seq >= 1),
    id TEXT NOT NULL,
    at TEXT NOT NULL,
    type TEXT NOT NULL,
    store_id TEXT NOT NULL,
    actor_user_id TEXT NOT NULL,
    body TEXT NOT NULL,
    hash TEXT NOT NULL
  ) STRICT`.execute(db);
  await sql`CREATE TRIGGER journal_is_append_only_update BEFORE UPDATE ON journal
    BEGIN SELECT RAISE(ABORT, 'journal events are never updated'); END`.execute(db);
  await sql`CREATE TRIGGER journal_is_append_only_delete BEFORE DELETE ON journal
    BEGIN SELECT RAISE(ABORT, 'journal events are never deleted'); END`.execute(db);
}
