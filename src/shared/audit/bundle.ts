/**
 * The audit bundle: a self-contained JSON Lines export an auditor verifies
 * offline with SHA-256, Ed25519 and RFC 8785 alone (docs/protocol.md).
 *
 * Lines, in this order, each a JSON object with a `kind`:
 *   header      {kind:"header", v:1, format:"dearpos-audit-bundle", logId, logPublicKey, storeId, from, to, createdAt}
 *   device      {kind:"device", deviceId, storeId, publicKey}               one per device with events
 *   event       {kind:"event", index, event}                                event exactly as hashed, plus `hash`
 *   checkpoint  {kind:"checkpoint", deviceId, seq, head, signature}         device-signed heads inside the range
 *   tree-head   {kind:"tree-head", treeHead, signature}                     exactly one, signed by the log
 *   inclusion   {kind:"inclusion", index, size, leafHash, path}             one per event, for treeHead.size
 *
 * Pure: crypto is injected, so the CLI uses node:crypto and the console's
 * audit screen @noble (see `nobleBundleCrypto`).
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import {
  canonicalBody,
  checkpointText,
  treeHeadText,
  GENESIS_PREV,
  type AuditEventBody,
} from './event.ts';
import { inclusionRanges, leafHash, nodeHash, rootOfLeafHashes, type Sha256 } from './merkle.ts';

export const BUNDLE_FORMAT = 'dearpos-audit-bundle';

export type BundleCrypto = {
  sha256: Sha256;
  /** Ed25519 verification over raw bytes: 32-byte public key, 64-byte signature. */
  ed25519Verify: (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean;
};

export const nobleBundleCrypto: BundleCrypto = {
  sha256: (d) => nobleSha256(d),
  ed25519Verify: (publicKey, message, signature) => {
    try {
      return ed25519.verify(signature, message, publicKey);
    } catch {
      return false;
    }
  },
};

export type BundleHeader = {
  kind: 'header';
  v: 1;
  format: typeof BUNDLE_FORMAT;
  logId: string;
  logPublicKey: string;
  /** null: the complete log (every store), verified by recomputing the root. */
  storeId: string | null;
  from: string | null;
  to: string | null;
  createdAt: string;
};
export type BundleDevice = { kind: 'device'; deviceId: string; storeId: string; publicKey: string };
export type BundleEvent = {
  kind: 'event';
  index: number;
  event: AuditEventBody & { hash: string };
};
export type BundleCheckpoint = {
  kind: 'checkpoint';
  deviceId: string;
  seq: number;
  head: string;
  signature: string;
};
export type BundleTreeHead = {
  kind: 'tree-head';
  treeHead: { kind: 'tree-head'; v: 1; logId: string; size: number; root: string; at: string };
  signature: string;
};
export type BundleInclusion = {
  kind: 'inclusion';
  index: number;
  size: number;
  leafHash: string;
  path: string[];
};
export type BundleLine =
  BundleHeader | BundleDevice | BundleEvent | BundleCheckpoint | BundleTreeHead | BundleInclusion;

export type BundleVerification =
  | {
      ok: true;
      events: number;
      devices: number;
      checkpoints: number;
      treeHead: BundleTreeHead['treeHead'];
    }
  | { ok: false; line: number; reason: string };

export type VerifyBundleOptions = {
  /** Pin the log's key (base64 raw 32 bytes), e.g. the one the console enrolled with; otherwise the header's key is used. */
  trustedLogPublicKey?: string;
  /**
   * The last tree head the auditor (or console) verified earlier. The bundle's
   * tree head must not be older; a complete bundle must also reproduce its root
   * at its size, so a rewritten or truncated history is detected.
   */
  knownTreeHead?: { size: number; root: string };
};

const HEX64 = /^[0-9a-f]{64}$/;

// Table-driven hex codecs: a 100,000-event bundle decodes and encodes millions of bytes.
const HEX_DIGITS = '0123456789abcdef';
const BYTE_HEX = Array.from({ length: 256 }, (_, b) => HEX_DIGITS[b >> 4]! + HEX_DIGITS[b & 15]!);
const NIBBLE = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) NIBBLE[HEX_DIGITS.charCodeAt(i)] = i;

function bytesToHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += BYTE_HEX[bytes[i]!]!;
  return s;
}

/** Lowercase hex to bytes; throws on anything else (callers check HEX64 first). */
function hexToBytes(hex: string): Uint8Array {
  if (hex.length % 2 !== 0) throw new Error('odd-length hex');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = NIBBLE[hex.charCodeAt(2 * i)] ?? -1;
    const lo = NIBBLE[hex.charCodeAt(2 * i + 1)] ?? -1;
    if (hi < 0 || lo < 0) throw new Error('not lowercase hex');
    out[i] = (hi << 4) | lo;
  }
  return out;
}
const utf8 = new TextEncoder();

function base64ToBytes(b64: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 !== 0) return null;
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

class Failure extends Error {
  readonly line: number;
  constructor(line: number, reason: string) {
    super(reason);
    this.line = line;
  }
}

/**
 * Verifies a bundle given as its lines (text, or already parsed objects).
 * Checks: header; the log's tree-head signature and logId; every event's
 * canonical hash, store and device; each device's chain (consecutive seq,
 * `prev` links); each checkpoint's signature and head; one inclusion proof per
 * event against the signed root. Returns the first failure with its line
 * number (1-based).
 */
export function verifyBundle(
  lines: Iterable<unknown>,
  crypto: BundleCrypto = nobleBundleCrypto,
  options: VerifyBundleOptions = {},
): BundleVerification {
  try {
    return verify(lines, crypto, options);
  } catch (error) {
    if (error instanceof Failure) return { ok: false, line: error.line, reason: error.message };
    throw error;
  }
}

function verify(
  input: Iterable<unknown>,
  crypto: BundleCrypto,
  options: VerifyBundleOptions,
): BundleVerification {
  const { sha256 } = crypto;
  let header: BundleHeader | null = null;
  let treeHead: (BundleTreeHead & { line: number }) | null = null;
  const devices = new Map<string, { key: Uint8Array; storeId: string }>();
  const events: Array<BundleEvent & { line: number }> = [];
  const checkpoints: Array<BundleCheckpoint & { line: number }> = [];
  const proofs = new Map<number, BundleInclusion & { line: number }>();
  let lineNo = 0;
  for (const raw of input) {
    lineNo += 1;
    let obj: unknown = raw;
    if (typeof raw === 'string') {
      if (raw.trim() === '') continue;
      try {
        obj = JSON.parse(raw);
      } catch {
        throw new Failure(lineNo, 'line is not valid JSON');
      }
    }
    if (!isObject(obj)) throw new Failure(lineNo, 'line is not a JSON object');
    if (header === null && obj.kind !== 'header')
      throw new Failure(lineNo, 'the bundle must start with a header line');
    switch (obj.kind) {
      case 'header': {
        if (header !== null) throw new Failure(lineNo, 'a second header');
        if (obj.v !== 1 || obj.format !== BUNDLE_FORMAT)
          throw new Failure(lineNo, 'not a version 1 DearPOS audit bundle');
        if (
          typeof obj.logPublicKey !== 'string' ||
          typeof obj.logId !== 'string' ||
          (typeof obj.storeId !== 'string' && obj.storeId !== null)
        ) {
          throw new Failure(lineNo, 'header lacks logId, logPublicKey or storeId');
        }
        header = obj as BundleHeader;
        break;
      }
      case 'device': {
        const key = typeof obj.publicKey === 'string' ? base64ToBytes(obj.publicKey) : null;
        if (
          typeof obj.deviceId !== 'string' ||
          typeof obj.storeId !== 'string' ||
          !key ||
          key.length !== 32
        ) {
          throw new Failure(
            lineNo,
            'device line needs deviceId, storeId and a 32-byte base64 publicKey',
          );
        }
        if (devices.has(obj.deviceId))
          throw new Failure(lineNo, `device ${obj.deviceId} listed twice`);
        devices.set(obj.deviceId, { key, storeId: obj.storeId });
        break;
      }
      case 'event': {
        if (!Number.isSafeInteger(obj.index) || (obj.index as number) < 0 || !isObject(obj.event)) {
          throw new Failure(lineNo, 'event line needs an index and an event');
        }
        events.push({ ...(obj as BundleEvent), line: lineNo });
        break;
      }
      case 'checkpoint':
        checkpoints.push({ ...(obj as BundleCheckpoint), line: lineNo });
        break;
      case 'tree-head':
        if (treeHead !== null) throw new Failure(lineNo, 'a second tree head');
        if (!isObject(obj.treeHead) || typeof obj.signature !== 'string')
          throw new Failure(lineNo, 'tree-head line needs treeHead and signature');
        treeHead = { ...(obj as BundleTreeHead), line: lineNo };
        break;
      case 'inclusion': {
        const p = obj as BundleInclusion;
        if (!Number.isSafeInteger(p.index) || !Array.isArray(p.path))
          throw new Failure(lineNo, 'inclusion line needs index and path');
        if (proofs.has(p.index))
          throw new Failure(lineNo, `a second inclusion proof for index ${p.index}`);
        proofs.set(p.index, { ...p, line: lineNo });
        break;
      }
      default:
        throw new Failure(lineNo, `unknown line kind ${JSON.stringify(obj.kind)}`);
    }
  }
  if (header === null) throw new Failure(1, 'the bundle is empty');
  if (treeHead === null) throw new Failure(lineNo, 'the bundle has no signed tree head');

  // The log key and its tree head.
  const logKeyB64 = options.trustedLogPublicKey ?? header.logPublicKey;
  if (
    options.trustedLogPublicKey !== undefined &&
    header.logPublicKey !== options.trustedLogPublicKey
  ) {
    throw new Failure(1, 'the bundle was signed by a different log key than the trusted one');
  }
  const logKey = base64ToBytes(logKeyB64);
  if (!logKey || logKey.length !== 32)
    throw new Failure(1, 'the log public key is not 32 bytes of base64');
  const logId = bytesToHex(sha256(logKey));
  if (header.logId !== logId)
    throw new Failure(1, 'the header logId is not the SHA-256 of the log public key');
  const th = treeHead.treeHead;
  if (
    th.kind !== 'tree-head' ||
    th.v !== 1 ||
    th.logId !== logId ||
    !Number.isSafeInteger(th.size) ||
    !HEX64.test(String(th.root))
  ) {
    throw new Failure(treeHead.line, 'the tree head is malformed or names another log');
  }
  const thSig = base64ToBytes(treeHead.signature);
  if (!thSig || !crypto.ed25519Verify(logKey, utf8.encode(treeHeadText(th)), thSig)) {
    throw new Failure(treeHead.line, 'the tree head signature does not verify with the log key');
  }
  const root = hexToBytes(th.root);
  const isComplete = header.storeId === null;
  const known = options.knownTreeHead;
  if (known && known.size > th.size) {
    throw new Failure(
      treeHead.line,
      `the bundle's tree head (size ${th.size}) is older than the last verified one (size ${known.size}): the log was truncated or rolled back`,
    );
  }
  if (known && known.size === th.size && known.root !== th.root) {
    throw new Failure(
      treeHead.line,
      `the log signed two different roots for size ${th.size}: its history was rewritten`,
    );
  }
  if (isComplete) {
    if (proofs.size > 0)
      throw new Failure(
        [...proofs.values()][0]!.line,
        'a complete-log bundle carries no inclusion proofs',
      );
    events.forEach((e, i) => {
      if (e.index !== i)
        throw new Failure(
          e.line,
          `expected log index ${i} here, found ${e.index}: entries are missing, inserted or out of order`,
        );
    });
    if (events.length !== th.size) {
      throw new Failure(
        events.length > th.size ? events[th.size]!.line : treeHead.line,
        `the log holds ${events.length} entries but its signed tree head covers ${th.size}`,
      );
    }
  }

  // Events: hash, store, device, and inclusion under the signed root.
  const verifiedNodes = new Map<number, Uint8Array>();
  const byDevice = new Map<string, Array<BundleEvent & { line: number }>>();
  const hashAt = new Map<string, string>();
  const seenIndexes = new Set<number>();
  const leaves: Uint8Array[] = [];
  for (const e of events) {
    const ev = e.event;
    let text: string;
    try {
      text = canonicalBody(ev);
    } catch (error) {
      throw new Failure(e.line, `event cannot be canonicalized: ${(error as Error).message}`);
    }
    if (typeof ev.hash !== 'string' || !HEX64.test(ev.hash))
      throw new Failure(e.line, `event ${String(ev.id)} has a malformed hash`);
    if (bytesToHex(sha256(utf8.encode(text))) !== ev.hash)
      throw new Failure(e.line, `event ${String(ev.id)} does not match its hash (altered)`);
    if (!isComplete && ev.storeId !== header.storeId)
      throw new Failure(
        e.line,
        `event ${ev.id} belongs to store ${ev.storeId}, not ${header.storeId}`,
      );
    const device = devices.get(ev.deviceId);
    if (!device)
      throw new Failure(
        e.line,
        `event ${ev.id} is from device ${ev.deviceId}, which has no device line`,
      );
    if (seenIndexes.has(e.index)) throw new Failure(e.line, `log index ${e.index} appears twice`);
    seenIndexes.add(e.index);
    if (device.storeId !== ev.storeId)
      throw new Failure(
        e.line,
        `event ${ev.id} is for store ${ev.storeId} but its device is enrolled for ${device.storeId}`,
      );
    const list = byDevice.get(ev.deviceId) ?? [];
    list.push(e);
    byDevice.set(ev.deviceId, list);
    hashAt.set(`${ev.deviceId}:${ev.seq}`, ev.hash);
    if (isComplete) {
      leaves.push(leafHash(hexToBytes(ev.hash), sha256));
      continue;
    }
    const proof = proofs.get(e.index);
    if (!proof)
      throw new Failure(e.line, `event ${ev.id} (log index ${e.index}) has no inclusion proof`);
    const leaf = leafHash(hexToBytes(ev.hash), sha256);
    if (proof.size !== th.size || proof.leafHash !== bytesToHex(leaf)) {
      throw new Failure(
        proof.line,
        `the inclusion proof for index ${e.index} is for another leaf or tree size`,
      );
    }
    if (!verifyInclusionCached(e.index, th.size, leaf, proof.path, root, sha256, verifiedNodes)) {
      throw new Failure(
        proof.line,
        `event ${ev.id} is not in the log at index ${e.index} under the signed tree head`,
      );
    }
  }
  if (isComplete) {
    if (!equalBytes(rootOfLeafHashes(leaves, sha256), root)) {
      throw new Failure(
        treeHead.line,
        'the entries do not reproduce the signed root: rows were edited, deleted, inserted or reordered',
      );
    }
    if (
      known &&
      known.size < th.size &&
      bytesToHex(rootOfLeafHashes(leaves.slice(0, known.size), sha256)) !== known.root
    ) {
      throw new Failure(
        treeHead.line,
        `the first ${known.size} entries do not reproduce the last verified root: the history was rewritten`,
      );
    }
  }
  if (!isComplete && proofs.size !== events.length) {
    const orphan = [...proofs.values()].find((p) => !seenIndexes.has(p.index))!;
    throw new Failure(orphan.line, `inclusion proof for index ${orphan.index} has no event`);
  }

  // Each device's chain: consecutive seq and prev links (the first event's prev is taken as given unless seq = 1).
  for (const [deviceId, list] of byDevice) {
    list.sort((a, b) => a.event.seq - b.event.seq);
    list.forEach((e, i) => {
      if (i === 0) {
        if (isComplete && e.event.seq !== 1)
          throw new Failure(
            e.line,
            `device ${deviceId}: its events before seq ${e.event.seq} are missing`,
          );
        if (e.event.seq === 1 && e.event.prev !== GENESIS_PREV)
          throw new Failure(e.line, `event ${e.event.id} (seq 1) must have prev = 64 zeros`);
        return;
      }
      const before = list[i - 1]!;
      if (e.event.seq !== before.event.seq + 1) {
        throw new Failure(
          e.line,
          `device ${deviceId}: event seq ${before.event.seq + 1} is missing (next present is ${e.event.seq})`,
        );
      }
      if (e.event.prev !== before.event.hash)
        throw new Failure(
          e.line,
          `event ${e.event.id} does not link to seq ${before.event.seq} of its device`,
        );
    });
  }

  // Checkpoints: the device's signature, and the head it vouches for.
  for (const c of checkpoints) {
    const device = devices.get(c.deviceId);
    if (!device) throw new Failure(c.line, `checkpoint of unknown device ${String(c.deviceId)}`);
    const sig = typeof c.signature === 'string' ? base64ToBytes(c.signature) : null;
    if (!Number.isSafeInteger(c.seq) || typeof c.head !== 'string' || !sig)
      throw new Failure(c.line, 'malformed checkpoint');
    if (
      !crypto.ed25519Verify(device.key, utf8.encode(checkpointText(c.deviceId, c.seq, c.head)), sig)
    ) {
      throw new Failure(
        c.line,
        `checkpoint of device ${c.deviceId} at seq ${c.seq} is not signed by the device key`,
      );
    }
    const stored = hashAt.get(`${c.deviceId}:${c.seq}`);
    if (stored !== undefined && stored !== c.head)
      throw new Failure(
        c.line,
        `device ${c.deviceId} signed a different event at seq ${c.seq} than the log holds`,
      );
  }
  return {
    ok: true,
    events: events.length,
    devices: devices.size,
    checkpoints: checkpoints.length,
    treeHead: th,
  };
}

/** A numeric key for the leaf range [start, end) of a tree of `size` leaves: unique, and cheaper for the cache than strings. */
function rangeKey(start: number, end: number, size: number): number {
  return start * (size + 1) + end;
}

/**
 * RFC 9162 inclusion verification that remembers every node it has proven
 * (by leaf range) under the signed root: once a computed node equals a proven
 * one, the rest of the path is proven too. Neighbouring events then cost a
 * few hashes instead of a full path each.
 */
function verifyInclusionCached(
  index: number,
  size: number,
  leaf: Uint8Array,
  pathHex: readonly unknown[],
  root: Uint8Array,
  sha256: Sha256,
  proven: Map<number, Uint8Array>,
): boolean {
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) return false;
  const ranges = inclusionRanges(index, size);
  if (ranges.length !== pathHex.length) return false;
  let start = index;
  let end = index + 1;
  let r = leaf;
  const computed: Array<[number, Uint8Array]> = [];
  for (let i = 0; i <= ranges.length; i++) {
    const known = proven.get(rangeKey(start, end, size));
    if (known) {
      if (!equalBytes(known, r)) return false;
      break;
    }
    computed.push([rangeKey(start, end, size), r]);
    if (i === ranges.length) {
      if (!equalBytes(r, root)) return false;
      break;
    }
    const p = pathHex[i];
    if (typeof p !== 'string' || !HEX64.test(p)) return false;
    const sibling = hexToBytes(p);
    const range = ranges[i]!;
    if (range.end === start) {
      r = nodeHash(sibling, r, sha256);
      start = range.start;
    } else {
      r = nodeHash(r, sibling, sha256);
      end = range.end;
    }
  }
  for (const [k, v] of computed) proven.set(k, v);
  return true;
}
