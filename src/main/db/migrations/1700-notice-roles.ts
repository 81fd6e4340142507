import { sql, type Kysely } from 'kysely';

/**
 * Release communications as notices: each names the roles it is for (a JSON
 * array in `roles`; NULL for the other kinds, whose roles are fixed per kind).
 * The log is read again from the start once, so communications sent before
 * this version asked for them are listed too (notices already kept are
 * updated in place; who read them is kept).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE notices ADD COLUMN roles TEXT`.execute(db);
  await sql`UPDATE notice_state SET next = 0`.execute(db);
}
