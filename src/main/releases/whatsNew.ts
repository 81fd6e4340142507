/**
 * What's new for store staff on the console: after a terminal of the store
 * moves to a release (a version recorded on it, by hand or by a deployment;
 * the catalog's baseline is no move), each person working there is shown the
 * release's notes for stores once. Reading them records a
 * `release.store_notes.read` audit event; the read state is its projection,
 * replayed from the journal on a rebuild (`rebuildReadMarks`).
 */
import type { AuditActor } from '../../shared/audit/event.ts';
import { AppError } from '../../shared/errors.ts';
import type { Journal } from '../audit/journal.ts';
import type { Db } from '../db/open.ts';
import type { WhatsNewItem } from '../../shared/releases/storeNotes.ts';

type Reader = AuditActor & { storeIds: readonly string[] };

export type WhatsNewService = ReturnType<typeof createWhatsNewService>;

export function createWhatsNewService(deps: {
  db: Db;
  journal: Journal;
  /** The store this console is enrolled for; null: not enrolled (demo, or not yet connected). */
  deviceStoreId: () => string | null;
}) {
  const { db, journal } = deps;

  /** The stores whose moves concern this person on this console. */
  function storesOf(reader: Reader): string[] | null {
    const enrolled = deps.deviceStoreId();
    if (enrolled !== null) return [enrolled];
    // Regional staff (no store list) work in every store the console holds.
    return reader.storeIds.length > 0 ? [...reader.storeIds] : null;
  }

  /** Releases with notes for stores that a terminal of the person's stores moved to, unread by them; oldest move first. */
  function list(reader: Reader): WhatsNewItem[] {
    const stores = storesOf(reader);
    const rows = db.sqlite
      .prepare(
        `SELECT tc.release_id AS releaseId, r.version, r.title, n.markdown,
                tc.store_id AS storeId, tc.store_name AS storeName, min(tv.observed_at) AS movedAt
         FROM terminal_current tc
         JOIN terminal_versions tv
           ON tv.terminal_id = tc.terminal_id AND tv.release_id = tc.release_id
              AND tv.event_id IS NOT NULL
         JOIN release_store_notes n ON n.release_id = tc.release_id
         JOIN releases r ON r.id = tc.release_id
         WHERE (? IS NULL OR tc.store_id IN (SELECT value FROM json_each(?)))
           AND NOT EXISTS (SELECT 1 FROM store_notes_reads s
                           WHERE s.release_id = tc.release_id AND s.user_id = ?)
         GROUP BY tc.release_id, tc.store_id
         ORDER BY movedAt, tc.release_id, tc.store_id`,
      )
      .all(
        stores === null ? null : 1,
        JSON.stringify(stores ?? []),
        reader.userId,
      ) as WhatsNewItem[];
    // One entry per release: the store where it arrived first.
    const seen = new Set<string>();
    return rows.filter((r) => !seen.has(r.releaseId) && seen.add(r.releaseId));
  }

  /** Records that the person read the release's notes for stores (once; reading again records nothing). */
  function markRead(input: { releaseId: string }, reader: Reader): WhatsNewItem[] {
    const item = list(reader).find((i) => i.releaseId === input.releaseId);
    if (!item) {
      const isRead = db.sqlite
        .prepare('SELECT 1 FROM store_notes_reads WHERE release_id = ? AND user_id = ?')
        .get(input.releaseId, reader.userId);
      if (isRead) return list(reader);
      throw new AppError(
        'not_found',
        'There are no notes for stores of this release to read here: no terminal of your store runs it yet.',
      );
    }
    journal.record({
      type: 'release.store_notes.read',
      storeId: item.storeId,
      actor: { userId: reader.userId, role: reader.role },
      payload: { releaseId: input.releaseId },
      tables: ['store_notes_reads'],
      apply: (e) => applyStoreNotesRead(db, e),
    });
    return list(reader);
  }

  return { list, markRead };
}

type ReadEvent = { at: string; actor: { userId: string }; payload: unknown };

function applyStoreNotesRead(db: Db, e: ReadEvent): void {
  const { releaseId } = e.payload as { releaseId: string };
  db.sqlite
    .prepare(
      'INSERT INTO store_notes_reads (release_id, user_id, read_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
    )
    .run(releaseId, e.actor.userId, e.at);
}

export function applyNoticeRead(db: Db, e: ReadEvent): void {
  const { noticeId } = e.payload as { noticeId: string };
  db.sqlite
    .prepare(
      'INSERT INTO notice_reads (notice_id, user_id, read_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
    )
    .run(noticeId, e.actor.userId, e.at);
}

/** Tables the read marks own (journal-derived): who read which notice and which notes for stores. */
const READ_MARK_TABLES = ['notice_reads', 'store_notes_reads'] as const;

/**
 * Empties the read marks and replays every `notice.read` and
 * `release.store_notes.read` event of the journal in seq order, so a
 * rebuild gives exactly the state the live path left.
 */
export function rebuildReadMarks(db: Db): { replayed: number } {
  const run = db.sqlite.transaction(() => {
    for (const table of READ_MARK_TABLES) db.sqlite.exec(`DELETE FROM ${table}`);
    const rows = db.sqlite
      .prepare(
        `SELECT type, body FROM journal WHERE type IN ('notice.read', 'release.store_notes.read') ORDER BY seq`,
      )
      .all() as Array<{ type: string; body: string }>;
    let replayed = 0;
    for (const row of rows) {
      const event = JSON.parse(row.body) as ReadEvent;
      if (row.type === 'notice.read') applyNoticeRead(db, event);
      else applyStoreNotesRead(db, event);
      replayed += 1;
    }
    return { replayed };
  });
  return run.immediate();
}
