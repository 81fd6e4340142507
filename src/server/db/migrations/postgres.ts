/**
 * Server migrations for PostgreSQL, in order, numbered in steps of 10, never
 * edited once released. Same tables as sqlite.ts.
 */
import { REVISIONS_MIGRATION_POSTGRES } from '../../revisions/migrations.ts';
import { NAMED_ADMINS_MIGRATION } from '../../admins/migrations.ts';
import { COMMS_PLANS_MIGRATION_POSTGRES } from '../../comms/migrations.ts';
import { EVIDENCE_ARCHIVE_MIGRATION } from '../../evidence/migrations.ts';
import { RELEASE_PLANS_MIGRATION_POSTGRES } from '../../calendar/migrations.ts';
import { ATTACHMENT_UPLOADS_MIGRATION_POSTGRES } from '../../attachments/migrations.ts';
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { backfillActorCatalog } from '../../quarantine/catalog.ts';
import {
  CURRENT_RESULTS_INDEX_MIGRATION,
  READ_MODELS_MIGRATION_POSTGRES,
} from '../../readModels/migrations.ts';
import {
  UPDATE_MANIFESTS_MIGRATION_POSTGRES,
  UPDATE_MANIFEST_LOG_INDEX_MIGRATION_POSTGRES,
} from '../../updates/migrations.ts';
import { WEBHOOKS_MIGRATION_POSTGRES } from '../../webhooks/migrations.ts';
import { FEEDBACK_READ_MODELS_MIGRATION_POSTGRES } from '../../readModels/feedbackMigrations.ts';
import { FEEDBACK_DESK_MIGRATION_POSTGRES } from '../../feedback/migrations.ts';
import { RELEASE_DESK_MIGRATION_POSTGRES } from '../../releaseDesk/migrations.ts';
import { KPIS_MIGRATION_POSTGRES, KPI_ROLLUP_MIGRATION_POSTGRES } from '../../kpis/migrations.ts';
import { PROGRESSION_INDEXES_MIGRATION } from '../../progression/migrations.ts';

import { RELEASE_EXTRAS_MIGRATION_POSTGRES } from '../../testResults/migrations.ts';
import { RELEASE_RISKS_MIGRATION_POSTGRES } from '../../risks/migrations.ts';
export const POSTGRES_MIGRATIONS: Record<string, Migration> = {
  '0010-log': {
    async up(db: Kysely<unknown>) {
      for (const stmt of [
        sql`CREATE TABLE log_head (id integer PRIMARY KEY CHECK (id = 1), size bigint NOT NULL, root text NOT NULL)`,
        sql`INSERT INTO log_head (id, size, root) VALUES (1, 0, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')`,
        sql`CREATE TABLE log_entries (
          idx bigint PRIMARY KEY, device_id text NOT NULL, seq bigint NOT NULL, store_id text NOT NULL,
          at text NOT NULL, type text NOT NULL, hash text NOT NULL, body text NOT NULL)`,
        sql`CREATE UNIQUE INDEX log_entries_by_device_seq ON log_entries (device_id, seq)`,
        sql`CREATE INDEX log_entries_by_store_at ON log_entries (store_id, at)`,
        sql`CREATE TABLE merkle_nodes (level integer NOT NULL, idx bigint NOT NULL, hash text NOT NULL, PRIMARY KEY (level, idx))`,
        sql`CREATE TABLE tree_heads (size bigint PRIMARY KEY, root text NOT NULL, at text NOT NULL, signature text NOT NULL)`,
        sql`CREATE TABLE devices (
          id text PRIMARY KEY, store_id text NOT NULL, public_key text NOT NULL, name text, enrolled_at text NOT NULL,
          revoked_at text, last_seq bigint NOT NULL, last_hash text NOT NULL)`,
        sql`CREATE TABLE checkpoints (device_id text NOT NULL, seq bigint NOT NULL, head text NOT NULL, signature text NOT NULL,
          received_at text NOT NULL, PRIMARY KEY (device_id, seq))`,
        sql`CREATE TABLE equivocations (id bigserial PRIMARY KEY, device_id text NOT NULL, seq bigint NOT NULL,
          stored_hash text NOT NULL, offered_hash text NOT NULL, offered_body text NOT NULL, detected_at text NOT NULL)`,
        sql`CREATE TABLE tokens (token_hash text PRIMARY KEY, kind text NOT NULL, device_id text, store_id text, label text,
          created_at text NOT NULL, revoked_at text)`,
        sql`CREATE INDEX tokens_by_device_id ON tokens (device_id)`,
        sql`CREATE TABLE enrollment_codes (code_hash text PRIMARY KEY, store_id text NOT NULL, created_at text NOT NULL,
          expires_at text NOT NULL, used_at text, device_id text)`,
        sql`CREATE TABLE catalog_head (id integer PRIMARY KEY CHECK (id = 1), cursor bigint NOT NULL)`,
        sql`INSERT INTO catalog_head (id, cursor) VALUES (1, 0)`,
        sql`CREATE TABLE catalog_changes (cursor bigint PRIMARY KEY, entity text NOT NULL, entity_id text NOT NULL, op text NOT NULL,
          store_id text, value text, at text NOT NULL)`,
        sql`CREATE INDEX catalog_changes_by_store_id_cursor ON catalog_changes (store_id, cursor)`,
        sql`CREATE TABLE stores (id text PRIMARY KEY, data text NOT NULL)`,
        sql`CREATE TABLE terminals (id text PRIMARY KEY, store_id text NOT NULL, data text NOT NULL)`,
        sql`CREATE INDEX terminals_by_store_id ON terminals (store_id)`,
        sql`CREATE TABLE releases (id text PRIMARY KEY, data text NOT NULL)`,
        sql`CREATE TABLE ring_targets (ring text PRIMARY KEY, release_id text NOT NULL)`,
        sql`CREATE TABLE users (id text PRIMARY KEY, data text NOT NULL)`,
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
      await sql`CREATE TABLE evidence_files (sha256 text PRIMARY KEY, store_id text NOT NULL, mime_type text NOT NULL,
        byte_length integer NOT NULL, data bytea NOT NULL, received_at text NOT NULL)`.execute(db);
    },
  },
  // Read models and desks: src/server/readModels/migrations.ts.
  '0060-read-models': READ_MODELS_MIGRATION_POSTGRES,
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
        sql`ALTER TABLE log_entries ADD COLUMN quarantine_reason text`,
        sql`CREATE INDEX log_entries_quarantined ON log_entries (idx) WHERE quarantine_reason IS NOT NULL`,
        sql`CREATE TABLE actor_catalog (entity text NOT NULL, entity_id text NOT NULL, from_index bigint NOT NULL,
          data text NOT NULL, PRIMARY KEY (entity, entity_id, from_index))`,
        sql`CREATE TABLE actor_rule (id integer PRIMARY KEY CHECK (id = 1), from_index bigint NOT NULL)`,
        sql`INSERT INTO actor_rule (id, from_index) SELECT 1, size FROM log_head WHERE id = 1`,
        // Equivocation records are bounded: the first offer per (device, seq) is kept, later ones counted.
        sql`ALTER TABLE equivocations ADD COLUMN offer_count bigint NOT NULL DEFAULT 1`,
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
  '0110-update-manifests': UPDATE_MANIFESTS_MIGRATION_POSTGRES,
  // Webhooks: src/server/webhooks/migrations.ts.
  '0120-webhooks': WEBHOOKS_MIGRATION_POSTGRES,
  // KPI aggregates: src/server/kpis/migrations.ts.
  '0130-kpis': KPIS_MIGRATION_POSTGRES,
  // Each update manifest's log index: src/server/updates/migrations.ts.
  '0140-update-manifest-log-index': UPDATE_MANIFEST_LOG_INDEX_MIGRATION_POSTGRES,
  // Support desk, store side: src/server/readModels/feedbackMigrations.ts.
  '0200-feedback-read-models': FEEDBACK_READ_MODELS_MIGRATION_POSTGRES,
  // Support desk: the inbox's search and indexes (src/server/feedback/migrations.ts).
  '0300-feedback-desk': FEEDBACK_DESK_MIGRATION_POSTGRES,
  // The release desk: src/server/releaseDesk/migrations.ts.
  '0400-release-desk': RELEASE_DESK_MIGRATION_POSTGRES,
  // The release desk's progression reads by release: src/server/progression/migrations.ts.
  '0500-progression-indexes': PROGRESSION_INDEXES_MIGRATION,
  // Test results and checklist assignments: src/server/testResults/migrations.ts.
  '0600-release-extras': RELEASE_EXTRAS_MIGRATION_POSTGRES,
  // Daily KPI counters over every store: src/server/kpis/migrations.ts.
  '0700-kpi-rollup': KPI_ROLLUP_MIGRATION_POSTGRES,
  // Evidence bytes moved to an archive folder after N days: src/server/evidence/migrations.ts.
  '0900-evidence-archive': EVIDENCE_ARCHIVE_MIGRATION,
  // Resumable attachment uploads: src/server/attachments/migrations.ts.
  '1000-attachment-uploads': ATTACHMENT_UPLOADS_MIGRATION_POSTGRES,
  // The release calendar's plan per release and ring: src/server/calendar/migrations.ts.
  '1200-release-ring-plans': RELEASE_PLANS_MIGRATION_POSTGRES,
  // Release risk registers and notes for store staff: src/server/risks/migrations.ts.
  '1500-release-risks': RELEASE_RISKS_MIGRATION_POSTGRES,
  // Named administrators own their admin tokens: src/server/admins/migrations.ts.
  '1600-named-admins': NAMED_ADMINS_MIGRATION,
  // Revision history and approvals of runbooks and checklist templates: src/server/revisions/migrations.ts.
  '1610-revisions': REVISIONS_MIGRATION_POSTGRES,
  // Communication plans per release and what was sent: src/server/comms/migrations.ts.
  '1700-comms-plans': COMMS_PLANS_MIGRATION_POSTGRES,
};
