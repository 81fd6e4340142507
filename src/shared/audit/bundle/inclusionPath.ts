/**
 * The inclusion-path reader: an inclusion line of the usual layout is read in
 * place (its path elements stay slices of the line's text), and every proof is
 * verified under the signed root, meeting the last verified path where the two
 * coincide so a run of neighbouring proofs costs about one hash per level.
 */
import { splitPoint } from '../merkle.ts';
import { HEX64 } from './bytes.ts';
import type { ReadEvent } from './canonicalLine.ts';

/** An inclusion proof's path: a parsed array, or read in place from the line's text. */
export type PathView = {
  readonly length: number;
  get(i: number): unknown;
  /** path[i] === hex, without materialising path[i]. */
  equals(i: number, hex: string): boolean;
};

export function arrayPath(path: readonly unknown[]): PathView {
  return { length: path.length, get: (i) => path[i], equals: (i, hex) => path[i] === hex };
}

export type ParsedInclusion = {
  index: number;
  size: unknown;
  leafHash: unknown;
  path: PathView;
  line: number;
  /**
   * Set when the proof was checked as its line was read (see `settleEarly`
   * in verify): the verdict for that event, and the line is let go.
   */
  settled?: { event: ReadEvent; verdict: InclusionVerdict };
};

export type InclusionVerdict = 'included' | 'for-another-leaf-or-size' | 'not-included';
export const NO_PATH: PathView = arrayPath([]);

// The usual inclusion line, exactly as JSON.stringify writes it, is read in
// place (no 17-string array per proof); anything else goes to JSON.parse. The
// head is matched by INCLUSION_HEAD, the path by its fixed layout: quoted
// 64-character elements separated by commas. The elements' digits are not
// scanned here: verifyInclusionCached checks every element where it uses it
// (64 lowercase hex digits, or equal to a node already proven), so a line is
// only ever accepted when it is exactly the valid JSON this layout describes.
const INCLUSION_HEAD =
  /^\{"kind":"inclusion","index":(0|[1-9][0-9]{0,15}),"size":(0|[1-9][0-9]{0,15}),"leafHash":"([0-9a-f]{64})","path":\[/;
/** How an inclusion line of the usual layout starts (JSON.stringify's key order). */
export const INCLUSION_LINE_HEAD = '{"kind":"inclusion",';
const PATH_STRIDE = 67; // "<64 hex>",
const QUOTE = 0x22;
const COMMA = 0x2c;

/** A path read in place from an inclusion line of the usual layout (see fastInclusion). */
class LinePath implements PathView {
  private readonly raw: string;
  private readonly base: number;
  readonly length: number;
  constructor(raw: string, base: number, length: number) {
    this.raw = raw;
    this.base = base;
    this.length = length;
  }
  get(i: number): unknown {
    if (i < 0 || i >= this.length) return undefined;
    const at = this.base + i * PATH_STRIDE;
    return this.raw.slice(at, at + 64);
  }
  equals(i: number, hex: string): boolean {
    if (i < 0 || i >= this.length) return false;
    // slice + === is several times faster than startsWith(hex, at) in V8.
    const at = this.base + i * PATH_STRIDE;
    return this.raw.slice(at, at + 64) === hex;
  }
  /** Whether elements from..length−1 equal other's, as one comparison of their text (both of the fixed layout). */
  tailEquals(from: number, other: LinePath): boolean {
    if (other.length !== this.length || from < 0 || from >= this.length) return false;
    const end = (this.length - 1) * PATH_STRIDE + 64;
    return (
      this.raw.slice(this.base + from * PATH_STRIDE, this.base + end) ===
      other.raw.slice(other.base + from * PATH_STRIDE, other.base + end)
    );
  }
}

export function fastInclusion(raw: string, line: number): ParsedInclusion | null {
  const m = INCLUSION_HEAD.exec(raw);
  // No escapes anywhere: an element then means exactly its 64 characters.
  if (!m || !raw.endsWith(']}') || raw.includes('\\')) return null;
  const base = m[0].length; // the opening quote of path[0]
  const pathChars = raw.length - 2 - base;
  if (pathChars !== 0 && (pathChars + 1) % PATH_STRIDE !== 0) return null;
  const length = pathChars === 0 ? 0 : (pathChars + 1) / PATH_STRIDE;
  for (let i = 0; i < length; i++) {
    const at = base + i * PATH_STRIDE;
    if (raw.charCodeAt(at) !== QUOTE || raw.charCodeAt(at + 65) !== QUOTE) return null;
    if (i < length - 1 && raw.charCodeAt(at + 66) !== COMMA) return null;
  }
  return {
    index: Number(m[1]),
    size: Number(m[2]),
    leafHash: m[3],
    path: new LinePath(raw, base + 1, length),
    line,
  };
}

/**
 * The last inclusion path verified under the signed root, top-down: at each
 * depth d (0 = the root's children) the range of the node on the path and of
 * its sibling, with their hashes in hex, all proven by that root.
 *
 * Two leaves' paths coincide above their lowest common ancestor, so the next
 * proof meets this one there: below it, it is hashed up as usual; from its
 * meeting point up, every element of its path must equal the proven sibling
 * at the same depth (a node's depth is fixed by its range in a tree of one
 * size). Neighbouring events thus cost a leaf hash, about one node hash and a
 * string comparison per level, and every element of every path is checked.
 */
export class LastVerifiedPath {
  length = 0;
  /** The accepted proof's path itself: its elements are exactly siblingHex, bottom-up. */
  path: PathView = NO_PATH;
  readonly nodeStart = new Float64Array(64);
  readonly nodeEnd = new Float64Array(64);
  readonly siblingStart = new Float64Array(64);
  readonly siblingEnd = new Float64Array(64);
  readonly nodeHex: string[] = new Array<string>(64).fill('');
  readonly siblingHex: string[] = new Array<string>(64).fill('');
}

// Scratch space for the proof being verified (a path has at most 64 steps).
const nodeStart = new Float64Array(64);
const nodeEnd = new Float64Array(64);
const siblingStart = new Float64Array(64);
const siblingEnd = new Float64Array(64);
const computedHex: string[] = new Array<string>(64).fill('');
const computedSiblingHex: string[] = new Array<string>(64).fill('');

/**
 * The ranges of `index`'s path in a tree of `size`, top-down, into
 * nodeStart/nodeEnd and siblingStart/siblingEnd (RFC 9162 §2.1.3.1, as
 * `inclusionRanges`, without allocating). Returns the path length.
 */
function pathRanges(index: number, size: number): number {
  let depth = 0;
  let start = 0;
  let end = size;
  let m = index;
  while (end - start > 1) {
    const n = end - start;
    const k = n <= 0x80000000 ? 2 ** (31 - Math.clz32(n - 1)) : splitPoint(n);
    if (m < k) {
      siblingStart[depth] = start + k;
      siblingEnd[depth] = end;
      end = start + k;
    } else {
      siblingStart[depth] = start;
      siblingEnd[depth] = start + k;
      start += k;
      m -= k;
    }
    nodeStart[depth] = start;
    nodeEnd[depth] = end;
    depth += 1;
  }
  return depth;
}

/** RFC 9162 inclusion verification of `index` (path bottom-up, as in the bundle), meeting `last` where it can. */
export function verifyInclusionCached(
  index: number,
  size: number,
  leafHex: string,
  pathHex: PathView,
  rootHex: string,
  nodeHashHex: (left: string, right: string) => string,
  last: LastVerifiedPath,
): boolean {
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) return false;
  const length = pathRanges(index, size);
  if (length !== pathHex.length) return false;
  // Bottom-up: path[i] is the sibling at depth length − 1 − i.
  let rHex = leafHex;
  let met = -1;
  for (let d = length - 1; d >= 0; d--) {
    computedHex[d] = rHex;
    if (d < last.length) {
      const start = nodeStart[d]!;
      const end = nodeEnd[d]!;
      if (start === last.nodeStart[d] && end === last.nodeEnd[d]) {
        if (rHex !== last.nodeHex[d] || !pathHex.equals(length - 1 - d, last.siblingHex[d]!))
          return false;
        met = d;
        break;
      }
      if (start === last.siblingStart[d] && end === last.siblingEnd[d]) {
        // The same parent: this path's sibling is the last path's node.
        if (rHex !== last.siblingHex[d] || !pathHex.equals(length - 1 - d, last.nodeHex[d]!))
          return false;
        met = d;
        break;
      }
    }
    const p = pathHex.get(length - 1 - d);
    if (typeof p !== 'string' || !HEX64.test(p)) return false;
    computedSiblingHex[d] = p;
    rHex = siblingEnd[d] === nodeStart[d] ? nodeHashHex(p, rHex) : nodeHashHex(rHex, p);
  }
  if (met < 0) {
    if (rHex !== rootHex) return false;
  } else {
    // Above the meeting point both paths run through the same nodes: their siblings are proven.
    const previous = last.path;
    if (
      met > 0 &&
      pathHex instanceof LinePath &&
      previous instanceof LinePath &&
      previous.length === length
    ) {
      // The last path's elements are exactly last.siblingHex, so one text comparison checks them all.
      if (!pathHex.tailEquals(length - met, previous)) return false;
    } else {
      for (let up = met - 1; up >= 0; up--) {
        if (!pathHex.equals(length - 1 - up, last.siblingHex[up]!)) return false;
      }
    }
    // At it, the node and its sibling are proven (possibly swapped with the last path's).
    const metNodeHex = computedHex[met]!;
    const metSiblingHex =
      nodeStart[met] === last.nodeStart[met] ? last.siblingHex[met]! : last.nodeHex[met]!;
    last.nodeHex[met] = metNodeHex;
    last.siblingHex[met] = metSiblingHex;
  }
  // Accepted: this path becomes the last one (above the meeting point it is unchanged).
  for (let d = Math.max(met, 0); d < length; d++) {
    last.nodeStart[d] = nodeStart[d]!;
    last.nodeEnd[d] = nodeEnd[d]!;
    last.siblingStart[d] = siblingStart[d]!;
    last.siblingEnd[d] = siblingEnd[d]!;
    if (d > met) {
      last.nodeHex[d] = computedHex[d]!;
      last.siblingHex[d] = computedSiblingHex[d]!;
    }
  }
  last.length = length;
  last.path = pathHex;
  return true;
}
