/**
 * What a copy of the console's data folder gives away: the PIN hashes and the
 * device token are sealed with a key from the OS store (a 0600 key file here,
 * Electron safeStorage in the desktop app), the folder is 0700, and sign-in
 * enforces the catalog's PIN policy.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Catalog } from '../../shared/catalog/schema.ts';
import { buildDemoCatalog } from '../demo/demoCatalog.ts';
import { loadCatalog } from '../fleet/catalog.ts';
import { DATA_KEY_NAME } from '../db/sealer.ts';
import { saveEnrollment, readSyncState, setDeviceToken } from '../sync/state.ts';
import { usersInScope } from '../sync/catalogChanges.ts';
import { journalCount, startTestApp, TECH, type TestApp } from '../app/testSupport.ts';
import { hashPinSync } from './pin.ts';

const apps: TestApp[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.dispose();
});
async function open(options: Parameters<typeof startTestApp>[0] = {}) {
  const app = await startTestApp(options);
  apps.push(app);
  return app;
}
const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

/** Every byte SQLite has written for the database (main file and WAL). */
function databaseBytes(dir: string): string {
  return ['console.sqlite', 'console.sqlite-wal']
    .map((f) => join(dir, f))
    .filter((f) => existsSync(f))
    .map((f) => readFileSync(f).toString('latin1'))
    .join('');
}

const TOKEN = 'dt_7f3c1a9e5b2d4c6f8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d';
const RENEWED = 'dt_0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6071';

describe('secrets in the console database', () => {
  it('keeps PIN hashes and the device token sealed in the SQLite file, and signs in as before', async () => {
    const app = await open();
    const demo = buildDemoCatalog();
    saveEnrollment(app.db, {
      serverUrl: 'https://central.example.com',
      deviceToken: TOKEN,
      storeId: 'st-par-01',
      logId: 'a'.repeat(64),
      logPublicKey: Buffer.alloc(32, 1).toString('base64'),
      devicePublicKey: Buffer.alloc(32, 2).toString('base64'),
      enrolledAt: '2026-03-10T09:00:00.000Z',
      ackedSeq: 0,
    });
    expect(readSyncState(app.db)?.device_token).toBe(TOKEN);
    // A renewed token is sealed too.
    setDeviceToken(app.db, RENEWED);
    expect(readSyncState(app.db)?.device_token).toBe(RENEWED);
    expect((await app.dispatch('session:signIn', TECH)).ok).toBe(true);

    const bytes = databaseBytes(app.dir);
    expect(bytes).not.toContain('scrypt$');
    for (const user of demo.users) {
      expect(bytes).not.toContain(user.pinHash.split('$').at(-1));
    }
    expect(bytes).not.toContain(TOKEN);
    expect(bytes).not.toContain(RENEWED);
    const raw = app.db.sqlite.prepare('SELECT pin_hash FROM users').pluck().all() as string[];
    expect(raw.every((v) => v.startsWith('sealed:v1:'))).toBe(true);
    // The key is beside the database only as a 0600 file in a 0700 folder (browser mode).
    expect(modeOf(join(app.dir, 'keys', `${DATA_KEY_NAME}.key`))).toBe('600');
    expect(modeOf(join(app.dir, 'keys'))).toBe('700');
  });

  it('seals PIN hashes and a device token an older console left in plain text, at the next start', async () => {
    const app = await open();
    const dir = app.dir;
    await app.close();
    // What an older console wrote.
    const older = new Database(join(dir, 'console.sqlite'));
    const plainHash = buildDemoCatalog().users[0]!.pinHash;
    older.prepare('UPDATE users SET pin_hash = ?').run(plainHash);
    older.close();
    const reopened = await open({ dir, withDemo: false });
    expect(reopened.db.sqlite.prepare('SELECT pin_hash FROM users').pluck().all()).not.toContain(
      plainHash,
    );
    expect((await reopened.dispatch('session:signIn', TECH)).ok).toBe(true);
    apps.splice(apps.indexOf(app), 1);
  });

  it('says what to do when the key is gone, instead of signing in against nothing', async () => {
    const app = await open();
    const dir = app.dir;
    await app.close();
    apps.splice(apps.indexOf(app), 1);
    rmSync(join(dir, 'keys'), { recursive: true, force: true });
    const reopened = await open({ dir, withDemo: false });
    const result = await reopened.dispatch('session:signIn', TECH);
    expect(result).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(!result.ok && result.error.message).toMatch(/key that is missing/);
  });

  it('creates its data folder 0700 and closes one left open to other users; the database files are 0600', async () => {
    const fresh = await open({ dir: join(mkdtempSync(join(tmpdir(), 'console-perms-')), 'data') });
    expect(modeOf(fresh.dir)).toBe('700');
    for (const f of ['console.sqlite', 'console.sqlite-wal', 'console.sqlite-shm']) {
      expect(modeOf(join(fresh.dir, f)), f).toBe('600');
    }
    const loose = join(mkdtempSync(join(tmpdir(), 'console-perms-')), 'data');
    mkdirSync(loose);
    chmodSync(loose, 0o755);
    const app = await open({ dir: loose });
    expect(modeOf(app.dir)).toBe('700');
    // A shared folder that holds other things is reported, not changed behind its owner's back.
    const shared = join(mkdtempSync(join(tmpdir(), 'console-perms-')), 'shared');
    mkdirSync(shared);
    writeFileSync(join(shared, 'notes.txt'), 'mine');
    chmodSync(shared, 0o755);
    await open({ dir: shared });
    expect(modeOf(shared)).toBe('755');
    expect(modeOf(join(shared, 'console.sqlite'))).toBe('600');
  });
});

describe('PIN policy at sign-in', () => {
  function catalogWith(pin: string, pinPolicy?: Catalog['pinPolicy']): Catalog {
    const demo = buildDemoCatalog();
    const { pinPolicy: _demoPolicy, ...rest } = demo;
    return {
      ...rest,
      users: [{ ...demo.users[0]!, pinHash: hashPinSync(pin) }],
      ...(pinPolicy ? { pinPolicy } : {}),
    };
  }

  it('refuses a PIN shorter than 6 digits when the catalog declares no policy, with a clear message and no wrong try counted', async () => {
    const app = await open({ withDemo: false });
    loadCatalog(app.db, catalogWith('4821'), {
      source: 'https://central.example.com',
      now: app.clock.now,
    });
    const before = journalCount(app);
    const result = await app.dispatch('session:signIn', { userId: 'u-tess', pin: '4821' });
    expect(result).toMatchObject({ ok: false, error: { code: 'pin_too_short' } });
    expect(!result.ok && result.error.message).toMatch(/at least 6 digits.*ask an administrator/);
    expect(journalCount(app)).toBe(before);
    expect(app.db.sqlite.prepare('SELECT count(*) FROM sign_in_failures').pluck().get()).toBe(0);

    loadCatalog(app.db, catalogWith('482193'), {
      source: 'https://central.example.com',
      now: app.clock.now,
    });
    expect((await app.dispatch('session:signIn', { userId: 'u-tess', pin: '482193' })).ok).toBe(
      true,
    );
  });

  it('follows a stricter catalog policy, and allows 4 digits only where the catalog declares itself a demo', async () => {
    const app = await open({ withDemo: false });
    loadCatalog(app.db, catalogWith('482193', { minDigits: 8 }), {
      source: 'https://central.example.com',
      now: app.clock.now,
    });
    expect(await app.dispatch('session:signIn', { userId: 'u-tess', pin: '482193' })).toMatchObject(
      {
        ok: false,
        error: { code: 'pin_too_short', details: { minDigits: 8 } },
      },
    );
    expect(() =>
      loadCatalog(app.db, catalogWith('1111', { minDigits: 4 }), {
        source: 'https://central.example.com',
        now: app.clock.now,
      }),
    ).toThrow(/demo/);
    loadCatalog(app.db, catalogWith('1111', { minDigits: 4, isDemo: true }), {
      source: 'demo',
      now: app.clock.now,
    });
    expect((await app.dispatch('session:signIn', TECH)).ok).toBe(true);
  });
});

describe("a store's console keeps only its store's users", () => {
  it('drops administrators without stores and users of other stores, keeps regional staff', () => {
    const demo = buildDemoCatalog();
    const kept = usersInScope(demo, 'st-lon-01').users.map((u) => u.id);
    expect(kept.sort()).toEqual(['u-maya', 'u-sam', 'u-tess']);
    expect(usersInScope(demo, 'st-par-01').users.map((u) => u.id)).toContain('u-leo');
    // The demo fleet on a console that is not enrolled keeps everyone.
    expect(usersInScope(demo, null).users).toHaveLength(demo.users.length);
  });
});
