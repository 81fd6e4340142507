/**
 * Resumable attachment uploads (attachments/service.ts). The chunks live in
 * the database, not in files under the data folder: on PostgreSQL several
 * server processes (on several hosts) serve one log, and the next chunk of an
 * upload may reach any of them, so the offset and the bytes held must be
 * where every process sees them, and move together in one transaction.
 * A completed file becomes an evidence_files row and its chunks are deleted.
 */
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export const ATTACHMENT_UPLOADS_MIGRATION_SQLITE: Migration = {
  async up(db: Kysely<unknown>) {
    for (const stmt of [
      sql`CREATE TABLE attachment_uploads (id TEXT PRIMARY KEY, store_id TEXT NOT NULL, device_id TEXT NOT NULL,
        sha256 TEXT NOT NULL, media_type TEXT NOT NULL, size INTEGER NOT NULL, received INTEGER NOT NULL,
        created_at TEXT NOT NULL, completed_at TEXT) STRICT`,
      sql`CREATE UNIQUE INDEX attachment_uploads_by_store_sha256 ON attachment_uploads (store_id, sha256)`,
      sql`CREATE INDEX attachment_uploads_by_sha256 ON attachment_uploads (sha256)`,
      sql`CREATE TABLE attachment_upload_chunks (upload_id TEXT NOT NULL, start_offset INTEGER NOT NULL,
        data BLOB NOT NULL, PRIMARY KEY (upload_id, start_offset)) STRICT`,
    ])
      await stmt.execute(db);
  },
};

export const ATTACHMENT_UPLOADS_MIGRATION_POSTGRES: Migration = {
  async up(db: Kysely<unknown>) {
    for (const stmt of [
      sql`CREATE TABLE attachment_uploads (id text PRIMARY KEY, store_id text NOT NULL, device_id text NOT NULL,
        sha256 text NOT NULL, media_type text NOT NULL, size bigint NOT NULL, received bigint NOT NULL,
        created_at text NOT NULL, completed_at text)`,
      sql`CREATE UNIQUE INDEX attachment_uploads_by_store_sha256 ON attachment_uploads (store_id, sha256)`,
      sql`CREATE INDEX attachment_uploads_by_sha256 ON attachment_uploads (sha256)`,
      sql`CREATE TABLE attachment_upload_chunks (upload_id text NOT NULL, start_offset bigint NOT NULL,
        data bytea NOT NULL, PRIMARY KEY (upload_id, start_offset))`,
    ])
      await stmt.execute(db);
  },
};
