/**
 * An auditor's check of a log served in the C2SP tlog-tiles layout, written
 * from the specifications alone (tlog-tiles, tlog-checkpoint, signed-note,
 * RFC 6962 hashing) and sharing no code with the server that serves it:
 *
 * 1. the checkpoint's Ed25519 note signature verifies under the verifier key;
 * 2. every entry in every entry bundle hashes to its leaf in the level-0 tile;
 * 3. every full tile's 256 hashes combine to the hash one level up;
 * 4. the tiles' hashes combine to the checkpoint's root.
 *
 * `fetchBytes(path)` reads a path relative to the log's prefix (`checkpoint`,
 * `tile/0/x001/234`…), from HTTP or a mirror on disk alike.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';

export type TlogCheckResult = {
  origin: string;
  size: number;
  rootBase64: string;
  tilesFetched: number;
  entriesChecked: number;
};

const WIDTH = 256;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const node = (left: Uint8Array, right: Uint8Array) => sha256(concat(Uint8Array.of(1), left, right));
const leaf = (entry: Uint8Array) => sha256(concat(Uint8Array.of(0), entry));

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
function toBase64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

/** RFC 6962 MTH of a list whose items are already subtree hashes of equal, power-of-two size. */
function mth(hashes: readonly Uint8Array[]): Uint8Array {
  if (hashes.length === 1) return hashes[0]!;
  let split = 1;
  while (split * 2 < hashes.length) split *= 2;
  return node(mth(hashes.slice(0, split)), mth(hashes.slice(split)));
}

function pathOf(level: number | 'entries', index: number, width: number): string {
  const groups: string[] = [];
  let n = index;
  do {
    groups.unshift(String(n % 1000).padStart(3, '0'));
    n = Math.floor(n / 1000);
  } while (n > 0);
  const joined = groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
  return `tile/${level}/${joined}${width < WIDTH ? `.p/${width}` : ''}`;
}

/** Parses `<name>+<hex id>+<base64(0x01 ‖ key)>` and checks the key ID it claims. */
function parseVerifierKey(vkey: string): {
  name: string;
  keyId: Uint8Array;
  publicKey: Uint8Array;
} {
  // Split at the first two '+' only: the base64 key may contain more.
  const [name, idHex, ...keyParts] = vkey.trim().split('+');
  const keyB64 = keyParts.join('+');
  if (!name || !idHex || !keyB64) throw new Error('The verifier key is not name+id+key.');
  const typed = fromBase64(keyB64);
  if (typed.length !== 33 || typed[0] !== 0x01) throw new Error('The verifier key is not Ed25519.');
  const publicKey = typed.subarray(1);
  const keyId = sha256(concat(encoder.encode(`${name}\n`), typed)).subarray(0, 4);
  if (Array.from(keyId, (b) => b.toString(16).padStart(2, '0')).join('') !== idHex)
    throw new Error("The verifier key's ID does not match its key.");
  return { name, keyId, publicKey };
}

/** Verifies the note's signature by the key and returns its checkpoint lines. */
function openCheckpoint(
  note: string,
  vkey: ReturnType<typeof parseVerifierKey>,
): { origin: string; size: number; root: Uint8Array } {
  const split = note.indexOf('\n\n');
  if (split < 0) throw new Error('The checkpoint is not a signed note.');
  const text = note.slice(0, split + 1);
  const signed = note
    .slice(split + 2)
    .split('\n')
    .filter((l) => l.startsWith(`\u2014 ${vkey.name} `))
    .map((l) => fromBase64(l.slice(`\u2014 ${vkey.name} `.length)))
    .find((sig) => sig.length === 68 && equal(sig.subarray(0, 4), vkey.keyId));
  if (!signed) throw new Error(`The checkpoint carries no signature by ${vkey.name}.`);
  if (!ed25519.verify(signed.subarray(4), encoder.encode(text), vkey.publicKey))
    throw new Error("The checkpoint's signature does not verify.");
  const [origin, sizeText, rootText] = text.split('\n');
  if (!origin || !sizeText || !/^(0|[1-9][0-9]*)$/.test(sizeText) || !rootText)
    throw new Error('The checkpoint text is malformed.');
  const root = fromBase64(rootText);
  if (root.length !== 32) throw new Error("The checkpoint's root is not 32 bytes.");
  return { origin, size: Number(sizeText), root };
}

function hashesOf(bytes: Uint8Array, width: number, path: string): Uint8Array[] {
  if (bytes.length !== width * 32)
    throw new Error(`${path} is ${bytes.length} bytes, not ${width * 32}.`);
  return Array.from({ length: width }, (_, i) => bytes.subarray(i * 32, i * 32 + 32));
}

function entriesOf(bytes: Uint8Array, width: number, path: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (at + 2 > bytes.length) throw new Error(`${path} ends inside an entry's length.`);
    const length = (bytes[at]! << 8) | bytes[at + 1]!;
    if (at + 2 + length > bytes.length) throw new Error(`${path} ends inside an entry.`);
    out.push(bytes.subarray(at + 2, at + 2 + length));
    at += 2 + length;
  }
  if (out.length !== width) throw new Error(`${path} holds ${out.length} entries, not ${width}.`);
  return out;
}

export async function checkTiledLog(options: {
  fetchBytes: (path: string) => Promise<Uint8Array>;
  verifierKey: string;
  /** Fetches in flight at once. */
  concurrency?: number;
}): Promise<TlogCheckResult> {
  const { fetchBytes } = options;
  const vkey = parseVerifierKey(options.verifierKey);
  const checkpoint = openCheckpoint(decoder.decode(await fetchBytes('checkpoint')), vkey);
  const size = checkpoint.size;
  let tilesFetched = 0;
  let entriesChecked = 0;

  // Widths per level: level l has floor(size / 256^l) hashes, in full tiles and one partial.
  const counts: number[] = [];
  for (let n = size; n > 0; n = Math.floor(n / WIDTH)) counts.push(n);

  // Fetched level by level, bottom up: each full tile's MTH is checked against the hash above it.
  let below: Uint8Array[] | null = null; // MTH of each full tile of the level below, in order
  const perLevelHashes: Uint8Array[][] = [];
  for (let level = 0; level < counts.length; level++) {
    const count = counts[level]!;
    const tiles = Math.ceil(count / WIDTH);
    const fullRoots: Uint8Array[] = [];
    const levelHashes: Uint8Array[] = new Array<Uint8Array>(count);
    const jobs = Array.from({ length: tiles }, (_, index) => index);
    const run = async () => {
      for (let index = jobs.shift(); index !== undefined; index = jobs.shift()) {
        const width = Math.min(WIDTH, count - index * WIDTH);
        const path = pathOf(level, index, width);
        const hashes = hashesOf(await fetchBytes(path), width, path);
        tilesFetched++;
        if (level === 0) {
          const bundlePath = pathOf('entries', index, width);
          const entries = entriesOf(await fetchBytes(bundlePath), width, bundlePath);
          tilesFetched++;
          entries.forEach((entry, i) => {
            if (!equal(leaf(entry), hashes[i]!))
              throw new Error(`Entry ${index * WIDTH + i} does not hash to its leaf in ${path}.`);
          });
          entriesChecked += width;
        }
        hashes.forEach((h, i) => (levelHashes[index * WIDTH + i] = h));
        if (width === WIDTH) fullRoots[index] = mth(hashes);
      }
    };
    await Promise.all(Array.from({ length: options.concurrency ?? 8 }, run));
    if (below) {
      below.forEach((root, i) => {
        if (!equal(root, levelHashes[i]!))
          throw new Error(`Tile ${level - 1}/${i} does not hash to entry ${i} of level ${level}.`);
      });
    }
    below = fullRoots.slice(0, Math.floor(count / WIDTH));
    perLevelHashes.push(levelHashes);
  }

  // The root: the leftover (partial-tile) hashes of each level, from the top down, split into
  // power-of-two runs (each a complete subtree), folded right to left as RFC 6962 does.
  const subtrees: Uint8Array[] = [];
  for (let level = counts.length - 1; level >= 0; level--) {
    const hashes = perLevelHashes[level]!;
    const rest = hashes.slice(Math.floor(hashes.length / WIDTH) * WIDTH);
    let at = 0;
    for (let bit = 128; bit >= 1; bit /= 2) {
      if (rest.length & bit) {
        subtrees.push(mth(rest.slice(at, at + bit)));
        at += bit;
      }
    }
  }
  const root =
    size === 0
      ? sha256(new Uint8Array(0))
      : subtrees.reduceRight((right, left) => node(left, right));
  if (!equal(root, checkpoint.root))
    throw new Error("The tiles do not combine to the checkpoint's root.");
  return {
    origin: checkpoint.origin,
    size,
    rootBase64: toBase64(root),
    tilesFetched,
    entriesChecked,
  };
}
