import { sql, type Kysely } from 'kysely';

/**
 * Guided deployments (issue 5).
 *
 * Catalog part (pulled, not recorded; replaced with the rest of the catalog):
 * `deployment_runbooks` (one per release, with its rollback runbook),
 * `feature_flags` (per release, with ring and store values) and
 * `store_windows` (trading hours and freezes in store time). Each keeps the
 * catalog's JSON as it was validated.
 *
 * Projection part (rebuilt from the journal by src/main/deployments/rebuild.ts):
 * `deployments` holds each deployment's state as the state machine folded it
 * (status and ids in columns for lists, the whole state as JSON) and
 * `change_requests` each change request as the rules produced it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE deployment_runbooks (
    release_id TEXT PRIMARY KEY,
    id TEXT NOT NULL,
    data TEXT NOT NULL
  ) STRICT`.execute(db);
  await sql`CREATE TABLE feature_flags (
    release_id TEXT NOT NULL,
    key TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (release_id, key)
  ) STRICT`.execute(db);
  await sql`CREATE TABLE store_windows (
    store_id TEXT PRIMARY KEY,
    data TEXT NOT NULL
  ) STRICT`.execute(db);
  await sql`CREATE TABLE deployments (
    id TEXT PRIMARY KEY,
    store_id TEXT NOT NULL,
    release_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('planned', 'in_progress', 'paused_at_intervention', 'verifying', 'completed', 'rolled_back', 'failed', 'aborted')),
    planned_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    last_seq INTEGER NOT NULL,
    state TEXT NOT NULL
  ) STRICT`.execute(db);
  await sql`CREATE INDEX deployments_by_store ON deployments (store_id, planned_at, id)`.execute(
    db,
  );
  await sql`CREATE TABLE change_requests (
    id TEXT PRIMARY KEY,
    store_id TEXT NOT NULL,
    release_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('deploy_outside_window', 'skip_mandatory_step', 'release_not_approved_for_ring', 'feature_flag_change')),
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    requested_at TEXT NOT NULL,
    data TEXT NOT NULL
  ) STRICT`.execute(db);
  await sql`CREATE INDEX change_requests_by_store ON change_requests (store_id, requested_at, id)`.execute(
    db,
  );
}
