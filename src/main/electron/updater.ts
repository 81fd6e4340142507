/**
 * Auto-update wiring. A failed update must never break the running app: every
 * call is wrapped, errors are logged and dropped. Which feed to follow (the
 * packaged one, a developer's override, or none) is decided by the pure
 * decideUpdateFeed (src/main/update/feedPolicy.ts); this file only applies it.
 */
import type { Logger } from '../log.ts';
import { UPDATE_URL_ENV, type UpdateFeedDecision } from '../update/feedPolicy.ts';

/** The slice of electron-updater's `autoUpdater` used here. */
export type UpdaterLike = {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  /** Lets an unpackaged (development) build check a feed at all. */
  forceDevUpdateConfig?: boolean;
  setFeedURL(options: { provider: 'generic'; url: string }): void;
  checkForUpdatesAndNotify(): Promise<unknown>;
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
    updater.autoInstallOnAppQuit = true;
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
