import { sql, type Kysely } from 'kysely';

/**
 * A catalog part: every published version of each runbook and checklist
 * template (number, date, author, content hash, approvals, diff), which the
 * console checks before a run starts on one and shows as its history.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE document_revisions (
    kind TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    number INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (kind, doc_id, number)
  ) STRICT`.execute(db);
}
