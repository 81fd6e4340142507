/**
 * The scope feed (GET /v1/feed): the accepted events of *other* devices in the
 * caller's scope, in log order, keyset-paged by log index, with a multi-leaf
 * inclusion proof that ties the whole page to one signed tree head.
 *
 * The proof ("feed proof") is the list of subtree hashes a verifier needs,
 * besides the page's own leaves, to recompute the root of the tree of `size`
 * leaves: walking the RFC 9162 tree from the root, every subtree that holds
 * no leaf of the page contributes its hash, in left-to-right order; a subtree
 * that holds some is split again. For one leaf this is exactly the inclusion
 * proof's path (in root-to-leaf order); for a dense page of a store that
 * writes most of the log it is a few dozen hashes instead of one path per
 * event. docs/protocol.md explains it for an auditor.
 */
import { z } from 'zod';
import { nodeHash, splitPoint, type LeafRange, type Sha256 } from '../audit/merkle.ts';
import { hex64, idText, logInt, logIntQuery, signedTreeHead, wireEvent } from './protocol.ts';

/** Most entries one feed page may carry. */
export const MAX_FEED_PAGE = 5000;
/** Entries per page when the caller does not say. */
export const DEFAULT_FEED_PAGE = 1000;

export const FEED_ROUTE = { method: 'GET', url: '/v1/feed', auth: 'device' } as const;

export const feedQuery = z
  .object({
    /** Exclusive: entries with a log index above it. Absent: from the start of the log. */
    after: logIntQuery.optional(),
    limit: z
      .string()
      .regex(/^[1-9][0-9]{0,4}$/, 'must be a positive integer')
      .transform(Number)
      .pipe(z.number().max(MAX_FEED_PAGE))
      .optional(),
    /**
     * The tree size the page is proved against (a size the log has signed,
     * typically the one the console just verified). Absent: the latest.
     */
    size: logIntQuery.optional(),
  })
  .strict();

/**
 * An event the server accepted but quarantined (its actor failed the checks):
 * left out of every projection, so only its place in the device's chain is
 * sent (seq and hash), which lets the console still check that nothing of the
 * device's chain is missing.
 */
const withheldEntry = z
  .object({ deviceId: idText, seq: z.number().int().min(1), hash: hex64, reason: z.string() })
  .strict();

/**
 * A feed event: the wire event, except that the payload's values are not
 * walked again by a JSON schema. They come out of JSON.parse, so they are
 * JSON already; the console checks the hash over their canonical text and
 * each payload against its event type's schema before applying it. (The
 * recursive JSON check was a fifth of the console's time in feed.catchup100k.)
 */
const feedEvent = wireEvent.extend({ payload: z.record(z.string(), z.unknown()) });

const feedEntry = z.union([
  z.object({ index: logInt, event: feedEvent }).strict(),
  z.object({ index: logInt, withheld: withheldEntry }).strict(),
]);

export const feedResponse = z
  .object({
    entries: z.array(feedEntry).max(MAX_FEED_PAGE),
    /** Pass as `after` for the next page; null: nothing more below `treeHead.size`. */
    next: logInt.nullable(),
    treeHead: signedTreeHead,
    /** Subtree hashes (feedProofRanges order) proving every entry against `treeHead`. */
    proof: z.array(hex64),
  })
  .strict();
export type FeedResponse = z.infer<typeof feedResponse>;

/**
 * The leaf ranges whose hashes form the feed proof of the leaves at `indices`
 * (strictly increasing, each < size) in a tree of `size` leaves, in proof order.
 */
export function feedProofRanges(indices: readonly number[], size: number): LeafRange[] {
  const out: LeafRange[] = [];
  if (size === 0) return out;
  const walk = (lo: number, hi: number, from: number, to: number): void => {
    if (from === to) {
      out.push({ start: lo, end: hi });
      return;
    }
    if (hi - lo === 1) return;
    const mid = lo + splitPoint(hi - lo);
    let split = from;
    while (split < to && indices[split]! < mid) split++;
    walk(lo, mid, from, split);
    walk(mid, hi, split, to);
  };
  walk(0, size, 0, indices.length);
  return out;
}

/**
 * The root of a tree of `size` leaves recomputed from the page's leaf hashes
 * (one per index, same order) and the feed proof; null when the proof has the
 * wrong length or the indices are not strictly increasing below `size`.
 */
export function rootFromFeedProof(
  indices: readonly number[],
  leafHashes: readonly Uint8Array[],
  size: number,
  proof: readonly Uint8Array[],
  sha256: Sha256,
): Uint8Array | null {
  if (indices.length === 0 || indices.length !== leafHashes.length) return null;
  for (let i = 0; i < indices.length; i++) {
    const index = indices[i]!;
    if (!Number.isSafeInteger(index) || index < 0 || index >= size) return null;
    if (i > 0 && index <= indices[i - 1]!) return null;
  }
  let used = 0;
  let isShort = false;
  const walk = (lo: number, hi: number, from: number, to: number): Uint8Array => {
    if (from === to) {
      const hash = proof[used++];
      if (!hash) {
        isShort = true;
        return new Uint8Array(32);
      }
      return hash;
    }
    if (hi - lo === 1) return leafHashes[from]!;
    const mid = lo + splitPoint(hi - lo);
    let split = from;
    while (split < to && indices[split]! < mid) split++;
    return nodeHash(walk(lo, mid, from, split), walk(mid, hi, split, to), sha256);
  };
  const root = walk(0, size, 0, indices.length);
  return isShort || used !== proof.length ? null : root;
}
