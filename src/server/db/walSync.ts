/**
 * Durable commits without blocking the event loop (SQLite server only).
 *
 * With `synchronous = FULL`, every COMMIT fsyncs the WAL inside the call, on
 * the server's only JavaScript thread: ~6 ms per 1,000-event push during
 * which no other request is read, parsed or checked (about a fifth of
 * sync.push100k's wall time). The server instead runs its connection with
 * `synchronous = NORMAL` — SQLite still writes each commit's WAL frames at
 * COMMIT and stays consistent after a crash, but leaves the fsync out — and
 * fsyncs the WAL file itself, on libuv's thread pool, before it answers any
 * request: once `durable()` resolves, every commit made on the connection
 * before the call is on disk, exactly what FULL gave when the answer left.
 * Meanwhile the event loop parses and checks the next push.
 *
 * Concurrent callers share fsyncs (group commit): a call waits for the
 * running fsync only if it started after the caller's commits; otherwise for
 * the next one, which all callers arriving meanwhile share.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type Database from 'better-sqlite3';

export type WalSync = {
  /** Resolves once every commit made on the connection so far is on disk. */
  durable(): Promise<void>;
  /** fsyncs run so far (for tests and benchmarks). */
  syncCount(): number;
  close(): Promise<void>;
};

export function startWalSync(sqlite: Database.Database, walFile: string): WalSync {
  // SQLite counts every row a statement on this connection inserted, updated or
  // deleted; a commit always follows changes, so an unchanged count means
  // nothing new needs to reach the disk. (Changes later rolled back count too:
  // they only cost an fsync that was not needed.)
  const changes = sqlite.prepare('SELECT total_changes()').pluck();
  const totalChanges = () => changes.get() as number;
  sqlite.pragma('synchronous = NORMAL');

  let file: FileHandle | null = null;
  // Everything up to this change count is durable: the WAL was fsynced after it was committed.
  let durableUpTo = totalChanges();
  let running: Promise<void> | null = null;
  let queued: Promise<void> | null = null;
  let syncs = 0;
  let closed = false;

  async function fsyncWal(): Promise<void> {
    const upTo = totalChanges();
    file ??= await open(walFile, 'r');
    await file.datasync();
    syncs += 1;
    durableUpTo = Math.max(durableUpTo, upTo);
  }

  function start(): Promise<void> {
    const p = fsyncWal().finally(() => {
      running = null;
    });
    running = p;
    return p;
  }

  return {
    durable() {
      if (closed) return Promise.reject(new Error('The WAL sync was closed with the database.'));
      if (totalChanges() <= durableUpTo) return Promise.resolve();
      if (queued) return queued;
      if (!running) return start();
      // The running fsync may have begun before this caller's commit: wait for the next one.
      const next = running
        .catch(() => undefined)
        .then(() => {
          queued = null;
          return start();
        });
      queued = next;
      return next;
    },
    syncCount: () => syncs,
    async close() {
      closed = true;
      await (queued ?? running)?.catch(() => undefined);
      await file?.close();
      file = null;
    },
  };
}
