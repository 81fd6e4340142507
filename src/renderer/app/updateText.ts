/** The status bar's words for the console's own update. */
export const UPDATE_TEXT = {
  downloading: (version: string) => `Update ${version} downloading`,
  verifying: (version: string) => `Checking update ${version}…`,
  ready: (version: string) => `Update ${version} ready`,
  restartNow: 'Restart now',
  restartHint: 'Installs the update and restarts the console. Nothing is in progress or unsynced.',
  waits: (version: string) => `Update ${version} waits`,
  waitsHint: 'It installs when the console is next closed, once none of this applies:',
  refused: (version: string) => `Update ${version} refused`,
  failed: 'Update failed',
  restartFailed: 'The console could not restart for the update',
} as const;
