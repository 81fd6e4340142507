/** English: runbook and checklist template revisions (history, diff, approvals, the start check). */
export const revisions = {
  title: 'Revisions',
  subtitle:
    'Every published version of each runbook and checklist template, with its approvals. A run starts only on an approved version.',
  subtitleDesk:
    'Every published version on the central server. Members of the release committee approve a version by signing its content hash.',
  kind: { runbook: 'Runbook', checklistTemplate: 'Checklist template' },
  kindLower: { runbook: 'runbook', checklistTemplate: 'checklist template' },
  runbookTitle: 'Runbook of {{version}}',
  empty: 'No runbook or checklist template is in the catalog yet. Sync to get the catalog.',
  emptyDesk: 'No runbook or checklist template has been published to the central server yet.',
  noHistory:
    'No revision is recorded for this document: it was published before revisions were kept.',
  runbookHistory: 'Runbook versions and approvals',
  open: 'History',
  openHint: 'Versions, approvals and changes of {{title}}',
  back: 'All revisions',
  columns: {
    document: 'Document',
    kind: 'Kind',
    version: 'Version',
    status: 'Status',
  },
  status: {
    approved: 'Approved',
    waiting: 'Waiting for approval',
    unknown_content: 'Not a published version',
    unrecorded: 'No revision record',
    unrecorded_required: 'No approved version',
  },
  statusHint: {
    unrecorded: 'Published before revisions were kept: runs may start.',
  },
  latest: 'v{{latest}}',
  approvedVersion: 'v{{number}} approved',
  waitingCount_one: '{{count}} version waiting',
  waitingCount_other: '{{count}} versions waiting',
  versions: 'Versions',
  versionLabel: 'v{{number}}',
  published: 'Published {{date}} by {{author}}',
  hash: 'Content hash {{hash}}',
  approvals: 'Approvals {{have}}/{{need}}',
  approvedBy: 'Approved by {{names}}',
  noApprovals: 'No approval yet',
  noneRequired: 'No approval required',
  held: 'This console holds this version',
  diffTitle: 'Changes in v{{number}}',
  diffAgainst: 'Compared with v{{previous}}',
  diffFirst: 'The first version: every line is new.',
  diffLegend: '+ added line, − removed line',
  added: 'added',
  removed: 'removed',
  unchanged_one: '⋯ {{count}} unchanged line',
  unchanged_other: '⋯ {{count}} unchanged lines',
  noChanges: 'No line changed.',
  approve: 'Approve v{{number}}',
  approveHint:
    'You sign content hash {{hash}}: the version you see here. Once enough members approve, consoles may run it.',
  approved: 'You approved v{{number}}.',
  cannotApprove: {
    notCommittee: 'Only members of the release committee approve revisions; you are not on it.',
    author: 'You published this version: another committee member must approve it.',
    already: 'You already approved this version.',
  },
  gate: {
    waiting_one:
      '{{what}} v{{number}} is waiting for {{count}} more approval ({{have}} of {{need}}).',
    waiting_other:
      '{{what}} v{{number}} is waiting for {{count}} more approvals ({{have}} of {{need}}).',
    unknown_content:
      '{{what}} is not a published version (content hash {{hash}}): sync again, or ask the release desk.',
    unrecorded_required_one:
      '{{what}} has no approved version, and the central server requires {{count}} approval: sync again, or ask the release desk.',
    unrecorded_required_other:
      '{{what}} has no approved version, and the central server requires {{count}} approvals: sync again, or ask the release desk.',
    startRefused: 'Nothing can start on it until then.',
  },
  notDesk: 'Connect this console as a desk to approve revisions.',
};
