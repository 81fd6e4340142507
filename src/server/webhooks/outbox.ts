/**
 * The webhook outbox: notifications are written in the same transaction as
 * the fact that triggers them (the push that appends a no-go, a rollback, a
 * blocker bug, a quarantined event), so a fact is never recorded without its
 * notifications nor a notification sent for a fact that was rolled back. The
 * delivery worker (./worker.ts) sends them afterwards.
 *
 * A message's id is derived from (subscription, source fact), and the outbox
 * has a unique key on the pair: writing the same fact twice (a retried push,
 * a rescan of waiting interventions) adds nothing.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  DEFAULT_INTERVENTION_WAIT_MINUTES,
  type WebhookEventType,
  type WebhookPayload,
} from '../../shared/webhooks/events.ts';
import { SERVER_STORE_ID } from '../../shared/audit/serverEntry.ts';
import type { ServerSchema } from '../db/schema.ts';

/** The fields of an appended log entry the outbox reads. */
export type AppendedEntry = {
  idx: number;
  device_id: string;
  seq: number;
  store_id: string;
  type: string;
  body: string;
  quarantine_reason?: string | null;
};

export type Notification = { eventType: WebhookEventType; key: string; payload: WebhookPayload };

type EventBody = { id: string; at: string; payload: Record<string, unknown> };

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Cheap test on the type alone, so a push with nothing notifiable costs no query. */
function mayNotify(e: AppendedEntry): boolean {
  if (e.quarantine_reason != null) return true;
  return (
    e.type === 'decision.recorded' ||
    e.type === 'deployment.rollback.started' ||
    e.type === 'feedback.bug_report.drafted' ||
    (e.store_id === SERVER_STORE_ID && Object.hasOwn(SERVER_ENTRY_EVENTS, e.type))
  );
}

/**
 * Central actions the log records as server entries, and the webhook event
 * each one emits: whoever appends the entry (the release desk's block and
 * promotion override) needs no webhook code of its own.
 */
const SERVER_ENTRY_EVENTS: Record<string, WebhookEventType> = {
  'release.blocked': 'release.blocked',
  'release.promotion.overridden': 'promotion.override_used',
};

function messageId(subscriptionId: string, key: string): string {
  return `msg_${createHash('sha256').update(`${subscriptionId}\u001f${key}`).digest('hex').slice(0, 32)}`;
}

/** The notifications one appended entry produces (before the subscriptions are matched). */
async function notificationsOf(
  db: Kysely<ServerSchema>,
  entries: readonly AppendedEntry[],
): Promise<Notification[]> {
  const out: Notification[] = [];
  const rollbacks: Array<{ entry: AppendedEntry; event: EventBody }> = [];
  for (const e of entries) {
    if (!mayNotify(e)) continue;
    const event = JSON.parse(e.body) as EventBody;
    const key = `log:${e.idx}`;
    const base = { logIndex: e.idx, eventId: event.id, storeId: e.store_id };
    if (e.quarantine_reason != null) {
      out.push({
        eventType: 'console.quarantined',
        key,
        payload: {
          type: 'console.quarantined',
          timestamp: event.at,
          data: {
            ...base,
            deviceId: e.device_id,
            seq: e.seq,
            eventType: e.type,
            reason: e.quarantine_reason,
          },
        },
      });
      // A quarantined event is left out of every read model; it notifies nothing else.
      continue;
    }
    const p = event.payload;
    const central = e.store_id === SERVER_STORE_ID ? SERVER_ENTRY_EVENTS[e.type] : undefined;
    if (central !== undefined) {
      out.push({
        eventType: central,
        key,
        payload: {
          type: central,
          timestamp: event.at,
          data: {
            logIndex: e.idx,
            eventId: event.id,
            releaseId: str(p['releaseId']),
            ring: str(p['ring']),
            reason: str(p['reason']),
          },
        },
      });
      continue;
    }
    if (e.type === 'decision.recorded' && p['decision'] === 'no-go')
      out.push({
        eventType: 'decision.no_go_recorded',
        key,
        payload: {
          type: 'decision.no_go_recorded',
          timestamp: event.at,
          data: {
            ...base,
            decisionId: str(p['decisionId']),
            releaseId: str(p['releaseId']),
            reason: str(p['reason']),
          },
        },
      });
    else if (e.type === 'feedback.bug_report.drafted' && p['severity'] === 'blocker')
      out.push({
        eventType: 'bug_report.s1_filed',
        key,
        payload: {
          type: 'bug_report.s1_filed',
          timestamp: event.at,
          data: {
            ...base,
            bugReportId: str(p['bugReportId']),
            releaseId: str(p['releaseId']),
            terminalId: str(p['terminalId']),
            title: str(p['title']),
          },
        },
      });
    else if (e.type === 'deployment.rollback.started') rollbacks.push({ entry: e, event });
  }
  if (rollbacks.length > 0) {
    // The event names the deployment only; its release is in the read model.
    const ids = [...new Set(rollbacks.map((r) => String(r.event.payload['deploymentId'])))];
    const rows = await db
      .selectFrom('rm_deployments')
      .select(['id', 'release_id'])
      .where('id', 'in', ids)
      .execute();
    const releaseOf = new Map(rows.map((r) => [r.id, r.release_id]));
    for (const { entry, event } of rollbacks) {
      const deploymentId = String(event.payload['deploymentId']);
      out.push({
        eventType: 'deployment.rollback_started',
        key: `log:${entry.idx}`,
        payload: {
          type: 'deployment.rollback_started',
          timestamp: event.at,
          data: {
            logIndex: entry.idx,
            eventId: event.id,
            storeId: entry.store_id,
            deploymentId,
            releaseId: releaseOf.get(deploymentId) ?? null,
            reason: str(event.payload['reason']),
          },
        },
      });
    }
  }
  return out;
}

type SubscriptionRow = { id: string; event_types: string; wait_minutes: number };

/** Writes one message per (subscription that wants it, notification); duplicates are ignored. */
export async function enqueueNotifications(
  db: Kysely<ServerSchema>,
  notifications: readonly Notification[],
  now: Date,
  subscriptions?: readonly SubscriptionRow[],
): Promise<number> {
  if (notifications.length === 0) return 0;
  const subs =
    subscriptions ??
    (await db
      .selectFrom('webhook_subscriptions')
      .select(['id', 'event_types', 'wait_minutes'])
      .execute());
  const rows: Array<ServerSchema['webhook_messages']> = [];
  for (const sub of subs) {
    const wanted = new Set(JSON.parse(sub.event_types) as string[]);
    for (const n of notifications) {
      if (!wanted.has(n.eventType)) continue;
      rows.push({
        id: messageId(sub.id, n.key),
        subscription_id: sub.id,
        event_type: n.eventType,
        event_key: n.key,
        body: JSON.stringify(n.payload),
        created_at: now.toISOString(),
        attempts: 0,
        next_attempt_ms: now.getTime(),
        delivered_at: null,
        last_error: null,
      });
    }
  }
  // 10 columns: 500 rows stay far below either database's parameter limit.
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('webhook_messages')
      .values(rows.slice(i, i + 500))
      .onConflict((oc) => oc.columns(['subscription_id', 'event_key']).doNothing())
      .execute();
  return rows.length;
}

/**
 * Called by the push transaction after the entries were appended and
 * projected: the notifications of the appended facts, written to the outbox.
 */
export async function enqueueForAppended(
  db: Kysely<ServerSchema>,
  entries: readonly AppendedEntry[],
  now: Date,
): Promise<number> {
  if (!entries.some(mayNotify)) return 0;
  return enqueueNotifications(db, await notificationsOf(db, entries), now);
}

/**
 * Deployments paused at an intervention for longer than a subscription's
 * threshold: one message per (subscription, deployment, pause). Run by the
 * worker before each round; the unique key makes the rescan idempotent.
 */
export async function enqueueWaitingInterventions(
  db: Kysely<ServerSchema>,
  now: Date,
): Promise<number> {
  const subs = (
    await db
      .selectFrom('webhook_subscriptions')
      .select(['id', 'event_types', 'wait_minutes'])
      .execute()
  ).filter((s) =>
    (JSON.parse(s.event_types) as string[]).includes('deployment.intervention_waiting'),
  );
  let written = 0;
  for (const sub of subs) {
    const minutes = sub.wait_minutes || DEFAULT_INTERVENTION_WAIT_MINUTES;
    const before = new Date(now.getTime() - minutes * 60_000).toISOString();
    const waiting = await db
      .selectFrom('rm_deployments')
      .select(['id', 'store_id', 'release_id', 'updated_at'])
      .where('status', '=', 'paused_at_intervention')
      .where('updated_at', '<=', before)
      .execute();
    const notifications: Notification[] = waiting.map((d) => ({
      eventType: 'deployment.intervention_waiting',
      key: `intervention:${d.id}:${d.updated_at}`,
      payload: {
        type: 'deployment.intervention_waiting',
        timestamp: now.toISOString(),
        data: {
          deploymentId: d.id,
          storeId: d.store_id,
          releaseId: d.release_id,
          waitingSince: d.updated_at,
          waitedMinutes: Math.floor((now.getTime() - Date.parse(d.updated_at)) / 60_000),
          thresholdMinutes: minutes,
        },
      },
    }));
    written += await enqueueNotifications(db, notifications, now, [sub]);
  }
  return written;
}
