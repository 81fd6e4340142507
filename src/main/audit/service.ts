/**
 * What the audit screen reads: the journal's state and pages of its events,
 * the central log's tree head this console last verified and the newest
 * proof that its own events are in it, and the plain journal export (the
 * file `npm run audit:verify` checks) as text for the screen to save.
 */
import type {
  AuditStatus,
  JournalEventsPage,
  JournalEventsQuery,
} from '../../shared/contract/audit.ts';
import type { Db } from '../db/open.ts';
import { forEachJournalExportLine } from './export.ts';

export type AuditService = ReturnType<typeof createAuditService>;

type StatusRow = {
  acked_seq: number;
  tree_head: string | null;
  tree_head_verified_at: string | null;
  last_inclusion: string | null;
};

export function createAuditService(deps: { db: Db; now: () => Date }) {
  const { db, now } = deps;

  function status(): AuditStatus {
    const journal = db.sqlite
      .prepare('SELECT count(*) AS count, max(seq) AS seq, max(at) AS lastAt FROM journal')
      .get() as { count: number; seq: number | null; lastAt: string | null };
    const head =
      journal.seq === null
        ? null
        : (db.sqlite.prepare('SELECT hash FROM journal WHERE seq = ?').get(journal.seq) as {
            hash: string;
          });
    const sync = db.sqlite
      .prepare(
        'SELECT acked_seq, tree_head, tree_head_verified_at, last_inclusion FROM sync_state WHERE singleton = 1',
      )
      .get() as StatusRow | undefined;
    const treeHead = sync?.tree_head
      ? (JSON.parse(sync.tree_head) as { size: number; root: string; at: string })
      : null;
    return {
      journal: {
        count: journal.count,
        headSeq: journal.seq,
        headHash: head?.hash ?? null,
        lastAt: journal.lastAt,
      },
      isEnrolled: sync !== undefined,
      ackedSeq: sync?.acked_seq ?? 0,
      treeHead:
        treeHead && sync?.tree_head_verified_at
          ? {
              size: treeHead.size,
              root: treeHead.root,
              signedAt: treeHead.at,
              verifiedAt: sync.tree_head_verified_at,
            }
          : null,
      inclusion: sync?.last_inclusion
        ? (JSON.parse(sync.last_inclusion) as AuditStatus['inclusion'])
        : null,
    };
  }

  function journalEvents(query: JournalEventsQuery): JournalEventsPage {
    const where = query.type ? 'WHERE type = ?' : '';
    const params = query.type ? [query.type] : [];
    const total = (
      db.sqlite.prepare(`SELECT count(*) AS n FROM journal ${where}`).get(...params) as {
        n: number;
      }
    ).n;
    const acked =
      (
        db.sqlite.prepare('SELECT acked_seq FROM sync_state WHERE singleton = 1').get() as
          { acked_seq: number } | undefined
      )?.acked_seq ?? 0;
    const rows = db.sqlite
      .prepare(
        `SELECT seq, at, type, store_id AS storeId, actor_user_id AS userId, hash FROM journal ${where}
         ORDER BY seq DESC LIMIT ? OFFSET ?`,
      )
      .all(...params, query.limit, query.offset) as Array<{
      seq: number;
      at: string;
      type: string;
      storeId: string;
      userId: string;
      hash: string;
    }>;
    const types = (
      db.sqlite.prepare('SELECT DISTINCT type FROM journal ORDER BY type').all() as Array<{
        type: string;
      }>
    ).map((r) => r.type);
    return { total, types, rows: rows.map((r) => ({ ...r, isSynced: r.seq <= acked })) };
  }

  /** The whole journal as the verifiable JSON Lines export, with its file name. */
  function journalExport(): { fileName: string; content: string } {
    const at = now();
    let content = '';
    forEachJournalExportLine(db.sqlite, (line) => (content += `${line}\n`), at);
    const stamp = at.toISOString().slice(0, 19).replace(/[:T]/g, '-');
    return { fileName: `journal-${stamp}.jsonl`, content };
  }

  return { status, journalEvents, journalExport };
}
