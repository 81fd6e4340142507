/**
 * Sends each communication of the releases' plans when its time passes, once
 * per ring. Sending is one transaction: the log lock first (so two ticks, or
 * two server processes on one PostgreSQL log, take turns), then for each due
 * communication not yet in `release_comms_sent`: a `release.communication.sent`
 * server entry in the central log (the evidence of who was told what and
 * when, and what store consoles read as a notice), its webhook in the outbox
 * when the audience asks for one, and the sent row. A restart finds the rows
 * and sends nothing again.
 *
 * Time is the server's injected clock, so tests step it instead of sleeping.
 */
import { repeating } from '../ops/repeat.ts';
import type { Kysely } from 'kysely';
import {
  COMMUNICATION_SENT_TYPE,
  dueInstants,
  type Communication,
} from '../../shared/releases/commsPlan.ts';
import type { Ring } from '../../shared/domain/releases.ts';
import type { ServerSchema } from '../db/schema.ts';
import type { LogKey } from '../log/keys.ts';
import { lockLogHead } from '../log/merkleLog.ts';
import { appendServerEntry } from '../log/serverEntry.ts';
import { enqueueNotifications } from '../webhooks/outbox.ts';
import { EVERY_RING } from './migrations.ts';
import { commsPlans, ringDaysOf } from './service.ts';

type Db = Kysely<ServerSchema>;

type Due = { releaseId: string; communication: Communication; ring: Ring | null; dueAt: string };

export type SentCommunication = {
  releaseId: string;
  communicationId: string;
  ring: Ring | null;
  logIndex: number;
};

/** The communications whose time has come by `now`, sent or not. */
async function dueBy(db: Db, now: Date): Promise<Due[]> {
  const plans = await commsPlans(db);
  if (plans.length === 0) return [];
  const days = await ringDaysOf(
    db,
    plans.map((p) => p.releaseId),
  );
  const nowIso = now.toISOString();
  const out: Due[] = [];
  for (const plan of plans)
    for (const c of plan.communications)
      for (const d of dueInstants(c.when, days.get(plan.releaseId) ?? new Map()))
        if (d.dueAt !== null && d.dueAt <= nowIso)
          out.push({ releaseId: plan.releaseId, communication: c, ring: d.ring, dueAt: d.dueAt });
  return out;
}

const keyOf = (releaseId: string, communicationId: string, ring: string) =>
  `${releaseId}\n${communicationId}\n${ring}`;

async function sentKeys(db: Db, releaseIds: readonly string[]): Promise<Set<string>> {
  const rows = await db
    .selectFrom('release_comms_sent')
    .select(['release_id', 'communication_id', 'ring'])
    .where('release_id', 'in', [...new Set(releaseIds)])
    .execute();
  return new Set(rows.map((r) => keyOf(r.release_id, r.communication_id, r.ring)));
}

/**
 * Sends what is due by `now` and not sent yet; returns what this call sent.
 * A call with nothing due costs two reads and no write.
 */
async function sendDueCommunications(db: Db, key: LogKey, now: Date): Promise<SentCommunication[]> {
  const due = await dueBy(db, now);
  if (due.length === 0) return [];
  const unsent = (d: Due, sent: Set<string>) =>
    !sent.has(keyOf(d.releaseId, d.communication.id, d.ring ?? EVERY_RING));
  const before = await sentKeys(
    db,
    due.map((d) => d.releaseId),
  );
  if (!due.some((d) => unsent(d, before))) return [];
  return db.transaction().execute(async (trx) => {
    await lockLogHead(trx);
    // Read again under the lock: another tick may have sent them meanwhile.
    const sent = await sentKeys(
      trx,
      due.map((d) => d.releaseId),
    );
    const out: SentCommunication[] = [];
    for (const d of due) {
      if (!unsent(d, sent)) continue;
      const { communication: c } = d;
      const entry = await appendServerEntry(trx, key, {
        type: COMMUNICATION_SENT_TYPE,
        payload: {
          releaseId: d.releaseId,
          communicationId: c.id,
          ring: d.ring,
          roles: [...c.audience.roles],
          webhook: c.audience.webhook,
          message: c.message,
          dueAt: d.dueAt,
        },
        at: now,
      });
      if (c.audience.webhook)
        await enqueueNotifications(
          trx,
          [
            {
              eventType: 'release.communication.due',
              key: `communication:${keyOf(d.releaseId, c.id, d.ring ?? EVERY_RING)}`,
              payload: {
                type: 'release.communication.due',
                timestamp: now.toISOString(),
                data: {
                  logIndex: entry.index,
                  eventId: (JSON.parse(entry.body) as { id: string }).id,
                  releaseId: d.releaseId,
                  communicationId: c.id,
                  ring: d.ring,
                  roles: c.audience.roles.join(','),
                  message: c.message,
                  dueAt: d.dueAt,
                },
              },
            },
          ],
          now,
        );
      await trx
        .insertInto('release_comms_sent')
        .values({
          release_id: d.releaseId,
          communication_id: c.id,
          ring: d.ring ?? EVERY_RING,
          due_at: d.dueAt,
          sent_at: now.toISOString(),
          log_idx: entry.index,
        })
        .execute();
      out.push({
        releaseId: d.releaseId,
        communicationId: c.id,
        ring: d.ring,
        logIndex: entry.index,
      });
    }
    return out;
  });
}

export type CommsScheduler = {
  /** One tick: send what is due now. */
  runOnce(): Promise<SentCommunication[]>;
  /** Ticks every `intervalMs` of real time (the server). */
  start(intervalMs?: number): void;
  stop(): Promise<void>;
};

export function createCommsScheduler(deps: {
  db: Db;
  key: LogKey;
  now: () => Date;
  /** Called after a tick that sent something: the server flushes its deferred sync. */
  afterSend?: () => Promise<void>;
  onError?: (error: unknown) => void;
}): CommsScheduler {
  const onError = deps.onError ?? (() => undefined);
  async function runOnce(): Promise<SentCommunication[]> {
    const sent = await sendDueCommunications(deps.db, deps.key, deps.now());
    if (sent.length > 0) await deps.afterSend?.();
    return sent;
  }
  const task = repeating(runOnce, onError);
  return {
    runOnce,
    start: (intervalMs = 30_000) => task.start(intervalMs),
    stop: () => task.stop(),
  };
}
