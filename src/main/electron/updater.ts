/**
 * Auto-update wiring. A failed update must never break the running app: every
 * call is wrapped, errors are logged and dropped. Which feed to follow (the
 * packaged one, a developer's override, or none) is decided by the pure
 * decideUpdateFeed (src/main/updates/feedPolicy.ts); this file only applies it.
 */
import type { AppUpdater } from 'electron-updater';
import type { Logger } from '../log.ts';
import type { UpdaterEvents, WiredUpdater } from '../updates/consoleUpdater.ts';
import { UPDATE_URL_ENV, type UpdateFeedDecision } from '../updates/feedPolicy.ts';

/** The slice of electron-updater's `autoUpdater` used here. */
export type UpdaterLike = {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  /** Lets an unpackaged (development) build check a feed at all. */
  forceDevUpdateConfig?: boolean;
  setFeedURL(options: { provider: 'generic'; url: string }): void;
  /** Not checkForUpdatesAndNotify: its OS notice promises an install at exit that may wait (not safe, not verified); the status bar says what happens. */
  checkForUpdates(): Promise<unknown>;
  on(event: 'error', listener: (error: unknown) => void): unknown;
};

const UPDATE_CHECK_INTERVAL_MS = 6 * 60 * 60 * 1000;

export function startUpdater(options: {
  /** Read only when updates are on: building electron-updater's updater has side effects. */
  updater: () => UpdaterLike;
  decision: UpdateFeedDecision;
  log: Logger;
}): { stop: () => void } {
  const { decision, log } = options;
  const stopped = { stop: () => undefined };
  if (decision.kind === 'off') {
    log.info({ reason: decision.reason }, 'update checks are off');
    return stopped;
  }
  if (decision.kind === 'packaged' && decision.ignoredOverride) {
    log.warn(`${UPDATE_URL_ENV} is ignored: a packaged console follows only its own update feed`);
  }
  let updater: UpdaterLike;
  try {
    updater = options.updater();
    updater.autoDownload = true;
    // Only a download whose signed manifest checked out, and only when it is safe, installs at quit
    // (src/main/updates/consoleUpdater.ts decides at before-quit).
    updater.autoInstallOnAppQuit = false;
    updater.on('error', (error) =>
      log.warn({ err: error }, 'update failed; the console keeps running'),
    );
    if (decision.kind === 'development-override') {
      log.warn({ url: decision.url }, 'development build: update feed overridden');
      updater.forceDevUpdateConfig = true;
      updater.setFeedURL({ provider: 'generic', url: decision.url });
    }
  } catch (error) {
    log.warn({ err: error }, 'updater could not start; the console keeps running');
    return stopped;
  }
  const check = (): void => {
    try {
      updater
        .checkForUpdates()
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

/**
 * electron-updater's autoUpdater as the console's wiring sees it
 * (src/main/updates/consoleUpdater.ts): the same fields, read and written
 * through, and its typed events.
 */
export function electronUpdater(u: AppUpdater): WiredUpdater {
  return {
    get channel() {
      return u.channel;
    },
    set channel(value: string | null) {
      u.channel = value;
    },
    get allowDowngrade() {
      return u.allowDowngrade;
    },
    set allowDowngrade(value: boolean) {
      u.allowDowngrade = value;
    },
    get autoDownload() {
      return u.autoDownload;
    },
    set autoDownload(value: boolean) {
      u.autoDownload = value;
    },
    get autoInstallOnAppQuit() {
      return u.autoInstallOnAppQuit;
    },
    set autoInstallOnAppQuit(value: boolean) {
      u.autoInstallOnAppQuit = value;
    },
    get isUserWithinRollout() {
      return u.isUserWithinRollout;
    },
    set isUserWithinRollout(hook: WiredUpdater['isUserWithinRollout']) {
      u.isUserWithinRollout = hook;
    },
    on<E extends keyof UpdaterEvents>(event: E, listener: (arg: UpdaterEvents[E]) => void) {
      // electron-updater's events carry at least the fields UpdaterEvents names.
      return u.on(event, listener as never);
    },
    quitAndInstall: () => u.quitAndInstall(),
  };
}
