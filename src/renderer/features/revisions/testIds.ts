export const REVISION_TEST_IDS = {
  nav: 'nav-revisions',
  screen: 'revisions-screen',
  row: 'revisions-row',
  status: 'revisions-status',
  history: 'revision-history',
  version: 'revision-version',
  diff: 'revision-diff',
  diffLine: 'revision-diff-line',
  approve: 'revision-approve',
  gateNote: 'revision-gate-note',
  historyLink: 'revision-history-link',
} as const;
