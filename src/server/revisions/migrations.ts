/**
 * Revision history of runbooks and checklist templates (revisions/service.ts):
 * every published version with its number, date, author, content hash and
 * diff, and the administrators' approvals of its content hash.
 */
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

function revisionsMigration(strict: string): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await sql
        .raw(
          `CREATE TABLE document_revisions (kind TEXT NOT NULL, doc_id TEXT NOT NULL, number INTEGER NOT NULL,
            content_hash TEXT NOT NULL, content TEXT NOT NULL, diff TEXT NOT NULL, author_id TEXT NOT NULL,
            published_at TEXT NOT NULL, required_approvals INTEGER NOT NULL, approved_at TEXT,
            PRIMARY KEY (kind, doc_id, number))${strict}`,
        )
        .execute(db);
      await sql
        .raw(
          `CREATE TABLE revision_approvals (kind TEXT NOT NULL, doc_id TEXT NOT NULL, number INTEGER NOT NULL,
            approver_id TEXT NOT NULL, content_hash TEXT NOT NULL, approved_at TEXT NOT NULL, log_index INTEGER NOT NULL,
            PRIMARY KEY (kind, doc_id, number, approver_id))${strict}`,
        )
        .execute(db);
    },
  };
}

export const REVISIONS_MIGRATION_SQLITE = revisionsMigration(' STRICT');
export const REVISIONS_MIGRATION_POSTGRES = revisionsMigration('');
