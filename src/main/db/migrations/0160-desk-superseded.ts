import { sql, type Kysely } from 'kysely';

/**
 * A desk's cached store states also keep how many of the store's records lost
 * a conflict to an earlier entry in the central log (docs/conflicts.md), so a
 * desk sees where two consoles acted on the same thing while offline.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE desk_store_states ADD COLUMN superseded INTEGER NOT NULL DEFAULT 0`.execute(
    db,
  );
}
