/**
 * Push ingest (DESIGN.md §5): one device's events in seq order plus a signed
 * checkpoint. Everything that can be checked without the database is checked
 * first (shape, store, role, payload, hash, in-batch `prev`: checkPush.ts, on
 * the check worker for large pushes; then the signature, here); then
 * one transaction locks the log head, applies the seq rules, appends to the
 * global Merkle log and signs the new tree head. The ack is returned only
 * after that transaction committed.
 */
import type { KeyObject } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { checkpointText } from '../../shared/audit/event.ts';
import type { PushResponse, SignedTreeHead } from '../../shared/sync/protocol.ts';
import type Database from 'better-sqlite3';
import { insertRows } from '../db/bulkInsert.ts';
import type { ServerSchema } from '../db/schema.ts';
import { ServerError } from '../errors.ts';
import { publicKeyFromRaw, verifyEd25519, type LogKey } from '../log/keys.ts';
import {
  appendToLog,
  latestTreeHead,
  lockLogHead,
  planAppend,
  signAndStoreTreeHead,
} from '../log/merkleLog.ts';
import { afterAppend } from '../kpis/afterAppend.ts';
import { actorVerdict, actorVerdictRead, type QuarantinedEvent } from './actorCheck.ts';
import { blockVerdict, withBlockMarks } from '../releaseDesk/blockCheck.ts';
import { complianceVerdict } from '../compliance/pushCheck.ts';
import type { CheckedPush } from './checkPush.ts';
import { writeBatchPostgres } from './postgresBatch.ts';
import {
  parseForProjection,
  pgProjectionCtes,
  planProjection,
  projectEntries,
  type LogEntryToProject,
} from '../readModels/project.ts';

export type IngestContext = {
  db: Kysely<ServerSchema>;
  key: LogKey;
  now: () => Date;
  /** SQLite only: the raw connection for prepared inserts (null on PostgreSQL). */
  sqlite: Database.Database | null;
  /** Device public keys never change for a device id, so they are cached. */
  deviceKeys: Map<string, KeyObject>;
  /** false: the read models are not maintained on push (the benchmark's "projections off"); default on. */
  readModels?: boolean;
};

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

/**
 * Verifies the checkpoint signature of a checked push (checkPush.ts) and, in
 * one transaction, applies the seq rules and appends to the log. The key is
 * the device's, cached on this thread, which is why this check is not on the
 * check worker: one Ed25519 verification per push.
 */
export async function commitPush(ctx: IngestContext, checked: CheckedPush): Promise<PushResponse> {
  const { deviceId, firstSeq, hashes, texts } = checked;
  const count = hashes.length;
  const pushLastSeq = firstSeq + count - 1;
  const lastHash = hashes[count - 1]!;
  const publicKey = await deviceKey(ctx, deviceId);
  if (
    !verifyEd25519(
      publicKey,
      checkpointText(deviceId, checked.checkpoint.seq, checked.checkpoint.head),
      checked.checkpoint.signature,
    )
  ) {
    throw new ServerError(
      'bad_signature',
      `The checkpoint at seq ${pushLastSeq} is not signed by this device's key.`,
      { seq: pushLastSeq },
    );
  }
  const leafBytes = Buffer.from(
    checked.leaves.buffer,
    checked.leaves.byteOffset,
    checked.leaves.byteLength,
  );
  const leaves = Array.from({ length: count }, (_, i) => leafBytes.subarray(32 * i, 32 * i + 32));

  // PostgreSQL: the read models' parsing is done before the log lock is taken (it needs no state).
  const parsed =
    ctx.sqlite === null && ctx.readModels !== false
      ? parseForProjection(
          checked.texts.map((body, i) => ({ type: checked.types[i]!, hash: hashes[i]!, body })),
        )
      : null;
  const outcome = await ctx.db.transaction().execute(async (trx): Promise<TxOutcome> => {
    const { head, device } = await lockHeadAndReadDevice(trx, ctx, deviceId);
    const now = ctx.now();
    if (device.revoked_at !== null) {
      return {
        ok: false,
        error: new ServerError('unauthorized', 'This device was revoked by an administrator.'),
      };
    }
    const lastSeq = Number(device.last_seq);
    // Quarantine marks of the events already stored, listed again in the ack.
    const alreadyQuarantined: QuarantinedEvent[] = [];
    // Events 0..offset-1 are already stored (seq <= lastSeq); the rest are fresh.
    const offset = Math.max(0, Math.min(count, lastSeq - firstSeq + 1));
    if (offset > 0) {
      const stored = await trx
        .selectFrom('log_entries')
        .select(['seq', 'hash', 'quarantine_reason'])
        .where('device_id', '=', deviceId)
        .where('seq', '>=', firstSeq)
        .where('seq', '<=', firstSeq + offset - 1)
        .execute();
      const byseq = new Map(stored.map((r) => [Number(r.seq), r.hash]));
      for (const r of stored)
        if (r.quarantine_reason !== null)
          alreadyQuarantined.push({
            seq: Number(r.seq),
            reason: r.quarantine_reason as QuarantinedEvent['reason'],
          });
      alreadyQuarantined.sort((a, b) => a.seq - b.seq);
      for (let i = 0; i < offset; i++) {
        const seq = firstSeq + i;
        const storedHash = byseq.get(seq);
        if (storedHash !== hashes[i]) {
          // A second, different history for the same seq: keep the evidence,
          // store nothing else. The first offer per (device, seq) is kept and
          // later ones only counted, so a device repeating it cannot fill the disk.
          await trx
            .insertInto('equivocations')
            .values({
              device_id: deviceId,
              seq,
              stored_hash: storedHash ?? '',
              offered_hash: hashes[i]!,
              offered_body: texts[i]!,
              detected_at: now.toISOString(),
            })
            .onConflict((oc) =>
              oc
                .columns(['device_id', 'seq'])
                .doUpdateSet((eb) => ({ offer_count: eb('equivocations.offer_count', '+', 1) })),
            )
            .execute();
          return {
            ok: false,
            error: new ServerError(
              'equivocation',
              `Device ${deviceId} already pushed a different event at seq ${seq}; this conflict was recorded for an auditor.`,
              {
                seq,
              },
            ),
          };
        }
      }
    }
    if (offset === count) {
      return {
        ok: true,
        response: {
          ackSeq: lastSeq,
          appended: null,
          duplicates: offset,
          quarantined: alreadyQuarantined,
          treeHead: await latestTreeHead(trx, ctx.key, ctx.now),
        },
      };
    }
    const firstFresh = {
      seq: firstSeq + offset,
      id: checked.ids[offset]!,
      prev: offset === 0 ? checked.firstPrev : hashes[offset - 1]!,
    };
    const last = { seq: pushLastSeq, hash: lastHash };
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
    // The actor check, before anything is written or projected: events that
    // break the actor rule are appended too, then marked (never refused).
    // PostgreSQL with read models: its catalog read goes with the read
    // models' reads (one round trip under the log lock), and the marks are
    // set on the rows right after, before the fold and the write.
    const isReadTogether = ctx.sqlite === null && ctx.readModels !== false;
    const together = isReadTogether ? actorVerdictRead(checked, offset) : null;
    // Central rules beside the actor rule: a go decision whose compliance checks the
    // log does not back, a start of a blocked release without a store manager's bypass.
    // The actor rule's reason comes first when an event breaks both; events it
    // quarantines are no compliance evidence, so that verdict is a function of it.
    const compliance = await complianceVerdict(trx, checked, offset, {
      hasReadModels: ctx.readModels !== false,
    });
    const block = await blockVerdict(trx, checked, offset);
    const withCentral = (actor: QuarantinedEvent[]): QuarantinedEvent[] => {
      const central = withBlockMarks(compliance(actor), block);
      const seqs = new Set(actor.map((q) => q.seq));
      return [...actor, ...central.filter((q) => !seqs.has(q.seq))].sort((a, b) => a.seq - b.seq);
    };
    let quarantined =
      together === null ? withCentral(await actorVerdict(trx, checked, offset)) : withCentral([]);
    const reasonOf = new Map(quarantined.map((q) => [q.seq, q.reason]));
    const rows: Array<LogEntryToProject & { at: string; quarantine_reason: string | null }> = [];
    for (let i = offset; i < count; i++) {
      rows.push({
        idx: head.size + i - offset,
        device_id: deviceId,
        seq: firstSeq + i,
        store_id: checked.storeId,
        at: checked.ats[i]!,
        type: checked.types[i]!,
        hash: hashes[i]!,
        body: texts[i]!,
        quarantine_reason: reasonOf.get(firstSeq + i) ?? null,
      });
    }
    const checkpoint = {
      device_id: deviceId,
      seq: checked.checkpoint.seq,
      head: checked.checkpoint.head,
      signature: checked.checkpoint.signature,
      received_at: now.toISOString(),
    };
    let tree: { size: number; root: string };
    let treeHead: SignedTreeHead;
    if (ctx.sqlite === null) {
      // PostgreSQL: every write of the batch in one statement, so the log lock
      // is held for four round trips (lock, device, writes, commit), not ten.
      const plan = await planAppend(trx, head, leaves.slice(offset));
      tree = plan;
      // Read models: their reads in one round trip, their writes in the batch's statement.
      const projection =
        ctx.readModels === false
          ? null
          : await planProjection(trx, rows, {
              dialect: 'postgres',
              receivedAt: now.toISOString(),
              ...(parsed === null ? {} : { parsed: parsed.slice(offset) }),
              ...(together === null
                ? {}
                : {
                    alsoRead: together.read === null ? [] : [together.read],
                    afterReads: () => {
                      quarantined = withCentral(together.verdict());
                      const reasons = new Map(quarantined.map((q) => [q.seq, q.reason]));
                      for (const row of rows) row.quarantine_reason = reasons.get(row.seq) ?? null;
                    },
                  }),
            });
      treeHead = await writeBatchPostgres(
        trx,
        ctx.key,
        {
          entries: rows,
          nodes: plan.nodes,
          size: plan.size,
          root: plan.root,
          device: { id: deviceId, lastSeq: last.seq, lastHash: last.hash },
          checkpoint,
          at: now,
        },
        projection === null ? [] : pgProjectionCtes(projection),
      );
    } else {
      await insertRows(trx, ctx.sqlite, 'log_entries', rows);
      tree = await appendToLog(trx, head, leaves.slice(offset), ctx.sqlite);
      await trx
        .updateTable('devices')
        .set({ last_seq: last.seq, last_hash: last.hash })
        .where('id', '=', deviceId)
        .execute();
      await trx
        .insertInto('checkpoints')
        .values(checkpoint)
        .onConflict((oc) => oc.columns(['device_id', 'seq']).doNothing())
        .execute();
      treeHead = await signAndStoreTreeHead(trx, ctx.key, tree.size, tree.root, now);
    }
    // Read models, SQLite: the appended events' state, in this same transaction,
    // in log order; quarantined entries are skipped (src/server/readModels).
    if (ctx.sqlite !== null && ctx.readModels !== false)
      await projectEntries(trx, rows, { dialect: 'sqlite', receivedAt: now.toISOString() });
    // Release health (KPI aggregates, webhook outbox), in this same transaction: a fact, its sums and its notifications commit together.
    await afterAppend(trx, rows, now, { readModels: ctx.readModels !== false });
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
        duplicates: offset,
        quarantined: [...alreadyQuarantined, ...quarantined],
        treeHead,
      },
    };
  });
  if (!outcome.ok) throw outcome.error;
  return outcome.response;
}
