/** Strings shared by several screens. Feature strings live in each feature's text.ts. */
export const COMMON_TEXT = {
  appName: 'DearPOS Release Console',
  drift: 'Drift',
  onTarget: 'On target',
  unknownVersion: 'Unknown',
  retry: 'Retry',
  loadFailed: 'Could not load this',
  never: 'never',
  dash: '—',
} as const;
