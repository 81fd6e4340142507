import Database from 'better-sqlite3';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createJournal, type Change } from '../audit/journal.ts';
import { createLogger } from '../log.ts';
import { NEW_DATABASE_PAGE_SIZE, openDatabase, type Db } from './open.ts';
import { CHECKPOINT_AT_BYTES, startWalCheckpointer, walSizeLimit } from './walCheckpointer.ts';

const log = createLogger();
let dir: string;
const opened: Db[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wal-checkpointer-'));
});
afterEach(() => {
  for (const db of opened.splice(0)) if (db.sqlite.open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function open(options: { checkpointAtBytes?: number } = {}): Promise<Db> {
  const db = await openDatabase(join(dir, 'console.sqlite'), { log, ...options });
  opened.push(db);
  return db;
}

function versionChanges(count: number, from = 0): Array<Change<'fleet.version.recorded', void>> {
  return Array.from({ length: count }, (_, i) => ({
    type: 'fleet.version.recorded',
    storeId: `s-${(from + i) % 50}`,
    actor: { userId: 'u-tech', role: 'technician' },
    payload: {
      terminalId: `t-${(from + i) % 300}`,
      version: `5.${(from + i) % 12}.0`,
      releaseId: 'r-1',
      previousVersion: null,
      source: 'typed',
    },
    tables: [],
    apply: () => undefined,
  }));
}

const sizeOf = (file: string) => (existsSync(file) ? statSync(file).size : 0);

describe('background WAL checkpoints', () => {
  it('a commit never checkpoints on the main thread: until the background checkpoint runs, the data stays in the WAL', async () => {
    // A threshold nothing reaches: the background thread is never asked.
    const db = await open({ checkpointAtBytes: 2 ** 40 });
    const before = sizeOf(db.file);
    createJournal(db).recordMany(versionChanges(20_000));
    expect(db.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    expect(sizeOf(`${db.file}-wal`)).toBeGreaterThan(8 * 1024 * 1024);
    expect(sizeOf(db.file)).toBe(before);
    expect(db.checkpointer.stats().backgroundCheckpoints).toBe(0);
  });

  it('the background thread copies a big append into the database, and the next commit starts the WAL over at its size limit', async () => {
    const db = await open();
    const journal = createJournal(db);
    journal.recordMany(versionChanges(20_000));
    await db.checkpointer.settled();
    expect(db.checkpointer.stats()).toMatchObject({ backgroundCheckpoints: 1, isFallback: false });
    // Every event's page is now in the database file itself.
    expect(sizeOf(db.file)).toBeGreaterThan(8 * 1024 * 1024);
    journal.record(versionChanges(1, 20_000)[0]!);
    expect(sizeOf(`${db.file}-wal`)).toBeLessThanOrEqual(walSizeLimit(CHECKPOINT_AT_BYTES));
    expect(journal.verify()).toMatchObject({ ok: true, count: 20_001 });
  });

  it('a second big append right after a checkpoint is copied back in the background too, not on the main thread', async () => {
    const db = await open();
    const journal = createJournal(db);
    journal.recordMany(versionChanges(20_000));
    await db.checkpointer.settled();
    journal.recordMany(versionChanges(20_000, 20_000));
    await db.checkpointer.settled();
    expect(db.checkpointer.stats()).toMatchObject({
      backgroundCheckpoints: 2,
      catchUpCheckpoints: 0,
    });
    expect(journal.verify()).toMatchObject({ ok: true, count: 40_000 });
  });

  it('a steady stream of single-event commits keeps the WAL bounded while checkpoints run beside it', async () => {
    const db = await open();
    const journal = createJournal(db);
    const walFile = `${db.file}-wal`;
    const block = 40;
    const changes = versionChanges(1_200);
    let largestWal = 0;
    for (let i = 0; i < changes.length; i++) {
      journal.record(changes[i]!);
      largestWal = Math.max(largestWal, sizeOf(walFile));
      // Commits run on while a checkpoint is in flight; every block the test lets it land.
      if (i % block === block - 1) await db.checkpointer.settled();
    }
    const stats = db.checkpointer.stats();
    expect(stats.backgroundCheckpoints).toBeGreaterThan(0);
    // The loop commits while checkpoints run, so the main thread had to finish some of them.
    expect(stats.catchUpCheckpoints).toBeGreaterThan(0);
    expect(stats.isFallback).toBe(false);
    // A WAL frame is a page plus its 24-byte header. One event's commit writes one to a few;
    // at worst the WAL holds the threshold plus the commits made while a checkpoint was in flight.
    const frame = NEW_DATABASE_PAGE_SIZE + 24;
    expect(largestWal).toBeLessThanOrEqual(CHECKPOINT_AT_BYTES + (block + 2) * 4 * frame);
    // Without checkpoints and restarts it would hold at least one frame per commit.
    expect(largestWal).toBeLessThan((changes.length * frame) / 2);
    expect(journal.verify()).toMatchObject({ ok: true, count: 1_200 });
  });

  it('close() waits for a checkpoint in flight; the WAL is gone and the database reopens whole', async () => {
    const db = await open();
    const journal = createJournal(db);
    journal.recordMany(versionChanges(30_000));
    const head = journal.head();
    db.close();
    expect(existsSync(`${db.file}-wal`)).toBe(false);
    const again = await open();
    expect(again.sqlite.pragma('quick_check', { simple: true })).toBe('ok');
    const reopened = createJournal(again);
    expect(reopened.head()).toEqual(head);
    expect(reopened.verify()).toMatchObject({ ok: true, count: 30_000 });
  });

  it('when the background checkpoint fails, the connection goes back to SQLite checkpointing inside commits', async () => {
    const file = join(dir, 'plain.sqlite');
    const sqlite = new Database(file);
    sqlite.pragma('journal_mode = WAL');
    // The background connection is pointed at a database that does not exist, as if its file
    // could not be opened; the WAL beside that name is big enough to ask for a checkpoint.
    const missing = join(dir, 'missing.sqlite');
    writeFileSync(`${missing}-wal`, Buffer.alloc(64 * 1024));
    const checkpointer = startWalCheckpointer(sqlite, missing, { log, checkpointAtBytes: 1024 });
    try {
      expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      checkpointer.afterCommit();
      await checkpointer.settled();
      checkpointer.afterCommit();
      expect(checkpointer.stats().isFallback).toBe(true);
      expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    } finally {
      checkpointer.close();
      sqlite.close();
    }
  });
});

describe('page size', () => {
  it('a new database gets 16 KB pages; an existing one keeps the page size it was made with', async () => {
    const fresh = await open();
    expect(fresh.sqlite.pragma('page_size', { simple: true })).toBe(NEW_DATABASE_PAGE_SIZE);
    fresh.close();

    const older = join(dir, 'older', 'console.sqlite');
    mkdirSync(join(dir, 'older'));
    const made = new Database(older);
    made.pragma('page_size = 4096');
    made.pragma('journal_mode = WAL');
    made.exec('CREATE TABLE kept (n INTEGER) STRICT; INSERT INTO kept VALUES (1)');
    made.close();
    const db = await openDatabase(older, { log, backupDir: join(dir, 'older', 'backups') });
    opened.push(db);
    expect(db.sqlite.pragma('page_size', { simple: true })).toBe(4096);
    expect(db.sqlite.prepare('SELECT n FROM kept').pluck().get()).toBe(1);
  });
});
