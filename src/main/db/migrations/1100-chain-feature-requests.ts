import { sql, type Kysely } from 'kysely';

/**
 * The chain's open feature requests as last fetched from the central server
 * (GET /v1/feedback/requests): titles, status and votes of every store's
 * requests, replaced whole on each fetch, so the feature request form
 * suggests them offline too. A cache, not a projection: the journal never
 * writes it. Searched with FTS5 like the console's own requests.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE chain_feature_requests (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    category TEXT NOT NULL,
    status TEXT NOT NULL,
    planned_for TEXT,
    votes INTEGER NOT NULL,
    has_our_vote INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    fetched_at TEXT NOT NULL
  ) STRICT`.execute(db);
  // External content kept by triggers, as feature_requests_fts: the index never drifts from the rows.
  await sql`CREATE VIRTUAL TABLE chain_feature_requests_fts USING fts5(
    title, content='chain_feature_requests', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
  )`.execute(db);
  await sql`CREATE TRIGGER chain_feature_requests_fts_insert AFTER INSERT ON chain_feature_requests BEGIN
    INSERT INTO chain_feature_requests_fts (rowid, title) VALUES (new.rowid, new.title);
  END`.execute(db);
  await sql`CREATE TRIGGER chain_feature_requests_fts_delete AFTER DELETE ON chain_feature_requests BEGIN
    INSERT INTO chain_feature_requests_fts (chain_feature_requests_fts, rowid, title) VALUES ('delete', old.rowid, old.title);
  END`.execute(db);
  await sql`CREATE TRIGGER chain_feature_requests_fts_update AFTER UPDATE OF title ON chain_feature_requests BEGIN
    INSERT INTO chain_feature_requests_fts (chain_feature_requests_fts, rowid, title) VALUES ('delete', old.rowid, old.title);
    INSERT INTO chain_feature_requests_fts (rowid, title) VALUES (new.rowid, new.title);
  END`.execute(db);
}
