/**
 * The console database's schema for Kysely: every table and column as the
 * migrations leave them. `CONSOLE_TABLES` is the description (SQLite's
 * declared type, `?` when the column may be NULL) and `Schema` is derived
 * from it, so the two cannot differ; schema.test.ts migrates a fresh database
 * and fails, printing the entry to paste here, when a migration adds, drops
 * or changes a column this description does not have. Column names are
 * snake_case as in SQL.
 */

/** SQLite's declared column type, lower case; `?` when the column may be NULL. */
export type ColumnDescription =
  'text' | 'text?' | 'integer' | 'integer?' | 'real' | 'real?' | 'blob' | 'blob?';

export const CONSOLE_TABLES = {
  bug_reports: {
    id: 'text',
    status: 'text',
    severity: 'text',
    title: 'text',
    description: 'text',
    release_id: 'text?',
    store_id: 'text',
    terminal_id: 'text?',
    run_id: 'text?',
    item_id: 'text?',
    answer_text: 'text',
    evidence: 'text',
    reported_by: 'text',
    reported_role: 'text',
    reported_at: 'text',
    event_id: 'text',
    severity_set: 'text?',
    report_kind: 'text?',
    assignee: 'text?',
    due_date: 'text?',
    fixed_in: 'text?',
    duplicate_of: 'text?',
    expected: 'text?',
    screen: 'text?',
    context: 'text?',
    attachments: 'text?',
    updated_at: 'text?',
  },
  /** The pulled catalog (0020-catalog): catalog_meta, stores, releases, ring_targets, terminals, users. */
  catalog_meta: {
    key: 'text',
    value: 'text',
  },
  change_requests: {
    id: 'text',
    store_id: 'text',
    release_id: 'text',
    kind: 'text',
    status: 'text',
    requested_at: 'text',
    data: 'text',
  },
  checklist_assignments: {
    id: 'text',
    store_id: 'text',
    template_id: 'text',
    due_at: 'text',
    data: 'text',
  },
  checklist_results: {
    event_id: 'text',
    event_hash: 'text',
    run_id: 'text',
    terminal_id: 'text',
    item_id: 'text',
    answer: 'text',
    outcome: 'text',
    note: 'text?',
    evidence: 'text',
    recorded_by: 'text',
    recorded_role: 'text',
    recorded_at: 'text',
    is_current: 'integer',
  },
  checklist_runs: {
    id: 'text',
    template_id: 'text',
    template_version: 'integer',
    template_data: 'text',
    release_id: 'text',
    store_id: 'text',
    terminal_ids: 'text',
    is_paused: 'integer',
    started_by: 'text',
    started_role: 'text',
    started_at: 'text',
    updated_at: 'text',
    event_id: 'text',
  },
  checklist_templates: {
    id: 'text',
    name: 'text',
    kind: 'text',
    version: 'integer',
    data: 'text',
  },
  checklist_waivers: {
    run_id: 'text',
    terminal_id: 'text',
    item_id: 'text',
    event_id: 'text',
    event_hash: 'text',
    reason: 'text',
    waived_by: 'text',
    waived_role: 'text',
    waived_at: 'text',
  },
  compliance_rules: {
    id: 'text',
    region: 'text',
    data: 'text',
  },
  console_versions: {
    version: 'text',
    first_opened_at: 'text',
    last_opened_at: 'text',
  },
  decisions: {
    id: 'text',
    event_id: 'text',
    event_hash: 'text',
    release_id: 'text',
    store_id: 'text',
    decision: 'text',
    reason: 'text',
    conditions: 'text',
    verdict: 'text',
    criteria: 'text',
    signature_sha256: 'text',
    basis: 'text',
    digest: 'text',
    signed_by: 'text',
    signed_role: 'text',
    signed_at: 'text',
  },
  deployment_actors: {
    deployment_id: 'text',
    user_id: 'text',
  },
  deployment_runbooks: {
    release_id: 'text',
    id: 'text',
    data: 'text',
  },
  deployments: {
    id: 'text',
    store_id: 'text',
    release_id: 'text',
    status: 'text',
    planned_at: 'text',
    updated_at: 'text',
    last_seq: 'integer',
    state: 'text',
  },
  desk_connection: {
    id: 'integer',
    server_url: 'text',
    desk_id: 'text',
    scope: 'text',
    role: 'text',
    enrolled_at: 'text',
  },
  desk_store_details: {
    store_id: 'text',
    release_id: 'text',
    data: 'text',
    fetched_at: 'text',
  },
  desk_store_states: {
    release_id: 'text',
    store_id: 'text',
    name: 'text',
    region: 'text',
    ring: 'text',
    terminals: 'integer',
    installed: 'integer',
    drifting: 'integer',
    latest_decision: 'text?',
    open_deployments: 'integer',
    consoles: 'text',
    fetched_at: 'text',
    superseded: 'integer',
  },
  device: {
    singleton: 'integer',
    device_id: 'text',
    created_at: 'text',
  },
  evidence_files: {
    sha256: 'text',
    mime_type: 'text',
    byte_length: 'integer',
    file_name: 'text',
    run_id: 'text?',
    event_id: 'text',
    attached_by: 'text',
    attached_at: 'text',
  },
  evidence_uploads: {
    sha256: 'text',
    uploaded_at: 'text',
  },
  feature_flags: {
    release_id: 'text',
    key: 'text',
    data: 'text',
  },
  feature_request_votes: {
    request_id: 'text',
    store_id: 'text',
    voted_by: 'text',
    voted_at: 'text',
    event_id: 'text',
  },
  feature_requests: {
    id: 'text',
    store_id: 'text',
    title: 'text',
    description: 'text',
    category: 'text',
    status: 'text',
    planned_for: 'text?',
    merged_into: 'text?',
    filed_by: 'text',
    filed_role: 'text',
    filed_at: 'text',
    updated_at: 'text',
    event_id: 'text',
  },
  feed_state: {
    singleton: 'integer',
    after_index: 'integer?',
    last_refusal: 'text?',
    last_refusal_code: 'text?',
    last_refused_at: 'text?',
  },
  feedback_comments: {
    event_id: 'text',
    target_id: 'text',
    store_id: 'text',
    author: 'text',
    author_role: 'text',
    visibility: 'text',
    text: 'text',
    at: 'text',
  },
  foreign_events: {
    log_index: 'integer',
    event_id: 'text?',
    device_id: 'text',
    seq: 'integer',
    store_id: 'text',
    type: 'text?',
    at: 'text?',
    actor_user_id: 'text?',
    actor_role: 'text?',
    body: 'text?',
    hash: 'text',
    outcome: 'text',
    reason: 'text?',
    superseded_by: 'text?',
    received_at: 'text',
  },
  health_cache: {
    kind: 'text',
    key: 'text',
    data: 'text',
    fetched_at: 'text',
  },
  journal: {
    seq: 'integer',
    id: 'text',
    at: 'text',
    type: 'text',
    store_id: 'text',
    actor_user_id: 'text',
    body: 'text',
    hash: 'text',
  },
  journal_log_ranges: {
    first_seq: 'integer',
    last_seq: 'integer',
    first_index: 'integer',
  },
  notice_reads: {
    notice_id: 'text',
    user_id: 'text',
    read_at: 'text',
  },
  notice_state: {
    singleton: 'integer',
    next: 'integer',
    fetched_at: 'text?',
    error: 'text?',
  },
  notices: {
    id: 'text',
    kind: 'text',
    at: 'text',
    store_id: 'text?',
    release_id: 'text?',
    subject_id: 'text?',
    text: 'text?',
    minutes: 'integer?',
    received_at: 'text',
  },
  quarantine_marks: {
    seq: 'integer',
    reason: 'text',
    noted_at: 'text',
  },
  release_checklist_requirements: {
    release_id: 'text',
    template_id: 'text',
    terminal_count: 'integer',
  },
  release_risks: {
    id: 'text',
    release_id: 'text',
    data: 'text',
  },
  release_store_notes: {
    release_id: 'text',
    markdown: 'text',
  },
  release_test_results: {
    release_id: 'text',
    data: 'text',
  },
  releases: {
    id: 'text',
    version: 'text',
    /** Position in SemVer order (0 = oldest), computed when the catalog is loaded. */
    version_rank: 'integer',
    type: 'text',
    ring: 'text',
    status: 'text',
    planned_at: 'text?',
    actual_at: 'text?',
    title: 'text',
    notes_markdown: 'text',
  },
  ring_targets: {
    ring: 'text',
    release_id: 'text',
  },
  sign_in_failures: {
    user_id: 'text',
    failed_count: 'integer',
    locked_until: 'text?',
    last_failed_at: 'text',
  },
  store_release_counts: {
    store_id: 'text',
    release_key: 'text',
    region: 'text',
    ring: 'text',
    terminals: 'integer',
    drifting: 'integer',
  },
  store_devices: {
    device_id: 'text',
    name: 'text?',
  },
  store_notes_reads: {
    release_id: 'text',
    user_id: 'text',
    read_at: 'text',
  },
  store_windows: {
    store_id: 'text',
    data: 'text',
  },
  stores: {
    id: 'text',
    name: 'text',
    region: 'text',
    ring: 'text',
    timezone: 'text',
  },
  superseded_events: {
    event_id: 'text',
    superseded_by: 'text',
    reason: 'text',
  },
  /** Enrollment, outbox position, catalog cursor and the last verified tree head (0040-sync). */
  support_desk_views: {
    name: 'text',
    filters: 'text',
    saved_at: 'text',
  },
  sync_state: {
    singleton: 'integer',
    server_url: 'text',
    device_token: 'text',
    store_id: 'text',
    log_id: 'text',
    log_public_key: 'text',
    device_public_key: 'text',
    enrolled_at: 'text',
    acked_seq: 'integer',
    catalog_cursor: 'text?',
    tree_head: 'text?',
    tree_head_signature: 'text?',
    tree_head_verified_at: 'text?',
    last_success_at: 'text?',
    last_error: 'text?',
    alarm: 'text?',
    last_inclusion: 'text?',
  },
  /** The fleet projection (0030-fleet): catalog baseline + journal. */
  terminal_current: {
    terminal_id: 'text',
    store_id: 'text',
    store_name: 'text',
    region: 'text',
    ring: 'text',
    terminal_name: 'text',
    model: 'text',
    serial: 'text',
    release_id: 'text?',
    version: 'text?',
    version_rank: 'integer?',
    since: 'text?',
    last_seen: 'text?',
    target_release_id: 'text?',
    is_drift: 'integer',
  },
  terminal_versions: {
    id: 'integer',
    terminal_id: 'text',
    version: 'text',
    release_id: 'text?',
    observed_at: 'text',
    event_id: 'text?',
    recorded_by: 'text?',
    source: 'text',
  },
  terminals: {
    id: 'text',
    store_id: 'text',
    name: 'text',
    model: 'text',
    serial: 'text',
    installed_release_id: 'text?',
    installed_since: 'text?',
    last_seen: 'text?',
  },
  /** `store_ids` is a JSON array; empty means every store. */
  users: {
    id: 'text',
    name: 'text',
    role: 'text',
    pin_hash: 'text',
    store_ids: 'text',
  },
} as const satisfies Record<string, Record<string, ColumnDescription>>;

type ColumnValue<C extends ColumnDescription> = C extends 'text'
  ? string
  : C extends 'text?'
    ? string | null
    : C extends 'integer' | 'real'
      ? number
      : C extends 'integer?' | 'real?'
        ? number | null
        : C extends 'blob'
          ? Uint8Array
          : Uint8Array | null;

type Tables = typeof CONSOLE_TABLES;

/** The row type of a console table. */
export type Row<T extends keyof Tables> = {
  -readonly [C in keyof Tables[T]]: Tables[T][C] extends ColumnDescription
    ? ColumnValue<Tables[T][C]>
    : never;
};

export type Schema = { [T in keyof Tables]: Row<T> };

export type SyncStateTable = Row<'sync_state'>;
