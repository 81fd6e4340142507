import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openServerDb } from './open.ts';
import { startWalSync, type WalSync } from './walSync.ts';

let dir: string;
let sqlite: Database.Database;
let wal: WalSync;
const commit = () => sqlite.prepare('INSERT INTO t (v) VALUES (?)').run('x');

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wal-sync-'));
  const file = join(dir, 'db.sqlite');
  sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
  wal = startWalSync(sqlite, `${file}-wal`);
});
afterEach(async () => {
  await wal.close();
  sqlite.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('deferred WAL sync', () => {
  it('takes the fsync out of COMMIT and runs it when an answer needs the commit durable', async () => {
    expect(sqlite.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    await wal.durable();
    expect(wal.syncCount()).toBe(0); // the table was created before: nothing new
    commit();
    await wal.durable();
    expect(wal.syncCount()).toBe(1);
    await wal.durable();
    expect(wal.syncCount()).toBe(1); // nothing committed since
  });

  it('shares fsyncs between concurrent callers, and never lets a caller ride an fsync begun before its commit', async () => {
    commit();
    const first = wal.durable(); // starts fsync 1 (covers this commit)
    commit(); // committed while fsync 1 may already be running
    const second = wal.durable(); // must wait for fsync 2
    commit();
    const third = wal.durable(); // shares fsync 2
    let firstDone = false;
    void first.then(() => (firstDone = true));
    await second;
    expect(firstDone).toBe(true);
    await Promise.all([first, third]);
    expect(wal.syncCount()).toBe(2);
    // Everything is durable now: no further fsync.
    await wal.durable();
    expect(wal.syncCount()).toBe(2);
  });

  it('refuses to report durability once closed', async () => {
    await wal.close();
    commit();
    await expect(wal.durable()).rejects.toThrow(/closed/);
  });
});

describe('the server database', () => {
  it('keeps the fsync inside COMMIT unless deferred sync is asked for', async () => {
    const plain = await openServerDb({ dataDir: join(dir, 'plain') });
    const deferred = await openServerDb({ dataDir: join(dir, 'deferred'), deferredSync: true });
    try {
      expect(plain.sqlite!.pragma('synchronous', { simple: true })).toBe(2); // FULL
      expect(deferred.sqlite!.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
      deferred.sqlite!.prepare('UPDATE log_head SET size = size WHERE id = 1').run();
      await expect(deferred.durable()).resolves.toBeUndefined();
      await expect(plain.durable()).resolves.toBeUndefined();
    } finally {
      await plain.close();
      await deferred.close();
    }
  });
});
