import Database from 'better-sqlite3';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOG_KEY_FILE, loadOrCreateLogKey } from '../log/keys.ts';
import { DataDirRefused, SERVER_DB_FILE, openServerDb } from './open.ts';

const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

function capturingLogger() {
  const lines: Array<{ level: number; msg: string; mode?: string }> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as (typeof lines)[number]);
      done();
    },
  });
  return { log: pino({ level: 'info' }, stream), lines };
}

let root: string;
let previousUmask: number;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'dearpos-server-perms-'));
  // The usual umask: without the fix SQLite would leave its files 0644 under it.
  previousUmask = process.umask(0o022);
});
afterAll(() => {
  process.umask(previousUmask);
  rmSync(root, { recursive: true, force: true });
});

describe('server data files are readable by the server user only', () => {
  it('creates the folder 0700 and server.sqlite, -wal, -shm and the log key 0600', async () => {
    const dir = join(root, 'fresh', 'server');
    const { log } = capturingLogger();
    const store = await openServerDb({ dataDir: dir, log });
    loadOrCreateLogKey({ dataDir: dir });
    // A write, so the WAL and its shared-memory index exist.
    await store.db.updateTable('catalog_head').set({ cursor: 1 }).execute();
    const file = join(dir, SERVER_DB_FILE);
    expect(modeOf(dir)).toBe('700');
    expect({
      db: modeOf(file),
      wal: modeOf(`${file}-wal`),
      shm: modeOf(`${file}-shm`),
      key: modeOf(join(dir, LOG_KEY_FILE)),
    }).toEqual({ db: '600', wal: '600', shm: '600', key: '600' });
    await store.close();
  });

  it('tightens files an older server left 0644', async () => {
    const dir = join(root, 'older');
    mkdirSync(dir, { mode: 0o700 });
    const file = join(dir, SERVER_DB_FILE);
    const old = new Database(file);
    old.pragma('journal_mode = WAL');
    old.exec('CREATE TABLE t (x INTEGER)');
    for (const path of [file, `${file}-wal`, `${file}-shm`]) chmodSync(path, 0o644);
    const store = await openServerDb({ dataDir: dir, log: capturingLogger().log });
    expect([modeOf(file), modeOf(`${file}-wal`), modeOf(`${file}-shm`)]).toEqual([
      '600',
      '600',
      '600',
    ]);
    await store.close();
    old.close();
  });

  it('warns about a data folder other users can read, and refuses one they can write to', async () => {
    const readable = join(root, 'readable');
    mkdirSync(readable);
    chmodSync(readable, 0o755);
    const { log, lines } = capturingLogger();
    const store = await openServerDb({ dataDir: readable, log });
    await store.close();
    const warning = lines.find((l) => l.level === 40);
    expect(warning?.mode).toBe('755');
    expect(warning?.msg).toContain(`chmod 700 ${readable}`);

    for (const mode of [0o775, 0o757]) {
      const writable = join(root, `writable-${mode.toString(8)}`);
      mkdirSync(writable);
      chmodSync(writable, mode);
      const opening = openServerDb({ dataDir: writable, log });
      await expect(opening).rejects.toBeInstanceOf(DataDirRefused);
      await expect(opening).rejects.toMatchObject({ code: 'data_dir_insecure' });
      await expect(opening).rejects.toThrow(/writable by other users.*chmod 700/);
    }
  });
});
