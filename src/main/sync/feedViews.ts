/**
 * What the Sync screen and the provenance badges read: this console's
 * records on their way to the central log (queued, sent, superseded by the
 * conflict rule, quarantined by the server) and the feed pages it refused,
 * each with its reason in plain words and what the user can do; and, for any
 * record, which device and user it came from and whether the central log
 * holds it.
 */
import type {
  Provenance,
  ProvenanceSubject,
  SyncQueueItem,
  SyncQueueKind,
  SyncQueueView,
} from '../../shared/contract/sync.ts';
import { isQuarantineReason, QUARANTINE_REASON_TEXT } from '../../shared/audit/actorRule.ts';
import type { Db } from '../db/open.ts';
import { readFeedState } from './feed.ts';
import { readSyncState } from './state.ts';

/** A record's type in the words of the screens. */
function recordTypeLabel(type: string | null): string {
  if (type === null) return 'Record';
  const known: Record<string, string> = {
    'fleet.version.recorded': 'Version recorded',
    'deployment.planned': 'Deployment planned',
    'deployment.started': 'Deployment started',
    'deployment.intervention.claimed': 'Intervention claimed',
    'deployment.intervention.proceeded': 'Intervention done',
    'deployment.version.recorded': 'Version captured in a deployment',
    'change_request.requested': 'Change requested',
    'change_request.approved': 'Change request approved',
    'change_request.rejected': 'Change request rejected',
    'checklist.run.started': 'Checklist started',
    'checklist.result.recorded': 'Checklist answer',
    'decision.recorded': 'Go / no-go decision',
    'feedback.bug_report.drafted': 'Bug report',
    'session.signed_in': 'Signed in',
    'session.signed_out': 'Signed out',
    'console.update.refused': 'Console update refused',
    'console.update.verified': 'Console update verified',
  };
  return known[type] ?? type.replaceAll('_', ' ').replaceAll('.', ' › ');
}

/** The conflict rule's refusal codes in words. */
function supersededReason(code: string | null): string {
  if (code === 'already_claimed') return 'someone else had already claimed it';
  if (code === 'already_decided') return 'it had already been decided';
  return code ? `it no longer applied (${code.replaceAll('_', ' ')})` : 'it no longer applied';
}

type EventRow = {
  id: string;
  seq: number;
  type: string;
  at: string;
  actor_user_id: string;
};

export function readSyncQueue(db: Db, options: { limit?: number } = {}): SyncQueueView {
  const limit = options.limit ?? 50;
  const state = readSyncState(db);
  const acked = state?.acked_seq ?? 0;
  const counts: Record<SyncQueueKind, number> = {
    queued: 0,
    sent: 0,
    quarantined: 0,
    refused: 0,
    superseded: 0,
  };
  const items: SyncQueueItem[] = [];
  const count = (sql: string, ...args: unknown[]) =>
    db.sqlite
      .prepare(sql)
      .pluck()
      .get(...args) as number;
  const rows = (sql: string, ...args: unknown[]) =>
    db.sqlite.prepare(sql).all(...args) as EventRow[];
  const head = count('SELECT coalesce(max(seq), 0) FROM journal');

  counts.queued = Math.max(0, head - acked);
  for (const r of rows(
    'SELECT id, seq, type, at, actor_user_id FROM journal WHERE seq > ? ORDER BY seq DESC LIMIT ?',
    acked,
    limit,
  )) {
    items.push({
      kind: 'queued',
      eventId: r.id,
      seq: r.seq,
      type: r.type,
      at: r.at,
      userId: r.actor_user_id,
      userName: null,
      reason: state
        ? state.last_error
          ? `Not sent yet: ${state.last_error}`
          : 'Waiting for the next sync with the central server.'
        : 'This console is not connected to a central server: it keeps everything here.',
      whatToDo: state
        ? 'Nothing: it goes by itself as soon as the central server answers. Press Sync now to send it at once.'
        : 'Connect this console below to send its records to the central log.',
    });
  }

  const superseded = db.sqlite
    .prepare(
      `SELECT j.id, j.seq, j.type, j.at, j.actor_user_id, s.superseded_by, s.reason,
         w.type AS winner_type, w.actor_user_id AS winner_user
       FROM superseded_events s JOIN journal j ON j.id = s.event_id
       LEFT JOIN foreign_events w ON w.event_id = s.superseded_by
       ORDER BY j.seq DESC LIMIT ?`,
    )
    .all(limit) as Array<
    EventRow & {
      superseded_by: string;
      reason: string;
      winner_type: string | null;
      winner_user: string | null;
    }
  >;
  counts.superseded = count('SELECT count(*) FROM superseded_events');
  for (const r of superseded) {
    const winner = `${recordTypeLabel(r.winner_type).toLowerCase()}${r.winner_user ? ` by ${userName(db, r.winner_user) ?? r.winner_user}` : ''}`;
    items.push({
      kind: 'superseded',
      eventId: r.id,
      seq: r.seq,
      type: r.type,
      at: r.at,
      userId: r.actor_user_id,
      userName: null,
      reason: `Superseded by ${winner} (earlier in the central log): ${supersededReason(r.reason)}. It stays in this console's journal.`,
      whatToDo: 'Check the current state on its screen; do it again only if it still needs doing.',
    });
  }

  counts.sent = Math.min(acked, head);
  for (const r of rows(
    `SELECT id, seq, type, at, actor_user_id FROM journal WHERE seq <= ?
       AND id NOT IN (SELECT event_id FROM superseded_events)
       AND seq NOT IN (SELECT seq FROM quarantine_marks) ORDER BY seq DESC LIMIT ?`,
    acked,
    limit,
  )) {
    items.push({
      kind: 'sent',
      eventId: r.id,
      seq: r.seq,
      type: r.type,
      at: r.at,
      userId: r.actor_user_id,
      userName: null,
      reason: null,
      whatToDo: null,
    });
  }

  // Quarantined by the server (its actor failed the checks): kept in the log, counted by no one.
  const quarantined = db.sqlite
    .prepare(
      `SELECT j.id, j.seq, j.type, j.at, j.actor_user_id, q.reason FROM quarantine_marks q
         JOIN journal j ON j.seq = q.seq ORDER BY q.seq DESC LIMIT ?`,
    )
    .all(limit) as Array<EventRow & { reason: string }>;
  counts.quarantined = count('SELECT count(*) FROM quarantine_marks');
  for (const r of quarantined) {
    const text = isQuarantineReason(r.reason) ? QUARANTINE_REASON_TEXT[r.reason] : null;
    // The reason's text is two sentences: why, then what to do.
    const [why, ...todo] = (text ?? `The central server set it aside (${r.reason}).`).split('. ');
    items.push({
      kind: 'quarantined',
      eventId: r.id,
      seq: r.seq,
      type: r.type,
      at: r.at,
      userId: r.actor_user_id,
      userName: null,
      reason: `Quarantined: ${why}${todo.length > 0 ? '.' : ''}`,
      whatToDo:
        todo.length > 0
          ? todo.join('. ')
          : 'Tell your release manager; the record stays in the central log, set aside.',
    });
  }

  const feed = readFeedState(db);
  if (feed.last_refusal) {
    counts.refused = 1;
    items.push({
      kind: 'refused',
      eventId: null,
      seq: null,
      type: null,
      at: feed.last_refused_at,
      userId: null,
      userName: null,
      reason: feed.last_refusal,
      whatToDo:
        'Nothing of it was applied. Sync tries again by itself; if this stays, tell your release manager.',
    });
  }
  const names = new Map<string, string | null>();
  for (const item of items) {
    if (item.userId === null) continue;
    if (!names.has(item.userId)) names.set(item.userId, userName(db, item.userId));
    item.userName = names.get(item.userId) ?? null;
  }
  return { counts, items };
}

function deviceName(db: Db, deviceId: string): string | null {
  return (
    (db.sqlite
      .prepare('SELECT name FROM store_devices WHERE device_id = ?')
      .pluck()
      .get(deviceId) as string | null | undefined) ?? null
  );
}

function userName(db: Db, userId: string): string | null {
  return (
    (db.sqlite.prepare('SELECT name FROM users WHERE id = ?').pluck().get(userId) as
      string | undefined) ?? null
  );
}

const CREATING_EVENT: Record<ProvenanceSubject['kind'], { type: string; field: string }> = {
  checklistRun: { type: 'checklist.run.started', field: 'runId' },
  deployment: { type: 'deployment.planned', field: 'deploymentId' },
  changeRequest: { type: 'change_request.requested', field: 'changeRequestId' },
};

/** The id of the event that created a run, a deployment or a change request (this console's or another's). */
function creatingEventId(db: Db, subject: ProvenanceSubject): string | null {
  const { type, field } = CREATING_EVENT[subject.kind];
  for (const table of ['journal', 'foreign_events']) {
    const id = db.sqlite
      .prepare(
        `SELECT ${table === 'journal' ? 'id' : 'event_id'} FROM ${table} WHERE type = ? AND json_extract(body, '$.payload.${field}') = ? LIMIT 1`,
      )
      .pluck()
      .get(type, subject.id) as string | undefined;
    if (id) return id;
  }
  return null;
}

/** Where each record came from; records this console does not hold are left out. */
export function readProvenance(
  db: Db,
  deviceId: string,
  input: {
    eventIds?: readonly string[] | undefined;
    subjects?: readonly ProvenanceSubject[] | undefined;
  },
): Provenance[] {
  const asked: Array<{ eventId: string; subject: ProvenanceSubject | null }> = [
    ...(input.eventIds ?? []).map((eventId) => ({ eventId, subject: null })),
  ];
  for (const subject of input.subjects ?? []) {
    const eventId = creatingEventId(db, subject);
    if (eventId) asked.push({ eventId, subject });
  }
  const acked = readSyncState(db)?.acked_seq ?? 0;
  const own = db.sqlite.prepare('SELECT seq, actor_user_id FROM journal WHERE id = ?');
  const range = db.sqlite.prepare(
    'SELECT first_seq, last_seq, first_index FROM journal_log_ranges WHERE first_seq <= ? ORDER BY first_seq DESC LIMIT 1',
  );
  const foreign = db.sqlite.prepare(
    'SELECT log_index, device_id, actor_user_id, superseded_by FROM foreign_events WHERE event_id = ?',
  );
  const ownSuperseded = db.sqlite
    .prepare('SELECT superseded_by FROM superseded_events WHERE event_id = ?')
    .pluck();
  const eventInfo = (id: string) => {
    const f = db.sqlite
      .prepare('SELECT type, actor_user_id FROM foreign_events WHERE event_id = ?')
      .get(id) as { type: string | null; actor_user_id: string | null } | undefined;
    const j = f
      ? undefined
      : (db.sqlite.prepare('SELECT type, actor_user_id FROM journal WHERE id = ?').get(id) as
          { type: string; actor_user_id: string } | undefined);
    const row = f ?? j;
    return {
      eventId: id,
      type: row?.type ?? null,
      userName: row?.actor_user_id ? userName(db, row.actor_user_id) : null,
    };
  };
  const out: Provenance[] = [];
  for (const { eventId, subject } of asked) {
    const mine = own.get(eventId) as { seq: number; actor_user_id: string } | undefined;
    if (mine) {
      const r = range.get(mine.seq) as
        { first_seq: number; last_seq: number; first_index: number } | undefined;
      const winner = ownSuperseded.get(eventId) as string | undefined;
      out.push({
        eventId,
        subject,
        deviceId,
        deviceName: deviceName(db, deviceId),
        isThisConsole: true,
        userId: mine.actor_user_id,
        userName: userName(db, mine.actor_user_id),
        isInCentralLog: mine.seq <= acked,
        logIndex: r && mine.seq <= r.last_seq ? r.first_index + (mine.seq - r.first_seq) : null,
        supersededBy: winner ? eventInfo(winner) : null,
      });
      continue;
    }
    const theirs = foreign.get(eventId) as
      | {
          log_index: number;
          device_id: string;
          actor_user_id: string;
          superseded_by: string | null;
        }
      | undefined;
    if (!theirs) continue;
    out.push({
      eventId,
      subject,
      deviceId: theirs.device_id,
      deviceName: deviceName(db, theirs.device_id),
      isThisConsole: false,
      userId: theirs.actor_user_id,
      userName: userName(db, theirs.actor_user_id),
      isInCentralLog: true,
      logIndex: theirs.log_index,
      supersededBy: theirs.superseded_by ? eventInfo(theirs.superseded_by) : null,
    });
  }
  return out;
}
