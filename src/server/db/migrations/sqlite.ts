/**
 * Server migrations for SQLite, in order, numbered in steps of 10, never
 * edited once released. PostgreSQL has its own list (postgres.ts) with the
 * same tables.
 */
import { REVISIONS_MIGRATION_SQLITE } from '../../revisions/migrations.ts';
import { NAMED_ADMINS_MIGRATION } from '../../admins/migrations.ts';
import { COMMS_PLANS_MIGRATION_SQLITE } from '../../comms/migrations.ts';
import { EVIDENCE_ARCHIVE_MIGRATION } from '../../evidence/migrations.ts';
import { RELEASE_PLANS_MIGRATION_SQLITE } from '../../calendar/migrations.ts';
import { ATTACHMENT_UPLOADS_MIGRATION_SQLITE } from '../../attachments/migrations.ts';
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { backfillActorCatalog } from '../../quarantine/catalog.ts';
import {
  CURRENT_RESULTS_INDEX_MIGRATION,
  READ_MODELS_MIGRATION_SQLITE,
} from '../../readModels/migrations.ts';
import {
  UPDATE_MANIFESTS_MIGRATION_SQLITE,
  UPDATE_MANIFEST_LOG_INDEX_MIGRATION_SQLITE,
} from '../../updates/migrations.ts';
import { WEBHOOKS_MIGRATION_SQLITE } from '../../webhooks/migrations.ts';
import { FEEDBACK_READ_MODELS_MIGRATION_SQLITE } from '../../readModels/feedbackMigrations.ts';
import { FEEDBACK_DESK_MIGRATION_SQLITE } from '../../feedback/migrations.ts';
import { RELEASE_DESK_MIGRATION_SQLITE } from '../../releaseDesk/migrations.ts';
import { KPIS_MIGRATION_SQLITE, KPI_ROLLUP_MIGRATION_SQLITE } from '../../kpis/migrations.ts';
import { PROGRESSION_INDEXES_MIGRATION } from '../../progression/migrations.ts';

import { RELEASE_EXTRAS_MIGRATION_SQLITE } from '../../testResults/migrations.ts';
import { RELEASE_RISKS_MIGRATION_SQLITE } from '../../risks/migrations.ts';
export const SQLITE_MIGRATIONS: Record<string, Migration> = {
  '0010-log': {
    async up(db: Kysely<unknown>) {
      for (const stmt of [
        sql`CREATE TABLE log_head (id INTEGER PRIMARY KEY CHECK (id = 1), size INTEGER NOT NULL, root TEXT NOT NULL) STRICT`,
        sql`INSERT INTO log_head (id, size, root) VALUES (1, 0, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')`,
        sql`CREATE TABLE log_entries (
          idx INTEGER PRIMARY KEY, device_id TEXT NOT NULL, seq INTEGER NOT NULL, store_id TEXT NOT NULL,
          at TEXT NOT NULL, type TEXT NOT NULL, hash TEXT NOT NULL, body TEXT NOT NULL) STRICT`,
        sql`CREATE UNIQUE INDEX log_entries_by_device_seq ON log_entries (device_id, seq)`,
        sql`CREATE INDEX log_entries_by_store_at ON log_entries (store_id, at)`,
        sql`CREATE TABLE merkle_nodes (level INTEGER NOT NULL, idx INTEGER NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (level, idx)) STRICT, WITHOUT ROWID`,
        sql`CREATE TABLE tree_heads (size INTEGER PRIMARY KEY, root TEXT NOT NULL, at TEXT NOT NULL, signature TEXT NOT NULL) STRICT`,
        sql`CREATE TABLE devices (
          id TEXT PRIMARY KEY, store_id TEXT NOT NULL, public_key TEXT NOT NULL, name TEXT, enrolled_at TEXT NOT NULL,
          revoked_at TEXT, last_seq INTEGER NOT NULL, last_hash TEXT NOT NULL) STRICT`,
        sql`CREATE TABLE checkpoints (device_id TEXT NOT NULL, seq INTEGER NOT NULL, head TEXT NOT NULL, signature TEXT NOT NULL,
          received_at TEXT NOT NULL, PRIMARY KEY (device_id, seq)) STRICT`,
        sql`CREATE TABLE equivocations (id INTEGER PRIMARY KEY AUTOINCREMENT, device_id TEXT NOT NULL, seq INTEGER NOT NULL,
          stored_hash TEXT NOT NULL, offered_hash TEXT NOT NULL, offered_body TEXT NOT NULL, detected_at TEXT NOT NULL) STRICT`,
        sql`CREATE TABLE tokens (token_hash TEXT PRIMARY KEY, kind TEXT NOT NULL, device_id TEXT, store_id TEXT, label TEXT,
          created_at TEXT NOT NULL, revoked_at TEXT) STRICT`,
        sql`CREATE INDEX tokens_by_device_id ON tokens (device_id)`,
        sql`CREATE TABLE enrollment_codes (code_hash TEXT PRIMARY KEY, store_id TEXT NOT NULL, created_at TEXT NOT NULL,
          expires_at TEXT NOT NULL, used_at TEXT, device_id TEXT) STRICT`,
        sql`CREATE TABLE catalog_head (id INTEGER PRIMARY KEY CHECK (id = 1), cursor INTEGER NOT NULL) STRICT`,
        sql`INSERT INTO catalog_head (id, cursor) VALUES (1, 0)`,
        sql`CREATE TABLE catalog_changes (cursor INTEGER PRIMARY KEY, entity TEXT NOT NULL, entity_id TEXT NOT NULL, op TEXT NOT NULL,
          store_id TEXT, value TEXT, at TEXT NOT NULL) STRICT`,
        sql`CREATE INDEX catalog_changes_by_store_id_cursor ON catalog_changes (store_id, cursor)`,
        sql`CREATE TABLE stores (id TEXT PRIMARY KEY, data TEXT NOT NULL) STRICT`,
        sql`CREATE TABLE terminals (id TEXT PRIMARY KEY, store_id TEXT NOT NULL, data TEXT NOT NULL) STRICT`,
        sql`CREATE INDEX terminals_by_store_id ON terminals (store_id)`,
        sql`CREATE TABLE releases (id TEXT PRIMARY KEY, data TEXT NOT NULL) STRICT`,
        sql`CREATE TABLE ring_targets (ring TEXT PRIMARY KEY, release_id TEXT NOT NULL) STRICT`,
        sql`CREATE TABLE users (id TEXT PRIMARY KEY, data TEXT NOT NULL) STRICT`,
      ]) {
        await stmt.execute(db);
      }
    },
  },
  '0020-merkle-low-levels-recomputed': {
    // Subtrees below level 4 are now recomputed from log_entries (merkleLog.ts,
    // LOWEST_STORED_LEVEL); their rows are redundant. The number is repeated
    // here on purpose: a released migration never changes with the code.
    async up(db: Kysely<unknown>) {
      await sql`DELETE FROM merkle_nodes WHERE level < 4`.execute(db);
    },
  },
  '0030-evidence': {
    // Evidence files (issue 4): photos and signatures, content-addressed by SHA-256, stored once.
    async up(db: Kysely<unknown>) {
      await sql`CREATE TABLE evidence_files (sha256 TEXT PRIMARY KEY, store_id TEXT NOT NULL, mime_type TEXT NOT NULL,
        byte_length INTEGER NOT NULL, data BLOB NOT NULL, received_at TEXT NOT NULL) STRICT`.execute(
        db,
      );
    },
  },
  // Read models and desks: src/server/readModels/migrations.ts.
  '0060-read-models': READ_MODELS_MIGRATION_SQLITE,
  '0070-quarantine': {
    // Who acted (src/server/ingest/actorCheck.ts): an event whose actor breaks
    // the actor rule is appended but marked with a reason, which every read
    // model and feed leaves out. The users and terminals the rule reads are
    // kept as versions by log index (actor_catalog), so a bundle can carry the
    // catalog in force at each event and audit:verify can re-apply the rule.
    // Events appended before this migration were never checked: actor_rule
    // records the log size at which the check started.
    async up(db: Kysely<unknown>) {
      for (const stmt of [
        sql`ALTER TABLE log_entries ADD COLUMN quarantine_reason TEXT`,
        sql`CREATE INDEX log_entries_quarantined ON log_entries (idx) WHERE quarantine_reason IS NOT NULL`,
        sql`CREATE TABLE actor_catalog (entity TEXT NOT NULL, entity_id TEXT NOT NULL, from_index INTEGER NOT NULL,
          data TEXT NOT NULL, PRIMARY KEY (entity, entity_id, from_index)) STRICT`,
        sql`CREATE TABLE actor_rule (id INTEGER PRIMARY KEY CHECK (id = 1), from_index INTEGER NOT NULL) STRICT`,
        sql`INSERT INTO actor_rule (id, from_index) SELECT 1, size FROM log_head WHERE id = 1`,
        // Equivocation records are bounded: the first offer per (device, seq) is kept, later ones counted.
        sql`ALTER TABLE equivocations ADD COLUMN offer_count INTEGER NOT NULL DEFAULT 1`,
        sql`UPDATE equivocations SET offer_count = (SELECT count(*) FROM equivocations e2
          WHERE e2.device_id = equivocations.device_id AND e2.seq = equivocations.seq)`,
        sql`DELETE FROM equivocations WHERE id NOT IN (SELECT min(id) FROM equivocations GROUP BY device_id, seq)`,
        sql`CREATE UNIQUE INDEX equivocations_by_device_seq ON equivocations (device_id, seq)`,
      ]) {
        await stmt.execute(db);
      }
      await backfillActorCatalog(db);
    },
  },
  '0080-feed': {
    // The scope feed (src/server/feed) pages one store's entries by log index.
    async up(db: Kysely<unknown>) {
      await sql`CREATE INDEX log_entries_by_store_id_idx ON log_entries (store_id, idx)`.execute(
        db,
      );
    },
  },
  // Read models: the partial index of current checklist results (src/server/readModels/migrations.ts).
  '0090-current-results-index': CURRENT_RESULTS_INDEX_MIGRATION,
  // Signed console update manifests: src/server/updates/migrations.ts.
  '0110-update-manifests': UPDATE_MANIFESTS_MIGRATION_SQLITE,
  // Webhooks: src/server/webhooks/migrations.ts.
  '0120-webhooks': WEBHOOKS_MIGRATION_SQLITE,
  // KPI aggregates: src/server/kpis/migrations.ts.
  '0130-kpis': KPIS_MIGRATION_SQLITE,
  // Each update manifest's log index: src/server/updates/migrations.ts.
  '0140-update-manifest-log-index': UPDATE_MANIFEST_LOG_INDEX_MIGRATION_SQLITE,
  // Support desk, store side: src/server/readModels/feedbackMigrations.ts.
  '0200-feedback-read-models': FEEDBACK_READ_MODELS_MIGRATION_SQLITE,
  // Support desk: the inbox's search and indexes (src/server/feedback/migrations.ts).
  '0300-feedback-desk': FEEDBACK_DESK_MIGRATION_SQLITE,
  // The release desk: src/server/releaseDesk/migrations.ts.
  '0400-release-desk': RELEASE_DESK_MIGRATION_SQLITE,
  // The release desk's progression reads by release: src/server/progression/migrations.ts.
  '0500-progression-indexes': PROGRESSION_INDEXES_MIGRATION,
  // Test results and checklist assignments: src/server/testResults/migrations.ts.
  '0600-release-extras': RELEASE_EXTRAS_MIGRATION_SQLITE,
  // Daily KPI counters over every store: src/server/kpis/migrations.ts.
  '0700-kpi-rollup': KPI_ROLLUP_MIGRATION_SQLITE,
  // Evidence bytes moved to an archive folder after N days: src/server/evidence/migrations.ts.
  '0900-evidence-archive': EVIDENCE_ARCHIVE_MIGRATION,
  // Resumable attachment uploads: src/server/attachments/migrations.ts.
  '1000-attachment-uploads': ATTACHMENT_UPLOADS_MIGRATION_SQLITE,
  // The release calendar's plan per release and ring: src/server/calendar/migrations.ts.
  '1200-release-ring-plans': RELEASE_PLANS_MIGRATION_SQLITE,
  // Release risk registers and notes for store staff: src/server/risks/migrations.ts.
  '1500-release-risks': RELEASE_RISKS_MIGRATION_SQLITE,
  // Named administrators own their admin tokens: src/server/admins/migrations.ts.
  '1600-named-admins': NAMED_ADMINS_MIGRATION,
  // Revision history and approvals of runbooks and checklist templates: src/server/revisions/migrations.ts.
  '1610-revisions': REVISIONS_MIGRATION_SQLITE,
  // Communication plans per release and what was sent: src/server/comms/migrations.ts.
  '1700-comms-plans': COMMS_PLANS_MIGRATION_SQLITE,
};
