import { sql, type Kysely } from 'kysely';

/**
 * Evidence files the central server refused for good (too big, a media type
 * it does not take): sync state like `evidence_uploads`, not projection. A
 * refused file is no longer offered at every sync, and the report that
 * carries it shows why it did not arrive.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE evidence_upload_refusals (
    sha256 TEXT PRIMARY KEY,
    code TEXT NOT NULL,
    message TEXT NOT NULL,
    refused_at TEXT NOT NULL
  ) STRICT`.execute(db);
}
