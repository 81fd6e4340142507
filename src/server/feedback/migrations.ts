/**
 * Server migration `0300-feedback-desk` (both dialects): what the support
 * desk's inbox reads over the feedback read models (the store side's
 * `0200-feedback-read-models`): full-text search over each report's title,
 * what happened and what was expected, and the indexes of its filters and
 * sorts.
 *
 * PostgreSQL: a stored tsvector column kept by the database itself (title
 * weighted above the text) and a GIN index on it. SQLite: an external-content
 * FTS5 index kept by triggers, so the projection writes rm_bug_reports only
 * and the index never drifts from it.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Migration } from 'kysely/migration';

type Dialect = 'sqlite' | 'postgres';

/** The inbox's severity order (queries.ts sorts by the same expression, so the index serves it). */
export const SEVERITY_RANK =
  sql.raw(`CASE coalesce(severity_set, severity) WHEN 'S1' THEN 1 WHEN 'blocker' THEN 1
  WHEN 'S2' THEN 2 WHEN 'major' THEN 2 WHEN 'S3' THEN 3 WHEN 'minor' THEN 3 ELSE 4 END`);

function searchStatements(d: Dialect): Array<RawBuilder<unknown>> {
  if (d === 'postgres')
    return [
      sql`ALTER TABLE rm_bug_reports ADD COLUMN search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', title), 'A') ||
        to_tsvector('simple', description || ' ' || coalesce(expected, ''))) STORED`,
      sql`CREATE INDEX rm_bug_reports_by_search ON rm_bug_reports USING GIN (search)`,
    ];
  return [
    sql`CREATE VIRTUAL TABLE rm_bug_reports_fts USING fts5(
      title, description, expected, content='rm_bug_reports', content_rowid='rowid',
      tokenize='unicode61 remove_diacritics 2')`,
    sql`INSERT INTO rm_bug_reports_fts (rowid, title, description, expected)
      SELECT rowid, title, description, coalesce(expected, '') FROM rm_bug_reports`,
    sql`CREATE TRIGGER rm_bug_reports_fts_insert AFTER INSERT ON rm_bug_reports BEGIN
      INSERT INTO rm_bug_reports_fts (rowid, title, description, expected)
        VALUES (new.rowid, new.title, new.description, coalesce(new.expected, ''));
    END`,
    sql`CREATE TRIGGER rm_bug_reports_fts_delete AFTER DELETE ON rm_bug_reports BEGIN
      INSERT INTO rm_bug_reports_fts (rm_bug_reports_fts, rowid, title, description, expected)
        VALUES ('delete', old.rowid, old.title, old.description, coalesce(old.expected, ''));
    END`,
    sql`CREATE TRIGGER rm_bug_reports_fts_update AFTER UPDATE OF title, description, expected ON rm_bug_reports BEGIN
      INSERT INTO rm_bug_reports_fts (rm_bug_reports_fts, rowid, title, description, expected)
        VALUES ('delete', old.rowid, old.title, old.description, coalesce(old.expected, ''));
      INSERT INTO rm_bug_reports_fts (rowid, title, description, expected)
        VALUES (new.rowid, new.title, new.description, coalesce(new.expected, ''));
    END`,
  ];
}

function statements(d: Dialect): Array<RawBuilder<unknown>> {
  return [
    ...searchStatements(d),
    // The inbox's default order (latest change first) and its most used filters.
    sql`CREATE INDEX rm_bug_reports_by_updated ON rm_bug_reports (updated_at, id)`,
    sql`CREATE INDEX rm_bug_reports_by_status_updated ON rm_bug_reports (status, updated_at, id)`,
    sql`CREATE INDEX rm_bug_reports_by_store_updated ON rm_bug_reports (store_id, updated_at, id)`,
    sql`CREATE INDEX rm_bug_reports_by_assignee ON rm_bug_reports (assignee, updated_at)`,
    // The effective severity (the desk's, else the store's) as the inbox filters and sorts it.
    sql`CREATE INDEX rm_bug_reports_by_severity ON rm_bug_reports ((coalesce(severity_set, severity)), updated_at)`,
    sql`CREATE INDEX rm_bug_reports_by_severity_rank ON rm_bug_reports ((${SEVERITY_RANK}), updated_at DESC, id DESC)`,
    sql`CREATE INDEX rm_feature_request_votes_by_store ON rm_feature_request_votes (store_id)`,
  ];
}

function feedbackDeskMigration(d: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      for (const stmt of statements(d)) await stmt.execute(db);
    },
  };
}

export const FEEDBACK_DESK_MIGRATION_SQLITE = feedbackDeskMigration('sqlite');
export const FEEDBACK_DESK_MIGRATION_POSTGRES = feedbackDeskMigration('postgres');
