export const DESK_TEST_IDS = {
  nav: 'nav-desk',
  screen: 'desk-stores-screen',
  connectForm: 'desk-connect-form',
  table: 'desk-stores-table',
  row: 'desk-store-row',
  age: 'desk-age',
  refresh: 'desk-refresh',
  detail: 'desk-store-detail',
  flags: 'desk-store-flags',
  testResults: 'desk-test-results',
  flagRow: 'desk-store-flag-row',
} as const;
