import { sql, type Kysely } from 'kysely';

/**
 * The fleet projection (DESIGN.md §4): the maintained current release of
 * every terminal and its version history. Both are a projection of the
 * catalog baseline plus the journal (src/main/fleet/rebuild.ts rebuilds them).
 *
 * `terminal_current` carries the catalog columns the fleet screen sorts and
 * filters on (store name, region, ring, model, serial) and the computed drift,
 * so every window of the 50,000-terminal table and the store × release matrix
 * is one indexed scan of one table, never a join per row.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE terminal_current (
    terminal_id TEXT PRIMARY KEY REFERENCES terminals (id),
    store_id TEXT NOT NULL REFERENCES stores (id),
    store_name TEXT NOT NULL,
    region TEXT NOT NULL,
    ring TEXT NOT NULL,
    terminal_name TEXT NOT NULL,
    model TEXT NOT NULL,
    serial TEXT NOT NULL,
    release_id TEXT REFERENCES releases (id),
    version TEXT,
    version_rank INTEGER,
    since TEXT,
    last_seen TEXT,
    target_release_id TEXT,
    is_drift INTEGER NOT NULL CHECK (is_drift IN (0, 1))
  ) STRICT`.execute(db);
  await sql`CREATE INDEX terminal_current_by_store_release ON terminal_current (store_id, release_id, is_drift)`.execute(
    db,
  );
  await sql`CREATE INDEX terminal_current_by_release ON terminal_current (release_id)`.execute(db);
  await sql`CREATE INDEX terminal_current_by_store_name ON terminal_current (store_name, terminal_name, terminal_id)`.execute(
    db,
  );
  await sql`CREATE INDEX terminal_current_by_terminal_name ON terminal_current (terminal_name, terminal_id)`.execute(
    db,
  );
  await sql`CREATE INDEX terminal_current_by_model ON terminal_current (model, terminal_id)`.execute(
    db,
  );
  await sql`CREATE INDEX terminal_current_by_serial ON terminal_current (serial, terminal_id)`.execute(
    db,
  );
  await sql`CREATE INDEX terminal_current_by_version_rank ON terminal_current (version_rank, terminal_id)`.execute(
    db,
  );
  await sql`CREATE INDEX terminal_current_by_since ON terminal_current (since, terminal_id)`.execute(
    db,
  );
  await sql`CREATE INDEX terminal_current_by_last_seen ON terminal_current (last_seen, terminal_id)`.execute(
    db,
  );
  await sql`CREATE INDEX terminal_current_by_drift ON terminal_current (is_drift, terminal_id)`.execute(
    db,
  );
  await sql`CREATE TABLE terminal_versions (
    id INTEGER PRIMARY KEY,
    terminal_id TEXT NOT NULL REFERENCES terminals (id),
    version TEXT NOT NULL,
    release_id TEXT REFERENCES releases (id),
    observed_at TEXT NOT NULL,
    event_id TEXT,
    recorded_by TEXT,
    source TEXT NOT NULL CHECK (source IN ('catalog', 'typed', 'scanned'))
  ) STRICT`.execute(db);
  await sql`CREATE INDEX terminal_versions_by_terminal ON terminal_versions (terminal_id, id)`.execute(
    db,
  );
}
