/**
 * A store's notices: the log facts after a position that concern the store
 * (a no-go, a rollback started, a blocker bug) or every store (a release
 * blocked, a server entry), read through the (store_id, idx) index, plus what
 * is waiting now (change requests for a manager, interventions paused longer
 * than the threshold) from the read models. Quarantined entries notify nothing.
 * Release communications sent to the store's ring (or to every store) come
 * only to consoles that ask for them, with the roles they are for.
 */
import type { Kysely } from 'kysely';
import { SERVER_STORE_ID } from '../../shared/audit/serverEntry.ts';
import {
  NOTICE_INTERVENTION_WAIT_MINUTES,
  noticesQuery,
  type Notice,
  type NoticesResponse,
} from '../../shared/notices/protocol.ts';
import { COMMUNICATION_SENT_TYPE, rolesOf } from '../../shared/releases/commsPlan.ts';
import type { ServerSchema } from '../db/schema.ts';
import { parseInput } from '../errors.ts';

/** At most this many log facts per answer; the console asks again from `next`. */
const PAGE = 200;
const STORE_TYPES = [
  'decision.recorded',
  'deployment.rollback.started',
  'feedback.bug_report.drafted',
] as const;
const CENTRAL_TYPES = ['release.blocked'] as const;
/** Asked for with `communications=1`: a console that does not know the kind would refuse the whole answer. */
const COMMUNICATION_TYPES = [COMMUNICATION_SENT_TYPE] as const;

type Body = { id: string; at: string; payload: Record<string, unknown> };
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function noticeOf(
  row: { idx: number; store_id: string; type: string; body: string },
  releaseOfDeployment: Map<string, string>,
  storeRing: string | null,
): Notice | null {
  const e = JSON.parse(row.body) as Body;
  const p = e.payload;
  const base = { id: `log:${row.idx}`, at: e.at, minutes: null };
  switch (row.type) {
    case 'decision.recorded':
      if (p['decision'] !== 'no-go') return null;
      return {
        ...base,
        kind: 'no_go_recorded',
        storeId: row.store_id,
        releaseId: str(p['releaseId']),
        subjectId: str(p['decisionId']),
        text: str(p['reason']),
      };
    case 'deployment.rollback.started': {
      const deploymentId = str(p['deploymentId']);
      return {
        ...base,
        kind: 'rollback_started',
        storeId: row.store_id,
        releaseId: deploymentId ? (releaseOfDeployment.get(deploymentId) ?? null) : null,
        subjectId: deploymentId,
        text: str(p['reason']),
      };
    }
    case 'feedback.bug_report.drafted':
      if (p['severity'] !== 'blocker') return null;
      return {
        ...base,
        kind: 'bug_report_s1',
        storeId: row.store_id,
        releaseId: str(p['releaseId']),
        subjectId: str(p['bugReportId']),
        text: str(p['title']),
      };
    case 'release.blocked':
      return {
        ...base,
        kind: 'release_blocked',
        storeId: null,
        releaseId: str(p['releaseId']),
        subjectId: str(p['releaseId']),
        text: str(p['reason']),
      };
    case COMMUNICATION_SENT_TYPE: {
      // Sent per ring (null: to every store); a store is told what was sent to its ring.
      const ring = str(p['ring']);
      const roles = rolesOf(p['roles']);
      if ((ring !== null && ring !== storeRing) || roles.length === 0) return null;
      return {
        ...base,
        kind: 'communication',
        storeId: null,
        releaseId: str(p['releaseId']),
        subjectId: str(p['communicationId']),
        text: str(p['message']),
        roles,
      };
    }
    default:
      return null;
  }
}

async function ringOfStore(db: Kysely<ServerSchema>, storeId: string): Promise<string | null> {
  const row = await db
    .selectFrom('stores')
    .select('data')
    .where('id', '=', storeId)
    .executeTakeFirst();
  return row ? str((JSON.parse(row.data) as { ring?: unknown }).ring) : null;
}

export async function noticesOf(
  db: Kysely<ServerSchema>,
  storeId: string,
  query: unknown,
  now: Date,
): Promise<NoticesResponse> {
  const q = parseInput(noticesQuery, query, 'The notices query');
  const since = q.since ?? 0;
  const centralTypes: string[] =
    q.communications === '1' ? [...CENTRAL_TYPES, ...COMMUNICATION_TYPES] : [...CENTRAL_TYPES];
  const rows = await db
    .selectFrom('log_entries')
    .select(['idx', 'store_id', 'type', 'body'])
    .where('quarantine_reason', 'is', null)
    .where((eb) =>
      eb.or([
        eb.and([eb('store_id', '=', storeId), eb('type', 'in', [...STORE_TYPES])]),
        eb.and([eb('store_id', '=', SERVER_STORE_ID), eb('type', 'in', centralTypes)]),
      ]),
    )
    .where('idx', '>', since)
    .orderBy('idx')
    .limit(PAGE)
    .execute();
  const deploymentIds = rows
    .filter((r) => r.type === 'deployment.rollback.started')
    .map((r) => str((JSON.parse(r.body) as Body).payload['deploymentId']))
    .filter((id): id is string => id !== null);
  const releaseOfDeployment = new Map(
    deploymentIds.length === 0
      ? []
      : (
          await db
            .selectFrom('rm_deployments')
            .select(['id', 'release_id'])
            .where('id', 'in', deploymentIds)
            .execute()
        ).map((d) => [d.id, d.release_id]),
  );
  const storeRing = rows.some((r) => r.type === COMMUNICATION_SENT_TYPE)
    ? await ringOfStore(db, storeId)
    : null;
  const notices = rows
    .map((r) => noticeOf({ ...r, idx: Number(r.idx) }, releaseOfDeployment, storeRing))
    .filter((n): n is Notice => n !== null);

  // Waiting now: asked on every call, whatever `since` says, under ids that stay the same while it waits.
  const before = new Date(now.getTime() - NOTICE_INTERVENTION_WAIT_MINUTES * 60_000).toISOString();
  const [paused, requests] = await Promise.all([
    db
      .selectFrom('rm_deployments')
      .select(['id', 'release_id', 'updated_at'])
      .where('store_id', '=', storeId)
      .where('status', '=', 'paused_at_intervention')
      .where('updated_at', '<=', before)
      .execute(),
    db
      .selectFrom('rm_change_requests')
      .select(['id', 'release_id', 'requested_at', 'data'])
      .where('store_id', '=', storeId)
      .where('status', '=', 'pending')
      .execute(),
  ]);
  for (const d of paused)
    notices.push({
      id: `intervention:${d.id}:${d.updated_at}`,
      kind: 'intervention_waiting',
      at: d.updated_at,
      storeId,
      releaseId: d.release_id,
      subjectId: d.id,
      text: null,
      minutes: Math.floor((now.getTime() - Date.parse(d.updated_at)) / 60_000),
    });
  for (const c of requests)
    notices.push({
      id: `change-request:${c.id}`,
      kind: 'change_request_waiting',
      at: c.requested_at,
      storeId,
      releaseId: c.release_id,
      subjectId: c.id,
      text: str((JSON.parse(c.data) as { impactNote?: unknown }).impactNote),
      minutes: null,
    });
  const next = rows.length === 0 ? since : Number(rows[rows.length - 1]!.idx);
  return { notices, next };
}
