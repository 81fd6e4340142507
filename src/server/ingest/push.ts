/**
 * Push ingest (DESIGN.md §5): one device's events in seq order plus a signed
 * checkpoint. Everything that can be checked without the database is checked
 * first (shape, store, role, payload, hash, in-batch `prev`, signature); then
 * one transaction locks the log head, applies the seq rules, appends to the
 * global Merkle log and signs the new tree head. The ack is returned only
 * after that transaction committed.
 */
import type { KeyObject } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { canonicalEventText } from '../../shared/audit/canonicalEvent.ts';
import { GENESIS_PREV, checkpointText } from '../../shared/audit/event.ts';
import { EVENT_TYPES, isEventType } from '../../shared/audit/eventTypes.ts';
import {
  pushRequest,
  type PushResponse,
  type SignedTreeHead,
  type WireEvent,
} from '../../shared/sync/protocol.ts';
import type Database from 'better-sqlite3';
import { insertRows } from '../db/bulkInsert.ts';
import type { ServerSchema } from '../db/schema.ts';
import { ServerError, parseInput } from '../errors.ts';
import { fastPushRequest } from './fastShape.ts';
import { publicKeyFromRaw, sha256Hex, verifyEd25519, type LogKey } from '../log/keys.ts';
import {
  appendToLog,
  latestTreeHead,
  lockLogHead,
  planAppend,
  eventLeafHashes,
  signAndStoreTreeHead,
} from '../log/merkleLog.ts';
import { writeBatchPostgres } from './postgresBatch.ts';

export type IngestContext = {
  db: Kysely<ServerSchema>;
  key: LogKey;
  now: () => Date;
  /** SQLite only: the raw connection for prepared inserts (null on PostgreSQL). */
  sqlite: Database.Database | null;
  /** Device public keys never change for a device id, so they are cached. */
  deviceKeys: Map<string, KeyObject>;
};

/** Canonical text of each event, after every check that needs no database. Throws the first failure. */
export function checkBatch(
  events: readonly WireEvent[],
  deviceId: string,
  storeId: string,
): string[] {
  const first = events[0]!;
  const texts: string[] = [];
  events.forEach((event, i) => {
    const at = { seq: event.seq };
    if (event.deviceId !== deviceId) {
      throw new ServerError(
        'wrong_device',
        `Event ${event.id} belongs to device ${event.deviceId}, not to this device.`,
        at,
      );
    }
    if (event.seq !== first.seq + i) {
      throw new ServerError(
        'invalid_input',
        `Events of a push must have consecutive seq numbers; seq ${event.seq} follows ${first.seq + i - 1}.`,
        at,
      );
    }
    if (event.storeId !== storeId) {
      throw new ServerError(
        'wrong_store',
        `Event ${event.id} is for store ${event.storeId}, but this device is enrolled for store ${storeId}.`,
        at,
      );
    }
    if (!isEventType(event.type)) {
      throw new ServerError(
        'forbidden_event_type',
        `Event ${event.id} has the unknown type "${event.type}"; update the server or the console.`,
        at,
      );
    }
    const spec = EVENT_TYPES[event.type];
    if (!(spec.roles as readonly string[]).includes(event.actor.role)) {
      throw new ServerError(
        'forbidden_event_type',
        `A ${event.actor.role} may not record "${event.type}" (event ${event.id}).`,
        at,
      );
    }
    const payload = spec.payload.safeParse(event.payload);
    if (!payload.success) {
      throw new ServerError(
        'invalid_input',
        `Event ${event.id} has an invalid payload for "${event.type}": ${payload.error.issues[0]?.message ?? 'malformed'}.`,
        at,
      );
    }
    let text: string;
    try {
      // The schema fixed the key set, so the fixed-shape JCS writer gives the
      // same bytes as the generic one (it reads every field except `hash`).
      text = canonicalEventText(event);
    } catch (error) {
      throw new ServerError(
        'invalid_input',
        `Event ${event.id} cannot be canonicalized: ${(error as Error).message}.`,
        at,
      );
    }
    if (sha256Hex(text) !== event.hash) {
      throw new ServerError(
        'bad_hash',
        `Event ${event.id} (seq ${event.seq}) does not match its hash: it was altered after it was recorded.`,
        at,
      );
    }
    const expectedPrev = i > 0 ? events[i - 1]!.hash : event.seq === 1 ? GENESIS_PREV : null;
    if (expectedPrev !== null && event.prev !== expectedPrev) {
      throw new ServerError(
        'bad_prev',
        `Event ${event.id} (seq ${event.seq}) does not link to the previous event of this device.`,
        at,
      );
    }
    texts.push(text);
  });
  return texts;
}

type DeviceHead = { last_seq: number; last_hash: string; revoked_at: string | null };

/**
 * Takes the log lock and reads the device's stored head. PostgreSQL does both
 * in one round trip, `SELECT … FOR UPDATE OF log_head, devices`: a round trip
 * fewer while holding the lock every other push waits for. Locking the device
 * row too is what makes it correct: after waiting for the previous push,
 * PostgreSQL returns the newest committed version of every locked row, so
 * last_seq is the one that push wrote (a plain join would return the version
 * from before the wait). Nothing locks a device row and then the log head, so
 * the two locks cannot deadlock.
 */
async function lockHeadAndReadDevice(
  trx: Transaction<ServerSchema>,
  ctx: IngestContext,
  deviceId: string,
): Promise<{ head: { size: number; root: string }; device: DeviceHead }> {
  if (ctx.sqlite !== null) {
    const head = await lockLogHead(trx);
    const device = await trx
      .selectFrom('devices')
      .select(['last_seq', 'last_hash', 'revoked_at'])
      .where('id', '=', deviceId)
      .executeTakeFirstOrThrow();
    return { head, device };
  }
  const { rows } = await sql<DeviceHead & { size: number; root: string }>`
    SELECT h.size, h.root, d.last_seq, d.last_hash, d.revoked_at
    FROM log_head h, devices d
    WHERE h.id = 1 AND d.id = ${deviceId}
    FOR UPDATE OF h, d`.execute(trx);
  const row = rows[0];
  if (!row) throw new ServerError('unauthorized', 'This device is not enrolled.');
  return {
    head: { size: Number(row.size), root: row.root },
    device: {
      last_seq: Number(row.last_seq),
      last_hash: row.last_hash,
      revoked_at: row.revoked_at,
    },
  };
}

async function deviceKey(ctx: IngestContext, deviceId: string): Promise<KeyObject> {
  const cached = ctx.deviceKeys.get(deviceId);
  if (cached) return cached;
  const row = await ctx.db
    .selectFrom('devices')
    .select('public_key')
    .where('id', '=', deviceId)
    .executeTakeFirst();
  if (!row) throw new ServerError('unauthorized', 'This device is not enrolled.');
  const key = publicKeyFromRaw(row.public_key);
  ctx.deviceKeys.set(deviceId, key);
  return key;
}

type TxOutcome = { ok: true; response: PushResponse } | { ok: false; error: ServerError };

export async function ingestPush(
  ctx: IngestContext,
  principal: { deviceId: string; storeId: string },
  input: unknown,
): Promise<PushResponse> {
  const req = fastPushRequest(input) ?? parseInput(pushRequest, input, 'The push');
  if (req.deviceId !== principal.deviceId) {
    throw new ServerError(
      'wrong_device',
      `This token belongs to device ${principal.deviceId}, not ${req.deviceId}.`,
    );
  }
  const events = req.events;
  const last = events[events.length - 1]!;
  const texts = checkBatch(events, req.deviceId, principal.storeId);
  if (req.checkpoint.seq !== last.seq || req.checkpoint.head !== last.hash) {
    throw new ServerError(
      'invalid_input',
      `The checkpoint must cover the last event of the push (seq ${last.seq}).`,
    );
  }
  const publicKey = await deviceKey(ctx, req.deviceId);
  if (
    !verifyEd25519(
      publicKey,
      checkpointText(req.deviceId, req.checkpoint.seq, req.checkpoint.head),
      req.checkpoint.signature,
    )
  ) {
    throw new ServerError(
      'bad_signature',
      `The checkpoint at seq ${last.seq} is not signed by this device's key.`,
      { seq: last.seq },
    );
  }
  // Before the log lock: every push waits for the one holding it.
  const leaves = eventLeafHashes(events.map((e) => e.hash));

  const outcome = await ctx.db.transaction().execute(async (trx): Promise<TxOutcome> => {
    const { head, device } = await lockHeadAndReadDevice(trx, ctx, req.deviceId);
    const now = ctx.now();
    if (device.revoked_at !== null) {
      return {
        ok: false,
        error: new ServerError('unauthorized', 'This device was revoked by an administrator.'),
      };
    }
    const lastSeq = Number(device.last_seq);
    const known = events.filter((e) => e.seq <= lastSeq);
    if (known.length > 0) {
      const stored = await trx
        .selectFrom('log_entries')
        .select(['seq', 'hash'])
        .where('device_id', '=', req.deviceId)
        .where('seq', '>=', known[0]!.seq)
        .where('seq', '<=', known[known.length - 1]!.seq)
        .execute();
      const byseq = new Map(stored.map((r) => [Number(r.seq), r.hash]));
      for (const e of known) {
        const storedHash = byseq.get(e.seq);
        if (storedHash !== e.hash) {
          // A second, different history for the same seq: keep the evidence, store nothing else.
          await trx
            .insertInto('equivocations')
            .values({
              device_id: req.deviceId,
              seq: e.seq,
              stored_hash: storedHash ?? '',
              offered_hash: e.hash,
              offered_body: texts[events.indexOf(e)]!,
              detected_at: now.toISOString(),
            })
            .execute();
          return {
            ok: false,
            error: new ServerError(
              'equivocation',
              `Device ${req.deviceId} already pushed a different event at seq ${e.seq}; this conflict was recorded for an auditor.`,
              {
                seq: e.seq,
              },
            ),
          };
        }
      }
    }
    const fresh = events.filter((e) => e.seq > lastSeq);
    if (fresh.length === 0) {
      return {
        ok: true,
        response: {
          ackSeq: lastSeq,
          appended: null,
          duplicates: known.length,
          treeHead: await latestTreeHead(trx, ctx.key, ctx.now),
        },
      };
    }
    const firstFresh = fresh[0]!;
    if (firstFresh.seq !== lastSeq + 1) {
      throw new ServerError(
        'seq_gap',
        `The server holds this device's events up to seq ${lastSeq}; send from seq ${lastSeq + 1}.`,
        {
          expectedSeq: lastSeq + 1,
          seq: firstFresh.seq,
        },
      );
    }
    if (firstFresh.prev !== device.last_hash) {
      throw new ServerError(
        'bad_prev',
        `Event ${firstFresh.id} (seq ${firstFresh.seq}) does not link to the last event the server holds for this device.`,
        {
          seq: firstFresh.seq,
        },
      );
    }
    const offset = known.length;
    const rows = fresh.map((e, i) => ({
      idx: head.size + i,
      device_id: e.deviceId,
      seq: e.seq,
      store_id: e.storeId,
      at: e.at,
      type: e.type,
      hash: e.hash,
      body: texts[offset + i]!,
    }));
    const checkpoint = {
      device_id: req.deviceId,
      seq: req.checkpoint.seq,
      head: req.checkpoint.head,
      signature: req.checkpoint.signature,
      received_at: now.toISOString(),
    };
    let tree: { size: number; root: string };
    let treeHead: SignedTreeHead;
    if (ctx.sqlite === null) {
      // PostgreSQL: every write of the batch in one statement, so the log lock
      // is held for four round trips (lock, device, writes, commit), not ten.
      const plan = await planAppend(trx, head, leaves.slice(offset));
      tree = plan;
      treeHead = await writeBatchPostgres(trx, ctx.key, {
        entries: rows,
        nodes: plan.nodes,
        size: plan.size,
        root: plan.root,
        device: { id: req.deviceId, lastSeq: last.seq, lastHash: last.hash },
        checkpoint,
        at: now,
      });
    } else {
      await insertRows(trx, ctx.sqlite, 'log_entries', rows);
      tree = await appendToLog(trx, head, leaves.slice(offset), ctx.sqlite);
      await trx
        .updateTable('devices')
        .set({ last_seq: last.seq, last_hash: last.hash })
        .where('id', '=', req.deviceId)
        .execute();
      await trx
        .insertInto('checkpoints')
        .values(checkpoint)
        .onConflict((oc) => oc.columns(['device_id', 'seq']).doNothing())
        .execute();
      treeHead = await signAndStoreTreeHead(trx, ctx.key, tree.size, tree.root, now);
    }
    return {
      ok: true,
      response: {
        ackSeq: last.seq,
        appended: {
          firstSeq: firstFresh.seq,
          lastSeq: last.seq,
          firstIndex: head.size,
          lastIndex: tree.size - 1,
        },
        duplicates: known.length,
        treeHead,
      },
    };
  });
  if (!outcome.ok) throw outcome.error;
  return outcome.response;
}
