/**
 * The updater wiring against the real central server on 127.0.0.1: a real
 * console (its own SQLite file, enrolled, synced) follows the update policy
 * its catalog pull brought, downloads through a fake electron-updater object,
 * checks the file against the manifest the server signed with its log key,
 * and installs only when it is safe. Refusals are shown and audited.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UpdateStatus } from '../../shared/contract/updates.ts';
import type { Result } from '../../shared/errors.ts';
import { MANAGER, expectOk, type TestApp } from '../app/testSupport.ts';
import { startFleet, syncNow, type Fleet } from '../crossDevice/testing.ts';
import { createLogger } from '../log.ts';
import { effectiveUpdatePolicy } from './catalogPolicy.ts';
import { wireConsoleUpdater, type UpdaterEvents, type WiredUpdater } from './consoleUpdater.ts';
import { readConsoleStore, readInstallFacts } from './installFacts.ts';
import { fetchSignedManifest, readTrustedLogKey } from './manifestFeed.ts';
import { safeToInstall } from './safeToInstall.ts';

let fleet: Fleet;
let app: TestApp;
let files: string;
/** Where the central log holds each published manifest, from the publish response. */
const logIndexes = new Map<string, number>();
const installer = Buffer.from('DearPOS console 9.1.0 AppImage '.repeat(2048));
const NIGHT = Date.parse('2026-03-10T02:00:00Z'); // 03:00 in Paris: the store is closed

async function admin(path: string, body: unknown): Promise<Response> {
  return fetch(`${fleet.server.url}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${fleet.server.adminToken}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
}

function policy(extra: Record<string, unknown> = {}) {
  return {
    channels: { lab: 'alpha', pilot: 'beta', early: 'latest', general: 'latest' },
    stagedPercent: { lab: 100, pilot: 100, early: 100, general: 100 },
    pins: [],
    downgrades: [],
    ...extra,
  };
}

beforeAll(async () => {
  files = mkdtempSync(join(tmpdir(), 'dearpos-console-update-'));
  fleet = await startFleet();
  app = await fleet.console('till-1');
  expectOk(await app.dispatch('session:signIn', MANAGER));
  for (const version of ['9.1.0', '9.2.0']) {
    const res = await admin('/v1/admin/update-manifests', {
      version,
      channel: 'alpha',
      files: [
        {
          name: `DearPOS-${version}.AppImage`,
          size: installer.length,
          sha512: (await import('node:crypto'))
            .createHash('sha512')
            .update(installer)
            .digest('base64'),
        },
      ],
    });
    expect(res.status, await res.clone().text()).toBe(200);
    logIndexes.set(version, ((await res.json()) as { logIndex: number }).logIndex);
  }
}, 60_000);
afterAll(async () => {
  await fleet.close();
  rmSync(files, { recursive: true, force: true });
});

function fakeUpdater() {
  const listeners = new Map<string, Array<(arg: never) => void>>();
  let installs = 0;
  const updater: WiredUpdater = {
    channel: null,
    allowDowngrade: true,
    autoDownload: false,
    autoInstallOnAppQuit: true,
    isUserWithinRollout: () => true,
    on<E extends keyof UpdaterEvents>(event: E, listener: (arg: UpdaterEvents[E]) => void) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
      return this;
    },
    quitAndInstall: () => {
      installs++;
    },
  };
  const emit = <E extends keyof UpdaterEvents>(event: E, arg: UpdaterEvents[E]) => {
    for (const l of listeners.get(event) ?? []) (l as (a: UpdaterEvents[E]) => void)(arg);
  };
  return { updater, emit, installs: () => installs };
}

/** The wiring main.ts builds, on this console's database and the real server. */
function wire(options: { fetchManifest?: (v: string, c: string) => Promise<unknown> } = {}) {
  const fake = fakeUpdater();
  const controller = wireConsoleUpdater({
    updater: fake.updater,
    currentVersion: '9.0.0',
    context: () => ({ policy: effectiveUpdatePolicy(app.db), store: readConsoleStore(app.db) }),
    logKey: () => readTrustedLogKey(app.db),
    fetchManifest:
      options.fetchManifest ??
      ((version, channel) => fetchSignedManifest(fleet.server.url, channel, version)),
    installVerdict: () =>
      safeToInstall(
        readInstallFacts(app.db, {
          now: NIGHT,
          storeId: readConsoleStore(app.db)?.id ?? null,
          onScreen: app.updates.onScreen(),
        }),
      ),
    audit: (event) => app.updates.audit(event),
    log: createLogger({ level: 'silent' }),
  });
  app.updates.attach(controller);
  return { ...fake, controller };
}

async function status(): Promise<UpdateStatus> {
  return expectOk((await app.dispatch('updates:status', {})) as Result<UpdateStatus>);
}

function journalTypes(type: string): Array<Record<string, unknown>> {
  return (
    app.db.sqlite
      .prepare('SELECT body FROM journal WHERE type = ? ORDER BY seq')
      .all(type) as Array<{ body: string }>
  ).map((r) => (JSON.parse(r.body) as { payload: Record<string, unknown> }).payload);
}

async function download(fake: ReturnType<typeof wire>, version: string, bytes: Buffer) {
  const file = join(files, `DearPOS-${version}.AppImage`);
  writeFileSync(file, bytes);
  fake.emit('update-downloaded', { version, downloadedFile: file });
  expect((await status()).phase).toBe('verifying');
  await fake.controller.settled();
}

describe('the console updater against the real central server', () => {
  it('follows the ring channel, shows progress, verifies the signed download and installs only when safe', async () => {
    const fake = wire();
    expect(fake.updater.channel).toBe('alpha'); // st-par-01 is a lab store
    expect(await fake.updater.isUserWithinRollout({ version: '9.1.0' })).toBe(true);
    fake.emit('update-available', { version: '9.1.0' });
    fake.emit('download-progress', { percent: 42.7 });
    expect(await status()).toMatchObject({ phase: 'downloading', version: '9.1.0', percent: 42 });

    await download(fake, '9.1.0', installer);
    const ready = await status();
    expect(ready).toMatchObject({ phase: 'ready', version: '9.1.0', canRestartNow: false });
    // The sign-in is not synced yet: not now, and the reason is shown.
    expect(ready.notNow.join(' ')).toMatch(/not synced yet/);
    const refused = await app.dispatch('updates:restartNow', {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(fake.installs()).toBe(0);

    await syncNow(app);
    expectOk(
      await app.dispatch('updates:reportScreen', { openChecklistRuns: [], isSignOffOpen: true }),
    );
    expect((await status()).notNow).toEqual(['A sign-off is open: finish or cancel it first.']);
    fake.controller.beforeQuit();
    expect(fake.updater.autoInstallOnAppQuit).toBe(false);

    expectOk(
      await app.dispatch('updates:reportScreen', { openChecklistRuns: [], isSignOffOpen: false }),
    );
    await syncNow(app);
    expect(await status()).toMatchObject({ phase: 'ready', canRestartNow: true, notNow: [] });
    fake.controller.beforeQuit();
    expect(fake.updater.autoInstallOnAppQuit).toBe(true);
    expectOk(await app.dispatch('updates:restartNow', {}));
    expect(fake.installs()).toBe(1);
    expect(journalTypes('console.update.verified')).toEqual([
      {
        fromVersion: '9.0.0',
        version: '9.1.0',
        channel: 'alpha',
        isDowngrade: false,
        policyReason: null,
        // The installed manifest's server entry: an auditor proves it with /v1/log/proof.
        logIndex: logIndexes.get('9.1.0'),
      },
    ]);
    expect(logIndexes.get('9.1.0')).toEqual(expect.any(Number));
  });

  it('refuses a tampered file and a bad signature with a clear message and an audit event; the running version stays', async () => {
    const tampered = Buffer.from(installer);
    tampered[1000] = tampered[1000]! ^ 0xff;
    const first = wire();
    await download(first, '9.1.0', tampered);
    expect(await status()).toMatchObject({
      phase: 'refused',
      version: '9.1.0',
      message: expect.stringMatching(
        /differs from the file the central server published.*running version stays/,
      ) as unknown,
      canRestartNow: false,
    });
    expect(first.updater.autoInstallOnAppQuit).toBe(false);

    const forged = wire({
      fetchManifest: async (version, channel) => {
        const signed = (await fetchSignedManifest(fleet.server.url, channel, version)) as {
          signature: string;
        };
        const flipped = signed.signature.startsWith('A') ? 'B' : 'A';
        return { ...signed, signature: flipped + signed.signature.slice(1) };
      },
    });
    await download(forged, '9.1.0', installer);
    expect(await status()).toMatchObject({
      phase: 'refused',
      message: expect.stringContaining('does not carry the central log’s signature') as unknown,
    });
    expect(forged.installs()).toBe(0);
    expect(journalTypes('console.update.refused').map((p) => [p.version, p.reason])).toEqual([
      ['9.1.0', 'hash_mismatch'],
      ['9.1.0', 'bad_signature'],
    ]);
  });

  it('honours a pin from the catalog: a newer version is refused, shown and audited once', async () => {
    const published = await admin(
      '/v1/admin/console-update-policy',
      policy({
        pins: [
          {
            scope: { storeId: 'st-par-01' },
            version: '9.1.0',
            reason: 'Inventory week',
            by: 'u-ada',
          },
        ],
      }),
    );
    expect(published.status, await published.clone().text()).toBe(200);
    await syncNow(app);
    expect(effectiveUpdatePolicy(app.db).pins).toHaveLength(1);
    const fake = wire();
    expect(await fake.updater.isUserWithinRollout({ version: '9.2.0' })).toBe(false);
    expect(await fake.updater.isUserWithinRollout({ version: '9.2.0' })).toBe(false);
    expect(await status()).toMatchObject({
      phase: 'refused',
      version: '9.2.0',
      message: expect.stringContaining('pinned to 9.1.0 by u-ada (Inventory week)') as unknown,
    });
    expect(await fake.updater.isUserWithinRollout({ version: '9.1.0' })).toBe(true);
    const pinned = journalTypes('console.update.refused').filter((p) => p.reason === 'past_pin');
    expect(pinned).toHaveLength(1);
  });

  it('refuses a pin to a version the feed never published, and a channel that is not in the catalog', async () => {
    const unknownPin = await admin(
      '/v1/admin/console-update-policy',
      policy({ pins: [{ scope: { ring: 'lab' }, version: '9.9.9', reason: 'x', by: 'u-ada' }] }),
    );
    expect(unknownPin.status).toBe(400);
    const gamma = await admin(
      '/v1/admin/console-update-policy',
      policy({ channels: { lab: 'gamma', pilot: 'beta', early: 'latest', general: 'latest' } }),
    );
    expect(gamma.status).toBe(400);
    await expect(fetchSignedManifest(fleet.server.url, 'gamma', '9.1.0')).rejects.toThrow(
      /no update channel "gamma"/,
    );
    // The console still follows the last valid policy.
    await syncNow(app);
    expect(effectiveUpdatePolicy(app.db).pins[0]?.version).toBe('9.1.0');
  });
});
