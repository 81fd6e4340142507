/**
 * Server migration `1700-comms-plans` (both dialects): each release's
 * communication plan as an administrator set it, and one row per
 * communication and ring once it was sent. The sent row's primary key is what
 * makes sending exactly once: a second tick, a second server process or a
 * restart finds the row and sends nothing.
 */
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

function migration(dialect: 'sqlite' | 'postgres'): Migration {
  const strict = sql.raw(dialect === 'sqlite' ? ' STRICT' : '');
  const bigint = sql.raw(dialect === 'sqlite' ? 'INTEGER' : 'BIGINT');
  return {
    async up(db: Kysely<unknown>) {
      await sql`CREATE TABLE release_comms_plans (release_id TEXT PRIMARY KEY,
        data TEXT NOT NULL, updated_at TEXT NOT NULL)${strict}`.execute(db);
      await sql`CREATE TABLE release_comms_sent (release_id TEXT NOT NULL,
        communication_id TEXT NOT NULL, ring TEXT NOT NULL, due_at TEXT NOT NULL,
        sent_at TEXT NOT NULL, log_idx ${bigint} NOT NULL,
        PRIMARY KEY (release_id, communication_id, ring))${strict}`.execute(db);
    },
  };
}

export const COMMS_PLANS_MIGRATION_SQLITE = migration('sqlite');
export const COMMS_PLANS_MIGRATION_POSTGRES = migration('postgres');

/** The ring key of a communication sent to every store at once (an absolute instant). */
export const EVERY_RING = '*';

/** Kysely table types of migration 1700, merged into ServerSchema. */
export type CommsPlanSchema = {
  /** A release's communication plan (shared/releases/commsPlan.ts); `data` is the plan as set. */
  release_comms_plans: { release_id: string; data: string; updated_at: string };
  /** A communication sent for one ring (EVERY_RING: every store), with its log entry's index. */
  release_comms_sent: {
    release_id: string;
    communication_id: string;
    ring: string;
    due_at: string;
    sent_at: string;
    log_idx: number;
  };
};
