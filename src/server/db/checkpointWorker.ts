/**
 * The server's SQLite checkpointer, on a thread of its own (see
 * startCheckpointer in checkpointer.ts). Worker entry point: opens its own
 * connection to the database file and copies committed WAL frames into the
 * database (PASSIVE: it never blocks a writer) every `intervalMs`.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

const { file, intervalMs } = workerData as { file: string; intervalMs: number };
const db = new Database(file);
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or locked: the next round (or the writer's own backstop checkpoint) catches up.
  }
}, intervalMs);
parentPort!.on('message', (message: unknown) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort!.close();
});
