/**
 * The controlled downgrade of a console's database, for a console older than
 * the database it finds (after an update was rolled back). Opening such a
 * database is refused (src/main/db/migrate.ts); this is the way back, and it
 * never loses a journal event that has not reached the central server:
 *
 * 1. The events not yet acknowledged by the server are exported first to a
 *    JSON Lines file (flushed to disk) — before anything is moved.
 * 2. If a backup this version can open holds exactly the same journal (same
 *    last seq and hash), it replaces the database: nothing was recorded since
 *    the newer version migrated, so nothing is lost and the device's hash
 *    chain continues where the server has it.
 * 3. Otherwise restoring a backup would drop events or rewind the device's
 *    chain (the server would see the same seq twice with another hash), so the
 *    newer database is only moved aside, intact, and the console starts with a
 *    fresh data file; the newer console can still open the moved file and sync it.
 *
 * The newer database is never deleted or written to (beyond folding its WAL in).
 */
import Database from 'better-sqlite3';
import {
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { gt, valid } from 'semver';
import { AppError } from '../../shared/errors.ts';
import { newerDatabaseCheck, recordedConsoleVersions, unknownMigrations } from '../db/migrate.ts';

export type DowngradeResult = {
  /** `restored`: the backup replaced the database; `moved_aside`: the console starts fresh. */
  kind: 'restored' | 'moved_aside';
  /** The backup that was restored, or null. */
  backup: string | null;
  /** Where the newer database now lives (never deleted). */
  movedAside: string;
  /** The JSON Lines export of the unsynced events, or null when there were none. */
  exportFile: string | null;
  unsyncedCount: number;
  /** The console version that wrote the newer database, when it recorded one. */
  writtenBy: string | null;
};

type JournalHead = { seq: number; hash: string } | null;

export function downgradeDatabase(options: {
  file: string;
  /** Where migrateToLatest wrote its backups (default: `backups` beside the file). */
  backupDir?: string;
  /** Where the unsynced events are exported (default: `exports` beside the file). */
  exportDir?: string;
  appVersion: string;
  now?: () => Date;
}): DowngradeResult {
  const { file, appVersion } = options;
  const now = options.now ?? (() => new Date());
  if (valid(appVersion) === null) {
    throw new AppError('invalid_version', `${appVersion} is not a console version.`);
  }
  if (!existsSync(file)) {
    throw new AppError('not_found', `There is no console database at ${file}.`);
  }
  const backupDir = options.backupDir ?? join(dirname(file), 'backups');
  const exportDir = options.exportDir ?? join(dirname(file), 'exports');
  const stamp = now().toISOString().replace(/[:.]/g, '-');

  const sqlite = new Database(file);
  let writtenBy: string | null;
  let head: JournalHead;
  let exportFile: string | null = null;
  let unsyncedCount = 0;
  try {
    if (!newerDatabaseCheck({ sqlite, file }, appVersion)) {
      throw new AppError(
        'conflict',
        `The database at ${file} was not written by a newer console: console ${appVersion} opens it as it is, nothing to downgrade.`,
      );
    }
    writtenBy = recordedConsoleVersions(sqlite)[0] ?? null;
    head = journalHead(sqlite);
    const unsynced = unsyncedEvents(sqlite);
    unsyncedCount = unsynced.length;
    if (unsynced.length > 0) {
      exportFile = join(exportDir, `${basename(file)}.${stamp}.unsynced.jsonl`);
      writeDurably(exportFile, [
        {
          kind: 'unsynced-journal',
          v: 1,
          deviceId: deviceId(sqlite),
          database: file,
          writtenBy,
          count: unsynced.length,
          exportedAt: now().toISOString(),
        },
        ...unsynced,
      ]);
    }
    // Fold the WAL into the file, so moving one file moves every committed write.
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    sqlite.close();
  }

  const backup = findRestorableBackup(backupDir, file, appVersion, head);
  const movedAside = join(
    dirname(file),
    `${basename(file)}.${stamp}.newer-${writtenBy ?? 'unknown'}`,
  );
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(file + suffix)) renameSync(file + suffix, movedAside + suffix);
  }
  if (backup) copyFileSync(backup, file);
  return {
    kind: backup ? 'restored' : 'moved_aside',
    backup,
    movedAside,
    exportFile,
    unsyncedCount,
    writtenBy,
  };
}

function hasTable(sqlite: Database.Database, name: string): boolean {
  return (
    sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !==
    undefined
  );
}

function journalHead(sqlite: Database.Database): JournalHead {
  if (!hasTable(sqlite, 'journal')) return null;
  const row = sqlite.prepare('SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1').get() as
    { seq: number; hash: string } | undefined;
  return row ?? null;
}

function deviceId(sqlite: Database.Database): string | null {
  if (!hasTable(sqlite, 'device')) return null;
  const row = sqlite.prepare('SELECT device_id FROM device').get() as
    { device_id: string } | undefined;
  return row?.device_id ?? null;
}

/** The events the server has not acknowledged, as they were hashed plus their hash. */
function unsyncedEvents(sqlite: Database.Database): Array<Record<string, unknown>> {
  if (!hasTable(sqlite, 'journal')) return [];
  const acked = hasTable(sqlite, 'sync_state')
    ? ((
        sqlite.prepare('SELECT acked_seq FROM sync_state').get() as
          { acked_seq: number } | undefined
      )?.acked_seq ?? 0)
    : 0;
  const rows = sqlite
    .prepare('SELECT body, hash FROM journal WHERE seq > ? ORDER BY seq')
    .all(acked) as Array<{ body: string; hash: string }>;
  return rows.map((r) => ({ ...(JSON.parse(r.body) as Record<string, unknown>), hash: r.hash }));
}

function writeDurably(file: string, lines: unknown[]): void {
  mkdirSync(dirname(file), { recursive: true });
  // 'wx': an export is never overwritten.
  const fd = openSync(file, 'wx');
  try {
    writeSync(fd, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * The newest backup of `file` that this console can open (no unknown
 * migration, no newer version recorded) and whose journal ends exactly where
 * the newer database's does.
 */
function findRestorableBackup(
  backupDir: string,
  file: string,
  appVersion: string,
  head: JournalHead,
): string | null {
  if (!existsSync(backupDir)) return null;
  const prefix = `${basename(file)}.`;
  const candidates = readdirSync(backupDir)
    .filter((name) => name.startsWith(prefix) && name.endsWith('.bak'))
    .sort()
    .reverse();
  for (const name of candidates) {
    const path = join(backupDir, name);
    let backup: Database.Database | null = null;
    try {
      backup = new Database(path, { readonly: true, fileMustExist: true });
      if (unknownMigrations({ sqlite: backup }).length > 0) continue;
      const newest = recordedConsoleVersions(backup)[0];
      if (newest && gt(newest, appVersion)) continue;
      const backupHead = journalHead(backup);
      const isSameJournal =
        (head === null && backupHead === null) ||
        (head !== null &&
          backupHead !== null &&
          head.seq === backupHead.seq &&
          head.hash === backupHead.hash);
      if (isSameJournal) return path;
    } catch {
      // An unreadable backup is simply not a candidate.
      continue;
    } finally {
      backup?.close();
    }
  }
  return null;
}
