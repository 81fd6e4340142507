/**
 * Moves WAL checkpoints off the main thread.
 *
 * In WAL mode SQLite copies the log back into the database file ("checkpoint")
 * inside the COMMIT that takes the log past `wal_autocheckpoint` pages. For a
 * big journal append that is the last ~100–400 ms of the commit, paid by the
 * event loop that also draws the console. Here the main connection turns the
 * automatic checkpoint off and, after a commit leaves the WAL past
 * `CHECKPOINT_AT_BYTES`, a background thread with its own connection runs a
 * PASSIVE checkpoint: it never blocks the writer, and SQLite's locking keeps it
 * crash-safe (a checkpoint killed halfway leaves the WAL as the source of truth).
 *
 * Bounded WAL: a PASSIVE checkpoint copies the frames that existed when it
 * started. If the main thread kept committing meanwhile, the WAL cannot start
 * over, and a next background checkpoint would race the next commits the same
 * way. So once a background checkpoint has run and the WAL is still full, the
 * main thread copies the rest itself (only the frames of those few commits):
 * the checkpoint completes and the next write starts the WAL over; `journal_size_limit`
 * then gives the disk space back. It is just under the threshold: a file cut
 * back to it never looks full, and later commits mostly overwrite frames in
 * place rather than grow the file (growing costs every fsync a metadata update:
 * measured ~5% per single-event commit against half the threshold).
 *
 * One background thread serves every database of the process, started the
 * first time one needs a checkpoint (most short-lived processes never do).
 * It loads the very same better-sqlite3 addon: two copies of SQLite in one
 * process would break its POSIX locks (sqlite.org/howtocorrupt.html §2.2).
 * If the thread cannot run, the connection goes back to SQLite's own
 * checkpoints: slower commits, never an unbounded WAL.
 */
import type Database from 'better-sqlite3';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../log.ts';

/** A commit that leaves the WAL at least this big wakes the background checkpoint. */
export const CHECKPOINT_AT_BYTES = 4 * 1024 * 1024;
/** SQLite's own default, used when the background thread is unavailable. */
const FALLBACK_AUTOCHECKPOINT_PAGES = 1000;
/** How long close() waits for a running checkpoint before closing anyway. */
const CLOSE_WAIT_MS = 30_000;

/** Slot 0 of each database's shared state: what its background checkpoint is doing. */
const STATE = { idle: 0, busy: 1, failed: 2, closed: 3 } as const;
/** Shared slots: state, completed background checkpoints. */
const SLOT = { state: 0, completed: 1 } as const;

export type WalCheckpointerStats = {
  /** Background checkpoints run to the end (complete or not). */
  backgroundCheckpoints: number;
  /** Small checkpoints the main thread ran to finish one that concurrent commits outran. */
  catchUpCheckpoints: number;
  /** True once the connection went back to SQLite's automatic checkpoints. */
  isFallback: boolean;
};

export type WalCheckpointer = {
  /** Call after a commit: wakes the background checkpoint when the WAL has grown past the threshold. */
  afterCommit(): void;
  /** Resolves once no background checkpoint is running. */
  settled(): Promise<void>;
  stats(): WalCheckpointerStats;
  /** Waits for a running checkpoint and closes the background connection; call before closing the database. */
  close(): void;
};

type WorkerMessage =
  | { kind: 'checkpoint'; id: number; file: string; shared: SharedArrayBuffer }
  | { kind: 'close'; id: number; shared: SharedArrayBuffer };

type WorkerReport = { kind: 'failed'; id: number; message: string };

/**
 * The background thread, as source text: evaluated rather than loaded from a
 * file, so it works the same from .ts sources, test bundles and the Electron
 * main bundle. CommonJS, plain JavaScript.
 */
const WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const STATE = ${JSON.stringify(STATE)};
const SLOT = ${JSON.stringify(SLOT)};
const connections = new Map();
let Database;
function settle(slots, state) {
  Atomics.store(slots, SLOT.state, state);
  Atomics.notify(slots, SLOT.state);
}
parentPort.on('message', (message) => {
  const slots = new Int32Array(message.shared);
  try {
    if (message.kind === 'checkpoint') {
      let db = connections.get(message.id);
      if (db === undefined) {
        Database ??= require(workerData.betterSqlite3);
        db = new Database(message.file, { fileMustExist: true });
        db.pragma('busy_timeout = 5000');
        // The checkpoint syncs the database file before the WAL may be reused.
        db.pragma('synchronous = FULL');
        connections.set(message.id, db);
      }
      db.pragma('wal_checkpoint(PASSIVE)');
      Atomics.add(slots, SLOT.completed, 1);
      settle(slots, STATE.idle);
    } else if (message.kind === 'close') {
      connections.get(message.id)?.close();
      connections.delete(message.id);
      settle(slots, STATE.closed);
    }
  } catch (error) {
    try { connections.get(message.id)?.close(); } catch {}
    connections.delete(message.id);
    settle(slots, STATE.failed);
    parentPort.postMessage({ kind: 'failed', id: message.id, message: String(error && error.message || error) });
  }
});
`;

let sharedWorker: Worker | undefined;
let nextId = 1;
/** settled() calls in flight: while there are any, the thread keeps the process alive. */
let waitingForSettle = 0;
/** Per open database: what to do when its background checkpoint fails. */
const onFailure = new Map<number, (message: string) => void>();

function backgroundThread(): Worker {
  if (sharedWorker) return sharedWorker;
  const betterSqlite3 = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { betterSqlite3 } });
  worker.on('message', (report: WorkerReport) => onFailure.get(report.id)?.(report.message));
  worker.on('error', (error: Error) => {
    for (const fail of onFailure.values()) fail(error.message);
  });
  worker.on('exit', () => {
    if (sharedWorker === worker) sharedWorker = undefined;
  });
  // An idle checkpoint thread must never keep the process alive (after the listeners: adding one refs it again).
  worker.unref();
  sharedWorker = worker;
  return worker;
}

/** When the WAL starts over, a bigger file is cut back to this size. */
export function walSizeLimit(checkpointAtBytes: number): number {
  return checkpointAtBytes - Math.floor(checkpointAtBytes / 16);
}

export function startWalCheckpointer(
  sqlite: Database.Database,
  file: string,
  options: { log: Logger; checkpointAtBytes?: number },
): WalCheckpointer {
  const { log } = options;
  const checkpointAtBytes = options.checkpointAtBytes ?? CHECKPOINT_AT_BYTES;
  const walFile = `${file}-wal`;
  const id = nextId++;
  const shared = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
  const slots = new Int32Array(shared);
  let worker: Worker | undefined;
  let isFallback = false;
  let isClosed = false;
  let catchUpCheckpoints = 0;
  // The WAL's restart count when the last background checkpoint was asked for
  // (undefined: none asked since the WAL was last below the threshold).
  let restartsAtDispatch: number | undefined;

  /** The WAL header's checkpoint sequence number (bytes 12–15, big-endian): it goes up each time the WAL starts over. */
  function walRestarts(): number {
    let fd: number | undefined;
    try {
      fd = openSync(walFile, 'r');
      const header = Buffer.alloc(16);
      return readSync(fd, header, 0, 16, 0) === 16 ? header.readUInt32BE(12) : -1;
    } catch {
      return -1;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  sqlite.pragma('wal_autocheckpoint = 0');
  sqlite.pragma(`journal_size_limit = ${walSizeLimit(checkpointAtBytes)}`);

  function fallBack(reason: string) {
    if (isFallback) return;
    isFallback = true;
    // A thread that died mid-checkpoint never reset its state: nobody may wait on it any more.
    Atomics.store(slots, SLOT.state, STATE.failed);
    Atomics.notify(slots, SLOT.state);
    sqlite.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
    log.warn(
      { reason },
      'background WAL checkpoints unavailable; SQLite checkpoints inside commits again',
    );
  }
  onFailure.set(id, fallBack);

  return {
    afterCommit() {
      if (isClosed || isFallback) return;
      const state = Atomics.load(slots, SLOT.state);
      if (state === STATE.busy) return;
      if (state === STATE.failed) return fallBack('the background checkpoint failed');
      // After a restart the file is cut back below the threshold (journal_size_limit).
      const size = statSync(walFile, { throwIfNoEntry: false })?.size ?? 0;
      if (size < checkpointAtBytes) {
        restartsAtDispatch = undefined;
        return;
      }
      const restarts = walRestarts();
      if (restarts === restartsAtDispatch) {
        // The background checkpoint ran, yet the WAL did not start over: commits made
        // while it ran outran it. Finish it here (only their frames are left).
        restartsAtDispatch = undefined;
        sqlite.pragma('wal_checkpoint(PASSIVE)');
        catchUpCheckpoints++;
        return;
      }
      restartsAtDispatch = restarts;
      try {
        worker ??= backgroundThread();
      } catch (error) {
        return fallBack((error as Error).message);
      }
      Atomics.store(slots, SLOT.state, STATE.busy);
      worker.postMessage({ kind: 'checkpoint', id, file, shared } satisfies WorkerMessage);
    },
    async settled() {
      const wait = Atomics.waitAsync(slots, SLOT.state, STATE.busy);
      if (!wait.async || worker === undefined) return;
      // A pending Atomics.waitAsync alone does not keep Node running.
      if (waitingForSettle++ === 0) worker.ref();
      try {
        await wait.value;
      } finally {
        if (--waitingForSettle === 0) worker.unref();
      }
    },
    stats: () => ({
      backgroundCheckpoints: Atomics.load(slots, SLOT.completed),
      catchUpCheckpoints,
      isFallback,
    }),
    close() {
      if (isClosed) return;
      isClosed = true;
      onFailure.delete(id);
      if (worker === undefined) return;
      // close() is synchronous (so is closing the database): block briefly on the shared state.
      Atomics.wait(slots, SLOT.state, STATE.busy, CLOSE_WAIT_MS);
      if (Atomics.load(slots, SLOT.state) === STATE.failed) return;
      Atomics.store(slots, SLOT.state, STATE.busy);
      worker.postMessage({ kind: 'close', id, shared } satisfies WorkerMessage);
      if (Atomics.wait(slots, SLOT.state, STATE.busy, CLOSE_WAIT_MS) === 'timed-out') {
        log.warn('the background checkpoint connection did not close in time');
      }
    },
  };
}
