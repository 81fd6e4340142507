/**
 * PostgreSQL: the writes of one accepted push in a single statement. The log
 * lock (log_head's row) is held from the lock to the commit, so every round
 * trip inside that window delays every other push: the log entries, the
 * Merkle nodes, the new log head, the device's head, its checkpoint and the
 * signed tree head go in one statement of data-modifying CTEs (PostgreSQL runs
 * each of them exactly once, whether or not the outer query reads it).
 */
import { sql, type Transaction } from 'kysely';
import type { SignedTreeHead } from '../../shared/sync/protocol.ts';
import { pgInsertFromJson, type Row } from '../db/bulkInsert.ts';
import type { ServerSchema } from '../db/schema.ts';
import type { LogKey } from '../log/keys.ts';
import { makeTreeHead, toSignedTreeHead } from '../log/merkleLog.ts';

export type PostgresBatch = {
  entries: ReadonlyArray<Row<'log_entries'>>;
  nodes: ReadonlyArray<Row<'merkle_nodes'>>;
  size: number;
  root: string;
  device: { id: string; lastSeq: number; lastHash: string };
  checkpoint: ServerSchema['checkpoints'];
  at: Date;
};

/** Writes the batch inside the caller's transaction (after lockLogHead) and returns the stored tree head for the new size. */
export async function writeBatchPostgres(
  trx: Transaction<ServerSchema>,
  key: LogKey,
  batch: PostgresBatch,
): Promise<SignedTreeHead> {
  const signed = makeTreeHead(key, batch.size, batch.root, batch.at);
  const { checkpoint: cp, device } = batch;
  const inserted = await sql<{ size: number }>`
    WITH entries AS (${pgInsertFromJson('log_entries', batch.entries)}),
    nodes AS (${pgInsertFromJson('merkle_nodes', batch.nodes)}),
    head AS (UPDATE log_head SET size = ${batch.size}, root = ${batch.root} WHERE id = 1),
    device AS (UPDATE devices SET last_seq = ${device.lastSeq}, last_hash = ${device.lastHash} WHERE id = ${device.id}),
    checkpoint AS (
      INSERT INTO checkpoints (device_id, seq, head, signature, received_at)
      VALUES (${cp.device_id}, ${cp.seq}, ${cp.head}, ${cp.signature}, ${cp.received_at})
      ON CONFLICT (device_id, seq) DO NOTHING)
    INSERT INTO tree_heads (size, root, at, signature)
    VALUES (${batch.size}, ${batch.root}, ${signed.treeHead.at}, ${signed.signature})
    ON CONFLICT (size) DO NOTHING
    RETURNING size`.execute(trx);
  if (inserted.rows.length === 1) return signed;
  // A tree head for this size was already signed (once per size): that one stands.
  const stored = await trx
    .selectFrom('tree_heads')
    .selectAll()
    .where('size', '=', batch.size)
    .executeTakeFirstOrThrow();
  return toSignedTreeHead(key, stored);
}
