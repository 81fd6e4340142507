/**
 * The global append-only Merkle log, stored: every complete aligned subtree
 * hash is kept in merkle_nodes (level 0 = leaf hashes), so an append touches
 * O(log n) rows and any proof for any size needs O(log n) lookups, never a
 * scan of all leaves. The order of the log is decided inside the database:
 * every append first locks the single log_head row (row lock on PostgreSQL,
 * the write lock on SQLite), so several server processes give one gapless log.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import {
  combineSubtrees,
  completeSubtrees,
  consistencyRanges,
  inclusionRanges,
  leafHash,
  nodeHash,
  type LeafRange,
  type SubtreeRef,
} from '../../shared/audit/merkle.ts';
import { treeHeadText, type TreeHead } from '../../shared/audit/event.ts';
import type {
  ConsistencyProofResponse,
  InclusionProofResponse,
  SignedTreeHead,
} from '../../shared/sync/protocol.ts';
import type Database from 'better-sqlite3';
import { insertRows } from '../db/bulkInsert.ts';
import type { ServerSchema } from '../db/schema.ts';
import { ServerError } from '../errors.ts';
import { sha256Bytes, type LogKey } from './keys.ts';

type Db = Kysely<ServerSchema>;
type Trx = Transaction<ServerSchema>;

export const EMPTY_ROOT = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

// Buffer's hex codec: several times faster than the portable one in shared.
function hexToBytes(hex: string): Uint8Array {
  return Buffer.from(hex, 'hex');
}
function bytesToHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Locks the log head for the rest of the transaction and returns it. Must be the transaction's first statement. */
export async function lockLogHead(trx: Trx): Promise<{ size: number; root: string }> {
  // A write as the first statement: SQLite takes its write lock at once (no
  // deadlock between two deferred readers), PostgreSQL a row lock.
  const row = await trx
    .updateTable('log_head')
    .set({ size: sql<number>`size` })
    .where('id', '=', 1)
    .returning(['size', 'root'])
    .executeTakeFirstOrThrow();
  return { size: Number(row.size), root: row.root };
}

export async function readLogHead(db: Db): Promise<{ size: number; root: string }> {
  const row = await db
    .selectFrom('log_head')
    .select(['size', 'root'])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  return { size: Number(row.size), root: row.root };
}

/** Hashes of complete subtrees, by "level:idx". */
export async function fetchSubtrees(
  db: Db | Trx,
  refs: readonly SubtreeRef[],
): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  const byLevel = new Map<number, Set<number>>();
  for (const r of refs) {
    const set = byLevel.get(r.level) ?? new Set<number>();
    set.add(r.index);
    byLevel.set(r.level, set);
  }
  if (byLevel.size === 0) return out;
  const rows = await db
    .selectFrom('merkle_nodes')
    .select(['level', 'idx', 'hash'])
    .where((eb) =>
      eb.or(
        [...byLevel].map(([level, idxs]) =>
          eb.and([eb('level', '=', level), eb('idx', 'in', [...idxs])]),
        ),
      ),
    )
    .execute();
  for (const row of rows) out.set(`${row.level}:${Number(row.idx)}`, hexToBytes(row.hash));
  for (const r of refs) {
    if (!out.has(`${r.level}:${r.index}`)) {
      throw new ServerError(
        'internal',
        `The log's Merkle node ${r.level}:${r.index} is missing; the server database needs an operator's attention.`,
      );
    }
  }
  return out;
}

/**
 * Appends leaves for `eventHashes` (hex) after `size` and updates the head.
 * Returns the new size and root. Runs inside the caller's transaction, after lockLogHead.
 */
export async function appendToLog(
  trx: Trx,
  size: number,
  eventHashes: readonly string[],
  sqlite: Database.Database | null = null,
): Promise<{ size: number; root: string }> {
  const frontierRefs = size === 0 ? [] : completeSubtrees({ start: 0, end: size });
  const known = await fetchSubtrees(trx, frontierRefs);
  const stack: Array<{ level: number; index: number; hash: Uint8Array }> = frontierRefs.map(
    (r) => ({
      ...r,
      hash: known.get(`${r.level}:${r.index}`)!,
    }),
  );
  const rows: Array<{ level: number; idx: number; hash: string }> = [];
  let n = size;
  for (const h of eventHashes) {
    const leaf = leafHash(hexToBytes(h), sha256Bytes);
    stack.push({ level: 0, index: n, hash: leaf });
    rows.push({ level: 0, idx: n, hash: bytesToHex(leaf) });
    n += 1;
    // Merge equal-level neighbours: each merge completes one aligned subtree.
    while (stack.length >= 2 && stack[stack.length - 1]!.level === stack[stack.length - 2]!.level) {
      const right = stack.pop()!;
      const left = stack.pop()!;
      const node = {
        level: left.level + 1,
        index: left.index / 2,
        hash: nodeHash(left.hash, right.hash, sha256Bytes),
      };
      stack.push(node);
      rows.push({ level: node.level, idx: node.index, hash: bytesToHex(node.hash) });
    }
  }
  await insertRows(trx, sqlite, 'merkle_nodes', rows);
  const root =
    n === 0
      ? EMPTY_ROOT
      : bytesToHex(
          combineSubtrees(
            stack.map((s) => s.hash),
            sha256Bytes,
          ),
        );
  await trx.updateTable('log_head').set({ size: n, root }).where('id', '=', 1).execute();
  return { size: n, root };
}

export function makeTreeHead(key: LogKey, size: number, root: string, at: Date): SignedTreeHead {
  const treeHead: TreeHead = {
    kind: 'tree-head',
    v: 1,
    logId: key.logId,
    size,
    root,
    at: at.toISOString(),
  };
  return { treeHead, signature: key.sign(treeHeadText(treeHead)) };
}

/** Signs and stores the tree head for a size (once per size; a later call returns the stored one). */
export async function signAndStoreTreeHead(
  trx: Trx | Db,
  key: LogKey,
  size: number,
  root: string,
  at: Date,
): Promise<SignedTreeHead> {
  const signed = makeTreeHead(key, size, root, at);
  await trx
    .insertInto('tree_heads')
    .values({ size, root, at: signed.treeHead.at, signature: signed.signature })
    .onConflict((oc) => oc.column('size').doNothing())
    .execute();
  const stored = await trx
    .selectFrom('tree_heads')
    .selectAll()
    .where('size', '=', size)
    .executeTakeFirstOrThrow();
  return toSignedTreeHead(key, stored);
}

function toSignedTreeHead(
  key: LogKey,
  row: { size: number; root: string; at: string; signature: string },
): SignedTreeHead {
  return {
    treeHead: {
      kind: 'tree-head',
      v: 1,
      logId: key.logId,
      size: Number(row.size),
      root: row.root,
      at: row.at,
    },
    signature: row.signature,
  };
}

/** The newest signed tree head (signing the empty log's on first use). */
export async function latestTreeHead(
  db: Db,
  key: LogKey,
  now: () => Date,
): Promise<SignedTreeHead> {
  const row = await db
    .selectFrom('tree_heads')
    .selectAll()
    .orderBy('size', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (row) return toSignedTreeHead(key, row);
  return signAndStoreTreeHead(db, key, 0, EMPTY_ROOT, now());
}

async function pathFor(db: Db, ranges: readonly LeafRange[]): Promise<string[]> {
  const parts = ranges.map((r) => completeSubtrees(r));
  const nodes = await fetchSubtrees(db, parts.flat());
  return parts.map((refs) =>
    bytesToHex(
      combineSubtrees(
        refs.map((r) => nodes.get(`${r.level}:${r.index}`)!),
        sha256Bytes,
      ),
    ),
  );
}

export async function inclusionProof(
  db: Db,
  index: number,
  size: number,
): Promise<InclusionProofResponse> {
  const head = await readLogHead(db);
  if (size < 1 || size > head.size) {
    throw new ServerError(
      'invalid_input',
      `size must be between 1 and the log's current size ${head.size}, not ${size}.`,
    );
  }
  if (index >= size)
    throw new ServerError('invalid_input', `index ${index} is not in a tree of size ${size}.`);
  const leaf = await fetchSubtrees(db, [{ level: 0, index }]);
  const path = await pathFor(db, inclusionRanges(index, size));
  return { index, size, leafHash: bytesToHex(leaf.get(`0:${index}`)!), path };
}

export async function consistencyProof(
  db: Db,
  first: number,
  second: number,
): Promise<ConsistencyProofResponse> {
  const head = await readLogHead(db);
  if (first < 1 || first > second || second > head.size) {
    throw new ServerError(
      'invalid_input',
      `A consistency proof needs 0 < first ≤ second ≤ ${head.size} (the log's current size); got first ${first}, second ${second}.`,
    );
  }
  return { first, second, path: await pathFor(db, consistencyRanges(first, second)) };
}
