/**
 * Re-verifies a console database's journal from the bytes on disk: integrity
 * check, then every event's canonical form, hash, `prev` link and gapless seq,
 * then that the columns kept beside each event (for queries) agree with the
 * hashed text. Opens the file read-only: an auditor's check never changes it.
 */
import Database from 'better-sqlite3';
import { verifyChainTexts, GENESIS_PREV, type AuditEventBody } from '../../shared/audit/event.ts';
import { sha256Hex } from './journal.ts';

export type VerifyOk = { ok: true; count: number; head: string; deviceId: string | null };
export type VerifyBroken = {
  ok: false;
  /** The first event that does not verify; null when the file itself is unreadable. */
  seq: number | null;
  id: string | null;
  reason: string;
};
export type VerifyOutcome = VerifyOk | VerifyBroken;

type JournalRow = {
  seq: number;
  id: string;
  at: string;
  type: string;
  store_id: string;
  actor_user_id: string;
  body: Uint8Array;
  hash: Uint8Array;
};

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decode(bytes: Uint8Array | string): string | null {
  if (typeof bytes === 'string') return bytes;
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

function columnMismatch(row: JournalRow, body: AuditEventBody): string | null {
  const pairs: Array<[string, unknown, unknown]> = [
    ['id', row.id, body.id],
    ['at', row.at, body.at],
    ['type', row.type, body.type],
    ['store_id', row.store_id, body.storeId],
    ['actor_user_id', row.actor_user_id, body.actor?.userId],
  ];
  for (const [column, stored, hashed] of pairs) {
    if (stored !== hashed)
      return `its ${column} column (${String(stored)}) disagrees with the hashed event (${String(hashed)})`;
  }
  return null;
}

/**
 * Verifies the journal of an open connection (read-only use). `after` resumes
 * from an event already verified (its seq and hash, which must still be
 * there), for callers that re-check a growing journal many times.
 */
export function verifyJournalRows(
  sqlite: Database.Database,
  after?: { seq: number; hash: string },
): VerifyOutcome {
  const hasTables = sqlite
    .prepare(
      "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name IN ('journal', 'device')",
    )
    .get() as { n: number };
  if (hasTables.n !== 2) {
    return {
      ok: false,
      seq: null,
      id: null,
      reason: 'this is not a DearPOS console database (no journal)',
    };
  }
  const device = sqlite.prepare('SELECT device_id FROM device WHERE singleton = 1').get() as
    { device_id: string } | undefined;
  const deviceId = device?.device_id ?? null;
  // Read body and hash as raw bytes: the check is on what is stored, not on a
  // decoded (and possibly repaired) copy of it.
  if (after !== undefined && after.seq > 0) {
    const anchor = sqlite.prepare('SELECT hash FROM journal WHERE seq = ?').pluck().get(after.seq);
    if (anchor !== after.hash) {
      return {
        ok: false,
        seq: after.seq,
        id: null,
        reason: `event ${after.seq} is no longer the one verified before`,
      };
    }
  }
  const rows = sqlite
    .prepare(
      'SELECT seq, id, at, type, store_id, actor_user_id, CAST(body AS BLOB) AS body, CAST(hash AS BLOB) AS hash FROM journal WHERE seq > ? ORDER BY seq',
    )
    .iterate(after?.seq ?? 0) as IterableIterator<JournalRow>;
  let expectedSeq = (after?.seq ?? 0) + 1;
  let prev = after?.seq ? after.hash : GENESIS_PREV;
  let count = after?.seq ?? 0;
  for (const row of rows) {
    const body = decode(row.body);
    const hash = decode(row.hash);
    if (body === null || hash === null) {
      return {
        ok: false,
        seq: row.seq,
        id: row.id,
        reason: `event ${row.id} is stored with bytes that are not valid UTF-8`,
      };
    }
    const result = verifyChainTexts([{ seq: row.seq, body, hash }], sha256Hex, {
      ...(deviceId === null ? {} : { deviceId }),
      startSeq: expectedSeq,
      startPrev: prev,
    });
    if (!result.ok) return { ok: false, seq: row.seq, id: row.id, reason: result.reason };
    const mismatch = columnMismatch(row, JSON.parse(body) as AuditEventBody);
    if (mismatch !== null)
      return { ok: false, seq: row.seq, id: row.id, reason: `event ${row.id}: ${mismatch}` };
    prev = result.head;
    expectedSeq += 1;
    count += 1;
  }
  return { ok: true, count, head: prev, deviceId };
}

/** Opens a console database read-only, runs quick_check, then verifies its journal. */
export function verifyDatabaseFile(file: string): VerifyOutcome {
  let sqlite: Database.Database;
  try {
    sqlite = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    return {
      ok: false,
      seq: null,
      id: null,
      reason: `the database cannot be opened (${(error as Error).message})`,
    };
  }
  try {
    const check = sqlite.pragma('quick_check', { simple: true }) as string;
    if (check !== 'ok')
      return {
        ok: false,
        seq: null,
        id: null,
        reason: `the database failed its integrity check (${check})`,
      };
    return verifyJournalRows(sqlite);
  } catch (error) {
    return {
      ok: false,
      seq: null,
      id: null,
      reason: `the database cannot be read (${(error as Error).message})`,
    };
  } finally {
    sqlite.close();
  }
}
