export const RELEASE_DESK_TEST_IDS = {
  nav: 'nav-release-desk',
  screen: 'release-progression-screen',
  summary: 'release-progression-summary',
  table: 'release-progression-table',
  row: 'release-progression-row',
  state: 'release-progression-state',
  total: 'release-progression-total',
  actions: 'release-actions',
  gate: 'release-gate',
  gateReasons: 'release-gate-reasons',
  lifecycle: 'release-lifecycle',
} as const;
