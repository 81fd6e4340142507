import { sql, type Kysely } from 'kysely';

/**
 * The support desk on the console: bug reports filed from the report form
 * (no checklist run behind them, so release, terminal, run and item become
 * optional) and moved through the desk's statuses, with the desk's triage
 * columns; feature requests with an FTS5 index (suggestions while typing),
 * one vote per store, and the comments exchanged with the desk.
 *
 * SQLite cannot relax NOT NULL or a CHECK in place, so bug_reports is copied
 * into a new table. A draft's old statuses become the desk's words
 * ('open' → 'new', 'closed' → 'fixed'); the console never wrote either.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE bug_reports_0200 (
    id TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('draft', 'new', 'triaged', 'in_progress', 'needs_info',
      'fixed', 'wont_fix', 'duplicate', 'discarded')),
    severity TEXT NOT NULL CHECK (severity IN ('blocker', 'major', 'minor', 'S1', 'S2', 'S3', 'S4')),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    release_id TEXT,
    store_id TEXT NOT NULL,
    terminal_id TEXT,
    run_id TEXT,
    item_id TEXT,
    answer_text TEXT NOT NULL,
    evidence TEXT NOT NULL,
    reported_by TEXT NOT NULL,
    reported_role TEXT NOT NULL,
    reported_at TEXT NOT NULL,
    event_id TEXT NOT NULL,
    severity_set TEXT CHECK (severity_set IN ('S1', 'S2', 'S3', 'S4')),
    report_kind TEXT CHECK (report_kind IN ('bug', 'regression', 'question')),
    assignee TEXT,
    due_date TEXT,
    fixed_in TEXT,
    duplicate_of TEXT,
    expected TEXT,
    screen TEXT,
    context TEXT,
    attachments TEXT,
    updated_at TEXT
  ) STRICT`.execute(db);
  await sql`INSERT INTO bug_reports_0200 (id, status, severity, title, description, release_id, store_id,
      terminal_id, run_id, item_id, answer_text, evidence, reported_by, reported_role, reported_at, event_id,
      updated_at)
    SELECT id, CASE status WHEN 'open' THEN 'new' WHEN 'closed' THEN 'fixed' ELSE status END, severity,
      title, description, release_id, store_id, terminal_id, run_id, item_id, answer_text, evidence,
      reported_by, reported_role, reported_at, event_id, reported_at
    FROM bug_reports`.execute(db);
  await sql`DROP TABLE bug_reports`.execute(db);
  await sql`ALTER TABLE bug_reports_0200 RENAME TO bug_reports`.execute(db);
  await sql`CREATE INDEX bug_reports_by_release_store ON bug_reports (release_id, store_id, reported_at)`.execute(
    db,
  );
  await sql`CREATE INDEX bug_reports_by_run ON bug_reports (run_id)`.execute(db);
  // "Our reports": the store's reports, latest change first.
  await sql`CREATE INDEX bug_reports_by_store_updated ON bug_reports (store_id, updated_at)`.execute(
    db,
  );

  await sql`CREATE TABLE feature_requests (
    id TEXT PRIMARY KEY,
    store_id TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    category TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'under_review', 'planned', 'shipped', 'declined',
      'merged')),
    planned_for TEXT,
    merged_into TEXT,
    filed_by TEXT NOT NULL,
    filed_role TEXT NOT NULL,
    filed_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    event_id TEXT NOT NULL
  ) STRICT`.execute(db);
  await sql`CREATE INDEX feature_requests_by_store_updated ON feature_requests (store_id, updated_at)`.execute(
    db,
  );
  // Suggestions while the user types a request: an external-content FTS5 index kept by triggers,
  // so the projection writes feature_requests only and the index can never drift from it.
  await sql`CREATE VIRTUAL TABLE feature_requests_fts USING fts5(
    title, description, content='feature_requests', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
  )`.execute(db);
  await sql`CREATE TRIGGER feature_requests_fts_insert AFTER INSERT ON feature_requests BEGIN
    INSERT INTO feature_requests_fts (rowid, title, description) VALUES (new.rowid, new.title, new.description);
  END`.execute(db);
  await sql`CREATE TRIGGER feature_requests_fts_delete AFTER DELETE ON feature_requests BEGIN
    INSERT INTO feature_requests_fts (feature_requests_fts, rowid, title, description)
      VALUES ('delete', old.rowid, old.title, old.description);
  END`.execute(db);
  await sql`CREATE TRIGGER feature_requests_fts_update AFTER UPDATE OF title, description ON feature_requests BEGIN
    INSERT INTO feature_requests_fts (feature_requests_fts, rowid, title, description)
      VALUES ('delete', old.rowid, old.title, old.description);
    INSERT INTO feature_requests_fts (rowid, title, description) VALUES (new.rowid, new.title, new.description);
  END`.execute(db);

  await sql`CREATE TABLE feature_request_votes (
    request_id TEXT NOT NULL,
    store_id TEXT NOT NULL,
    voted_by TEXT NOT NULL,
    voted_at TEXT NOT NULL,
    event_id TEXT NOT NULL,
    PRIMARY KEY (request_id, store_id)
  ) STRICT`.execute(db);

  await sql`CREATE TABLE feedback_comments (
    event_id TEXT PRIMARY KEY,
    target_id TEXT NOT NULL,
    store_id TEXT NOT NULL,
    author TEXT NOT NULL,
    author_role TEXT NOT NULL,
    visibility TEXT NOT NULL CHECK (visibility IN ('store', 'internal')),
    text TEXT NOT NULL,
    at TEXT NOT NULL
  ) STRICT`.execute(db);
  await sql`CREATE INDEX feedback_comments_by_target ON feedback_comments (target_id, at)`.execute(
    db,
  );
}
