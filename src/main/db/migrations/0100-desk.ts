import { sql, type Kysely } from 'kysely';

/**
 * Desks: a console enrolled as a desk reads the central read
 * models and keeps what it showed for offline viewing.
 *
 * `desk_connection` (one row): the server, the desk's id, scope and role
 * (the token itself is in the console's secret store, not here).
 * `desk_store_states`: the Stores list as last fetched, per release, with
 * `fetched_at` so the screen labels its age; `desk_store_details`: each
 * drilled-down store's terminals and records as last fetched.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE desk_connection (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    server_url TEXT NOT NULL,
    desk_id TEXT NOT NULL,
    scope TEXT NOT NULL,
    role TEXT NOT NULL,
    enrolled_at TEXT NOT NULL
  ) STRICT`.execute(db);
  await sql`CREATE TABLE desk_store_states (
    release_id TEXT NOT NULL,
    store_id TEXT NOT NULL,
    name TEXT NOT NULL,
    region TEXT NOT NULL,
    ring TEXT NOT NULL,
    terminals INTEGER NOT NULL,
    installed INTEGER NOT NULL,
    drifting INTEGER NOT NULL,
    latest_decision TEXT,
    open_deployments INTEGER NOT NULL,
    consoles TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    PRIMARY KEY (release_id, store_id)
  ) STRICT, WITHOUT ROWID`.execute(db);
  await sql`CREATE INDEX desk_store_states_by_region ON desk_store_states (release_id, region, store_id)`.execute(
    db,
  );
  await sql`CREATE TABLE desk_store_details (
    store_id TEXT NOT NULL,
    release_id TEXT NOT NULL,
    data TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    PRIMARY KEY (store_id, release_id)
  ) STRICT, WITHOUT ROWID`.execute(db);
}
