/**
 * Evidence retention (evidence/retention.ts): an archived file keeps its row,
 * hash, type and size; its bytes leave the database for the archive folder,
 * and the row says where and when. Same SQL on SQLite and PostgreSQL.
 */
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export const EVIDENCE_ARCHIVE_MIGRATION: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`ALTER TABLE evidence_files ADD COLUMN archived_at TEXT`.execute(db);
    await sql`ALTER TABLE evidence_files ADD COLUMN archive_path TEXT`.execute(db);
    await sql`CREATE INDEX evidence_files_by_received_at ON evidence_files (received_at) WHERE archived_at IS NULL`.execute(
      db,
    );
  },
};
