/**
 * Kysely table types. Each feature adds its tables here next to its
 * migration; column names are snake_case as in SQL.
 */
export type DeviceTable = { singleton: number; device_id: string; created_at: string };

export type JournalTable = {
  seq: number;
  id: string;
  at: string;
  type: string;
  store_id: string;
  actor_user_id: string;
  body: string;
  hash: string;
};

/** Enrollment, outbox position, catalog cursor and the last verified tree head (0040-sync). */
export type SyncStateTable = {
  singleton: number;
  server_url: string;
  device_token: string;
  store_id: string;
  log_id: string;
  log_public_key: string;
  device_public_key: string;
  enrolled_at: string;
  acked_seq: number;
  catalog_cursor: string | null;
  tree_head: string | null;
  tree_head_signature: string | null;
  tree_head_verified_at: string | null;
  last_success_at: string | null;
  last_error: string | null;
  alarm: string | null;
};

/** The pulled catalog (0020-catalog). */
export type CatalogMetaTable = { key: string; value: string };
export type StoresTable = {
  id: string;
  name: string;
  region: string;
  ring: string;
  timezone: string;
};
export type ReleasesTable = {
  id: string;
  version: string;
  /** Position in SemVer order (0 = oldest), computed when the catalog is loaded. */
  version_rank: number;
  type: string;
  ring: string;
  status: string;
  planned_at: string | null;
  actual_at: string | null;
  title: string;
  notes_markdown: string;
};
export type RingTargetsTable = { ring: string; release_id: string };
export type TerminalsTable = {
  id: string;
  store_id: string;
  name: string;
  model: string;
  serial: string;
  installed_release_id: string | null;
  installed_since: string | null;
  last_seen: string | null;
};
/** `store_ids` is a JSON array; empty means every store. */
export type UsersTable = {
  id: string;
  name: string;
  role: string;
  pin_hash: string;
  store_ids: string;
};
export type SignInFailuresTable = {
  user_id: string;
  failed_count: number;
  locked_until: string | null;
  last_failed_at: string;
};

/** The fleet projection (0030-fleet): catalog baseline + journal. */
export type TerminalCurrentTable = {
  terminal_id: string;
  store_id: string;
  store_name: string;
  region: string;
  ring: string;
  terminal_name: string;
  model: string;
  serial: string;
  release_id: string | null;
  version: string | null;
  version_rank: number | null;
  since: string | null;
  last_seen: string | null;
  target_release_id: string | null;
  is_drift: number;
};
export type TerminalVersionsTable = {
  id: number;
  terminal_id: string;
  version: string;
  release_id: string | null;
  observed_at: string;
  event_id: string | null;
  recorded_by: string | null;
  source: string;
};

export type Schema = {
  device: DeviceTable;
  journal: JournalTable;
  catalog_meta: CatalogMetaTable;
  stores: StoresTable;
  releases: ReleasesTable;
  ring_targets: RingTargetsTable;
  terminals: TerminalsTable;
  users: UsersTable;
  sign_in_failures: SignInFailuresTable;
  terminal_current: TerminalCurrentTable;
  terminal_versions: TerminalVersionsTable;
  sync_state: SyncStateTable;
};
