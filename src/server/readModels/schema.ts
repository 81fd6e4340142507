/**
 * Kysely table types of the read models and desks (migration
 * `0060-read-models`, ./migrations.ts), merged into ServerSchema.
 * Column names equal the console's state tables (src/main/db/migrations) so
 * one canonical dump compares both sides (src/shared/projection/dump.ts).
 */
export type ReadModelSchema = {
  rm_terminals: {
    terminal_id: string;
    store_id: string;
    release_id: string | null;
    version: string | null;
    since: string | null;
    last_seen: string | null;
  };
  rm_terminal_versions: {
    event_id: string;
    terminal_id: string;
    version: string;
    release_id: string | null;
    observed_at: string;
    recorded_by: string | null;
    source: string;
    log_idx: number;
  };
  rm_checklist_runs: {
    id: string;
    template_id: string;
    template_version: number;
    template_data: string;
    release_id: string;
    store_id: string;
    terminal_ids: string;
    is_paused: number;
    started_by: string;
    started_role: string;
    started_at: string;
    updated_at: string;
    event_id: string;
  };
  rm_checklist_results: {
    event_id: string;
    event_hash: string;
    run_id: string;
    terminal_id: string;
    item_id: string;
    answer: string;
    outcome: string;
    note: string | null;
    evidence: string;
    recorded_by: string;
    recorded_role: string;
    recorded_at: string;
    is_current: number;
  };
  rm_checklist_waivers: {
    run_id: string;
    terminal_id: string;
    item_id: string;
    event_id: string;
    event_hash: string;
    reason: string;
    waived_by: string;
    waived_role: string;
    waived_at: string;
  };
  rm_evidence_files: {
    sha256: string;
    mime_type: string;
    byte_length: number;
    file_name: string;
    run_id: string | null;
    event_id: string;
    attached_by: string;
    attached_at: string;
  };
  rm_bug_reports: {
    id: string;
    status: string;
    severity: string;
    title: string;
    description: string;
    release_id: string | null;
    store_id: string;
    terminal_id: string | null;
    run_id: string | null;
    item_id: string | null;
    answer_text: string;
    evidence: string;
    reported_by: string;
    reported_role: string;
    reported_at: string;
    event_id: string;
    severity_set: string | null;
    report_kind: string | null;
    assignee: string | null;
    due_date: string | null;
    fixed_in: string | null;
    duplicate_of: string | null;
    expected: string | null;
    screen: string | null;
    context: string | null;
    attachments: string | null;
    updated_at: string | null;
  };
  rm_feature_requests: {
    id: string;
    store_id: string;
    title: string;
    description: string;
    category: string;
    status: string;
    planned_for: string | null;
    merged_into: string | null;
    filed_by: string;
    filed_role: string;
    filed_at: string;
    updated_at: string;
    event_id: string;
  };
  rm_feature_request_votes: {
    request_id: string;
    store_id: string;
    voted_by: string;
    voted_at: string;
    event_id: string;
  };
  rm_feedback_comments: {
    event_id: string;
    target_id: string;
    store_id: string;
    author: string;
    author_role: string;
    visibility: string;
    text: string;
    at: string;
  };
  rm_decisions: {
    id: string;
    event_id: string;
    event_hash: string;
    release_id: string;
    store_id: string;
    decision: string;
    reason: string;
    conditions: string;
    verdict: string;
    criteria: string;
    signature_sha256: string;
    basis: string;
    digest: string;
    signed_by: string;
    signed_role: string;
    signed_at: string;
    log_idx: number;
  };
  rm_deployments: {
    id: string;
    store_id: string;
    release_id: string;
    status: string;
    planned_at: string;
    updated_at: string;
    last_seq: number;
    state: string;
  };
  rm_change_requests: {
    id: string;
    store_id: string;
    release_id: string;
    kind: string;
    status: string;
    requested_at: string;
    data: string;
  };
  rm_deployment_actors: { deployment_id: string; user_id: string };
  /** Conflicts decided by the log (22.5): the later entry, kept and counted. */
  rm_superseded: {
    event_id: string;
    log_idx: number;
    store_id: string;
    device_id: string;
    type: string;
    reason: string;
    won_by: string | null;
  };
  rm_device_syncs: {
    device_id: string;
    store_id: string;
    last_idx: number;
    last_seq: number;
    last_at: string;
  };
  /** `scope`: 'all' or 'region:<name>'; `role`: support, release or auditor. */
  desks: {
    id: string;
    scope: string;
    role: string;
    public_key: string;
    name: string | null;
    enrolled_at: string;
    revoked_at: string | null;
  };
  desk_enrollment_codes: {
    code_hash: string;
    scope: string;
    role: string;
    created_at: string;
    expires_at: string;
    used_at: string | null;
    desk_id: string | null;
  };
};
