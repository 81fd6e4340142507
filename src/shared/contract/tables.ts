/**
 * Which screens read which console table, declared once. The back end reports
 * the tables each transaction wrote (`db:changed`); the renderer invalidates
 * the query domains listed here for them. Every table of the console's
 * database must be listed (src/main/db/tables.test.ts fails otherwise), so a
 * new table cannot silently leave a screen stale.
 *
 * Query keys start with their domain: `['deployments', 'get', id]`.
 */
export const QUERY_DOMAINS = [
  'session',
  'fleet',
  'releases',
  'sync',
  'checklists',
  'decisions',
  'feedback',
  'deployments',
  'changeRequests',
  'desk',
  'health',
  'notices',
  'revisions',
] as const;
export type QueryDomain = (typeof QUERY_DOMAINS)[number];

// Reused reader sets: the go / no-go verdict reads checklist runs, results,
// waivers, evidence and bug reports alike; deployments show terminals,
// versions, flags, windows and the change requests that unlock their steps.
const VERDICT: readonly QueryDomain[] = ['checklists', 'decisions', 'feedback'];
const FLEET_VIEW: readonly QueryDomain[] = [
  'fleet',
  'releases',
  'checklists',
  'deployments',
  'changeRequests',
  'desk',
];

export const CONSOLE_TABLE_READERS = {
  // Journal and sync
  journal: ['sync'],
  device: ['sync'],
  sync_state: ['sync', 'session'],
  quarantine_marks: ['sync'],
  // Catalog
  catalog_meta: ['session', 'sync', 'revisions', ...FLEET_VIEW],
  stores: FLEET_VIEW,
  releases: [...FLEET_VIEW, 'decisions'],
  ring_targets: FLEET_VIEW,
  terminals: [...FLEET_VIEW, ...VERDICT],
  users: ['session', 'fleet', 'changeRequests', 'deployments', 'decisions'],
  sign_in_failures: ['session'],
  // Fleet state
  terminal_current: FLEET_VIEW,
  terminal_versions: ['fleet', 'deployments'],
  store_release_counts: ['fleet', 'releases', 'desk'],
  // Checklists, decisions, feedback
  checklist_templates: [...VERDICT, 'deployments'],
  release_checklist_requirements: [...VERDICT, 'releases'],
  checklist_runs: [...VERDICT, 'deployments'],
  checklist_results: [...VERDICT, 'deployments'],
  checklist_waivers: VERDICT,
  evidence_files: VERDICT,
  evidence_uploads: [...VERDICT, 'sync'],
  evidence_upload_refusals: [...VERDICT, 'sync'],
  bug_reports: VERDICT,
  // Support desk, store side: feature requests (and their FTS5 index), votes, comments
  feature_requests: ['feedback'],
  feature_request_votes: ['feedback'],
  feedback_comments: ['feedback'],
  // Every store's open feature requests as last fetched (and their FTS5 index), for suggestions offline
  chain_feature_requests: ['feedback'],
  decisions: [...VERDICT, 'deployments'],
  // Deployments and change requests
  deployment_runbooks: ['deployments'],
  feature_flags: ['deployments', 'fleet', 'changeRequests'],
  store_windows: ['deployments', 'changeRequests'],
  deployments: ['deployments', 'fleet', 'changeRequests'],
  deployment_actors: ['deployments'],
  change_requests: ['changeRequests', 'deployments'],
  // The scope feed: other consoles' events (provenance is shown on every screen), the feed
  // cursor and last refusal, where the log put this console's events, superseded records.
  foreign_events: ['sync', ...FLEET_VIEW, ...VERDICT],
  // The names of the store's consoles, shown on every provenance badge.
  store_devices: ['sync', ...FLEET_VIEW, ...VERDICT, 'deployments', 'changeRequests'],
  feed_state: ['sync'],
  journal_log_ranges: ['sync'],
  superseded_events: ['sync', 'deployments', 'changeRequests'],
  // Release desk extras from the catalog: test results per release, checklist assignments
  release_test_results: ['releases', 'decisions'],
  checklist_assignments: ['checklists'],
  // Compliance rules from the catalog: the go / no-go verdict of a store in their region
  compliance_rules: ['decisions'],
  // Release communication from the catalog: risk registers (go / no-go reviews them), notes
  // for store staff, and who read them on this console
  release_risks: ['releases', 'decisions'],
  release_store_notes: ['releases'],
  // Runbook and checklist template revisions from the catalog: their history, and whether a run may start
  document_revisions: ['revisions', 'checklists', 'deployments'],
  store_notes_reads: ['releases'],
  // Desks: the connection and the cached read models
  desk_connection: ['desk'],
  desk_store_states: ['desk'],
  desk_store_details: ['desk'],
  // The support desk's saved inbox views (per console)
  support_desk_views: ['desk'],
  // Release health: the desk's KPIs and health pages, a store console's verdicts (cached for offline)
  health_cache: ['health'],
  // Notices from the central server, and who read them
  notices: ['notices'],
  notice_reads: ['notices'],
  notice_state: ['notices'],
  // Which console versions opened this database (About, the downgrade check)
  console_versions: ['session'],
} as const satisfies Record<string, readonly QueryDomain[]>;
export type ConsoleTable = keyof typeof CONSOLE_TABLE_READERS;

function isConsoleTable(table: string): table is ConsoleTable {
  return Object.hasOwn(CONSOLE_TABLE_READERS, table);
}

/**
 * The query domains to refresh after a transaction wrote `tables`. Every
 * change also appends to the journal, so the pending count (sync) moves with
 * it. A name missing from the map (a table added without declaring its
 * readers, which the schema test forbids) refreshes every domain: a stale
 * screen is worse than one extra fetch.
 */
export function domainsForTables(tables: readonly string[]): QueryDomain[] {
  const domains = new Set<QueryDomain>();
  for (const table of tables) {
    if (!isConsoleTable(table)) return [...QUERY_DOMAINS];
    for (const domain of CONSOLE_TABLE_READERS[table]) domains.add(domain);
  }
  if (domains.size > 0) domains.add('sync');
  return QUERY_DOMAINS.filter((d) => domains.has(d));
}
