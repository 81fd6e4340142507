/**
 * Appends a server entry (src/shared/audit/serverEntry.ts) to the central
 * log inside the caller's transaction, through the same append path as a
 * push: the entry is an event of the reserved device `server`, chained to the
 * previous server entry, vouched for by a checkpoint signed with the log key,
 * and the new tree head is signed before the transaction commits.
 */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import {
  canonicalBody,
  checkpointText,
  GENESIS_PREV,
  type AuditEventBody,
  type JsonValue,
} from '../../shared/audit/event.ts';
import { SERVER_ACTOR, SERVER_DEVICE_ID, SERVER_STORE_ID } from '../../shared/audit/serverEntry.ts';
import type { ServerSchema } from '../db/schema.ts';
import { enqueueForAppended } from '../webhooks/outbox.ts';
import { sha256Hex, type LogKey } from './keys.ts';
import { appendToLog, eventLeafHashes, lockLogHead, signAndStoreTreeHead } from './merkleLog.ts';

export type AppendedServerEntry = {
  index: number;
  seq: number;
  hash: string;
  deviceId: string;
  storeId: string;
  /** The canonical text that was hashed (what the read models project). */
  body: string;
};

/** Must run first in its transaction: it takes the log lock that orders every append. */
export async function appendServerEntry(
  trx: Transaction<ServerSchema>,
  key: LogKey,
  entry: {
    type: string;
    payload: { [k: string]: JsonValue };
    at: Date;
    /** The store the entry concerns: it then flows in that store's feed. Default: central. */
    storeId?: string;
  },
): Promise<AppendedServerEntry> {
  const storeId = entry.storeId ?? SERVER_STORE_ID;
  const head = await lockLogHead(trx);
  const last = await trx
    .selectFrom('log_entries')
    .select(['seq', 'hash'])
    .where('device_id', '=', SERVER_DEVICE_ID)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const seq = last ? Number(last.seq) + 1 : 1;
  const body: AuditEventBody = {
    v: 1,
    id: randomUUID(),
    deviceId: SERVER_DEVICE_ID,
    seq,
    at: entry.at.toISOString(),
    actor: { ...SERVER_ACTOR },
    storeId,
    type: entry.type,
    payload: entry.payload,
    prev: last?.hash ?? GENESIS_PREV,
  };
  const text = canonicalBody(body);
  const hash = sha256Hex(text);
  await trx
    .insertInto('log_entries')
    .values({
      idx: head.size,
      device_id: SERVER_DEVICE_ID,
      seq,
      store_id: storeId,
      at: body.at,
      type: body.type,
      hash,
      body: text,
      quarantine_reason: null,
    })
    .execute();
  const tree = await appendToLog(trx, head, eventLeafHashes([hash]));
  await trx
    .insertInto('checkpoints')
    .values({
      device_id: SERVER_DEVICE_ID,
      seq,
      head: hash,
      signature: key.sign(checkpointText(SERVER_DEVICE_ID, seq, hash)),
      received_at: body.at,
    })
    .execute();
  await signAndStoreTreeHead(trx, key, tree.size, tree.root, entry.at);
  // Notifications of central actions (a release blocked, a promotion override), in the same transaction.
  await enqueueForAppended(
    trx,
    [
      {
        idx: head.size,
        device_id: SERVER_DEVICE_ID,
        seq,
        store_id: storeId,
        type: body.type,
        body: text,
      },
    ],
    entry.at,
  );
  return { index: head.size, seq, hash, deviceId: SERVER_DEVICE_ID, storeId, body: text };
}
