/**
 * The console's plain journal export (JSON Lines): a header line, then one
 * `{seq, body, hash}` line per event, where `body` is the exact canonical text
 * that was hashed. It proves the chain is self-consistent; only the signed
 * audit bundle from the central server proves it is the chain the server holds.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { GENESIS_PREV } from '../../shared/audit/event.ts';

export const JOURNAL_EXPORT_KIND = 'dearpos-journal-export';

export type JournalExportHeader = {
  kind: typeof JOURNAL_EXPORT_KIND;
  v: 1;
  deviceId: string | null;
  count: number;
  head: string;
  exportedAt: string;
};

export type JournalExportLine = { seq: number; body: string; hash: string };

/**
 * Hands the export's lines (without newlines) to `visit`, header first. One
 * read transaction, so the header and the events describe the same moment;
 * synchronous, so no write can interleave on the one connection.
 */
export function forEachJournalExportLine(
  sqlite: Database.Database,
  visit: (line: string) => void,
  exportedAt: Date = new Date(),
): void {
  const ownsTransaction = !sqlite.inTransaction;
  if (ownsTransaction) sqlite.exec('BEGIN');
  try {
    const device = sqlite.prepare('SELECT device_id FROM device WHERE singleton = 1').get() as
      { device_id: string } | undefined;
    const last = sqlite.prepare('SELECT count(*) AS count, max(seq) AS seq FROM journal').get() as {
      count: number;
      seq: number | null;
    };
    const headRow =
      last.seq === null
        ? undefined
        : (sqlite.prepare('SELECT hash FROM journal WHERE seq = ?').get(last.seq) as {
            hash: string;
          });
    const header: JournalExportHeader = {
      kind: JOURNAL_EXPORT_KIND,
      v: 1,
      deviceId: device?.device_id ?? null,
      count: last.count,
      head: headRow?.hash ?? GENESIS_PREV,
      exportedAt: exportedAt.toISOString(),
    };
    visit(JSON.stringify(header));
    const rows = sqlite
      .prepare('SELECT seq, body, hash FROM journal ORDER BY seq')
      .iterate() as IterableIterator<JournalExportLine>;
    for (const row of rows)
      visit(
        JSON.stringify({
          seq: row.seq,
          body: row.body,
          hash: row.hash,
        } satisfies JournalExportLine),
      );
  } finally {
    if (ownsTransaction) sqlite.exec('COMMIT');
  }
}

/** Writes the export to `file` (npm run audit:verify -- DB --export FILE); returns the number of events written. */
export function writeJournalExport(
  sqlite: Database.Database,
  file: string,
  exportedAt: Date = new Date(),
): number {
  const fd = openSync(file, 'w', 0o600);
  let count = -1;
  try {
    let chunk = '';
    forEachJournalExportLine(
      sqlite,
      (line) => {
        chunk += line + '\n';
        count += 1;
        if (chunk.length > 1 << 20) {
          writeSync(fd, chunk);
          chunk = '';
        }
      },
      exportedAt,
    );
    writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
  return count;
}
