import { sql, type Kysely } from 'kysely';

/**
 * The newest inclusion proof the sync engine verified for this console's own
 * events (JSON: log index, event hash, tree size and root, when), kept so
 * the audit screen can show it offline.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE sync_state ADD COLUMN last_inclusion TEXT`.execute(db);
}
