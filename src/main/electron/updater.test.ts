import { describe, expect, it } from 'vitest';
import { createLogger } from '../log.ts';
import { startUpdater, type UpdaterLike } from './updater.ts';

const log = createLogger({ level: 'silent' });

function recordingUpdater(
  behaviour: { throwOnFeed?: boolean; rejectCheck?: boolean; throwOnCheck?: boolean } = {},
) {
  const calls: string[] = [];
  const updater: UpdaterLike = {
    autoDownload: false,
    autoInstallOnAppQuit: false,
    setFeedURL(options) {
      calls.push(`feed ${options.provider} ${options.url}`);
      if (behaviour.throwOnFeed) throw new Error('bad feed');
    },
    checkForUpdatesAndNotify() {
      calls.push('check');
      if (behaviour.throwOnCheck) throw new Error('sync throw');
      return behaviour.rejectCheck ? Promise.reject(new Error('offline')) : Promise.resolve(null);
    },
    on(event) {
      calls.push(`on ${event}`);
      return this;
    },
  };
  return { updater, calls };
}

describe('updater wiring', () => {
  it('does nothing in development or with a feed that is not https', () => {
    const dev = recordingUpdater();
    startUpdater({
      updater: dev.updater,
      isPackaged: false,
      feedUrl: 'https://updates.dearpos.com/',
      log,
    }).stop();
    const plainHttp = recordingUpdater();
    startUpdater({
      updater: plainHttp.updater,
      isPackaged: true,
      feedUrl: 'http://updates.dearpos.com/',
      log,
    }).stop();
    expect([...dev.calls, ...plainHttp.calls]).toEqual([]);
  });

  it('uses the packaged feed (app-update.yml) when no override is given', () => {
    const { updater, calls } = recordingUpdater();
    startUpdater({ updater, isPackaged: true, feedUrl: undefined, log }).stop();
    expect(calls).toEqual(['on error', 'check']);
  });

  it('uses an override with the generic provider and checks once at start', () => {
    const { updater, calls } = recordingUpdater();
    startUpdater({
      updater,
      isPackaged: true,
      feedUrl: 'https://updates.dearpos.com/console/',
      log,
    }).stop();
    expect(calls).toEqual([
      'on error',
      'feed generic https://updates.dearpos.com/console/',
      'check',
    ]);
  });

  it('never throws, whatever the updater does', async () => {
    for (const behaviour of [
      { throwOnFeed: true },
      { rejectCheck: true },
      { throwOnCheck: true },
    ]) {
      const { updater } = recordingUpdater(behaviour);
      expect(() =>
        startUpdater({
          updater,
          isPackaged: true,
          feedUrl: 'https://updates.dearpos.com/',
          log,
        }).stop(),
      ).not.toThrow();
    }
    // A rejected check is caught rather than left as an unhandled rejection (vitest fails the run on those).
    await new Promise((resolve) => setImmediate(resolve));
  });
});
