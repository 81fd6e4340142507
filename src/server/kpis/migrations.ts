/**
 * Server migration `0130-kpis`: the maintained KPI aggregates, one statement
 * list per dialect. Updated in the push transaction (./aggregate.ts, called
 * from src/server/kpis/afterAppend.ts) and by `admin rebuild-read-models`.
 *
 * - `rm_kpi_daily`: counters per (UTC day, release, store, metric) with a
 *   summed duration where the metric has one (installs' lead time).
 * - `rm_kpi_deployments`: one row per finished deployment, its outcome and
 *   durations (a deployment finishes once; the row is replaced, never added to).
 * - `rm_kpi_checklist_items`: the first result of each checklist item, so
 *   "first time" is decided once, whatever arrives later.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Migration } from 'kysely/migration';

type Dialect = 'sqlite' | 'postgres';

function statements(d: Dialect): Array<RawBuilder<unknown>> {
  const strict = sql.raw(d === 'sqlite' ? ' STRICT' : '');
  const big = sql.raw(d === 'sqlite' ? 'INTEGER' : 'bigint');
  return [
    sql`CREATE TABLE rm_kpi_daily (
      day TEXT NOT NULL, release_id TEXT NOT NULL, store_id TEXT NOT NULL, metric TEXT NOT NULL,
      n ${big} NOT NULL, total_ms ${big} NOT NULL, PRIMARY KEY (day, release_id, store_id, metric))${strict}`,
    sql`CREATE INDEX rm_kpi_daily_by_release_day ON rm_kpi_daily (release_id, day)`,
    sql`CREATE INDEX rm_kpi_daily_by_store_day ON rm_kpi_daily (store_id, day)`,
    sql`CREATE TABLE rm_kpi_deployments (
      deployment_id TEXT PRIMARY KEY, store_id TEXT NOT NULL, release_id TEXT NOT NULL, day TEXT NOT NULL,
      outcome TEXT NOT NULL, time_to_deploy_ms ${big}, intervention_ms ${big} NOT NULL, restore_ms ${big})${strict}`,
    sql`CREATE INDEX rm_kpi_deployments_by_day ON rm_kpi_deployments (day, release_id)`,
    sql`CREATE INDEX rm_kpi_deployments_by_release_day ON rm_kpi_deployments (release_id, day)`,
    sql`CREATE TABLE rm_kpi_checklist_items (
      run_id TEXT NOT NULL, terminal_id TEXT NOT NULL, item_id TEXT NOT NULL, store_id TEXT NOT NULL,
      release_id TEXT NOT NULL, day TEXT NOT NULL, first_outcome TEXT NOT NULL,
      PRIMARY KEY (run_id, terminal_id, item_id))${strict}`,
    // Lead time reads each release's publish time (its first catalog change) on every install.
    sql`CREATE INDEX catalog_changes_by_entity_id ON catalog_changes (entity, entity_id, cursor)`,
  ];
}

function kpisMigration(d: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      for (const stmt of statements(d)) await stmt.execute(db);
    },
  };
}

export const KPIS_MIGRATION_SQLITE = kpisMigration('sqlite');
export const KPIS_MIGRATION_POSTGRES = kpisMigration('postgres');

/**
 * Server migration `0700-kpi-rollup`: `rm_kpi_daily_all`, the daily counters
 * summed over every store, for reports that cover every store (a desk for
 * all regions with no store, region or ring filter). Summing it reads about
 * one row per (day, release, metric) instead of one per store as well: the
 * slowest report of `kpis.1m.postgres` was the unfiltered one. Filled from
 * `rm_kpi_daily` once, then kept in the push transaction beside it.
 */
function rollupMigration(d: Dialect): Migration {
  const strict = sql.raw(d === 'sqlite' ? ' STRICT' : '');
  const big = sql.raw(d === 'sqlite' ? 'INTEGER' : 'bigint');
  return {
    async up(db: Kysely<unknown>) {
      await sql`CREATE TABLE rm_kpi_daily_all (
        day TEXT NOT NULL, release_id TEXT NOT NULL, metric TEXT NOT NULL,
        n ${big} NOT NULL, total_ms ${big} NOT NULL, PRIMARY KEY (day, release_id, metric))${strict}`.execute(
        db,
      );
      await sql`CREATE INDEX rm_kpi_daily_all_by_release_day ON rm_kpi_daily_all (release_id, day)`.execute(
        db,
      );
      await sql`INSERT INTO rm_kpi_daily_all (day, release_id, metric, n, total_ms)
        SELECT day, release_id, metric, sum(n), sum(total_ms) FROM rm_kpi_daily
        GROUP BY day, release_id, metric`.execute(db);
    },
  };
}

export const KPI_ROLLUP_MIGRATION_SQLITE = rollupMigration('sqlite');
export const KPI_ROLLUP_MIGRATION_POSTGRES = rollupMigration('postgres');

export const KPI_TABLES = [
  'rm_kpi_daily',
  'rm_kpi_daily_all',
  'rm_kpi_deployments',
  'rm_kpi_checklist_items',
] as const;

export type KpiSchema = {
  rm_kpi_daily: {
    day: string;
    release_id: string;
    store_id: string;
    metric: string;
    n: number;
    total_ms: number;
  };
  rm_kpi_daily_all: {
    day: string;
    release_id: string;
    metric: string;
    n: number;
    total_ms: number;
  };
  rm_kpi_deployments: {
    deployment_id: string;
    store_id: string;
    release_id: string;
    day: string;
    outcome: string;
    time_to_deploy_ms: number | null;
    intervention_ms: number;
    restore_ms: number | null;
  };
  rm_kpi_checklist_items: {
    run_id: string;
    terminal_id: string;
    item_id: string;
    store_id: string;
    release_id: string;
    day: string;
    first_outcome: string;
  };
};
