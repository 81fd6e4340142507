/**
 * Server migration `0060-read-models`, one statement
 * list per dialect, spread into src/server/db/migrations/{sqlite,postgres}.ts.
 *
 * Read models (`rm_*`): the state the shared reducers (src/shared/projection)
 * derive from the central log, the same columns the console keeps in its own
 * state tables, so a canonical dump of both sides can be compared. They are
 * maintained inside the push transaction (src/server/sync/push.ts) and
 * rebuilt from `log_entries` by `rebuildReadModels` (./rebuild.ts).
 * `rm_terminals` also holds the catalog's baseline per terminal (as the
 * console's `terminal_current` does), so "installed on release R" is one
 * indexed count, never a JSON parse per terminal.
 *
 * Desks (22.3): `desks` are devices enrolled for a scope (a region or all
 * stores) and a role; `desk_enrollment_codes` are their single-use codes. Desk
 * tokens live in `tokens` with kind 'desk' and `device_id` = the desk's id.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Migration } from 'kysely/migration';

type Dialect = 'sqlite' | 'postgres';

function statements(d: Dialect): Array<RawBuilder<unknown>> {
  // Only the spelling differs: STRICT tables on SQLite, bigint for log indexes on PostgreSQL.
  const strict = sql.raw(d === 'sqlite' ? ' STRICT' : '');
  const big = sql.raw(d === 'sqlite' ? 'INTEGER' : 'bigint');
  return [
    sql`CREATE TABLE rm_terminals (
      terminal_id TEXT PRIMARY KEY, store_id TEXT NOT NULL, release_id TEXT, version TEXT,
      since TEXT, last_seen TEXT)${strict}`,
    sql`CREATE INDEX rm_terminals_by_store_release ON rm_terminals (store_id, release_id)`,
    sql`CREATE INDEX rm_terminals_by_release_store ON rm_terminals (release_id, store_id)`,
    sql`CREATE TABLE rm_terminal_versions (
      event_id TEXT PRIMARY KEY, terminal_id TEXT NOT NULL, version TEXT NOT NULL, release_id TEXT,
      observed_at TEXT NOT NULL, recorded_by TEXT, source TEXT NOT NULL, log_idx ${big} NOT NULL)${strict}`,
    sql`CREATE INDEX rm_terminal_versions_by_terminal ON rm_terminal_versions (terminal_id, log_idx)`,
    sql`CREATE TABLE rm_checklist_runs (
      id TEXT PRIMARY KEY, template_id TEXT NOT NULL, template_version INTEGER NOT NULL, template_data TEXT NOT NULL,
      release_id TEXT NOT NULL, store_id TEXT NOT NULL, terminal_ids TEXT NOT NULL, is_paused INTEGER NOT NULL,
      started_by TEXT NOT NULL, started_role TEXT NOT NULL, started_at TEXT NOT NULL, updated_at TEXT NOT NULL,
      event_id TEXT NOT NULL)${strict}`,
    sql`CREATE INDEX rm_checklist_runs_by_store_release ON rm_checklist_runs (store_id, release_id, started_at)`,
    sql`CREATE TABLE rm_checklist_results (
      event_id TEXT PRIMARY KEY, event_hash TEXT NOT NULL, run_id TEXT NOT NULL, terminal_id TEXT NOT NULL,
      item_id TEXT NOT NULL, answer TEXT NOT NULL, outcome TEXT NOT NULL, note TEXT, evidence TEXT NOT NULL,
      recorded_by TEXT NOT NULL, recorded_role TEXT NOT NULL, recorded_at TEXT NOT NULL, is_current INTEGER NOT NULL)${strict}`,
    sql`CREATE INDEX rm_checklist_results_by_run ON rm_checklist_results (run_id, terminal_id, item_id, is_current)`,
    sql`CREATE TABLE rm_checklist_waivers (
      run_id TEXT NOT NULL, terminal_id TEXT NOT NULL, item_id TEXT NOT NULL, event_id TEXT NOT NULL,
      event_hash TEXT NOT NULL, reason TEXT NOT NULL, waived_by TEXT NOT NULL, waived_role TEXT NOT NULL,
      waived_at TEXT NOT NULL, PRIMARY KEY (run_id, terminal_id, item_id))${strict}`,
    sql`CREATE TABLE rm_evidence_files (
      sha256 TEXT PRIMARY KEY, mime_type TEXT NOT NULL, byte_length INTEGER NOT NULL, file_name TEXT NOT NULL,
      run_id TEXT, event_id TEXT NOT NULL, attached_by TEXT NOT NULL, attached_at TEXT NOT NULL)${strict}`,
    sql`CREATE TABLE rm_bug_reports (
      id TEXT PRIMARY KEY, status TEXT NOT NULL, severity TEXT NOT NULL, title TEXT NOT NULL, description TEXT NOT NULL,
      release_id TEXT NOT NULL, store_id TEXT NOT NULL, terminal_id TEXT NOT NULL, run_id TEXT NOT NULL,
      item_id TEXT NOT NULL, answer_text TEXT NOT NULL, evidence TEXT NOT NULL, reported_by TEXT NOT NULL,
      reported_role TEXT NOT NULL, reported_at TEXT NOT NULL, event_id TEXT NOT NULL)${strict}`,
    sql`CREATE INDEX rm_bug_reports_by_store_release ON rm_bug_reports (store_id, release_id, reported_at)`,
    sql`CREATE TABLE rm_decisions (
      id TEXT PRIMARY KEY, event_id TEXT NOT NULL, event_hash TEXT NOT NULL, release_id TEXT NOT NULL,
      store_id TEXT NOT NULL, decision TEXT NOT NULL, reason TEXT NOT NULL, conditions TEXT NOT NULL,
      verdict TEXT NOT NULL, criteria TEXT NOT NULL, signature_sha256 TEXT NOT NULL, basis TEXT NOT NULL,
      digest TEXT NOT NULL, signed_by TEXT NOT NULL, signed_role TEXT NOT NULL, signed_at TEXT NOT NULL,
      log_idx ${big} NOT NULL)${strict}`,
    sql`CREATE INDEX rm_decisions_by_store_release ON rm_decisions (store_id, release_id, log_idx)`,
    sql`CREATE TABLE rm_deployments (
      id TEXT PRIMARY KEY, store_id TEXT NOT NULL, release_id TEXT NOT NULL, status TEXT NOT NULL,
      planned_at TEXT NOT NULL, updated_at TEXT NOT NULL, last_seq ${big} NOT NULL, state TEXT NOT NULL)${strict}`,
    sql`CREATE INDEX rm_deployments_by_store_release ON rm_deployments (store_id, release_id, status)`,
    sql`CREATE TABLE rm_change_requests (
      id TEXT PRIMARY KEY, store_id TEXT NOT NULL, release_id TEXT NOT NULL, kind TEXT NOT NULL,
      status TEXT NOT NULL, requested_at TEXT NOT NULL, data TEXT NOT NULL)${strict}`,
    sql`CREATE INDEX rm_change_requests_by_store ON rm_change_requests (store_id, requested_at, id)`,
    sql`CREATE TABLE rm_deployment_actors (
      deployment_id TEXT NOT NULL, user_id TEXT NOT NULL, PRIMARY KEY (deployment_id, user_id))${strict}`,
    // Conflicts decided by the log (22.5): the later entry is kept here, never dropped.
    sql`CREATE TABLE rm_superseded (
      event_id TEXT PRIMARY KEY, log_idx ${big} NOT NULL, store_id TEXT NOT NULL, device_id TEXT NOT NULL,
      type TEXT NOT NULL, reason TEXT NOT NULL, won_by TEXT)${strict}`,
    sql`CREATE INDEX rm_superseded_by_store ON rm_superseded (store_id, log_idx)`,
    // Last push of each console (the desk's "last sync"); a log fact, rebuilt from log_entries.
    sql`CREATE TABLE rm_device_syncs (
      device_id TEXT PRIMARY KEY, store_id TEXT NOT NULL, last_idx ${big} NOT NULL, last_seq ${big} NOT NULL,
      last_at TEXT NOT NULL)${strict}`,
    sql`CREATE INDEX rm_device_syncs_by_store ON rm_device_syncs (store_id)`,
    sql`CREATE TABLE desks (
      id TEXT PRIMARY KEY, scope TEXT NOT NULL, role TEXT NOT NULL, public_key TEXT NOT NULL, name TEXT,
      enrolled_at TEXT NOT NULL, revoked_at TEXT)${strict}`,
    sql`CREATE TABLE desk_enrollment_codes (
      code_hash TEXT PRIMARY KEY, scope TEXT NOT NULL, role TEXT NOT NULL, created_at TEXT NOT NULL,
      expires_at TEXT NOT NULL, used_at TEXT, desk_id TEXT)${strict}`,
  ];
}

function readModelsMigration(d: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      for (const stmt of statements(d)) await stmt.execute(db);
    },
  };
}

export const READ_MODELS_MIGRATION_SQLITE = readModelsMigration('sqlite');
export const READ_MODELS_MIGRATION_POSTGRES = readModelsMigration('postgres');

/**
 * Server migration `0090-current-results-index` (both dialects): the read
 * models only ever look up the *current* result of a (run, terminal, item)
 * (readModels/project.ts), while every answer stays as a row. The index of
 * 0060 held every answer, so each push wrote an index entry per answer and
 * the lookup walked a run's whole history; the partial index holds one entry
 * per (run, terminal, item). A batch of answers to one item (folded in memory,
 * written once) now adds one entry, not one per answer.
 */
export const CURRENT_RESULTS_INDEX_MIGRATION: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`DROP INDEX rm_checklist_results_by_run`.execute(db);
    await sql`CREATE INDEX rm_checklist_results_current ON rm_checklist_results (run_id, terminal_id, item_id)
      WHERE is_current = 1`.execute(db);
  },
};
