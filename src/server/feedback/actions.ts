/**
 * The support desk's triage actions: each one is checked (its fields, the
 * report or request it names, the desk, the acting user, the scope), then
 * appended as a desk action — a server entry carrying the store of the
 * report or request, so it reaches that store through its feed — and folded
 * into the read models in the same transaction. Nothing is written when a
 * check fails.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import {
  deskFeedbackAction,
  type DeskFeedbackActionResult,
} from '../../shared/feedback/deskProtocol.ts';
import { triageFieldError, type TriageEntryType } from '../../shared/feedback/triage.ts';
import type { JsonValue } from '../../shared/audit/event.ts';
import type { ServerSchema } from '../db/schema.ts';
import { appendDeskAction } from '../desk/actions.ts';
import type { DeskPrincipal } from '../desk/queries.ts';
import { ServerError, parseInput } from '../errors.ts';
import type { LogKey } from '../log/keys.ts';
import { lockLogHead } from '../log/merkleLog.ts';
import { dialectOf, projectEntries } from '../readModels/project.ts';
import { reportInScope, requestInScope } from './queries.ts';

type Trx = Transaction<ServerSchema>;

function fieldError(field: string, message: string): ServerError {
  return new ServerError(
    'invalid_input',
    `The triage action is not valid at payload.${field}: ${message}.`,
  );
}

async function isKnownRelease(trx: Trx, releaseId: string): Promise<boolean> {
  const row = await trx
    .selectFrom('releases')
    .select('id')
    .where('id', '=', releaseId)
    .executeTakeFirst();
  return row !== undefined;
}

/** The assignee must be a catalog user who is not revoked. */
async function isActiveUser(trx: Trx, userId: string): Promise<boolean> {
  const rows = await trx
    .selectFrom('actor_catalog')
    .select('data')
    .where('entity', '=', 'user')
    .where('entity_id', '=', userId)
    .orderBy('from_index', 'desc')
    .limit(1)
    .execute();
  const latest = rows[0];
  return latest !== undefined && !(JSON.parse(latest.data) as { isRevoked: boolean }).isRevoked;
}

/** The store of the report or request the action is about, checking each id it names. */
async function storeOfAction(
  trx: Trx,
  desk: DeskPrincipal,
  type: TriageEntryType,
  payload: Record<string, unknown>,
): Promise<string> {
  switch (type) {
    case 'feedback.report.triaged': {
      const assignee = payload['assignee'];
      if (typeof assignee === 'string' && !(await isActiveUser(trx, assignee)))
        throw fieldError('assignee', `no active catalog user ${assignee}`);
      return (await reportInScope(trx, desk, String(payload['reportId']))).storeId;
    }
    case 'feedback.report.status_set': {
      const fixedIn = payload['fixedIn'];
      if (typeof fixedIn === 'string' && !(await isKnownRelease(trx, fixedIn)))
        throw fieldError('fixedIn', `the catalog has no release ${fixedIn}`);
      const duplicateOf = payload['duplicateOf'];
      if (typeof duplicateOf === 'string') await reportInScope(trx, desk, duplicateOf);
      return (await reportInScope(trx, desk, String(payload['reportId']))).storeId;
    }
    case 'feedback.report.merged':
      await reportInScope(trx, desk, String(payload['into']));
      return (await reportInScope(trx, desk, String(payload['reportId']))).storeId;
    case 'feedback.request.status_set': {
      const plannedFor = payload['plannedFor'];
      if (typeof plannedFor === 'string' && !(await isKnownRelease(trx, plannedFor)))
        throw fieldError('plannedFor', `the catalog has no release ${plannedFor}`);
      return (await requestInScope(trx, desk, String(payload['requestId']))).storeId;
    }
    case 'feedback.request.merged':
      await requestInScope(trx, desk, String(payload['into']));
      return (await requestInScope(trx, desk, String(payload['requestId']))).storeId;
    case 'feedback.comment.added': {
      const targetId = String(payload['targetId']);
      const isReport =
        (
          await sql<{ id: string }>`SELECT id FROM rm_bug_reports WHERE id = ${targetId}`.execute(
            trx,
          )
        ).rows.length > 0;
      return isReport
        ? (await reportInScope(trx, desk, targetId)).storeId
        : (await requestInScope(trx, desk, targetId)).storeId;
    }
    default:
      throw new ServerError('invalid_input', `Unknown triage action ${String(type)}.`);
  }
}

/** The votes a merged request carries over: read here, recorded in the entry, so every side applies the same. */
async function carriedVotes(trx: Trx, requestId: string): Promise<JsonValue[]> {
  const rows = await sql<{ store_id: string; voted_by: string; voted_at: string }>`SELECT store_id,
    voted_by, voted_at FROM rm_feature_request_votes WHERE request_id = ${requestId} ORDER BY store_id`.execute(
    trx,
  );
  return rows.rows.map((r) => ({ storeId: r.store_id, votedBy: r.voted_by, votedAt: r.voted_at }));
}

export async function takeTriageAction(
  db: Kysely<ServerSchema>,
  key: LogKey,
  desk: DeskPrincipal,
  body: unknown,
  now: Date,
): Promise<DeskFeedbackActionResult> {
  const { actedBy, action } = parseInput(deskFeedbackAction, body, 'The triage action');
  const payload = action.payload as Record<string, unknown>;
  const rule = triageFieldError(action.type, payload);
  if (rule) throw fieldError(rule.field, rule.message);
  const dialect = dialectOf(db);
  return db.transaction().execute(async (trx) => {
    // The log lock first (as every append): the checks below read what the entry will follow.
    await lockLogHead(trx);
    const storeId = await storeOfAction(trx, desk, action.type, payload);
    const entryPayload: { [k: string]: JsonValue } = { ...(payload as { [k: string]: JsonValue }) };
    if (action.type === 'feedback.request.merged')
      entryPayload['carriedVotes'] = await carriedVotes(trx, action.payload.requestId);
    // An internal comment stays central: no store's feed carries it.
    const isInternal =
      action.type === 'feedback.comment.added' && action.payload.visibility === 'internal';
    const entry = await appendDeskAction(trx, key, {
      desk,
      allowedDeskRoles: ['support'],
      actedBy,
      allowedUserRoles: ['support', 'admin'],
      storeId: isInternal ? null : storeId,
      // The scope was checked above for the report's store, also for an internal comment.
      type: action.type,
      payload: entryPayload,
      at: now,
    });
    await projectEntries(
      trx,
      [
        {
          idx: entry.index,
          device_id: entry.deviceId,
          seq: entry.seq,
          store_id: entry.storeId,
          type: action.type,
          hash: entry.hash,
          body: entry.body,
        },
      ],
      { dialect },
    );
    return { index: entry.index, hash: entry.hash, at: now.toISOString() };
  });
}
