import { sql, type Kysely } from 'kysely';

/**
 * Release health as last fetched from the central server: a desk's KPI
 * reports and release health pages, a store console's verdicts. One row per
 * (kind, key), replaced on each fetch, so offline the screens show the last
 * copy with its age.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE health_cache (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    data TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    PRIMARY KEY (kind, key)
  ) STRICT`.execute(db);
}
