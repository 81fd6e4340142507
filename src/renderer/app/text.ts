export const SHELL_TEXT = {
  online: 'Online',
  offline: 'Offline',
  notEnrolled: 'Not connected to a central server',
  backendDown: 'Console back end not reachable',
  pending: (n: string) => `${n} not synced`,
  pendingHint: 'Journal events recorded here that the central server has not acknowledged yet.',
  lastSync: (ago: string) => `last sync ${ago}`,
  signOut: 'Sign out',
  notFound: 'This page does not exist.',
  backToFleet: 'Go to the fleet',
  fatalTitle: 'The console could not start',
} as const;
