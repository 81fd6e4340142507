/**
 * Server migration `0500-progression-indexes` (both dialects): the release
 * desk's progression reads one release's decisions and deployments across
 * every store. The read models' indexes lead with store_id (a store's
 * drill-down), so that read scanned both tables whole; these lead with the
 * release, so it reads only the rows of that release.
 */
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export const PROGRESSION_INDEXES_MIGRATION: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`CREATE INDEX rm_decisions_by_release ON rm_decisions (release_id, store_id, log_idx)`.execute(
      db,
    );
    await sql`CREATE INDEX rm_deployments_by_release ON rm_deployments (release_id, store_id, updated_at)`.execute(
      db,
    );
  },
};
