/**
 * The checklist, evidence, bug report and decision tables as a projection of
 * the journal: `applyChecklistEvent` (the shared reducers, applied by the
 * console adapter) is the one place an event changes them,
 * used by the live services (inside the journal transaction) and by
 * `rebuildChecklistProjection` (every event again, in seq order), so a rebuild
 * gives exactly the state the live path left.
 */
import type { AuditEvent } from '../../shared/audit/event.ts';
import { EVENT_TYPES, type EventType } from '../../shared/audit/eventTypes.ts';
import { CHECKLIST_EVENT_TYPES } from '../../shared/checklists/eventTypes.ts';
import { reduceChecklistEvent, type ProjectedEvent } from '../../shared/projection/index.ts';
import type { Db } from '../db/open.ts';
import { applyChangesToConsole, consoleView, projectOnConsole } from '../projection/apply.ts';
import { FEEDBACK_STORE_PROJECTED_TYPES } from '../../shared/projection/feedback.ts';

export type ChecklistEventType = keyof typeof CHECKLIST_EVENT_TYPES;
export const CHECKLIST_EVENT_TYPE_NAMES = Object.keys(
  CHECKLIST_EVENT_TYPES,
) as ChecklistEventType[];

/** Tables the projection owns (journal-derived), for `db:changed` and the rebuild. */
export const CHECKLIST_PROJECTION_TABLES = [
  'checklist_runs',
  'checklist_results',
  'checklist_waivers',
  'evidence_files',
  'bug_reports',
  'decisions',
] as const;

type Sealed = Pick<AuditEvent, 'id' | 'at' | 'hash' | 'storeId' | 'actor'> &
  Partial<Pick<AuditEvent, 'deviceId' | 'seq'>>;

/**
 * Applies one checklist, evidence, bug report or decision event to the
 * console's tables: the shared reducer (src/shared/projection/checklists.ts)
 * decides the row changes, the console adapter writes them.
 */
export function applyChecklistEvent(
  db: Db,
  event: Sealed & { type: string; payload: unknown },
): void {
  if (!Object.hasOwn(CHECKLIST_EVENT_TYPES, event.type))
    throw new Error(`not a checklist event: ${event.type}`);
  const projected: ProjectedEvent = {
    id: event.id,
    deviceId: event.deviceId ?? '',
    seq: event.seq ?? 0,
    at: event.at,
    hash: event.hash,
    storeId: event.storeId,
    actor: event.actor,
    type: event.type,
    payload: event.payload as Record<string, unknown>,
  };
  applyChangesToConsole(db, reduceChecklistEvent(projected, consoleView(db)));
}

// Store feedback events (sent, discarded, filed…) change bug reports and evidence too, so a
// rebuild replays them in the same order, through the same shared reducers.
const FEEDBACK_REPLAY_TABLES = ['feature_requests', 'feature_request_votes', 'feedback_comments'];
const REPLAYED_TYPES: string[] = [...CHECKLIST_EVENT_TYPE_NAMES, ...FEEDBACK_STORE_PROJECTED_TYPES];

/** Empties the projection tables and replays every checklist and feedback event of the journal in seq order. */
export function rebuildChecklistProjection(db: Db): { replayed: number } {
  const run = db.sqlite.transaction(() => {
    for (const table of [...CHECKLIST_PROJECTION_TABLES, ...FEEDBACK_REPLAY_TABLES].reverse())
      db.sqlite.exec(`DELETE FROM ${table}`);
    const placeholders = REPLAYED_TYPES.map(() => '?').join(', ');
    const page = db.sqlite.prepare(
      `SELECT seq, body, hash FROM journal WHERE type IN (${placeholders}) AND seq > ? ORDER BY seq LIMIT 2000`,
    );
    let after = 0;
    let replayed = 0;
    for (;;) {
      const rows = page.all(...REPLAYED_TYPES, after) as Array<{
        seq: number;
        body: string;
        hash: string;
      }>;
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.seq;
      for (const row of rows) {
        const body = JSON.parse(row.body) as Omit<AuditEvent, 'hash'>;
        const spec = EVENT_TYPES[body.type as EventType];
        const event = { ...body, hash: row.hash, payload: spec.payload.parse(body.payload) };
        if (Object.hasOwn(CHECKLIST_EVENT_TYPES, body.type)) applyChecklistEvent(db, event);
        else projectOnConsole(db, { ...event, payload: event.payload });
        replayed += 1;
      }
    }
    return { replayed };
  });
  return run.immediate();
}
