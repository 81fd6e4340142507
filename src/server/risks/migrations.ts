/**
 * Release communication and risk tables on the server: each release's risk
 * register (one row per risk, the catalog value as published), its notes
 * for store staff (plain-language Markdown, one row per release) and the read
 * model of who read those notes in which store.
 */
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

function releaseRisksMigration(dialect: 'sqlite' | 'postgres'): Migration {
  const strict = dialect === 'sqlite' ? sql` STRICT` : sql``;
  const bigint = dialect === 'sqlite' ? sql`INTEGER` : sql`BIGINT`;
  return {
    async up(db: Kysely<unknown>) {
      await sql`CREATE TABLE release_risks (id TEXT PRIMARY KEY, release_id TEXT NOT NULL,
        data TEXT NOT NULL, updated_at TEXT NOT NULL)${strict}`.execute(db);
      await sql`CREATE INDEX release_risks_by_release ON release_risks (release_id, id)`.execute(
        db,
      );
      await sql`CREATE TABLE release_store_notes (release_id TEXT PRIMARY KEY,
        data TEXT NOT NULL, updated_at TEXT NOT NULL)${strict}`.execute(db);
      // Read model: who read a release's store notes where, kept in the push transaction.
      await sql`CREATE TABLE rm_store_notes_reads (release_id TEXT NOT NULL, store_id TEXT NOT NULL,
        user_id TEXT NOT NULL, log_idx ${bigint} NOT NULL,
        PRIMARY KEY (release_id, store_id, user_id))${strict}`.execute(db);
    },
  };
}

export const RELEASE_RISKS_MIGRATION_SQLITE = releaseRisksMigration('sqlite');
export const RELEASE_RISKS_MIGRATION_POSTGRES = releaseRisksMigration('postgres');

/** The tables above, as Kysely reads them. */
export type RiskCommsSchema = {
  /** One risk of a release's register (risks/service.ts); `data` is the catalog value. */
  release_risks: { id: string; release_id: string; data: string; updated_at: string };
  /** A release's notes for store staff (risks/storeNotes.ts); `data` is the catalog value. */
  release_store_notes: { release_id: string; data: string; updated_at: string };
  /** Who read a release's store notes in which store (risks/storeNotesReads.ts); the first read's log index. */
  rm_store_notes_reads: { release_id: string; store_id: string; user_id: string; log_idx: number };
};
