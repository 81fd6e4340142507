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
 * Who acted (optional; a server with the actor check writes them, src/shared/audit/actorRule.ts):
 *   actor-rule  {kind:"actor-rule", v:1, fromIndex}                         before the events: from this log
 *                                                                            index on, every event was judged
 *   user        {kind:"user", userId, fromIndex, role, storeIds, isRevoked} one per version of each actor
 *   terminal    {kind:"terminal", terminalId, fromIndex, storeId}            one per version of each terminal named
 *   quarantine  {kind:"quarantine", index, reason}                          one per quarantined event
 * With them, the quarantined events must be exactly those that break the
 * rule against the versions in force at their index. Whatever the bundle,
 * each sign-off (`decision.recorded`) must name result and waiver events by
 * their true hashes, cite exactly the evidence those results cite, and carry
 * the digest of that basis.
 *
 * Pure: crypto is injected, so the CLI uses node:crypto and the console's
 * audit screen @noble (see `nobleBundleCrypto`).
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { canonicalEventText } from './canonicalEvent.ts';
import {
  AUDIT_ACTOR_KEYS,
  AUDIT_EVENT_KEYS,
  canonicalBody,
  checkpointText,
  treeHeadText,
  GENESIS_PREV,
  type AuditEventBody,
} from './event.ts';
import { leafHash, nodeHash, rootOfLeafHashes, splitPoint, type Sha256 } from './merkle.ts';
import { assertNever } from '../errors.ts';
import { ROLES } from '../domain/roles.ts';
import {
  actorRuleVerdict,
  isQuarantineReason,
  versionAt,
  type ActorUserVersion,
  type QuarantineReason,
} from './actorRule.ts';
import { basisDigest, type DecisionBasis } from '../decisions/binding.ts';

export const BUNDLE_FORMAT = 'dearpos-audit-bundle';

export type BundleCrypto = {
  sha256: Sha256;
  /** Ed25519 verification over raw bytes: 32-byte public key, 64-byte signature. */
  ed25519Verify: (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean;
  /** Optional fast path: lowercase hex SHA-256 of a string's UTF-8 bytes (else sha256 + encode + hex). */
  sha256Hex?: (utf8: string) => string;
  /**
   * Optional fast paths for RFC 9162 hashing on hex (else hex decode, sha256,
   * hex encode): the leaf hash of an event hash, and the node hash of two
   * children. Inputs are always 64 lowercase hex digits, checked beforehand.
   */
  leafHashHex?: (entryHex: string) => string;
  nodeHashHex?: (leftHex: string, rightHex: string) => string;
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
export type BundleActorRule = { kind: 'actor-rule'; v: 1; fromIndex: number };
export type BundleUser = {
  kind: 'user';
  userId: string;
  fromIndex: number;
  role: ActorUserVersion['role'];
  storeIds: string[];
  isRevoked: boolean;
};
export type BundleTerminal = {
  kind: 'terminal';
  terminalId: string;
  fromIndex: number;
  storeId: string;
};
export type BundleQuarantine = { kind: 'quarantine'; index: number; reason: QuarantineReason };
export type BundleLine =
  | BundleHeader
  | BundleDevice
  | BundleEvent
  | BundleCheckpoint
  | BundleTreeHead
  | BundleInclusion
  | BundleActorRule
  | BundleUser
  | BundleTerminal
  | BundleQuarantine;

export type BundleVerification =
  | {
      ok: true;
      events: number;
      devices: number;
      checkpoints: number;
      treeHead: BundleTreeHead['treeHead'];
      /** Sign-offs whose basis was checked against the events they name. */
      signOffs: number;
      /** Events judged by the actor rule (null: the bundle carries no actor-rule line). */
      actorChecked: number | null;
      /** Quarantined events, each confirmed to break the actor rule. */
      quarantined: number;
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

function hasExactKeys(v: Record<string, unknown>, keys: readonly string[]): boolean {
  const own = Object.keys(v);
  if (own.length !== keys.length) return false;
  for (const k of keys) if (!Object.hasOwn(v, k)) return false;
  return true;
}

/**
 * RFC 8785 text of an event without `hash`. Events of the usual shape (exactly
 * the format's keys) take the fixed-shape writer, which gives the same bytes
 * as the generic one; anything else, or anything it refuses, goes through the
 * generic `canonicalBody` (so its error messages stay the same).
 */
function canonicalText(ev: AuditEventBody & { hash: string }): string {
  const actor = (ev as { actor?: unknown }).actor;
  if (
    hasExactKeys(ev, AUDIT_EVENT_KEYS) &&
    isObject(actor) &&
    hasExactKeys(actor, AUDIT_ACTOR_KEYS)
  ) {
    try {
      return canonicalEventText(ev);
    } catch {
      // fall through: the generic writer decides and explains
    }
  }
  return canonicalBody(ev);
}

/** An inclusion proof's path: a parsed array, or read in place from the line's text. */
type PathView = {
  readonly length: number;
  get(i: number): unknown;
  /** path[i] === hex, without materialising path[i]. */
  equals(i: number, hex: string): boolean;
};

function arrayPath(path: readonly unknown[]): PathView {
  return { length: path.length, get: (i) => path[i], equals: (i, hex) => path[i] === hex };
}

type ParsedInclusion = {
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

type InclusionVerdict = 'included' | 'for-another-leaf-or-size' | 'not-included';
const NO_PATH: PathView = arrayPath([]);

// The usual inclusion line, exactly as JSON.stringify writes it, is read in
// place (no 17-string array per proof); anything else goes to JSON.parse. The
// head is matched by INCLUSION_HEAD, the path by its fixed layout: quoted
// 64-character elements separated by commas. The elements' digits are not
// scanned here: verifyInclusionCached checks every element where it uses it
// (64 lowercase hex digits, or equal to a node already proven), so a line is
// only ever accepted when it is exactly the valid JSON this layout describes.
const INCLUSION_HEAD =
  /^\{"kind":"inclusion","index":(0|[1-9][0-9]{0,15}),"size":(0|[1-9][0-9]{0,15}),"leafHash":"([0-9a-f]{64})","path":\[/;
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

function fastInclusion(raw: string, line: number): ParsedInclusion | null {
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

// Event lines as the central server writes them: the canonical body it
// stored and hashed, with `hash` appended (src/server/audit/bundle.ts):
//   {"kind":"event","index":N,"event":{"actor":…,"at":…,…,"v":1,"hash":"<hex>"}}
// When a line is exactly that and its body is canonical JSON as RFC 8785
// writes it, the text the slow path would hash (canonicalize(JSON.parse(body)))
// is the body itself: it is hashed as a slice of the line, without JSON.parse
// or re-serialising. The reader vouches only for a subset it can prove
// canonical by looking: no whitespace, no escapes, no control characters or
// surrogates, integers in shortest form within ±(2^53 − 1), object keys in
// strictly increasing UTF-16 order (so none twice). Anything else returns
// null and takes the slow path, which decides and explains.
const EVENT_LINE_HEAD = '{"kind":"event","index":';
const EVENT_LINE_TAIL_LENGTH = ',"hash":"'.length + 64 + '"}}'.length;
// What JSON.stringify escapes, and surrogates (JCS refuses a lone one): such lines take the slow path.
// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON escapes
const NEEDS_ESCAPING = /[\\\u0000-\u001f\ud800-\udfff]/;
const MAX_DEPTH = 32;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COLON = 0x3a;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;

/** End of the string starting at s[i] (a quote), or -1. The line holds no escapes (checked once). */
function stringEnd(s: string, i: number, limit: number): number {
  if (s.charCodeAt(i) !== QUOTE) return -1;
  const close = s.indexOf('"', i + 1);
  return close < 0 || close >= limit ? -1 : close + 1;
}

/**
 * End of an integer in RFC 8785 form at s[i]: optional minus, no leading
 * zero, no "-0", a safe integer. The caller checks what follows, so "1.5" or
 * "1e3" fail there.
 */
function integerEnd(s: string, i: number, limit: number): number {
  let j = i;
  if (s.charCodeAt(j) === MINUS) j += 1;
  const first = j;
  while (j < limit) {
    const c = s.charCodeAt(j);
    if (c < ZERO || c > NINE) break;
    j += 1;
  }
  const digits = j - first;
  if (digits === 0 || digits > 16) return -1;
  if (s.charCodeAt(first) === ZERO && (digits > 1 || first > i)) return -1;
  if (digits === 16 && !Number.isSafeInteger(Number(s.slice(i, j)))) return -1;
  return j;
}

/** Whether key s[a, aEnd) sorts strictly before key s[b, bEnd) by UTF-16 code units (JCS order). */
function keyBefore(s: string, a: number, aEnd: number, b: number, bEnd: number): boolean {
  const n = Math.min(aEnd - a, bEnd - b);
  for (let k = 0; k < n; k++) {
    const x = s.charCodeAt(a + k);
    const y = s.charCodeAt(b + k);
    if (x !== y) return x < y;
  }
  return aEnd - a < bEnd - b;
}

function objectEnd(s: string, i: number, limit: number, depth: number): number {
  if (depth > MAX_DEPTH || s.charCodeAt(i) !== OPEN_BRACE) return -1;
  let j = i + 1;
  if (j < limit && s.charCodeAt(j) === CLOSE_BRACE) return j + 1;
  let lastKey = -1;
  let lastKeyEnd = -1;
  for (;;) {
    const keyEnd = stringEnd(s, j, limit);
    if (keyEnd < 0) return -1;
    if (lastKey >= 0 && !keyBefore(s, lastKey, lastKeyEnd, j + 1, keyEnd - 1)) return -1;
    lastKey = j + 1;
    lastKeyEnd = keyEnd - 1;
    if (keyEnd >= limit || s.charCodeAt(keyEnd) !== COLON) return -1;
    j = valueEnd(s, keyEnd + 1, limit, depth + 1);
    if (j < 0 || j >= limit) return -1;
    const c = s.charCodeAt(j);
    if (c === CLOSE_BRACE) return j + 1;
    if (c !== COMMA) return -1;
    j += 1;
  }
}

function arrayEnd(s: string, i: number, limit: number, depth: number): number {
  if (depth > MAX_DEPTH) return -1;
  let j = i + 1;
  if (j < limit && s.charCodeAt(j) === CLOSE_BRACKET) return j + 1;
  for (;;) {
    j = valueEnd(s, j, limit, depth + 1);
    if (j < 0 || j >= limit) return -1;
    const c = s.charCodeAt(j);
    if (c === CLOSE_BRACKET) return j + 1;
    if (c !== COMMA) return -1;
    j += 1;
  }
}

/** End of the canonical JSON value at s[i], or -1 for anything this reader does not vouch for. */
function valueEnd(s: string, i: number, limit: number, depth: number): number {
  if (i >= limit) return -1;
  const c = s.charCodeAt(i);
  if (c === QUOTE) return stringEnd(s, i, limit);
  if (c === OPEN_BRACE) return objectEnd(s, i, limit, depth);
  if (c === OPEN_BRACKET) return arrayEnd(s, i, limit, depth);
  if (c === MINUS || (c >= ZERO && c <= NINE)) return integerEnd(s, i, limit);
  for (const literal of ['true', 'false', 'null']) {
    if (s.startsWith(literal, i)) return i + literal.length <= limit ? i + literal.length : -1;
  }
  return -1;
}

/** i + literal's length if s continues with literal at i, else -1 (and -1 stays -1). */
function after(s: string, i: number, literal: string): number {
  return i >= 0 && s.startsWith(literal, i) ? i + literal.length : -1;
}

/** An event line read by its canonical layout: the body text that was hashed, and the facts the later checks need. */
export type CanonicalEventLine = { index: number; body: string; event: EventFacts };

/**
 * Reads an event line of the server's canonical layout (see above), or
 * returns null: then the line is not of that layout or holds something this
 * reader does not vouch for, and JSON.parse + canonicalize decide. Exported
 * for the differential tests against that slow path.
 */
export function readCanonicalEventLine(s: string): CanonicalEventLine | null {
  const tail = s.length - EVENT_LINE_TAIL_LENGTH;
  if (
    tail < 0 ||
    !s.startsWith(EVENT_LINE_HEAD) ||
    !s.startsWith(',"hash":"', tail) ||
    !s.endsWith('"}}') ||
    NEEDS_ESCAPING.test(s)
  ) {
    return null;
  }
  // The hash is one JSON string (no quote inside). Not checked for hex here: a
  // hash that matches the body is hex; the caller explains one that does not.
  if (s.indexOf('"', tail + 9) !== tail + 73) return null;
  const hash = s.slice(tail + 9, tail + 73);
  const indexStart = EVENT_LINE_HEAD.length;
  const indexEnd = integerEnd(s, indexStart, tail);
  if (indexEnd < 0 || s.charCodeAt(indexStart) === MINUS) return null;
  const bodyStart = after(s, indexEnd, ',"event":');
  // The body's members, in the only order RFC 8785 allows for the event's keys.
  const actorEnd = objectEnd(s, after(s, bodyStart, '{"actor":'), tail, 1);
  const atStart = after(s, actorEnd, ',"at":');
  const deviceIdStart = after(s, stringEnd(s, atStart, tail), ',"deviceId":');
  const deviceIdEnd = stringEnd(s, deviceIdStart, tail);
  const idStart = after(s, deviceIdEnd, ',"id":');
  const idEnd = stringEnd(s, idStart, tail);
  const payloadEnd = objectEnd(s, after(s, idEnd, ',"payload":'), tail, 1);
  const prevStart = after(s, payloadEnd, ',"prev":');
  const prevEnd = stringEnd(s, prevStart, tail);
  const seqStart = after(s, prevEnd, ',"seq":');
  const seqEnd = seqStart < 0 ? -1 : integerEnd(s, seqStart, tail);
  const storeIdStart = after(s, seqEnd, ',"storeId":');
  const storeIdEnd = stringEnd(s, storeIdStart, tail);
  const typeEnd = stringEnd(s, after(s, storeIdEnd, ',"type":'), tail);
  if (after(s, typeEnd, ',"v":1') !== tail) return null;
  return {
    index: Number(s.slice(indexStart, indexEnd)),
    body: s.slice(bodyStart, tail) + '}',
    event: {
      id: s.slice(idStart + 1, idEnd - 1),
      deviceId: s.slice(deviceIdStart + 1, deviceIdEnd - 1),
      seq: Number(s.slice(seqStart, seqEnd)),
      storeId: s.slice(storeIdStart + 1, storeIdEnd - 1),
      prev: s.slice(prevStart + 1, prevEnd - 1),
      hash,
    },
  };
}

/**
 * What the later checks need of an event, kept instead of the parsed event:
 * its hash is checked as the line is read (the failure, if any, is reported
 * in the same order as before), so 100,000 parsed events are not all kept
 * alive until the end.
 */
type EventFacts = Pick<AuditEventBody, 'id' | 'deviceId' | 'seq' | 'storeId' | 'prev'> & {
  hash: string;
};
type ReadEvent = { index: number; line: number; event: EventFacts; hashFailure: string | null };

function hashFailure(
  ev: AuditEventBody & { hash: string },
  sha256Hex: (t: string) => string,
): string | null {
  let text: string;
  try {
    text = canonicalText(ev);
  } catch (error) {
    return `event cannot be canonicalized: ${(error as Error).message}`;
  }
  if (typeof ev.hash !== 'string' || !HEX64.test(ev.hash))
    return `event ${String(ev.id)} has a malformed hash`;
  if (sha256Hex(text) !== ev.hash)
    return `event ${String(ev.id)} does not match its hash (altered)`;
  return null;
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
  const sha256Hex = crypto.sha256Hex ?? ((text: string) => bytesToHex(sha256(utf8.encode(text))));
  const leafHashHex =
    crypto.leafHashHex ?? ((entry: string) => bytesToHex(leafHash(hexToBytes(entry), sha256)));
  const nodeHashHex =
    crypto.nodeHashHex ??
    ((left: string, right: string) =>
      bytesToHex(nodeHash(hexToBytes(left), hexToBytes(right), sha256)));
  let header: BundleHeader | null = null;
  let treeHead: (BundleTreeHead & { line: number }) | null = null;
  const devices = new Map<string, { key: Uint8Array; storeId: string }>();
  const events: ReadEvent[] = [];
  const checkpoints: Array<BundleCheckpoint & { line: number }> = [];
  const proofs = new Map<number, ParsedInclusion>();
  const lastVerifiedPath = new LastVerifiedPath();
  // Who acted and sign-offs (see the top of this file). Event bodies are kept
  // only for the events these checks read: every event once an actor-rule
  // line was read, else only sign-offs and the results they may name.
  let actorRule: { fromIndex: number; line: number } | null = null;
  const users = new Map<string, Array<ActorUserVersion & { fromIndex: number }>>();
  const terminals = new Map<string, Array<{ storeId: string; fromIndex: number }>>();
  const quarantineMarks = new Map<number, { reason: QuarantineReason; line: number }>();
  const actorEvents: KeptEvent[] = [];
  const signOffs: KeptEvent[] = [];
  const resultBodies = new Map<string, KeptEvent>();

  function keepBody(e: ReadEvent, body: string | object, type: unknown): void {
    if (actorRule !== null) actorEvents.push({ e, body });
    if (type === 'decision.recorded') signOffs.push({ e, body });
    else if (type === 'checklist.result.recorded') resultBodies.set(e.event.id, { e, body });
  }
  // While each event's log index is above the one before (the server's
  // layout), events are sorted by index and none repeats: the event at an
  // index is found by position, with no 100,000-entry map or set. Otherwise
  // the map of the first event read at each index is built and kept.
  let areEventsIncreasing = true;
  let eventAtIndex: Map<number, ReadEvent> | null = null;
  let proofsRead = 0; // proofs read so far: in the usual layout the next one's event sits at this position

  function recordEvent(e: ReadEvent): void {
    const before = events[events.length - 1];
    if (areEventsIncreasing && before !== undefined && e.index <= before.index) {
      areEventsIncreasing = false;
      eventAtIndex = new Map();
      for (const earlier of events)
        if (!eventAtIndex.has(earlier.index)) eventAtIndex.set(earlier.index, earlier);
    }
    events.push(e);
    if (eventAtIndex !== null && !eventAtIndex.has(e.index)) eventAtIndex.set(e.index, e);
  }

  /** The first event read so far at log index `index`: the one the checks below pair with that index's proof. */
  function firstEventAt(index: number): ReadEvent | undefined {
    if (eventAtIndex !== null) return eventAtIndex.get(index);
    const guess = events[proofsRead];
    if (guess?.index === index) return guess;
    let low = 0;
    let high = events.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const at = events[middle]!.index;
      if (at === index) return events[middle];
      if (at < index) low = middle + 1;
      else high = middle - 1;
    }
    return undefined;
  }

  /** What the checks below conclude about `proof` for event `e` (its hash already checked). */
  function inclusionVerdict(
    proof: ParsedInclusion,
    e: ReadEvent,
    th: BundleTreeHead['treeHead'],
  ): InclusionVerdict {
    const leafHex = leafHashHex(e.event.hash);
    if (proof.size !== th.size || proof.leafHash !== leafHex) return 'for-another-leaf-or-size';
    return verifyInclusionCached(
      e.index,
      th.size,
      leafHex,
      proof.path,
      th.root,
      nodeHashHex,
      lastVerifiedPath,
    )
      ? 'included'
      : 'not-included';
  }

  /**
   * In the usual layout (events, tree head, then proofs) a proof read in
   * place can be checked at once: the later checks only report its verdict,
   * and its ~1 KB line need not stay in memory until then. The verdict is
   * the same whenever it is computed (the path cache only saves work).
   */
  function settleEarly(proof: ParsedInclusion): void {
    const e = firstEventAt(proof.index);
    proofsRead += 1;
    // An event without a hash failure has a hash of 64 hex digits (it matched one).
    if (!isTreeHeadUsable || e === undefined || e.hashFailure !== null) return;
    const th = treeHead!.treeHead;
    proof.settled = { event: e, verdict: inclusionVerdict(proof, e, th) };
    proof.path = NO_PATH;
    proof.leafHash = null;
  }

  // Proofs are settled early only against a tree head whose size and root are well formed.
  let isTreeHeadUsable = false;
  let lineNo = 0;
  for (const raw of input) {
    lineNo += 1;
    let obj: unknown = raw;
    if (typeof raw === 'string') {
      if (raw.startsWith('{"kind":"inclusion",')) {
        const fast = fastInclusion(raw, lineNo);
        if (fast) {
          if (header === null)
            throw new Failure(lineNo, 'the bundle must start with a header line');
          const count = proofs.size;
          proofs.set(fast.index, fast);
          // One map operation instead of has + set: on a repeat the bundle is refused here anyway.
          if (proofs.size === count)
            throw new Failure(lineNo, `a second inclusion proof for index ${fast.index}`);
          settleEarly(fast);
          continue;
        }
      }
      if (raw.startsWith(EVENT_LINE_HEAD)) {
        const fast = readCanonicalEventLine(raw);
        if (fast) {
          if (header === null)
            throw new Failure(lineNo, 'the bundle must start with a header line');
          const e: ReadEvent = {
            index: fast.index,
            line: lineNo,
            event: fast.event,
            // The slow path's messages (hashFailure), in its order.
            hashFailure:
              sha256Hex(fast.body) === fast.event.hash
                ? null
                : HEX64.test(fast.event.hash)
                  ? `event ${fast.event.id} does not match its hash (altered)`
                  : `event ${fast.event.id} has a malformed hash`,
          };
          recordEvent(e);
          keepBody(
            e,
            fast.body,
            fast.body.endsWith(DECISION_TAIL)
              ? 'decision.recorded'
              : fast.body.endsWith(RESULT_TAIL)
                ? 'checklist.result.recorded'
                : null,
          );
          continue;
        }
      }
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
        const ev = (obj as BundleEvent).event;
        const e: ReadEvent = {
          index: obj.index as number,
          line: lineNo,
          event: {
            id: ev.id,
            deviceId: ev.deviceId,
            seq: ev.seq,
            storeId: ev.storeId,
            prev: ev.prev,
            hash: ev.hash,
          },
          hashFailure: hashFailure(ev, sha256Hex),
        };
        recordEvent(e);
        keepBody(e, ev, ev.type);
        break;
      }
      case 'actor-rule': {
        if (actorRule !== null) throw new Failure(lineNo, 'a second actor-rule line');
        if (obj.v !== 1 || !Number.isSafeInteger(obj.fromIndex) || (obj.fromIndex as number) < 0)
          throw new Failure(lineNo, 'actor-rule line needs v 1 and a fromIndex');
        if (events.length > 0)
          throw new Failure(lineNo, 'the actor-rule line must come before the events');
        actorRule = { fromIndex: obj.fromIndex as number, line: lineNo };
        break;
      }
      case 'user': {
        const u = obj as Partial<BundleUser>;
        if (
          typeof u.userId !== 'string' ||
          !Number.isSafeInteger(u.fromIndex) ||
          (u.fromIndex as number) < 0 ||
          !(ROLES as readonly unknown[]).includes(u.role) ||
          !Array.isArray(u.storeIds) ||
          !u.storeIds.every((id) => typeof id === 'string') ||
          typeof u.isRevoked !== 'boolean'
        ) {
          throw new Failure(
            lineNo,
            'user line needs userId, fromIndex, role, storeIds and isRevoked',
          );
        }
        const list = users.get(u.userId) ?? [];
        list.push({
          fromIndex: u.fromIndex as number,
          role: u.role!,
          storeIds: u.storeIds,
          isRevoked: u.isRevoked,
        });
        users.set(u.userId, list);
        break;
      }
      case 'terminal': {
        const t = obj as Partial<BundleTerminal>;
        if (
          typeof t.terminalId !== 'string' ||
          !Number.isSafeInteger(t.fromIndex) ||
          (t.fromIndex as number) < 0 ||
          typeof t.storeId !== 'string'
        ) {
          throw new Failure(lineNo, 'terminal line needs terminalId, fromIndex and storeId');
        }
        const list = terminals.get(t.terminalId) ?? [];
        list.push({ fromIndex: t.fromIndex as number, storeId: t.storeId });
        terminals.set(t.terminalId, list);
        break;
      }
      case 'quarantine': {
        if (!Number.isSafeInteger(obj.index) || !isQuarantineReason(obj.reason))
          throw new Failure(lineNo, 'quarantine line needs an index and a known reason');
        if (quarantineMarks.has(obj.index as number))
          throw new Failure(lineNo, `a second quarantine line for index ${obj.index as number}`);
        quarantineMarks.set(obj.index as number, { reason: obj.reason, line: lineNo });
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
        isTreeHeadUsable =
          Number.isSafeInteger(treeHead.treeHead.size) &&
          typeof treeHead.treeHead.root === 'string' &&
          HEX64.test(treeHead.treeHead.root);
        break;
      case 'inclusion': {
        const p = obj as BundleInclusion;
        if (!Number.isSafeInteger(p.index) || !Array.isArray(p.path))
          throw new Failure(lineNo, 'inclusion line needs index and path');
        if (proofs.has(p.index))
          throw new Failure(lineNo, `a second inclusion proof for index ${p.index}`);
        proofs.set(p.index, {
          index: p.index,
          size: p.size,
          leafHash: p.leafHash,
          path: arrayPath(p.path),
          line: lineNo,
        });
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
  const byDevice = new Map<string, ReadEvent[]>();
  // Needed only when an index may repeat (see recordEvent).
  const seenIndexes = areEventsIncreasing ? null : new Set<number>();
  const leaves: Uint8Array[] = [];
  for (const e of events) {
    const ev = e.event;
    if (e.hashFailure !== null) throw new Failure(e.line, e.hashFailure);
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
    if (seenIndexes !== null) {
      if (seenIndexes.has(e.index)) throw new Failure(e.line, `log index ${e.index} appears twice`);
      seenIndexes.add(e.index);
    }
    if (device.storeId !== ev.storeId)
      throw new Failure(
        e.line,
        `event ${ev.id} is for store ${ev.storeId} but its device is enrolled for ${device.storeId}`,
      );
    const list = byDevice.get(ev.deviceId) ?? [];
    list.push(e);
    byDevice.set(ev.deviceId, list);
    if (isComplete) {
      leaves.push(leafHash(hexToBytes(ev.hash), sha256));
      continue;
    }
    const proof = proofs.get(e.index);
    if (!proof)
      throw new Failure(e.line, `event ${ev.id} (log index ${e.index}) has no inclusion proof`);
    const verdict =
      proof.settled?.event === e ? proof.settled.verdict : inclusionVerdict(proof, e, th);
    switch (verdict) {
      case 'included':
        break;
      case 'for-another-leaf-or-size':
        throw new Failure(
          proof.line,
          `the inclusion proof for index ${e.index} is for another leaf or tree size`,
        );
      case 'not-included':
        throw new Failure(
          proof.line,
          `event ${ev.id} is not in the log at index ${e.index} under the signed tree head`,
        );
      default:
        assertNever(verdict);
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
    const indexes = seenIndexes ?? new Set(events.map((e) => e.index));
    const orphan = [...proofs.values()].find((p) => !indexes.has(p.index))!;
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
    // The device's events are consecutive by now (checked above): seq n sits at n − first seq.
    const list = byDevice.get(c.deviceId);
    const stored = list?.[c.seq - list[0]!.event.seq]?.event.hash;
    if (stored !== undefined && stored !== c.head)
      throw new Failure(
        c.line,
        `device ${c.deviceId} signed a different event at seq ${c.seq} than the log holds`,
      );
  }
  checkSignOffs(signOffs, resultBodies, events, header, sha256Hex);
  const actorChecked = checkActorRule(actorRule, actorEvents, users, terminals, quarantineMarks);
  return {
    ok: true,
    events: events.length,
    devices: devices.size,
    checkpoints: checkpoints.length,
    treeHead: th,
    signOffs: signOffs.length,
    actorChecked,
    quarantined: quarantineMarks.size,
  };
}

/** An event whose body a later check reads: the canonical text (fast path) or the parsed object. */
type KeptEvent = { e: ReadEvent; body: string | object };

// The canonical body ends with its type and `v` (RFC 8785 key order): a sign-off
// or a result is recognised on the fast path without parsing the body.
const DECISION_TAIL = ',"type":"decision.recorded","v":1}';
const RESULT_TAIL = ',"type":"checklist.result.recorded","v":1}';

function parsedBody(kept: KeptEvent): Record<string, unknown> {
  const body = typeof kept.body === 'string' ? (JSON.parse(kept.body) as unknown) : kept.body;
  if (!isObject(body)) throw new Failure(kept.e.line, 'event body is not an object');
  return body;
}

function isBasisEntry(v: unknown): v is DecisionBasis['results'][number] {
  return (
    isObject(v) &&
    typeof v.eventId === 'string' &&
    typeof v.hash === 'string' &&
    typeof v.runId === 'string' &&
    typeof v.terminalId === 'string' &&
    typeof v.itemId === 'string'
  );
}

/**
 * Each sign-off's basis: every result and waiver it names is in the bundle
 * with that hash (a bundle limited by time may leave some out: those are not
 * checked), a named result is a result, the evidence it cites is exactly the
 * evidence those results cite, and its digest is the digest of its basis.
 */
function checkSignOffs(
  signOffs: readonly KeptEvent[],
  resultBodies: ReadonlyMap<string, KeptEvent>,
  events: readonly ReadEvent[],
  header: BundleHeader,
  sha256Hex: (text: string) => string,
): void {
  if (signOffs.length === 0) return;
  const isWhole = header.from === null && header.to === null;
  const byId = new Map<string, ReadEvent>();
  for (const e of events) if (!byId.has(e.event.id)) byId.set(e.event.id, e);
  for (const signOff of signOffs) {
    const { e } = signOff;
    const id = e.event.id;
    const payload = parsedBody(signOff).payload;
    const basis = isObject(payload) ? payload.basis : undefined;
    if (
      !isObject(payload) ||
      !isObject(basis) ||
      !Array.isArray(basis.results) ||
      !Array.isArray(basis.waivers) ||
      !Array.isArray(basis.evidence) ||
      !basis.results.every(isBasisEntry) ||
      !basis.waivers.every(isBasisEntry) ||
      !basis.evidence.every((h) => typeof h === 'string')
    ) {
      throw new Failure(e.line, `sign-off ${id} has no well-formed basis`);
    }
    const cited = new Set<string>();
    let hasEveryResult = true;
    for (const [list, noun] of [
      [basis.results, 'result'],
      [basis.waivers, 'waiver'],
    ] as const) {
      for (const entry of list) {
        const named = byId.get(entry.eventId);
        if (!named) {
          if (isWhole)
            throw new Failure(
              e.line,
              `sign-off ${id} rests on ${noun} event ${entry.eventId}, which is not in the bundle`,
            );
          hasEveryResult = false;
          continue;
        }
        if (named.event.hash !== entry.hash)
          throw new Failure(
            e.line,
            `sign-off ${id} names ${noun} event ${entry.eventId} with hash ${entry.hash}, but that event's hash is ${named.event.hash}`,
          );
        if (noun === 'result') {
          const result = resultBodies.get(entry.eventId);
          if (!result)
            throw new Failure(
              e.line,
              `sign-off ${id} names event ${entry.eventId} as a checklist result, but it is not one`,
            );
          const evidence = parsedBody(result).payload;
          if (isObject(evidence) && Array.isArray(evidence.evidence))
            for (const h of evidence.evidence) if (typeof h === 'string') cited.add(h);
        }
      }
    }
    if (hasEveryResult) {
      const claimed = new Set(basis.evidence);
      const missing = [...cited].filter((h) => !claimed.has(h));
      const extra = [...claimed].filter((h) => !cited.has(h));
      if (missing.length > 0 || extra.length > 0)
        throw new Failure(
          e.line,
          `sign-off ${id} cites evidence its results do not (${extra.length}) or leaves out evidence they cite (${missing.length})`,
        );
    }
    if (basisDigest(basis as DecisionBasis, sha256Hex) !== payload.digest)
      throw new Failure(e.line, `sign-off ${id}'s digest is not the digest of its basis`);
  }
}

/**
 * With an actor-rule line: every event from its index on is quarantined
 * exactly when it breaks the rule against the catalog versions in force at
 * its index, and with that reason. Returns how many events were judged.
 */
function checkActorRule(
  actorRule: { fromIndex: number; line: number } | null,
  actorEvents: readonly KeptEvent[],
  users: Map<string, Array<ActorUserVersion & { fromIndex: number }>>,
  terminals: Map<string, Array<{ storeId: string; fromIndex: number }>>,
  marks: ReadonlyMap<number, { reason: QuarantineReason; line: number }>,
): number | null {
  if (actorRule === null) {
    const first = [...marks.values()][0];
    if (first) throw new Failure(first.line, 'a quarantine line without an actor-rule line');
    return null;
  }
  for (const list of users.values()) list.sort((a, b) => a.fromIndex - b.fromIndex);
  for (const list of terminals.values()) list.sort((a, b) => a.fromIndex - b.fromIndex);
  const judged = new Set<number>();
  for (const kept of actorEvents) {
    const { e } = kept;
    if (e.index < actorRule.fromIndex) continue;
    const body = parsedBody(kept);
    const actor = body.actor;
    if (!isObject(actor) || typeof actor.userId !== 'string' || typeof actor.role !== 'string')
      throw new Failure(e.line, `event ${e.event.id} names no actor`);
    const verdict = actorRuleVerdict(
      {
        actor: { userId: actor.userId, role: actor.role },
        storeId: e.event.storeId,
        type: String(body.type),
        payload: body.payload,
      },
      versionAt(users.get(actor.userId), e.index),
      (terminalId) => versionAt(terminals.get(terminalId), e.index)?.storeId,
    );
    judged.add(e.index);
    const mark = marks.get(e.index);
    if (verdict === null && mark)
      throw new Failure(
        mark.line,
        `event ${e.event.id} (log index ${e.index}) is quarantined as ${mark.reason}, but the actor rule lets it count`,
      );
    if (verdict !== null && !mark)
      throw new Failure(
        e.line,
        `event ${e.event.id} (log index ${e.index}) breaks the actor rule (${verdict}) but is not quarantined`,
      );
    if (verdict !== null && mark && mark.reason !== verdict)
      throw new Failure(
        mark.line,
        `event ${e.event.id} (log index ${e.index}) is quarantined as ${mark.reason}, but the actor rule says ${verdict}`,
      );
  }
  for (const [index, mark] of marks)
    if (!judged.has(index))
      throw new Failure(
        mark.line,
        `quarantine line for log index ${index}, which is no event of this bundle judged by the actor rule`,
      );
  return judged.size;
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
class LastVerifiedPath {
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
function verifyInclusionCached(
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
