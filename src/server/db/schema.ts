/** Kysely table types of the server database (the same on SQLite and PostgreSQL). */
import type { Generated } from 'kysely';
import type { RiskCommsSchema } from '../risks/migrations.ts';
import type { ReadModelSchema } from '../readModels/schema.ts';
import type { HealthSchema } from '../webhooks/schema.ts';
import type { ReleaseDeskSchema } from '../releaseDesk/migrations.ts';
import type { ReleasePlanSchema } from '../calendar/migrations.ts';
import type { CommsPlanSchema } from '../comms/migrations.ts';

type CoreSchema = ReadModelSchema & {
  /** One row (id = 1): the log's size and root. Locking it orders every append. */
  log_head: { id: number; size: number; root: string };
  /** The global log: one row per accepted event, `idx` is the leaf index. */
  log_entries: {
    idx: number;
    device_id: string;
    seq: number;
    store_id: string;
    at: string;
    type: string;
    hash: string;
    /** The exact RFC 8785 text that was hashed. */
    body: string;
    /** Set when the event broke the actor rule (src/shared/audit/actorRule.ts): kept, but out of every read model and feed. */
    quarantine_reason: string | null;
  };
  /** Complete aligned subtrees: level 0 holds leaf hashes; (level, idx) covers leaves [idx·2^level, (idx+1)·2^level). */
  merkle_nodes: { level: number; idx: number; hash: string };
  /** Every tree head the log signed, one per size. */
  tree_heads: { size: number; root: string; at: string; signature: string };
  devices: {
    id: string;
    store_id: string;
    public_key: string;
    name: string | null;
    enrolled_at: string;
    revoked_at: string | null;
    last_seq: number;
    last_hash: string;
  };
  checkpoints: {
    device_id: string;
    seq: number;
    head: string;
    signature: string;
    received_at: string;
  };
  equivocations: {
    id: Generated<number>;
    device_id: string;
    seq: number;
    stored_hash: string;
    offered_hash: string;
    offered_body: string;
    detected_at: string;
    /** How many different events were offered for this (device, seq); only the first is kept. */
    offer_count: Generated<number>;
  };
  /**
   * Users and terminals as the actor rule reads them, one row per version:
   * the version in force at log index i is the last with from_index <= i.
   * entity 'user': {role, storeIds, isRevoked}; 'terminal': {storeId}.
   */
  actor_catalog: { entity: string; entity_id: string; from_index: number; data: string };
  /** One row (id = 1): the log index from which every appended event was checked against the actor rule. */
  actor_rule: { id: number; from_index: number };
  /** Bearer tokens, stored as SHA-256 hex only. */
  tokens: {
    token_hash: string;
    kind: string;
    device_id: string | null;
    store_id: string | null;
    label: string | null;
    created_at: string;
    revoked_at: string | null;
    /** An admin token's named administrator (a catalog user of role admin); null: a bootstrap token. */
    user_id: string | null;
  };
  /** Every published version of a runbook or checklist template (revisions/service.ts). */
  document_revisions: {
    kind: string;
    doc_id: string;
    number: number;
    content_hash: string;
    /** The document as published (JSON), what the catalog carries once approved. */
    content: string;
    /** JSON array of {op, text} lines against the previous version. */
    diff: string;
    author_id: string;
    published_at: string;
    required_approvals: number;
    /** When the approvals were complete and the version entered the catalog; null while pending. */
    approved_at: string | null;
  };
  revision_approvals: {
    kind: string;
    doc_id: string;
    number: number;
    approver_id: string;
    content_hash: string;
    approved_at: string;
    log_index: number;
  };
  enrollment_codes: {
    code_hash: string;
    store_id: string;
    created_at: string;
    expires_at: string;
    used_at: string | null;
    device_id: string | null;
  };
  /** One row (id = 1): the last catalog cursor handed out. */
  catalog_head: { id: number; cursor: number };
  catalog_changes: {
    cursor: number;
    entity: string;
    entity_id: string;
    op: string;
    /** null: every device sees it (releases, ring targets, users of every store). */
    store_id: string | null;
    value: string | null;
    at: string;
  };
  stores: { id: string; data: string };
  terminals: { id: string; store_id: string; data: string };
  releases: { id: string; data: string };
  ring_targets: { ring: string; release_id: string };
  users: { id: string; data: string };
  /** Evidence files cited by checklist results and decisions, content-addressed (src/server/evidence). */
  evidence_files: {
    sha256: string;
    store_id: string;
    mime_type: string;
    byte_length: number;
    /** Empty once archived: the bytes are then in the archive folder (evidence/retention.ts). */
    data: Uint8Array;
    received_at: string;
    archived_at: string | null;
    /** The archived file's path, relative to the archive folder. */
    archive_path: string | null;
  };
  /** Signed console update manifests, one per channel and version (updates/service.ts). */
  /** The latest JUnit report imported for each release, with its summary (testResults/). */
  release_test_results: { release_id: string; summary: string; xml: string; imported_at: string };
  /** Checklists the release desk assigned to stores (assignments/); log_index names the desk action's entry. */
  checklist_assignments: {
    id: string;
    store_id: string;
    template_id: string;
    release_id: string | null;
    due_at: string;
    data: string;
    log_index: number;
  };
  update_manifests: {
    channel: string;
    version: string;
    /** The exact JCS text the log key signed. */
    manifest: string;
    signature: string;
    published_at: string;
    /** Index of its `console.update.published` server entry in the log; null if published before manifests were logged. */
    log_index: number | null;
  };
};

/** Every table: the core ones above plus the release-health tables (webhooks, KPI aggregates). */
export type ServerSchema = CoreSchema &
  HealthSchema &
  ReleaseDeskSchema &
  RiskCommsSchema &
  ReleasePlanSchema &
  CommsPlanSchema;
