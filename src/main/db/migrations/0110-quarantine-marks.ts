import { sql, type Kysely } from 'kysely';

/**
 * Quarantine marks (src/main/sync/quarantineMarks.ts): the events of this
 * console's journal that the central server appended but quarantined,
 * because they broke the actor rule, with the server's machine-readable
 * reason. Kept beside the journal, never in it: the journal's rows are
 * hashed and never change. Written when a push is acknowledged.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE quarantine_marks (
    seq INTEGER PRIMARY KEY,
    reason TEXT NOT NULL,
    noted_at TEXT NOT NULL
  ) STRICT`.execute(db);
}
