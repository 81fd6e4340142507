/** Stable data-testid values of the sync panel, for end-to-end tests (e2e/sync.spec.ts). */
export const SYNC_TEST_IDS = {
  nav: 'nav-sync',
  panel: 'sync-panel',
  syncNow: 'sync-now',
  alarm: 'sync-alarm',
  demo: 'sync-demo',
  serverUrl: 'sync-server-url',
  pending: 'sync-pending',
  lastSuccess: 'sync-last-success',
  /** The status bar's last-sync line (app/StatusBar.tsx), worded by LastSync.tsx as on the Sync screen. */
  statusLastSync: 'status-last-sync',
  lastError: 'sync-last-error',
  treeHead: 'sync-tree-head',
  treeHeadSize: 'sync-tree-head-size',
  treeHeadRoot: 'sync-tree-head-root',
  connectUrl: 'sync-connect-url',
  connectCode: 'sync-connect-code',
  connectName: 'sync-connect-name',
  connectSubmit: 'sync-connect-submit',
  connectError: 'sync-connect-error',
  /** The events the central server quarantined (QuarantinedEvents.tsx), and each row (data-seq, data-reason). */
  quarantined: 'sync-quarantined',
  quarantinedRow: 'sync-quarantined-row',
  /** The attachment being sent (AttachmentUploads.tsx), with data-sent and data-total in bytes. */
  upload: 'sync-upload',
  /** The attachments the central server refused for good, and each row (data-code). */
  refusedAttachments: 'sync-refused-attachments',
  refusedAttachmentRow: 'sync-refused-attachment-row',
} as const;
