/**
 * Server migration `0400-release-desk`: the release desk's state, one
 * statement list per dialect. Every row is written in the same transaction
 * as the desk action's server entry in the central log (`log_index` names
 * it), so the log proves each change and these tables say where things stand.
 *
 * - `release_lifecycles`: each release's lifecycle state (shared/releases/lifecycle.ts).
 * - `release_committees`: the committee of one release, or the default (`*default*`).
 * - `committee_sign_offs`: each sign-off with the evidence digest it saw.
 * - `ring_policies`: the share of go decisions each ring's promotion needs.
 * - `ring_rollouts`: each ring's staged rollout (new target, previous target, percentage).
 * - `deployment_windows`: scheduled windows per release and store, in store-local time.
 * - `release_promotions`: every promotion, gated or overridden, for the progression and export.
 */
import { sql, type Generated, type Kysely, type RawBuilder } from 'kysely';
import type { Migration } from 'kysely/migration';

type Dialect = 'sqlite' | 'postgres';

function statements(d: Dialect): Array<RawBuilder<unknown>> {
  const strict = sql.raw(d === 'sqlite' ? ' STRICT' : '');
  const big = sql.raw(d === 'sqlite' ? 'INTEGER' : 'bigint');
  const serial = sql.raw(
    d === 'sqlite' ? 'INTEGER PRIMARY KEY AUTOINCREMENT' : 'bigserial PRIMARY KEY',
  );
  return [
    sql`CREATE TABLE release_lifecycles (release_id TEXT PRIMARY KEY, state TEXT NOT NULL, blocked_from TEXT,
      block_reason TEXT, updated_at TEXT NOT NULL, log_index ${big} NOT NULL)${strict}`,
    sql`CREATE TABLE release_committees (release_id TEXT PRIMARY KEY, data TEXT NOT NULL, updated_at TEXT NOT NULL,
      log_index ${big} NOT NULL)${strict}`,
    sql`CREATE TABLE committee_sign_offs (id ${serial}, release_id TEXT NOT NULL, user_id TEXT NOT NULL,
      digest TEXT NOT NULL, evidence TEXT NOT NULL, signed_at TEXT NOT NULL, log_index ${big} NOT NULL)${strict}`,
    sql`CREATE INDEX committee_sign_offs_by_release_id ON committee_sign_offs (release_id, user_id)`,
    sql`CREATE TABLE ring_policies (ring TEXT PRIMARY KEY, min_go_percent ${big} NOT NULL, updated_at TEXT NOT NULL,
      log_index ${big} NOT NULL)${strict}`,
    sql`CREATE TABLE ring_rollouts (ring TEXT PRIMARY KEY, release_id TEXT NOT NULL, previous_release_id TEXT,
      percent ${big} NOT NULL, updated_at TEXT NOT NULL, log_index ${big})${strict}`,
    sql`CREATE TABLE deployment_windows (release_id TEXT NOT NULL, store_id TEXT NOT NULL, start_local TEXT NOT NULL,
      end_local TEXT NOT NULL, set_at TEXT NOT NULL, log_index ${big} NOT NULL, PRIMARY KEY (release_id, store_id))${strict}`,
    sql`CREATE TABLE release_promotions (id ${serial}, release_id TEXT NOT NULL, ring TEXT NOT NULL,
      previous_release_id TEXT, percent ${big} NOT NULL, is_override ${big} NOT NULL, override_reason TEXT,
      gate_reasons TEXT NOT NULL, acted_by TEXT NOT NULL, at TEXT NOT NULL, log_index ${big})${strict}`,
    sql`CREATE INDEX release_promotions_by_release_id ON release_promotions (release_id, id)`,
  ];
}

function migration(d: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      for (const stmt of statements(d)) await stmt.execute(db);
    },
  };
}

export const RELEASE_DESK_MIGRATION_SQLITE = migration('sqlite');
export const RELEASE_DESK_MIGRATION_POSTGRES = migration('postgres');

/** Kysely table types of migration 0400, merged into ServerSchema. */
export type ReleaseDeskSchema = {
  release_lifecycles: {
    release_id: string;
    state: string;
    blocked_from: string | null;
    block_reason: string | null;
    updated_at: string;
    log_index: number;
  };
  release_committees: { release_id: string; data: string; updated_at: string; log_index: number };
  committee_sign_offs: {
    id: Generated<number>;
    release_id: string;
    user_id: string;
    digest: string;
    evidence: string;
    signed_at: string;
    log_index: number;
  };
  ring_policies: { ring: string; min_go_percent: number; updated_at: string; log_index: number };
  ring_rollouts: {
    ring: string;
    release_id: string;
    previous_release_id: string | null;
    percent: number;
    updated_at: string;
    log_index: number | null;
  };
  deployment_windows: {
    release_id: string;
    store_id: string;
    start_local: string;
    end_local: string;
    set_at: string;
    log_index: number;
  };
  release_promotions: {
    id: Generated<number>;
    release_id: string;
    ring: string;
    previous_release_id: string | null;
    percent: number;
    is_override: number;
    override_reason: string | null;
    gate_reasons: string;
    acted_by: string;
    at: string;
    log_index: number | null;
  };
};
