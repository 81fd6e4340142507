/** English: SYNC_TEXT of src/renderer/features/sync/text.ts. */
export const sync = {
  title: 'Sync',
  subtitle:
    'Sending this console’s audit events to the central audit log, and receiving the catalog',
  connectTitle: 'Connect to the central server',
  connectHint:
    'Ask your release manager for the server address and a one-time enrollment code for this store. The console creates its own key and registers it; its private key never leaves this computer.',
  reconnectTitle: 'Connect again',
  reconnectHint:
    'Use a new enrollment code to connect this console again (for example after the device was revoked).',
  serverUrl: 'Server address',
  serverUrlPlaceholder: 'https://audit.example.com',
  enrollmentCode: 'Enrollment code',
  deviceName: 'Name of this console',
  deviceNamePlaceholder: 'e.g. Back office PC',
  deviceNameHint:
    'Administrators see the console under this name. Left empty, it is named after its store and a number, e.g. “st-par-01 console 2”.',
  connect: 'Connect',
  connected: 'Connected',
  pending: 'Events not yet sent',
  lastSuccess: 'Last successful sync',
  lastError: 'Last problem',
  noError: 'None',
  server: 'Server',
  treeHead: 'Verified central tree head',
  treeHeadNone: 'Not verified yet: it is checked at the next sync.',
  treeHeadSize: '{{n}} events in the central log',
  treeHeadRoot: 'Root',
  treeHeadAt: 'Signed',
  treeHeadVerifiedAt: 'Verified',
  syncNow: 'Sync now',
  syncing: 'Syncing…',
  online: 'Reaching the server',
  offline: 'Server not reachable',
  alarmTitle: 'Central history was rewritten',
  notEnrolled:
    'This console is not connected to a central server yet. Everything you record is kept here and sent once it is.',
  demoTitle: 'Demo fleet: nothing is sent',
  demoBody:
    'This console runs the demo fleet. What you record on it is kept on this computer only and is never sent to a central server, because it belongs to no real store.',
  demoSubtitle: 'The demo fleet stays on this computer: nothing is sent, nothing is received.',
  demoKept_one: '{{n}} audit event recorded here, kept on this computer.',
  demoKept_other: '{{n}} audit events recorded here, kept on this computer.',
  demoConnect:
    'To connect to your central server, start the console on a new, empty data folder; in browser mode, for example:',
  demoBadge: 'Demo fleet',
  demoBadgeHint: 'Demo fleet: what you record stays on this computer and is never sent.',
  demoPending: '{{n}} kept here (demo, never sent)',
  onlyManagers: 'Only a store manager or a field technician can connect this console.',
};
