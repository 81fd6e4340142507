/** Strings of the bug report drafting. */
export const FEEDBACK_TEXT = {
  title: 'Report a bug',
  explain:
    'A draft bug report is filed with its context: release, store, terminal, checklist item, the answer and its evidence.',
  severity: 'Severity',
  severities: {
    blocker: 'Blocker — the release must not go live here',
    major: 'Major — serious, with a workaround',
    minor: 'Minor — cosmetic or rare',
  },
  titleLabel: 'Title',
  titleHint: 'Leave empty to use the item’s title.',
  description: 'What happened',
  descriptionPlaceholder: 'Steps, what you expected, what you saw (optional)',
  submit: 'File draft',
  cancel: 'Cancel',
  filed: 'Draft bug report filed',
  close: 'Done',
  context: 'Context filled in',
  release: 'Release',
  store: 'Store',
  terminal: 'Terminal',
  item: 'Item',
  answer: 'Answer',
  evidence: 'Evidence',
  evidenceCount: (count: number) =>
    count === 0 ? 'none' : `${count} ${count === 1 ? 'file' : 'files'}`,
  status: 'Status',
} as const;
