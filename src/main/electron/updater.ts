/**
 * Auto-update wiring. A failed update must never break the running app: every
 * call is wrapped, errors are logged and dropped, and nothing runs unless the
 * app is packaged and an update feed is configured.
 */
import type { Logger } from '../log.ts';

/** The slice of electron-updater's `autoUpdater` used here. */
export type UpdaterLike = {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  setFeedURL(options: { provider: 'generic'; url: string }): void;
  checkForUpdatesAndNotify(): Promise<unknown>;
  on(event: 'error', listener: (error: unknown) => void): unknown;
};

export const UPDATE_CHECK_INTERVAL_MS = 6 * 60 * 60 * 1000;

export function startUpdater(options: {
  updater: UpdaterLike;
  isPackaged: boolean;
  /** Generic provider URL, e.g. from DEARPOS_UPDATE_URL; none means no update checks. */
  feedUrl: string | undefined;
  log: Logger;
}): { stop: () => void } {
  const { updater, log } = options;
  const stopped = { stop: () => undefined };
  if (!options.isPackaged || !options.feedUrl) return stopped;
  let feed: URL;
  try {
    feed = new URL(options.feedUrl);
  } catch {
    log.warn('update feed URL is not a URL; updates are off');
    return stopped;
  }
  if (feed.protocol !== 'https:') {
    log.warn({ protocol: feed.protocol }, 'update feed must be https; updates are off');
    return stopped;
  }
  try {
    updater.autoDownload = true;
    updater.autoInstallOnAppQuit = true;
    updater.on('error', (error) => log.warn({ err: error }, 'update failed; the console keeps running'));
    updater.setFeedURL({ provider: 'generic', url: feed.toString() });
  } catch (error) {
    log.warn({ err: error }, 'updater could not start; the console keeps running');
    return stopped;
  }
  const check = (): void => {
    try {
      updater.checkForUpdatesAndNotify().catch((error: unknown) => log.warn({ err: error }, 'update check failed'));
    } catch (error) {
      log.warn({ err: error }, 'update check failed');
    }
  };
  check();
  const timer = setInterval(check, UPDATE_CHECK_INTERVAL_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
