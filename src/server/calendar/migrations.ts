/**
 * Server migration `1200-release-ring-plans` (both dialects): the plan of each
 * release per ring (first and last planned day), set by an administrator
 * (`POST /v1/admin/release-plans`, `admin set-release-plan`). The calendar
 * reads it beside what happened: promotions (release_promotions) and the
 * stores' go decisions (rm_decisions).
 */
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

function migration(dialect: 'sqlite' | 'postgres'): Migration {
  const strict = sql.raw(dialect === 'sqlite' ? ' STRICT' : '');
  return {
    async up(db: Kysely<unknown>) {
      await sql`CREATE TABLE release_ring_plans (release_id TEXT NOT NULL, ring TEXT NOT NULL,
        planned_start TEXT NOT NULL, planned_end TEXT NOT NULL, set_at TEXT NOT NULL,
        PRIMARY KEY (release_id, ring))${strict}`.execute(db);
    },
  };
}

export const RELEASE_PLANS_MIGRATION_SQLITE = migration('sqlite');
export const RELEASE_PLANS_MIGRATION_POSTGRES = migration('postgres');

/** Kysely table type of migration 1200, merged into ServerSchema. */
export type ReleasePlanSchema = {
  release_ring_plans: {
    release_id: string;
    ring: string;
    planned_start: string;
    planned_end: string;
    set_at: string;
  };
};
