/**
 * Quarantine marks on the console (migration 0110-quarantine-marks): which of
 * this console's events the central server appended but quarantined, and
 * why. The push ack names them `{seq, reason}`; they are kept beside the
 * journal (whose rows never change) and shown with the event on the Sync
 * screen, in plain words and with what the person can do about it.
 */
import {
  QUARANTINE_REASON_TEXT,
  isQuarantineReason,
  type QuarantineReason,
} from '../../shared/audit/actorRule.ts';
import type { QuarantinedEventPage } from '../../shared/sync/status.ts';
import type { Db } from '../db/open.ts';

const MAX_QUARANTINE_MARKS_PAGE = 200;

/**
 * Records the marks of one ack. Idempotent: a retried push lists the same
 * marks again, and the first note of each stays.
 */
export function recordQuarantineMarks(
  db: Db,
  marks: ReadonlyArray<{ seq: number; reason: QuarantineReason }>,
  notedAt: string,
): void {
  if (marks.length === 0) return;
  const insert = db.sqlite.prepare(
    'INSERT OR IGNORE INTO quarantine_marks (seq, reason, noted_at) VALUES (?, ?, ?)',
  );
  db.sqlite.transaction(() => {
    for (const m of marks) insert.run(m.seq, m.reason, notedAt);
  })();
}

export function countQuarantineMarks(db: Db): number {
  return (db.sqlite.prepare('SELECT count(*) AS n FROM quarantine_marks').get() as { n: number }).n;
}

/** The quarantine reason of each of `seqs` that has one (for lists of journal events). */
export function quarantineReasonsOf(
  db: Db,
  seqs: readonly number[],
): Map<number, QuarantineReason> {
  const out = new Map<number, QuarantineReason>();
  if (seqs.length === 0) return out;
  const rows = db.sqlite
    .prepare(
      'SELECT seq, reason FROM quarantine_marks WHERE seq IN (SELECT value FROM json_each(?))',
    )
    .all(JSON.stringify(seqs)) as Array<{ seq: number; reason: string }>;
  for (const r of rows) if (isQuarantineReason(r.reason)) out.set(r.seq, r.reason);
  return out;
}

/** One page of quarantined events, newest first (keyset: seq below `beforeSeq`). */
export function listQuarantineMarks(
  db: Db,
  q: { beforeSeq?: number | undefined; limit?: number | undefined },
): QuarantinedEventPage {
  const limit = Math.min(q.limit ?? 50, MAX_QUARANTINE_MARKS_PAGE);
  const rows = db.sqlite
    .prepare(
      `SELECT m.seq, m.reason, m.noted_at, j.id, j.at, j.type, j.actor_user_id
       FROM quarantine_marks m JOIN journal j ON j.seq = m.seq
       WHERE m.seq < ? ORDER BY m.seq DESC LIMIT ?`,
    )
    .all(q.beforeSeq ?? Number.MAX_SAFE_INTEGER, limit + 1) as Array<{
    seq: number;
    reason: string;
    noted_at: string;
    id: string;
    at: string;
    type: string;
    actor_user_id: string;
  }>;
  const shown = rows.slice(0, limit);
  return {
    events: shown.map((r) => {
      const reason = isQuarantineReason(r.reason) ? r.reason : 'actor_unknown';
      return {
        seq: r.seq,
        id: r.id,
        at: r.at,
        type: r.type,
        userId: r.actor_user_id,
        reason,
        explanation: QUARANTINE_REASON_TEXT[reason],
        notedAt: r.noted_at,
      };
    }),
    nextBeforeSeq: rows.length > limit ? shown[shown.length - 1]!.seq : null,
    total: countQuarantineMarks(db),
  };
}
