/**
 * Stable data-testid values for end-to-end tests. e2e imports these instead
 * of repeating strings, so a rename breaks the build, not a test run.
 *
 *   demo-load               First run: "Try the demo fleet" button
 *   signin-user             Sign-in: user select
 *   signin-pin              Sign-in: PIN input
 *   signin-submit           Sign-in: sign-in button
 *   signin-error            Sign-in: wrong PIN / lockout message
 *   nav-fleet, nav-releases Navigation links
 *   status-bar              Status bar; status-user, status-online, status-pending, status-signout inside it
 *   fleet-kpi-terminals, fleet-kpi-drift, fleet-kpi-stores   KPI header values
 *   filter-region, filter-ring, filter-model, filter-release, filter-search, filter-drift, filter-clear
 *   matrix                  Release matrix table
 *   matrix-cell-<storeId>-<releaseId|unknown>   One matrix cell (a button)
 *   terminal-table          Scroll container of the virtualized terminal table
 *   terminal-row            One mounted terminal row (data-terminal-id holds its id)
 *   terminal-count          "N terminals" above the table
 *   terminal-detail         Terminal detail drawer
 *   record-version-input, record-version-submit, record-version-error
 *   history-entry           One entry of a terminal's version history
 *   release-row             One release in the releases list (data-release-id)
 *   release-detail          Release detail panel; release-notes inside it
 *   store-notes-select, store-notes   Store view: accumulated notes to the target
 *   error-retry             Retry button of any error state
 */
export const TEST_IDS = {
  demoLoad: 'demo-load',
  signInUser: 'signin-user',
  signInPin: 'signin-pin',
  signInSubmit: 'signin-submit',
  signInError: 'signin-error',
  navFleet: 'nav-fleet',
  navReleases: 'nav-releases',
  statusBar: 'status-bar',
  statusUser: 'status-user',
  statusOnline: 'status-online',
  statusPending: 'status-pending',
  statusSignOut: 'status-signout',
  /** The console's own update: progress, Restart now, the reason it waits or was refused. */
  statusUpdate: 'status-update',
  statusUpdateRestart: 'status-update-restart',
  statusUpdateReason: 'status-update-reason',
  kpiTerminals: 'fleet-kpi-terminals',
  kpiDrift: 'fleet-kpi-drift',
  kpiStores: 'fleet-kpi-stores',
  filterRegion: 'filter-region',
  filterRing: 'filter-ring',
  filterModel: 'filter-model',
  filterRelease: 'filter-release',
  filterSearch: 'filter-search',
  filterDrift: 'filter-drift',
  filterClear: 'filter-clear',
  matrix: 'matrix',
  terminalTable: 'terminal-table',
  terminalRow: 'terminal-row',
  terminalCount: 'terminal-count',
  terminalDetail: 'terminal-detail',
  recordVersionInput: 'record-version-input',
  recordVersionSubmit: 'record-version-submit',
  recordVersionError: 'record-version-error',
  historyEntry: 'history-entry',
  releaseRow: 'release-row',
  releaseDetail: 'release-detail',
  releaseNotes: 'release-notes',
  storeNotesSelect: 'store-notes-select',
  storeNotes: 'store-notes',
  errorRetry: 'error-retry',
} as const;

/** `matrix-cell-<storeId>-<releaseId>`; the "unknown version" column uses `unknown`. */
export function matrixCellTestId(storeId: string, releaseId: string | null): string {
  return `matrix-cell-${storeId}-${releaseId ?? 'unknown'}`;
}
