/**
 * Evidence retention: after N days an evidence file's bytes move from the
 * database to an archive folder (a local disk, or an object store mounted as
 * a folder), named by their SHA-256. The row stays with its hash, type, size
 * and where the bytes went, so every log entry citing the file still
 * verifies and an auditor can still fetch the bytes while the archive is
 * mounted: they are re-hashed on the way out. The log itself is never
 * touched: retention applies to evidence blobs only.
 *
 * Crash-safe and repeatable: each file is written (temp file, fsync, rename)
 * before its row gives up the bytes, so a run killed half-way leaves at most
 * a file that the next run finds already in place.
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import type { ServerDb } from '../db/open.ts';
import { ServerError } from '../errors.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** `ab/abcdef…`: 256 folders, so no folder holds millions of files. */
export function archivePathOf(sha256: string): string {
  return `${sha256.slice(0, 2)}/${sha256}`;
}

function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function writeDurably(file: string, bytes: Uint8Array): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  const dir = openSync(dirname(file), 'r');
  fsyncSync(dir);
  closeSync(dir);
}

export type ArchiveOutcome = { archived: number; bytes: number };

export async function archiveEvidence(
  store: ServerDb,
  options: { olderThanDays: number; archiveDir: string; now: Date; batch?: number },
): Promise<ArchiveOutcome> {
  if (!Number.isInteger(options.olderThanDays) || options.olderThanDays < 1)
    throw new ServerError('invalid_input', 'olderThanDays is a whole number of days, at least 1.');
  const cutoff = new Date(options.now.getTime() - options.olderThanDays * DAY_MS).toISOString();
  const outcome: ArchiveOutcome = { archived: 0, bytes: 0 };
  for (;;) {
    const rows = await store.db
      .selectFrom('evidence_files')
      .select(['sha256', 'data'])
      .where('archived_at', 'is', null)
      .where('received_at', '<', cutoff)
      .orderBy('received_at')
      .limit(options.batch ?? 200)
      .execute();
    if (rows.length === 0) return outcome;
    for (const row of rows) {
      const bytes = Buffer.from(row.data);
      if (sha256Of(bytes) !== row.sha256)
        throw new ServerError(
          'internal',
          `The stored evidence ${row.sha256} does not hash to its name; nothing more was archived. The database needs an operator's attention.`,
        );
      const path = archivePathOf(row.sha256);
      const file = join(options.archiveDir, path);
      if (!existsSync(file) || sha256Of(readFileSync(file)) !== row.sha256)
        writeDurably(file, bytes);
      await store.db
        .updateTable('evidence_files')
        .set({
          data: new Uint8Array(0),
          archived_at: options.now.toISOString(),
          archive_path: path,
        })
        .where('sha256', '=', row.sha256)
        .where('archived_at', 'is', null)
        .execute();
      outcome.archived += 1;
      outcome.bytes += bytes.length;
    }
  }
}

/**
 * The bytes of an evidence row: from the database, or from the archive when
 * it was archived, checked against the hash either way.
 */
export function evidenceBytes(
  row: {
    sha256: string;
    data: Uint8Array;
    archived_at: string | null;
    archive_path: string | null;
  },
  archiveDir: string | null,
): Buffer {
  if (row.archived_at === null) return Buffer.from(row.data);
  const where = row.archive_path ?? archivePathOf(row.sha256);
  if (!archiveDir)
    throw new ServerError(
      'not_found',
      `The evidence file ${row.sha256} was archived on ${row.archived_at.slice(0, 10)} (${where}) and this server has no archive folder configured (EVIDENCE_ARCHIVE_DIR); its hash is still in the log.`,
    );
  let bytes: Buffer;
  try {
    bytes = readFileSync(join(archiveDir, where));
  } catch {
    throw new ServerError(
      'not_found',
      `The evidence file ${row.sha256} was archived on ${row.archived_at.slice(0, 10)} and is not in the archive folder (${where}); its hash is still in the log.`,
    );
  }
  if (sha256Of(bytes) !== row.sha256)
    throw new ServerError(
      'internal',
      `The archived evidence file ${where} does not hash to its name: the archive was changed.`,
    );
  return bytes;
}
