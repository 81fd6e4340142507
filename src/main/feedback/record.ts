/**
 * Records one store feedback event (src/shared/feedback/events.ts) and
 * projects it on the console with the shared reducers, in the journal's
 * transaction. A refusal by the reducer (a draft no longer open, another
 * person's draft) throws, so nothing is appended.
 */
import type { AuditActor } from '../../shared/audit/event.ts';
import type { EventPayload } from '../../shared/audit/eventTypes.ts';
import { AppError } from '../../shared/errors.ts';
import type { FEEDBACK_EVENT_TYPES } from '../../shared/feedback/events.ts';
import { NOT_DRAFT_AUTHOR } from '../../shared/projection/feedback.ts';
import type { Journal } from '../audit/journal.ts';
import type { Db } from '../db/open.ts';
import { projectOnConsole } from '../projection/apply.ts';
import type { ConsoleTable } from '../../shared/contract/tables.ts';

export type FeedbackEventType = keyof typeof FEEDBACK_EVENT_TYPES;

/** Every table a store feedback event may write (for `db:changed`). */
export const FEEDBACK_TABLES = [
  'bug_reports',
  'evidence_files',
  'feature_requests',
  'feature_request_votes',
  'feedback_comments',
] as const satisfies readonly ConsoleTable[];

export function recordFeedbackEvent<T extends FeedbackEventType>(
  db: Db,
  journal: Journal,
  change: {
    type: T;
    storeId: string;
    actor: AuditActor;
    payload: EventPayload<T>;
  },
): void {
  journal.record({
    type: change.type,
    storeId: change.storeId,
    actor: change.actor,
    payload: change.payload,
    tables: FEEDBACK_TABLES,
    apply: (e) => {
      const projection = projectOnConsole(db, {
        id: e.id,
        deviceId: e.deviceId,
        seq: e.seq,
        at: e.at,
        hash: e.hash,
        storeId: e.storeId,
        actor: e.actor,
        type: e.type,
        payload: e.payload,
      });
      if (projection.superseded !== null)
        throw new AppError(
          projection.superseded.reason === NOT_DRAFT_AUTHOR ? 'forbidden' : 'conflict',
          projection.superseded.reason === NOT_DRAFT_AUTHOR
            ? 'Only the person who drafted this bug report can send or discard it. Nothing was changed.'
            : 'This bug report is no longer a draft. Nothing was changed.',
        );
    },
  });
}
