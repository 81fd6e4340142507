import { sql, type Kysely } from 'kysely';

/**
 * Notices from the central server (GET /v1/notices): the notices kept for
 * offline, where the log was read up to, and who read which (a projection of
 * the `notice.read` audit events this console recorded).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE notices (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    at TEXT NOT NULL,
    store_id TEXT,
    release_id TEXT,
    subject_id TEXT,
    text TEXT,
    minutes INTEGER,
    received_at TEXT NOT NULL
  ) STRICT`.execute(db);
  await sql`CREATE INDEX notices_by_at ON notices (at)`.execute(db);
  await sql`CREATE TABLE notice_reads (
    notice_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    read_at TEXT NOT NULL,
    PRIMARY KEY (notice_id, user_id)
  ) STRICT`.execute(db);
  await sql`CREATE TABLE notice_state (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    next INTEGER NOT NULL,
    fetched_at TEXT,
    error TEXT
  ) STRICT`.execute(db);
}
