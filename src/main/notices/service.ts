/**
 * Notices on a store console: fetched from the central server with the
 * device token (`GET /v1/notices?since=`), kept in `notices` for offline,
 * and listed for the signed-in person by the roles each kind concerns (a
 * release communication by the roles its plan names). What
 * is waiting now (change requests, interventions) is replaced on every fetch,
 * so a request decided elsewhere stops being a notice. Reading one records a
 * `notice.read` audit event, and the read state is its projection.
 */
import type { AuditActor } from '../../shared/audit/event.ts';
import type { NoticeList, NoticeView } from '../../shared/contract/notices.ts';
import type { Role } from '../../shared/domain/roles.ts';
import { AppError } from '../../shared/errors.ts';
import {
  NOTICE_AUDIENCE,
  NOTICE_KINDS,
  NOTICE_ROUTES,
  noticesResponse,
  type Notice,
  type NoticeKind,
} from '../../shared/notices/protocol.ts';
import type { Journal } from '../audit/journal.ts';
import type { Db } from '../db/open.ts';
import { readSyncState } from '../sync/state.ts';
import { applyNoticeRead } from '../releases/whatsNew.ts';

const TIMEOUT_MS = 15_000;
/** Kinds that say what is waiting now, not what happened: replaced by each answer. */
const CURRENT_KINDS: readonly NoticeKind[] = ['intervention_waiting', 'change_request_waiting'];
const MAX_LISTED = 100;

type NoticeRow = {
  id: string;
  kind: string;
  at: string;
  store_id: string | null;
  release_id: string | null;
  subject_id: string | null;
  text: string | null;
  minutes: number | null;
  is_read: number;
};

/** Whether a notice is for this role: by its kind, or, for a release communication, by the roles it names. */
function isFor(role: Role, kind: NoticeKind, roles: readonly string[]): boolean {
  return kind === 'communication' ? roles.includes(role) : NOTICE_AUDIENCE[kind].includes(role);
}

export type NoticesService = ReturnType<typeof createNoticesService>;

export function createNoticesService(deps: {
  db: Db;
  journal: Journal;
  now: () => Date;
  fetch?: typeof fetch;
}) {
  const { db, journal, now } = deps;
  const doFetch = deps.fetch ?? fetch;

  function state(): { next: number; fetched_at: string | null; error: string | null } {
    return (
      (db.sqlite
        .prepare('SELECT next, fetched_at, error FROM notice_state WHERE singleton = 1')
        .get() as
        { next: number; fetched_at: string | null; error: string | null } | undefined) ?? {
        next: 0,
        fetched_at: null,
        error: null,
      }
    );
  }

  function saveState(next: number, fetchedAt: string | null, error: string | null): void {
    db.sqlite
      .prepare(
        `INSERT INTO notice_state (singleton, next, fetched_at, error) VALUES (1, ?, ?, ?)
         ON CONFLICT (singleton) DO UPDATE SET next = excluded.next, fetched_at = excluded.fetched_at, error = excluded.error`,
      )
      .run(next, fetchedAt, error);
  }

  /** Asks the server for what is new; on failure keeps what is kept and says why. */
  async function refresh(): Promise<void> {
    const sync = readSyncState(db);
    if (!sync) return;
    const before = state();
    try {
      let since = before.next;
      const fetched: Notice[] = [];
      // Log facts come a page at a time; what waits now comes whole with each page.
      let current: Notice[] = [];
      for (let page = 0; page < 20; page++) {
        const url = new URL(
          `${NOTICE_ROUTES.notices.url}?since=${since}&communications=1`,
          sync.server_url,
        );
        let res: Response;
        try {
          res = await doFetch(url, {
            headers: { authorization: `Bearer ${sync.device_token}` },
            signal: AbortSignal.timeout(TIMEOUT_MS),
          });
        } catch {
          throw new AppError(
            'unavailable',
            `The central server at ${sync.server_url} cannot be reached.`,
          );
        }
        if (!res.ok)
          throw new AppError('unavailable', `The central server answered ${res.status}.`);
        const answer = noticesResponse.parse(await res.json());
        current = answer.notices.filter((n) => CURRENT_KINDS.includes(n.kind));
        fetched.push(...answer.notices.filter((n) => !CURRENT_KINDS.includes(n.kind)));
        if (answer.next === since) break;
        since = answer.next;
      }
      const receivedAt = now().toISOString();
      const upsert = db.sqlite.prepare(
        `INSERT INTO notices (id, kind, at, store_id, release_id, subject_id, text, minutes, received_at, roles)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET minutes = excluded.minutes, text = excluded.text, roles = excluded.roles`,
      );
      db.sqlite
        .transaction(() => {
          const keep = current.map((n) => n.id);
          db.sqlite
            .prepare(
              `DELETE FROM notices WHERE kind IN (${CURRENT_KINDS.map(() => '?').join(', ')})
               AND id NOT IN (SELECT value FROM json_each(?))`,
            )
            .run(...CURRENT_KINDS, JSON.stringify(keep));
          for (const n of [...fetched, ...current])
            upsert.run(
              n.id,
              n.kind,
              n.at,
              n.storeId,
              n.releaseId,
              n.subjectId,
              n.text,
              n.minutes,
              receivedAt,
              n.roles === undefined ? null : JSON.stringify(n.roles),
            );
          saveState(since, receivedAt, null);
        })
        .immediate();
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      saveState(before.next, before.fetched_at, error.message);
    }
  }

  function listFor(userId: string, role: Role): NoticeList {
    const kinds = NOTICE_KINDS.filter((k) => NOTICE_AUDIENCE[k].includes(role));
    const rows = db.sqlite
      .prepare(
        `SELECT n.id, n.kind, n.at, n.store_id, n.release_id, n.subject_id, n.text, n.minutes,
                r.notice_id IS NOT NULL AS is_read
         FROM notices n LEFT JOIN notice_reads r ON r.notice_id = n.id AND r.user_id = ?
         WHERE n.kind IN (SELECT value FROM json_each(?))
            OR (n.kind = 'communication' AND EXISTS (SELECT 1 FROM json_each(n.roles) WHERE value = ?))
         ORDER BY n.at DESC, n.id DESC LIMIT ?`,
      )
      .all(userId, JSON.stringify(kinds), role, MAX_LISTED) as NoticeRow[];
    const notices = rows.map((r): NoticeView => ({
      id: r.id,
      kind: r.kind as NoticeKind,
      at: r.at,
      storeId: r.store_id,
      releaseId: r.release_id,
      subjectId: r.subject_id,
      text: r.text,
      minutes: r.minutes,
      isRead: r.is_read === 1,
    }));
    return { notices, unread: notices.filter((n) => !n.isRead).length, ...ageOf() };
  }

  function ageOf(): Pick<NoticeList, 'fetchedAt' | 'error'> {
    const s = state();
    return { fetchedAt: s.fetched_at, error: s.error };
  }

  async function list(actor: AuditActor): Promise<NoticeList> {
    await refresh();
    return listFor(actor.userId, actor.role);
  }

  function markRead(input: { noticeId: string }, actor: AuditActor): NoticeList {
    const row = db.sqlite
      .prepare('SELECT kind, roles FROM notices WHERE id = ?')
      .get(input.noticeId) as { kind: NoticeKind; roles: string | null } | undefined;
    if (!row) throw new AppError('not_found', 'This notice is not on this console.');
    if (!isFor(actor.role, row.kind, row.roles ? (JSON.parse(row.roles) as string[]) : []))
      throw new AppError('forbidden', 'This notice is not for your role.');
    const isRead = db.sqlite
      .prepare('SELECT 1 FROM notice_reads WHERE notice_id = ? AND user_id = ?')
      .get(input.noticeId, actor.userId);
    // Notices reach enrolled consoles only: the event is the enrolled store's.
    const storeId = readSyncState(db)?.store_id ?? 'all-stores';
    // Reading twice records once.
    if (!isRead)
      journal.record({
        type: 'notice.read',
        storeId,
        actor,
        payload: { noticeId: input.noticeId, kind: row.kind },
        tables: ['notice_reads'],
        // The same apply a rebuild replays (src/main/releases/whatsNew.ts rebuildReadMarks).
        apply: (e) => applyNoticeRead(db, e),
      });
    return listFor(actor.userId, actor.role);
  }

  return { list, markRead };
}
