import { describe, expect, it } from 'vitest';
import { createLogger } from '../log.ts';
import { decideUpdateFeed } from '../updates/feedPolicy.ts';
import { electronUpdater, startUpdater, type UpdaterLike } from './updater.ts';

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
    checkForUpdates() {
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

function start(updater: UpdaterLike, isPackaged: boolean, url: string | undefined) {
  return startUpdater({
    updater: () => updater,
    decision: decideUpdateFeed({ isPackaged, env: { DEARPOS_UPDATE_URL: url } }),
    log,
  });
}

describe('updater wiring', () => {
  it('does nothing in development without an override, or with an override that is not https', () => {
    const dev = recordingUpdater();
    start(dev.updater, false, undefined).stop();
    const plainHttp = recordingUpdater();
    start(plainHttp.updater, false, 'http://updates.dearpos.com/').stop();
    expect([...dev.calls, ...plainHttp.calls]).toEqual([]);
  });

  it('a packaged console uses its packaged feed (app-update.yml), whatever DEARPOS_UPDATE_URL says', () => {
    const plain = recordingUpdater();
    start(plain.updater, true, undefined).stop();
    expect(plain.calls).toEqual(['on error', 'check']);
    const redirected = recordingUpdater();
    start(redirected.updater, true, 'https://evil.example.com/feed/').stop();
    expect(redirected.calls).toEqual(['on error', 'check']);
    expect(redirected.updater.forceDevUpdateConfig).toBeUndefined();
  });

  it('a development build uses the override with the generic provider and checks once at start', () => {
    const { updater, calls } = recordingUpdater();
    start(updater, false, 'https://updates.dearpos.com/console/').stop();
    expect(calls).toEqual([
      'on error',
      'feed generic https://updates.dearpos.com/console/',
      'check',
    ]);
    expect(updater.forceDevUpdateConfig).toBe(true);
  });

  it('never throws, whatever the updater does', async () => {
    for (const behaviour of [
      { throwOnFeed: true },
      { rejectCheck: true },
      { throwOnCheck: true },
    ]) {
      const { updater } = recordingUpdater(behaviour);
      expect(() => start(updater, false, 'https://updates.dearpos.com/').stop()).not.toThrow();
    }
    expect(() =>
      startUpdater({
        updater: () => {
          throw new Error('no platform updater');
        },
        decision: { kind: 'packaged', ignoredOverride: false },
        log,
      }).stop(),
    ).not.toThrow();
    // A rejected check is caught rather than left as an unhandled rejection (vitest fails the run on those).
    await new Promise((resolve) => setImmediate(resolve));
  });
});

describe('electronUpdater', () => {
  it('reads and writes through to electron-updater, so the rules land on the real autoUpdater', () => {
    const events: string[] = [];
    const real = {
      channel: null as string | null,
      allowDowngrade: true,
      autoDownload: false,
      autoInstallOnAppQuit: true,
      isUserWithinRollout: () => true,
      on(event: string) {
        events.push(event);
        return this;
      },
      quitAndInstall() {
        events.push('install');
      },
    };
    const wired = electronUpdater(real as unknown as Parameters<typeof electronUpdater>[0]);
    wired.channel = 'beta';
    wired.allowDowngrade = false;
    wired.autoInstallOnAppQuit = false;
    wired.isUserWithinRollout = () => false;
    wired.on('download-progress', () => undefined);
    wired.quitAndInstall();
    expect(real).toMatchObject({
      channel: 'beta',
      allowDowngrade: false,
      autoInstallOnAppQuit: false,
    });
    expect(real.isUserWithinRollout()).toBe(false);
    expect(events).toEqual(['download-progress', 'install']);
  });
});
