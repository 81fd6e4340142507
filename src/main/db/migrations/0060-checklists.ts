import { sql, type Kysely } from 'kysely';

/**
 * Checklists, evidence, draft bug reports and go / no-go decisions (issue 4).
 *
 * Catalog part (pulled, not recorded): `checklist_templates` and
 * `release_checklist_requirements`, replaced with the rest of the catalog.
 *
 * Projection part (rebuilt from the journal by src/main/checklists/rebuild.ts):
 * runs (each keeps the template it started with), every result ever recorded
 * (`is_current` marks the latest per run, terminal and item), the waivers in
 * force, evidence files, bug reports and decisions.
 *
 * `evidence_uploads` is sync state, not projection: which files the central
 * server has confirmed holding.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE checklist_templates (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('smoke', 'uat')),
    version INTEGER NOT NULL,
    data TEXT NOT NULL
  ) STRICT`.execute(db);
  await sql`CREATE TABLE release_checklist_requirements (
    release_id TEXT NOT NULL,
    template_id TEXT NOT NULL,
    terminal_count INTEGER NOT NULL CHECK (terminal_count >= 1),
    PRIMARY KEY (release_id, template_id)
  ) STRICT`.execute(db);
  await sql`CREATE TABLE checklist_runs (
    id TEXT PRIMARY KEY,
    template_id TEXT NOT NULL,
    template_version INTEGER NOT NULL,
    template_data TEXT NOT NULL,
    release_id TEXT NOT NULL,
    store_id TEXT NOT NULL,
    terminal_ids TEXT NOT NULL,
    is_paused INTEGER NOT NULL CHECK (is_paused IN (0, 1)),
    started_by TEXT NOT NULL,
    started_role TEXT NOT NULL,
    started_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    event_id TEXT NOT NULL
  ) STRICT`.execute(db);
  await sql`CREATE INDEX checklist_runs_by_release_store ON checklist_runs (release_id, store_id, started_at)`.execute(
    db,
  );
  await sql`CREATE INDEX checklist_runs_by_store ON checklist_runs (store_id, started_at)`.execute(
    db,
  );
  await sql`CREATE TABLE checklist_results (
    event_id TEXT PRIMARY KEY,
    event_hash TEXT NOT NULL,
    run_id TEXT NOT NULL REFERENCES checklist_runs (id),
    terminal_id TEXT NOT NULL,
    item_id TEXT NOT NULL,
    answer TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('pass', 'fail', 'na', 'blocked')),
    note TEXT,
    evidence TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_role TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    is_current INTEGER NOT NULL CHECK (is_current IN (0, 1))
  ) STRICT`.execute(db);
  await sql`CREATE INDEX checklist_results_by_run ON checklist_results (run_id, is_current, terminal_id, item_id)`.execute(
    db,
  );
  await sql`CREATE TABLE checklist_waivers (
    run_id TEXT NOT NULL REFERENCES checklist_runs (id),
    terminal_id TEXT NOT NULL,
    item_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    event_hash TEXT NOT NULL,
    reason TEXT NOT NULL,
    waived_by TEXT NOT NULL,
    waived_role TEXT NOT NULL,
    waived_at TEXT NOT NULL,
    PRIMARY KEY (run_id, terminal_id, item_id)
  ) STRICT`.execute(db);
  await sql`CREATE TABLE evidence_files (
    sha256 TEXT PRIMARY KEY,
    mime_type TEXT NOT NULL,
    byte_length INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    run_id TEXT,
    event_id TEXT NOT NULL,
    attached_by TEXT NOT NULL,
    attached_at TEXT NOT NULL
  ) STRICT`.execute(db);
  await sql`CREATE TABLE evidence_uploads (
    sha256 TEXT PRIMARY KEY,
    uploaded_at TEXT NOT NULL
  ) STRICT`.execute(db);
  await sql`CREATE TABLE bug_reports (
    id TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('draft', 'open', 'closed')),
    severity TEXT NOT NULL CHECK (severity IN ('blocker', 'major', 'minor')),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    release_id TEXT NOT NULL,
    store_id TEXT NOT NULL,
    terminal_id TEXT NOT NULL,
    run_id TEXT NOT NULL,
    item_id TEXT NOT NULL,
    answer_text TEXT NOT NULL,
    evidence TEXT NOT NULL,
    reported_by TEXT NOT NULL,
    reported_role TEXT NOT NULL,
    reported_at TEXT NOT NULL,
    event_id TEXT NOT NULL
  ) STRICT`.execute(db);
  await sql`CREATE INDEX bug_reports_by_release_store ON bug_reports (release_id, store_id, reported_at)`.execute(
    db,
  );
  await sql`CREATE INDEX bug_reports_by_run ON bug_reports (run_id)`.execute(db);
  await sql`CREATE TABLE decisions (
    id TEXT PRIMARY KEY,
    event_id TEXT NOT NULL,
    event_hash TEXT NOT NULL,
    release_id TEXT NOT NULL,
    store_id TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('go', 'no-go', 'go-with-conditions')),
    reason TEXT NOT NULL,
    conditions TEXT NOT NULL,
    verdict TEXT NOT NULL CHECK (verdict IN ('go', 'no-go')),
    criteria TEXT NOT NULL,
    signature_sha256 TEXT NOT NULL,
    basis TEXT NOT NULL,
    digest TEXT NOT NULL,
    signed_by TEXT NOT NULL,
    signed_role TEXT NOT NULL,
    signed_at TEXT NOT NULL
  ) STRICT`.execute(db);
  await sql`CREATE INDEX decisions_by_release_store ON decisions (release_id, store_id, signed_at)`.execute(
    db,
  );
}
