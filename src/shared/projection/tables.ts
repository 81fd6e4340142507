/**
 * The state tables the shared reducers write, named and shaped as on the
 * console (src/main/db/migrations); the server keeps the same columns in its
 * `rm_*` read models (src/server/readModels). A reducer's output is a list
 * of keyed row changes on these tables, nothing else, so the console applies
 * them with prepared statements as they come and the server folds a whole
 * push into final rows and writes each table in one statement.
 */

export type Cell = string | number | null;
export type Row = Record<string, Cell>;

export type ProjectionTableSpec = {
  /** Primary key columns (the canonical key; the console's terminal_versions keys history by event id). */
  key: readonly string[];
  /** Every column the reducers write, in canonical-dump order. */
  columns: readonly string[];
};

export const PROJECTION_TABLES = {
  terminal_current: {
    key: ['terminal_id'],
    columns: ['terminal_id', 'store_id', 'release_id', 'version', 'since', 'last_seen'],
  },
  terminal_versions: {
    key: ['event_id'],
    columns: [
      'event_id',
      'terminal_id',
      'version',
      'release_id',
      'observed_at',
      'recorded_by',
      'source',
    ],
  },
  checklist_runs: {
    key: ['id'],
    columns: [
      'id',
      'template_id',
      'template_version',
      'template_data',
      'release_id',
      'store_id',
      'terminal_ids',
      'is_paused',
      'started_by',
      'started_role',
      'started_at',
      'updated_at',
      'event_id',
    ],
  },
  checklist_results: {
    key: ['event_id'],
    columns: [
      'event_id',
      'event_hash',
      'run_id',
      'terminal_id',
      'item_id',
      'answer',
      'outcome',
      'note',
      'evidence',
      'recorded_by',
      'recorded_role',
      'recorded_at',
      'is_current',
    ],
  },
  checklist_waivers: {
    key: ['run_id', 'terminal_id', 'item_id'],
    columns: [
      'run_id',
      'terminal_id',
      'item_id',
      'event_id',
      'event_hash',
      'reason',
      'waived_by',
      'waived_role',
      'waived_at',
    ],
  },
  evidence_files: {
    key: ['sha256'],
    columns: [
      'sha256',
      'mime_type',
      'byte_length',
      'file_name',
      'run_id',
      'event_id',
      'attached_by',
      'attached_at',
    ],
  },
  bug_reports: {
    key: ['id'],
    columns: [
      'id',
      'status',
      'severity',
      'title',
      'description',
      'release_id',
      'store_id',
      'terminal_id',
      'run_id',
      'item_id',
      'answer_text',
      'evidence',
      'reported_by',
      'reported_role',
      'reported_at',
      'event_id',
      // The support desk's triage (src/shared/feedback/triage.ts) and the report form's fields.
      'severity_set',
      'report_kind',
      'assignee',
      'due_date',
      'fixed_in',
      'duplicate_of',
      'expected',
      'screen',
      'context',
      'attachments',
      'updated_at',
    ],
  },
  feature_requests: {
    key: ['id'],
    columns: [
      'id',
      'store_id',
      'title',
      'description',
      'category',
      'status',
      'planned_for',
      'merged_into',
      'filed_by',
      'filed_role',
      'filed_at',
      'updated_at',
      'event_id',
    ],
  },
  /** One vote per store and request: the first one counts. */
  feature_request_votes: {
    key: ['request_id', 'store_id'],
    columns: ['request_id', 'store_id', 'voted_by', 'voted_at', 'event_id'],
  },
  /** The desk's comments (store-visible or internal) and the store's replies, on a report or a request. */
  feedback_comments: {
    key: ['event_id'],
    columns: [
      'event_id',
      'target_id',
      'store_id',
      'author',
      'author_role',
      'visibility',
      'text',
      'at',
    ],
  },
  decisions: {
    key: ['id'],
    columns: [
      'id',
      'event_id',
      'event_hash',
      'release_id',
      'store_id',
      'decision',
      'reason',
      'conditions',
      'verdict',
      'criteria',
      'signature_sha256',
      'basis',
      'digest',
      'signed_by',
      'signed_role',
      'signed_at',
    ],
  },
  deployments: {
    key: ['id'],
    columns: [
      'id',
      'store_id',
      'release_id',
      'status',
      'planned_at',
      'updated_at',
      'last_seq',
      'state',
    ],
  },
  change_requests: {
    key: ['id'],
    columns: ['id', 'store_id', 'release_id', 'kind', 'status', 'requested_at', 'data'],
  },
  deployment_actors: {
    key: ['deployment_id', 'user_id'],
    columns: ['deployment_id', 'user_id'],
  },
} as const satisfies Record<string, ProjectionTableSpec>;

export type ProjectionTable = keyof typeof PROJECTION_TABLES;
export const PROJECTION_TABLE_NAMES = Object.keys(PROJECTION_TABLES) as ProjectionTable[];

/**
 * One change to one row, always by primary key:
 * - `put`: the whole row, inserted or replacing the stored one;
 * - `putIfAbsent`: inserted only when no row has this key (first one wins);
 * - `append`: a history row written once per event (console: plain insert);
 * - `patch`: some columns of an existing row (nothing when it is absent);
 * - `remove`: the row with this key, if any.
 */
export type RowChange =
  | { op: 'put' | 'putIfAbsent' | 'append'; table: ProjectionTable; row: Row }
  | { op: 'patch'; table: ProjectionTable; key: Row; set: Row }
  | { op: 'remove'; table: ProjectionTable; key: Row };

/** The key of a row as one string, for maps (the unit separator never occurs in ids). */
export function keyText(table: ProjectionTable, row: Row): string {
  const cols = PROJECTION_TABLES[table].key;
  if (cols.length === 1) return String(row[cols[0]]);
  return cols.map((c) => String(row[c])).join('\u001f');
}
