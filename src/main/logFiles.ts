/**
 * The console's log file, rotated by size: a console runs for weeks in a
 * store, and a log that grows without end fills the till's disk. When the
 * file passes `maxBytes` it becomes `<file>.1` (the older ones shift to .2 …
 * up to `keep`, the oldest is dropped) and writing goes on in a fresh file.
 * Pure Node (pino's file destination and fs): tested without Electron.
 */
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { pino } from 'pino';

const LOG_MAX_BYTES = 10 * 1024 * 1024;
const LOG_KEEP = 5;

export type RotatingLogFile = {
  write(chunk: string): boolean;
  /** Writes out what is buffered (tests, and before the process exits). */
  flushSync(): void;
};

export function createRotatingLogFile(options: {
  file: string;
  maxBytes?: number;
  keep?: number;
}): RotatingLogFile {
  const { file } = options;
  const maxBytes = options.maxBytes ?? LOG_MAX_BYTES;
  const keep = options.keep ?? LOG_KEEP;
  // Synchronous writes (no fsync): a console logs a few lines a minute, and a synchronous file
  // can be renamed and reopened between two lines without losing or reordering any.
  const destination = pino.destination({ dest: file, mkdir: true, sync: true });
  let written = existsSync(file) ? statSync(file).size : 0;

  function rotate(): void {
    destination.flushSync();
    rmSync(`${file}.${keep}`, { force: true });
    for (let i = keep - 1; i >= 1; i--) {
      if (existsSync(`${file}.${i}`)) renameSync(`${file}.${i}`, `${file}.${i + 1}`);
    }
    renameSync(file, `${file}.1`);
    // Reopens the same path: a new, empty file (pino's own way of following logrotate).
    destination.reopen();
    written = 0;
  }

  return {
    write(chunk) {
      // Rotate before the line that would pass the limit, so no file grows past it by more than one line.
      if (written > 0 && written + Buffer.byteLength(chunk) > maxBytes) {
        try {
          rotate();
        } catch {
          // A failed rotation must never lose the log line or stop the console: keep appending.
        }
      }
      written += Buffer.byteLength(chunk);
      return destination.write(chunk);
    },
    flushSync() {
      destination.flushSync();
    },
  };
}
