import { sql, type Kysely } from 'kysely';

/**
 * Sync with the central server (DESIGN.md §5). One row: the enrollment (server,
 * device token, the log's public key), the outbox position (`acked_seq`: the
 * journal is the outbox, events above it are pending), the catalog cursor, the
 * last verified signed tree head, and the status shown in the sync panel.
 * `alarm` is set when the central history fails a consistency check and stays
 * until someone resolves it: it is never cleared by a later successful sync.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE sync_state (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    server_url TEXT NOT NULL,
    device_token TEXT NOT NULL,
    store_id TEXT NOT NULL,
    log_id TEXT NOT NULL,
    log_public_key TEXT NOT NULL,
    device_public_key TEXT NOT NULL,
    enrolled_at TEXT NOT NULL,
    acked_seq INTEGER NOT NULL DEFAULT 0 CHECK (acked_seq >= 0),
    catalog_cursor TEXT,
    tree_head TEXT,
    tree_head_signature TEXT,
    tree_head_verified_at TEXT,
    last_success_at TEXT,
    last_error TEXT,
    alarm TEXT
  ) STRICT`.execute(db);
}
