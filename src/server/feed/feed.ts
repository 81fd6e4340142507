/**
 * GET /v1/feed (shared/sync/feed.ts): the accepted events of the other devices
 * of the caller's store, in log order, keyset-paged by log index, proved
 * against one signed tree head by a feed proof. The page is written as JSON
 * text straight from the stored canonical bodies: parsing and re-serializing
 * 5,000 events per page would cost the server more than the query.
 */
import { sql, type Kysely } from 'kysely';
import { combineSubtrees, completeSubtrees, type SubtreeRef } from '../../shared/audit/merkle.ts';
import type { z } from 'zod';
import { DEFAULT_FEED_PAGE, feedProofRanges, type feedQuery } from '../../shared/sync/feed.ts';
import type { SignedTreeHead } from '../../shared/sync/protocol.ts';
import type { ServerSchema } from '../db/schema.ts';
import { ServerError } from '../errors.ts';
import { sha256Bytes, type LogKey } from '../log/keys.ts';
import { fetchSubtrees, latestTreeHead, toSignedTreeHead } from '../log/merkleLog.ts';

type Db = Kysely<ServerSchema>;
type FeedQueryParsed = z.output<typeof feedQuery>;

/** Who reads the feed: a device sees its own store, never its own events. */
export type FeedCaller = { deviceId: string; storeId: string };

type Row = {
  idx: number | string;
  device_id: string;
  seq: number | string;
  hash: string;
  body: string;
  quarantine_reason: string | null;
};

/**
 * Whether log_entries has the quarantine column (added by the server's
 * quarantine migration). Asked once per server: without it no entry is
 * quarantined.
 */
export async function hasQuarantineColumn(db: Db): Promise<boolean> {
  try {
    await sql`SELECT quarantine_reason FROM log_entries WHERE 1 = 0`.execute(db);
    return true;
  } catch {
    return false;
  }
}

async function treeHeadAt(
  db: Db,
  key: LogKey,
  now: () => Date,
  size: number | undefined,
): Promise<SignedTreeHead> {
  if (size === undefined) return latestTreeHead(db, key, now);
  const row = await db
    .selectFrom('tree_heads')
    .selectAll()
    .where('size', '=', size)
    .executeTakeFirst();
  if (!row) {
    throw new ServerError(
      'invalid_input',
      `The log never signed a tree head of size ${size}; ask for the latest tree head (GET /v1/log/tree-head) and use its size.`,
    );
  }
  return toSignedTreeHead(key, row);
}

/** The feed proof's hashes (hex) for the leaves at `indices` in a tree of `size`. */
async function feedProof(db: Db, indices: readonly number[], size: number): Promise<string[]> {
  if (indices.length === 0) return [];
  const parts = feedProofRanges(indices, size).map((r) => completeSubtrees(r));
  const wanted = new Map<string, SubtreeRef>();
  for (const refs of parts) for (const r of refs) wanted.set(`${r.level}:${r.index}`, r);
  const nodes = await fetchSubtrees(db, [...wanted.values()]);
  return parts.map((refs) =>
    Buffer.from(
      combineSubtrees(
        refs.map((r) => nodes.get(`${r.level}:${r.index}`)!),
        sha256Bytes,
      ),
    ).toString('hex'),
  );
}

/** One feed page as JSON text (the FeedResponse schema). */
export async function readFeedPage(
  db: Db,
  key: LogKey,
  now: () => Date,
  caller: FeedCaller,
  q: FeedQueryParsed,
  options: { hasQuarantine: boolean },
): Promise<string> {
  const head = await treeHeadAt(db, key, now, q.size);
  const size = head.treeHead.size;
  const limit = q.limit ?? DEFAULT_FEED_PAGE;
  const after = q.after ?? -1;
  const rows = (await db
    .selectFrom('log_entries')
    .select(['idx', 'device_id', 'seq', 'hash', 'body'])
    .select(
      options.hasQuarantine
        ? sql<string | null>`quarantine_reason`.as('quarantine_reason')
        : sql<null>`NULL`.as('quarantine_reason'),
    )
    .where('store_id', '=', caller.storeId)
    .where('idx', '>', after)
    .where('idx', '<', size)
    .where('device_id', '<>', caller.deviceId)
    .orderBy('idx')
    .limit(limit + 1)
    .execute()) as Row[];
  const hasMore = rows.length > limit;
  const page = hasMore ? rows.slice(0, limit) : rows;
  const indices = page.map((r) => Number(r.idx));
  const proof = await feedProof(db, indices, size);
  const parts: string[] = [];
  for (let i = 0; i < page.length; i++) {
    const r = page[i]!;
    if (r.quarantine_reason !== null) {
      // Only the event's place in its device's chain: it is left out of every projection.
      parts.push(
        `{"index":${indices[i]},"withheld":${JSON.stringify({ deviceId: r.device_id, seq: Number(r.seq), hash: r.hash, reason: r.quarantine_reason })}}`,
      );
    } else {
      // The stored body is the canonical object text: the hash goes in before its closing brace.
      parts.push(`{"index":${indices[i]},"event":${r.body.slice(0, -1)},"hash":"${r.hash}"}}`);
    }
  }
  const next = hasMore ? indices[indices.length - 1]! : null;
  return `{"entries":[${parts.join(',')}],"next":${next},"treeHead":${JSON.stringify(head)},"proof":${JSON.stringify(proof)}}`;
}
