/**
 * Auto-update wiring. A failed update must never break the running app: every
 * call is wrapped, errors are logged and dropped, and nothing runs unless the
 * app is packaged (a development build has no app-update.yml).
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
  /**
   * Overrides the generic-provider URL that electron-builder writes into the
   * packaged app (app-update.yml), e.g. from DEARPOS_UPDATE_URL.
   */
  feedUrl: string | undefined;
  log: Logger;
}): { stop: () => void } {
  const { updater, log } = options;
  const stopped = { stop: () => undefined };
  if (!options.isPackaged) return stopped;
  let feed: URL | null = null;
  if (options.feedUrl) {
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
  }
  try {
    updater.autoDownload = true;
    updater.autoInstallOnAppQuit = true;
    updater.on('error', (error) =>
      log.warn({ err: error }, 'update failed; the console keeps running'),
    );
    if (feed) updater.setFeedURL({ provider: 'generic', url: feed.toString() });
  } catch (error) {
    log.warn({ err: error }, 'updater could not start; the console keeps running');
    return stopped;
  }
  const check = (): void => {
    try {
      updater
        .checkForUpdatesAndNotify()
        .catch((error: unknown) => log.warn({ err: error }, 'update check failed'));
    } catch (error) {
      log.warn({ err: error }, 'update check failed');
    }
  };
  check();
  const timer = setInterval(check, UPDATE_CHECK_INTERVAL_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
