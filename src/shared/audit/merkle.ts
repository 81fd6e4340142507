/**
 * RFC 9162 (Certificate Transparency v2) Merkle tree hashing and proofs, as
 * the central log uses them (DESIGN.md §5). Pure: runs in the renderer, the
 * console back end, the server and an auditor's script alike. SHA-256 is
 * injectable so the server can use node:crypto on its hot path; the default
 * is @noble/hashes.
 *
 * Sizes and indexes may exceed 2^32, so no 32-bit bit operators are used.
 */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from './hex.ts';

export type Sha256 = (data: Uint8Array) => Uint8Array;

const defaultSha256: Sha256 = (data) => nobleSha256(data);

/** A range of leaves [start, end) whose Merkle tree hash (MTH) a proof carries. */
export type LeafRange = { start: number; end: number };
/** A complete, aligned subtree: leaves [index·2^level, (index+1)·2^level). */
export type SubtreeRef = { level: number; index: number };

// Hash inputs are built in reused scratch buffers (sha256 is synchronous and
// keeps no reference to its input): a 100,000-leaf tree would otherwise
// allocate 200,000 short-lived arrays.
const scratch33 = new Uint8Array(33);
const scratch65 = new Uint8Array(65);

function concat(prefix: number, a: Uint8Array, b?: Uint8Array): Uint8Array {
  const length = 1 + a.length + (b?.length ?? 0);
  const out = length === 33 ? scratch33 : length === 65 ? scratch65 : new Uint8Array(length);
  out[0] = prefix;
  out.set(a, 1);
  if (b) out.set(b, 1 + a.length);
  return out;
}

/** MTH({}) = SHA-256 of the empty string. */
export function emptyRoot(sha256: Sha256 = defaultSha256): Uint8Array {
  return sha256(new Uint8Array(0));
}

/** Leaf hash = SHA-256(0x00 ‖ entry). The log's entry is an event's 32 raw hash bytes. */
export function leafHash(entry: Uint8Array, sha256: Sha256 = defaultSha256): Uint8Array {
  return sha256(concat(0x00, entry));
}

/** Node hash = SHA-256(0x01 ‖ left ‖ right). */
export function nodeHash(
  left: Uint8Array,
  right: Uint8Array,
  sha256: Sha256 = defaultSha256,
): Uint8Array {
  return sha256(concat(0x01, left, right));
}

/** Leaf hash (hex) of an event whose `hash` is given in hex. */
export function eventLeafHashHex(eventHashHex: string, sha256: Sha256 = defaultSha256): string {
  return bytesToHex(leafHash(hexToBytes(eventHashHex), sha256));
}

function isSize(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

/** Largest power of two strictly smaller than n (n ≥ 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function isPowerOfTwo(n: number): boolean {
  let k = 1;
  while (k < n) k *= 2;
  return k === n;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

// ---------------------------------------------------------------- reference (in-memory) computation

/** MTH of already leaf-hashed entries; straightforward recursion (fine for bundles and tests). */
export function rootOfLeafHashes(
  leaves: readonly Uint8Array[],
  sha256: Sha256 = defaultSha256,
): Uint8Array {
  const rec = (start: number, end: number): Uint8Array => {
    const n = end - start;
    if (n === 1) return leaves[start]!;
    const k = splitPoint(n);
    return nodeHash(rec(start, start + k), rec(start + k, end), sha256);
  };
  return leaves.length === 0 ? emptyRoot(sha256) : rec(0, leaves.length);
}

// ---------------------------------------------------------------- proof shapes

/**
 * The leaf ranges whose MTH form the inclusion proof of `index` in a tree of
 * `size` leaves, in proof order (RFC 9162 §2.1.3.1, PATH).
 */
export function inclusionRanges(index: number, size: number): LeafRange[] {
  if (!isSize(index) || !isSize(size) || index >= size)
    throw new Error(`no leaf ${index} in a tree of ${size}`);
  const out: LeafRange[] = [];
  const rec = (m: number, start: number, end: number): void => {
    const n = end - start;
    if (n <= 1) return;
    const k = splitPoint(n);
    if (m < k) {
      rec(m, start, start + k);
      out.push({ start: start + k, end });
    } else {
      rec(m - k, start + k, end);
      out.push({ start, end: start + k });
    }
  };
  rec(index, 0, size);
  return out;
}

/**
 * The leaf ranges whose MTH form the consistency proof between tree sizes
 * `first` and `second` (RFC 9162 §2.1.4.1, PROOF/SUBPROOF). Empty when
 * first = second or first = 0.
 */
export function consistencyRanges(first: number, second: number): LeafRange[] {
  if (!isSize(first) || !isSize(second) || first > second) {
    throw new Error(`no consistency proof from ${first} to ${second}`);
  }
  const out: LeafRange[] = [];
  if (first === 0 || first === second) return out;
  const rec = (m: number, start: number, end: number, isStart: boolean): void => {
    const n = end - start;
    if (m === n) {
      if (!isStart) out.push({ start, end });
      return;
    }
    const k = splitPoint(n);
    if (m <= k) {
      rec(m, start, start + k, isStart);
      out.push({ start: start + k, end });
    } else {
      rec(m - k, start + k, end, false);
      out.push({ start, end: start + k });
    }
  };
  rec(first, 0, second, true);
  return out;
}

/**
 * Splits a proof range into complete aligned subtrees, left to right
 * (decreasing sizes). Every range in an RFC 9162 proof starts at a multiple
 * of a power of two at least its length, so this is how a server with stored
 * complete subtrees answers a proof in O(log n) lookups.
 */
export function completeSubtrees(range: LeafRange): SubtreeRef[] {
  const out: SubtreeRef[] = [];
  let start = range.start;
  const end = range.end;
  while (start < end) {
    let size = 1;
    let level = 0;
    // Grow while still aligned and inside the range.
    while (start % (size * 2) === 0 && start + size * 2 <= end) {
      size *= 2;
      level += 1;
    }
    out.push({ level, index: start / size });
    start += size;
  }
  return out;
}

/** MTH of a proof range from its complete subtrees' hashes (as listed by completeSubtrees). */
export function combineSubtrees(
  hashes: readonly Uint8Array[],
  sha256: Sha256 = defaultSha256,
): Uint8Array {
  if (hashes.length === 0) throw new Error('an empty range has no subtree hash');
  let acc = hashes[hashes.length - 1]!;
  for (let i = hashes.length - 2; i >= 0; i--) acc = nodeHash(hashes[i]!, acc, sha256);
  return acc;
}

/** Builds a proof path from ranges with a subtree lookup (the in-memory or stored tree). */
export function pathFromRanges(
  ranges: readonly LeafRange[],
  subtree: (ref: SubtreeRef) => Uint8Array,
  sha256: Sha256 = defaultSha256,
): Uint8Array[] {
  return ranges.map((r) => combineSubtrees(completeSubtrees(r).map(subtree), sha256));
}

/** Inclusion proof over in-memory leaf hashes (bundles, tests). */
export function inclusionPath(
  leaves: readonly Uint8Array[],
  index: number,
  size = leaves.length,
  sha256: Sha256 = defaultSha256,
): Uint8Array[] {
  return inclusionRanges(index, size).map((r) =>
    rootOfLeafHashes(leaves.slice(r.start, r.end), sha256),
  );
}

/** Consistency proof over in-memory leaf hashes (tests). */
export function consistencyPath(
  leaves: readonly Uint8Array[],
  first: number,
  second = leaves.length,
  sha256: Sha256 = defaultSha256,
): Uint8Array[] {
  return consistencyRanges(first, second).map((r) =>
    rootOfLeafHashes(leaves.slice(r.start, r.end), sha256),
  );
}

// ---------------------------------------------------------------- verification (RFC 9162 §2.1.3.2, §2.1.4.2)

/** The root an inclusion proof leads to, or null when the proof's shape is wrong. */
function rootFromInclusionProof(
  index: number,
  size: number,
  leaf: Uint8Array,
  path: readonly Uint8Array[],
  sha256: Sha256 = defaultSha256,
): Uint8Array | null {
  if (!isSize(index) || !isSize(size) || index >= size) return null;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of path) {
    if (p.length !== 32) return null;
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r, sha256);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p, sha256);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

/** True when `path` proves that `leaf` is at `index` in the tree of `size` leaves with `root`. */
export function verifyInclusion(
  index: number,
  size: number,
  leaf: Uint8Array,
  path: readonly Uint8Array[],
  root: Uint8Array,
  sha256: Sha256 = defaultSha256,
): boolean {
  if (leaf.length !== 32 || root.length !== 32) return false;
  const computed = rootFromInclusionProof(index, size, leaf, path, sha256);
  return computed !== null && equalBytes(computed, root);
}

/** True when `path` proves the tree of size `first` with `firstRoot` is a prefix of the one of size `second` with `secondRoot`. */
export function verifyConsistency(
  first: number,
  second: number,
  firstRoot: Uint8Array,
  secondRoot: Uint8Array,
  path: readonly Uint8Array[],
  sha256: Sha256 = defaultSha256,
): boolean {
  if (!isSize(first) || !isSize(second) || first > second) return false;
  if (firstRoot.length !== 32 || secondRoot.length !== 32) return false;
  if (path.some((p) => p.length !== 32)) return false;
  if (first === 0) return path.length === 0 && equalBytes(firstRoot, emptyRoot(sha256));
  if (first === second) return path.length === 0 && equalBytes(firstRoot, secondRoot);
  let nodes = path;
  // A first tree that is a complete subtree is its own starting point.
  if (isPowerOfTwo(first)) nodes = [firstRoot, ...path];
  if (nodes.length === 0) return false;
  let fn = first - 1;
  let sn = second - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = nodes[0]!;
  let sr = nodes[0]!;
  for (let i = 1; i < nodes.length; i++) {
    const c = nodes[i]!;
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr, sha256);
      sr = nodeHash(c, sr, sha256);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = nodeHash(sr, c, sha256);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equalBytes(fr, firstRoot) && equalBytes(sr, secondRoot);
}

// ---------------------------------------------------------------- hex conveniences (wire format)

function hexList(list: readonly string[]): Uint8Array[] | null {
  try {
    return list.map(hexToBytes);
  } catch {
    return null;
  }
}

function hexOrNull(hex: string): Uint8Array | null {
  try {
    return hexToBytes(hex);
  } catch {
    return null;
  }
}

/** verifyInclusion over the wire format (lowercase hex). Malformed hex is a failed proof, never a throw. */
export function verifyInclusionHex(
  proof: { index: number; size: number; leafHash: string; path: readonly string[] },
  rootHex: string,
  sha256: Sha256 = defaultSha256,
): boolean {
  const leaf = hexOrNull(proof.leafHash);
  const root = hexOrNull(rootHex);
  const path = hexList(proof.path);
  if (!leaf || !root || !path) return false;
  return verifyInclusion(proof.index, proof.size, leaf, path, root, sha256);
}

/** verifyConsistency over the wire format (lowercase hex). */
export function verifyConsistencyHex(
  proof: { first: number; second: number; path: readonly string[] },
  firstRootHex: string,
  secondRootHex: string,
  sha256: Sha256 = defaultSha256,
): boolean {
  const a = hexOrNull(firstRootHex);
  const b = hexOrNull(secondRootHex);
  const path = hexList(proof.path);
  if (!a || !b || !path) return false;
  return verifyConsistency(proof.first, proof.second, a, b, path, sha256);
}
