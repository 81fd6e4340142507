/** English: COMMON_TEXT of src/renderer/components/text.ts. */
export const common = {
  appName: 'DearPOS Release Console',
  drift: 'Drift',
  onTarget: 'On target',
  unknownVersion: 'Unknown',
  retry: 'Retry',
  loadFailed: 'Could not load this',
  never: 'never',
  dash: '—',
  loading: 'Loading',
};
