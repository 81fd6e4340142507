/** Stable data-testid values of the compliance report. */
export const COMPLIANCE_TEST_IDS = {
  screen: 'compliance-screen',
  gate: 'compliance-gate',
  release: 'compliance-release',
  region: 'compliance-region',
  country: 'compliance-country',
  csv: 'compliance-csv',
  store: 'compliance-store',
  check: 'compliance-check',
  treeHead: 'compliance-tree-head',
} as const;
