import { sql, type Kysely } from 'kysely';

/**
 * The catalog the console pulls from the central server (or loads from the
 * demo fleet): stores, terminals with their baseline release, releases, ring
 * targets, users with scrypt PIN hashes, and a key/value table for catalog
 * facts (source, loaded at). Catalog rows are pulled, not recorded: they are
 * not journal events, but they are the baseline the fleet projection starts
 * from. `sign_in_failures` keeps PIN lockouts across restarts.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE catalog_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT`.execute(db);
  await sql`CREATE TABLE stores (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    region TEXT NOT NULL,
    ring TEXT NOT NULL CHECK (ring IN ('lab', 'pilot', 'early', 'general')),
    timezone TEXT NOT NULL
  ) STRICT`.execute(db);
  await sql`CREATE INDEX stores_by_region ON stores (region)`.execute(db);
  await sql`CREATE TABLE releases (
    id TEXT PRIMARY KEY,
    version TEXT NOT NULL UNIQUE,
    version_rank INTEGER NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('major', 'minor', 'patch', 'hotfix')),
    ring TEXT NOT NULL CHECK (ring IN ('lab', 'pilot', 'early', 'general')),
    status TEXT NOT NULL CHECK (status IN ('planned', 'rolling_out', 'general', 'paused', 'withdrawn')),
    planned_at TEXT,
    actual_at TEXT,
    title TEXT NOT NULL,
    notes_markdown TEXT NOT NULL
  ) STRICT`.execute(db);
  await sql`CREATE TABLE ring_targets (
    ring TEXT PRIMARY KEY CHECK (ring IN ('lab', 'pilot', 'early', 'general')),
    release_id TEXT NOT NULL REFERENCES releases (id)
  ) STRICT`.execute(db);
  await sql`CREATE TABLE terminals (
    id TEXT PRIMARY KEY,
    store_id TEXT NOT NULL REFERENCES stores (id),
    name TEXT NOT NULL,
    model TEXT NOT NULL,
    serial TEXT NOT NULL,
    installed_release_id TEXT REFERENCES releases (id),
    installed_since TEXT,
    last_seen TEXT
  ) STRICT`.execute(db);
  await sql`CREATE INDEX terminals_by_store ON terminals (store_id)`.execute(db);
  await sql`CREATE TABLE users (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('technician', 'manager', 'support', 'admin')),
    pin_hash TEXT NOT NULL,
    store_ids TEXT NOT NULL
  ) STRICT`.execute(db);
  await sql`CREATE TABLE sign_in_failures (
    user_id TEXT PRIMARY KEY,
    failed_count INTEGER NOT NULL CHECK (failed_count >= 0),
    locked_until TEXT,
    last_failed_at TEXT NOT NULL
  ) STRICT`.execute(db);
}
