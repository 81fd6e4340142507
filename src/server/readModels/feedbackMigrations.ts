/**
 * Server migration `0200-feedback-read-models` (both dialects): the read
 * models of the store side of the support desk, the same columns as the
 * console's tables (console migration 0200-feedback), so the shared reducers
 * write both and a canonical dump compares them. Reports filed from the form
 * have no checklist run behind them: release, terminal, run and item become
 * optional. The desk's own search indexes come with its queries.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Migration } from 'kysely/migration';

type Dialect = 'sqlite' | 'postgres';

const NEW_REPORT_COLUMNS = [
  'severity_set',
  'report_kind',
  'assignee',
  'due_date',
  'fixed_in',
  'duplicate_of',
  'expected',
  'screen',
  'context',
  'attachments',
  'updated_at',
] as const;

function reportStatements(d: Dialect): Array<RawBuilder<unknown>> {
  if (d === 'postgres')
    return [
      ...['release_id', 'terminal_id', 'run_id', 'item_id'].map(
        (c) => sql`ALTER TABLE rm_bug_reports ALTER COLUMN ${sql.ref(c)} DROP NOT NULL`,
      ),
      ...NEW_REPORT_COLUMNS.map(
        (c) => sql`ALTER TABLE rm_bug_reports ADD COLUMN ${sql.ref(c)} TEXT`,
      ),
    ];
  // SQLite cannot relax NOT NULL in place: copy into a new table.
  return [
    sql`CREATE TABLE rm_bug_reports_0200 (
      id TEXT PRIMARY KEY, status TEXT NOT NULL, severity TEXT NOT NULL, title TEXT NOT NULL, description TEXT NOT NULL,
      release_id TEXT, store_id TEXT NOT NULL, terminal_id TEXT, run_id TEXT,
      item_id TEXT, answer_text TEXT NOT NULL, evidence TEXT NOT NULL, reported_by TEXT NOT NULL,
      reported_role TEXT NOT NULL, reported_at TEXT NOT NULL, event_id TEXT NOT NULL,
      severity_set TEXT, report_kind TEXT, assignee TEXT, due_date TEXT, fixed_in TEXT, duplicate_of TEXT,
      expected TEXT, screen TEXT, context TEXT, attachments TEXT, updated_at TEXT) STRICT`,
    sql`INSERT INTO rm_bug_reports_0200 (id, status, severity, title, description, release_id, store_id,
      terminal_id, run_id, item_id, answer_text, evidence, reported_by, reported_role, reported_at, event_id)
      SELECT id, status, severity, title, description, release_id, store_id, terminal_id, run_id, item_id,
      answer_text, evidence, reported_by, reported_role, reported_at, event_id FROM rm_bug_reports`,
    sql`DROP TABLE rm_bug_reports`,
    sql`ALTER TABLE rm_bug_reports_0200 RENAME TO rm_bug_reports`,
    sql`CREATE INDEX rm_bug_reports_by_store_release ON rm_bug_reports (store_id, release_id, reported_at)`,
  ];
}

function statements(d: Dialect): Array<RawBuilder<unknown>> {
  const strict = sql.raw(d === 'sqlite' ? ' STRICT' : '');
  return [
    ...reportStatements(d),
    sql`CREATE TABLE rm_feature_requests (
      id TEXT PRIMARY KEY, store_id TEXT NOT NULL, title TEXT NOT NULL, description TEXT NOT NULL,
      category TEXT NOT NULL, status TEXT NOT NULL, planned_for TEXT, merged_into TEXT, filed_by TEXT NOT NULL,
      filed_role TEXT NOT NULL, filed_at TEXT NOT NULL, updated_at TEXT NOT NULL, event_id TEXT NOT NULL)${strict}`,
    sql`CREATE INDEX rm_feature_requests_by_status ON rm_feature_requests (status, updated_at)`,
    sql`CREATE TABLE rm_feature_request_votes (
      request_id TEXT NOT NULL, store_id TEXT NOT NULL, voted_by TEXT NOT NULL, voted_at TEXT NOT NULL,
      event_id TEXT NOT NULL, PRIMARY KEY (request_id, store_id))${strict}`,
    sql`CREATE TABLE rm_feedback_comments (
      event_id TEXT PRIMARY KEY, target_id TEXT NOT NULL, store_id TEXT NOT NULL, author TEXT NOT NULL,
      author_role TEXT NOT NULL, visibility TEXT NOT NULL, text TEXT NOT NULL, at TEXT NOT NULL)${strict}`,
    sql`CREATE INDEX rm_feedback_comments_by_target ON rm_feedback_comments (target_id, at)`,
  ];
}

function feedbackMigration(d: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      for (const stmt of statements(d)) await stmt.execute(db);
    },
  };
}

export const FEEDBACK_READ_MODELS_MIGRATION_SQLITE = feedbackMigration('sqlite');
export const FEEDBACK_READ_MODELS_MIGRATION_POSTGRES = feedbackMigration('postgres');
