export const AUDIT_TEST_IDS = {
  nav: 'nav-audit',
  screen: 'audit-screen',
  verify: 'audit-verify',
  verdict: 'audit-verdict',
  treeHead: 'audit-tree-head',
  inclusion: 'audit-inclusion',
  typeFilter: 'audit-type-filter',
  row: 'audit-journal-row',
  bundle: 'audit-bundle',
} as const;
