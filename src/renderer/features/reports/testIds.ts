/** Stable data-testid values of the printable reports. */
export const REPORT_TEST_IDS = {
  sheet: 'report-sheet',
  print: 'report-print',
  evidence: 'report-evidence',
  journal: 'report-journal',
  failedItems: 'report-failed-items',
  signature: 'report-signature',
  decision: 'report-decision',
  testResults: 'report-test-results',
} as const;
