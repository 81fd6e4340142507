import { sql, type Kysely } from 'kysely';

/**
 * The support desk's saved inbox views, kept per console: a name and the
 * filters it restores (JSON of the inbox query's words).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE support_desk_views (
    name TEXT PRIMARY KEY,
    filters TEXT NOT NULL,
    saved_at TEXT NOT NULL
  ) STRICT`.execute(db);
}
