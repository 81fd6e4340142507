/**
 * Who won a conflict decided by the log (EARLIER_ENTRY_WINS): for an event
 * set aside, the event that last stood on the same record before it in the
 * central log — the same rule the console applies when it refolds a record
 * (src/main/sync/feedApply.ts), so the author and the desks name the same
 * winner. Events on one deployment, or on one change request, compete.
 *
 * Superseded events are rare, so the winner of one whose record last changed
 * in an earlier push is looked up in the log itself, newest first, through
 * the (store_id, idx) index, rather than kept on every read-model row.
 */
import type { Kysely } from 'kysely';
import type { ServerSchema } from '../db/schema.ts';

/** The record an event acts on, for the conflict rule; null for events that never compete. */
function conflictSubject(type: string, payload: Record<string, unknown>): string | null {
  if (type.startsWith('deployment.') && typeof payload['deploymentId'] === 'string')
    return `deployment:${payload['deploymentId']}`;
  if (type.startsWith('change_request.') && typeof payload['changeRequestId'] === 'string')
    return `change_request:${payload['changeRequestId']}`;
  return null;
}

/** Keeps, while a run of entries is reduced in log order, the last event that stood on each record. */
export function createWinnerTracker(): {
  stood(event: { id: string; type: string; payload: Record<string, unknown> }): void;
  /** The winner already seen in this run, or undefined when it must be looked up in the log. */
  winnerOf(event: { type: string; payload: Record<string, unknown> }): string | null | undefined;
} {
  const lastStanding = new Map<string, string>();
  return {
    stood(event) {
      const subject = conflictSubject(event.type, event.payload);
      if (subject !== null) lastStanding.set(subject, event.id);
    },
    winnerOf(event) {
      const subject = conflictSubject(event.type, event.payload);
      if (subject === null) return null;
      return lastStanding.get(subject);
    },
  };
}

const PAGE = 500;

/**
 * The last event that stood on the same record before log index `beforeIdx`
 * in the store, or null: neither quarantined, nor itself superseded (in the
 * read model, or in `alsoSuperseded`, this run's losers not yet written).
 */
export async function earlierStandingEvent(
  db: Kysely<ServerSchema>,
  loser: { type: string; payload: Record<string, unknown>; storeId: string; idx: number },
  alsoSuperseded: ReadonlySet<string>,
): Promise<string | null> {
  const subject = conflictSubject(loser.type, loser.payload);
  if (subject === null) return null;
  const prefix = subject.startsWith('deployment:') ? 'deployment.%' : 'change_request.%';
  let upper = loser.idx;
  for (;;) {
    const rows = await db
      .selectFrom('log_entries')
      .select(['idx', 'body'])
      .where('store_id', '=', loser.storeId)
      .where('idx', '<', upper)
      .where('quarantine_reason', 'is', null)
      .where('type', 'like', prefix)
      .orderBy('idx', 'desc')
      .limit(PAGE)
      .execute();
    for (const row of rows) {
      const event = JSON.parse(row.body) as {
        id: string;
        type: string;
        payload: Record<string, unknown>;
      };
      if (conflictSubject(event.type, event.payload) !== subject) continue;
      if (alsoSuperseded.has(event.id)) continue;
      const lost = await db
        .selectFrom('rm_superseded')
        .select('event_id')
        .where('event_id', '=', event.id)
        .executeTakeFirst();
      if (lost === undefined) return event.id;
    }
    if (rows.length < PAGE) return null;
    upper = Number(rows[rows.length - 1]!.idx);
  }
}
