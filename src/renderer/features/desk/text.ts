/** Words of the desk's Stores screen (English; the console's other screens keep theirs beside them). */
export const DESK_TEXT = {
  title: 'Stores',
  subtitle: (scope: string, role: string) =>
    `Desk for ${scope === 'all' ? 'all stores' : scope.replace('region:', 'region ')} · ${role}`,
  connectTitle: 'Connect this console as a desk',
  connectHint:
    'A desk reads every store of its region (or of all regions) from the central server. Ask an administrator for a desk enrollment code: npm run server -- admin desk-enrollment-code --desk --scope region:<name> --role support.',
  serverUrl: 'Central server address',
  code: 'Desk enrollment code',
  connect: 'Connect desk',
  release: 'Release',
  region: 'Region',
  allRegions: 'All regions in scope',
  search: 'Search store',
  driftOnly: 'Drifting only',
  refresh: 'Refresh from server',
  never: 'Not fetched yet: refresh to load the stores in scope.',
  age: (ago: string) => `Fetched ${ago}`,
  offline: (error: string) => `Showing the copy kept on this console: ${error}`,
  count: (n: string) => `${n} stores`,
  columns: [
    'Store',
    'Region',
    'Ring',
    'Installed',
    'Drifting',
    'Latest decision',
    'Deployments',
    'Consoles (last sync)',
  ],
  noDecision: 'none yet',
  noConsole: 'no console synced',
  empty: 'No store matches these filters.',
  terminals: 'Terminals',
  records: 'Latest records',
  noRecords: 'Nothing recorded for this release yet.',
  cachedDetail: (ago: string) => `Offline: showing the copy fetched ${ago}`,
} as const;

/** "3 min ago", "2 h ago", "5 days ago" from two ISO times. */
export function ageOf(iso: string, now: number = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}
