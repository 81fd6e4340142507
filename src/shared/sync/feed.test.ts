import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  combineSubtrees,
  completeSubtrees,
  leafHash,
  rootOfLeafHashes,
  type Sha256,
} from '../audit/merkle.ts';
import { feedProofRanges, rootFromFeedProof } from './feed.ts';

const sha256: Sha256 = (data) => createHash('sha256').update(data).digest();

function tree(size: number) {
  const leaves = Array.from({ length: size }, (_, i) =>
    leafHash(sha256(Buffer.from(`event ${i}`)), sha256),
  );
  const subtree = (level: number, index: number) =>
    rootOfLeafHashes(leaves.slice(index * 2 ** level, (index + 1) * 2 ** level), sha256);
  const proofOf = (indices: number[]) =>
    feedProofRanges(indices, size).map((r) =>
      combineSubtrees(
        completeSubtrees(r).map((s) => subtree(s.level, s.index)),
        sha256,
      ),
    );
  return { leaves, root: rootOfLeafHashes(leaves, sha256), proofOf };
}

const sizeAndIndices = fc
  .integer({ min: 1, max: 300 })
  .chain((size) =>
    fc.tuple(
      fc.constant(size),
      fc.uniqueArray(fc.integer({ min: 0, max: size - 1 }), { minLength: 1, maxLength: 40 }),
    ),
  )
  .map(([size, indices]) => ({ size, indices: indices.sort((a, b) => a - b) }));

describe('feed proof', () => {
  it('recomputes the tree root from any set of leaves and their proof', () => {
    fc.assert(
      fc.property(sizeAndIndices, ({ size, indices }) => {
        const t = tree(size);
        const root = rootFromFeedProof(
          indices,
          indices.map((i) => t.leaves[i]!),
          size,
          t.proofOf(indices),
          sha256,
        );
        expect(root && Buffer.from(root).equals(Buffer.from(t.root))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('is the inclusion path for a single leaf, and nothing for the whole tree', () => {
    expect(feedProofRanges([5], 8)).toEqual([
      { start: 0, end: 4 },
      { start: 4, end: 5 },
      { start: 6, end: 8 },
    ]);
    expect(feedProofRanges([0, 1, 2], 3)).toEqual([]);
  });

  it('fails for a moved index, a changed leaf, a changed, missing or extra proof hash', () => {
    fc.assert(
      fc.property(sizeAndIndices, fc.nat(), ({ size, indices }, pick) => {
        const t = tree(size);
        const proof = t.proofOf(indices);
        const leaves = indices.map((i) => t.leaves[i]!);
        const same = (root: Uint8Array | null) =>
          root !== null && Buffer.from(root).equals(Buffer.from(t.root));
        // A leaf claimed at another index (the server lying about where an event is).
        const k = pick % indices.length;
        const moved = [...indices];
        moved[k] = (moved[k]! + 1) % size;
        if (!indices.includes(moved[k]) && size > 1) {
          moved.sort((a, b) => a - b);
          expect(same(rootFromFeedProof(moved, leaves, size, t.proofOf(moved), sha256))).toBe(
            false,
          );
        }
        const changedLeaf = leaves.map((l, i) => (i === k ? sha256(l) : l));
        expect(same(rootFromFeedProof(indices, changedLeaf, size, proof, sha256))).toBe(false);
        if (proof.length > 0) {
          const p = pick % proof.length;
          const changed = proof.map((h, i) => (i === p ? sha256(h) : h));
          expect(same(rootFromFeedProof(indices, leaves, size, changed, sha256))).toBe(false);
          expect(rootFromFeedProof(indices, leaves, size, proof.slice(1), sha256)).toBeNull();
        }
        expect(
          rootFromFeedProof(indices, leaves, size, [...proof, new Uint8Array(32)], sha256),
        ).toBeNull();
      }),
      { numRuns: 300 },
    );
  });

  it('refuses indices out of order or outside the tree', () => {
    const t = tree(10);
    const l = [t.leaves[3]!, t.leaves[2]!];
    expect(rootFromFeedProof([3, 2], l, 10, [], sha256)).toBeNull();
    expect(rootFromFeedProof([3, 3], l, 10, [], sha256)).toBeNull();
    expect(rootFromFeedProof([3, 10], l, 10, [], sha256)).toBeNull();
    expect(rootFromFeedProof([], [], 10, [], sha256)).toBeNull();
  });
});
