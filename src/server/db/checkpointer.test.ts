/**
 * The server's SQLite checkpointer: committed pushes reach the database file
 * itself on the worker thread, not in the committing request.
 */
import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openServerDb, type ServerDb } from './open.ts';

let dir: string;
let store: ServerDb | null = null;
afterEach(async () => {
  await store?.close();
  store = null;
  rmSync(dir, { recursive: true, force: true });
});

/** Rows of log_entries in the database file alone, as if the WAL were lost: what a checkpoint has copied. */
function rowsInDatabaseFile(file: string): number {
  const copy = join(dir, 'copy.sqlite');
  copyFileSync(file, copy);
  const db = new Database(copy, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM log_entries').get() as { n: number }).n;
  } finally {
    db.close();
    rmSync(copy, { force: true });
  }
}

describe('server SQLite checkpoints', () => {
  it('committed entries are copied into the database file by the checkpoint thread, below the writer’s own threshold', async () => {
    dir = mkdtempSync(join(tmpdir(), 'server-checkpoint-'));
    store = await openServerDb({ dataDir: dir });
    const sqlite = store.sqlite!;
    // The writer's automatic checkpoint is a far-away backstop: these few pages never trigger it.
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(16384);
    const insert = sqlite.prepare(
      "INSERT INTO log_entries (idx, device_id, seq, store_id, at, type, hash, body) VALUES (?, 'd', ?, 'S-1', '2026-01-01T00:00:00.000Z', 't', 'h', 'b')",
    );
    sqlite.transaction(() => {
      for (let i = 0; i < 200; i++) insert.run(i, i + 1);
    })();
    await vi.waitFor(() => expect(rowsInDatabaseFile(store!.file!)).toBe(200), {
      timeout: 10_000,
      interval: 50,
    });
  });

  it('close stops the thread: the database file can be removed and reopened', async () => {
    dir = mkdtempSync(join(tmpdir(), 'server-checkpoint-'));
    const first = await openServerDb({ dataDir: dir });
    await first.close();
    store = await openServerDb({ dataDir: dir });
    expect(store.sqlite!.prepare('SELECT count(*) AS n FROM log_entries').get()).toEqual({ n: 0 });
  });
});
