/**
 * Reading a bundle, line by line: one step per line kind, each checking that
 * line on its own and adding it to what was read (`BundleReading`). The
 * checks across lines run afterwards (checks.ts, signOffs.ts, actorCheck.ts).
 *
 * Event and inclusion lines of the server's usual layout take the fast paths
 * (canonicalLine.ts, inclusionPath.ts); anything else is parsed as JSON and
 * goes through the step for its kind.
 */
import { leafHash, nodeHash } from '../merkle.ts';
import { ROLES } from '../../domain/roles.ts';
import { isQuarantineReason, type ActorUserVersion, type QuarantineReason } from '../actorRule.ts';
import { HEX64, base64ToBytes, bytesToHex, hexToBytes, isObject, utf8 } from './bytes.ts';
import {
  DECISION_TAIL,
  EVENT_LINE_HEAD,
  RESULT_TAIL,
  hashFailure,
  readCanonicalEventLine,
  type ReadEvent,
} from './canonicalLine.ts';
import { Failure } from './failure.ts';
import {
  BUNDLE_FORMAT,
  type BundleCheckpoint,
  type BundleCrypto,
  type BundleEvent,
  type BundleHeader,
  type BundleInclusion,
  type BundleLine,
  type BundleTerminal,
  type BundleTreeHead,
  type BundleUser,
} from './format.ts';
import {
  INCLUSION_LINE_HEAD,
  LastVerifiedPath,
  NO_PATH,
  arrayPath,
  fastInclusion,
  verifyInclusionCached,
  type InclusionVerdict,
  type ParsedInclusion,
} from './inclusionPath.ts';

/** The hashes the verifier computes, each on hex or text (the crypto's fast paths when it has them). */
export type BundleHashes = {
  sha256Hex: (text: string) => string;
  leafHashHex: (entryHex: string) => string;
  nodeHashHex: (leftHex: string, rightHex: string) => string;
};

/** An event whose body a later check reads: the canonical text (fast path) or the parsed object. */
export type KeptEvent = { e: ReadEvent; body: string | object };

export function parsedBody(kept: KeptEvent): Record<string, unknown> {
  const body = typeof kept.body === 'string' ? (JSON.parse(kept.body) as unknown) : kept.body;
  if (!isObject(body)) throw new Failure(kept.e.line, 'event body is not an object');
  return body;
}

/** Everything read so far, and what the later checks need of it. */
export type BundleReading = {
  hashes: BundleHashes;
  header: BundleHeader | null;
  treeHead: (BundleTreeHead & { line: number }) | null;
  /** Proofs are settled early only against a tree head whose size and root are well formed. */
  isTreeHeadUsable: boolean;
  devices: Map<string, { key: Uint8Array; storeId: string }>;
  events: ReadEvent[];
  checkpoints: Array<BundleCheckpoint & { line: number }>;
  proofs: Map<number, ParsedInclusion>;
  lastVerifiedPath: LastVerifiedPath;
  // Who acted and sign-offs (see ../bundle.ts). Event bodies are kept only for
  // the events these checks read: every event once an actor-rule line was
  // read, else only sign-offs and the results they may name.
  actorRule: { fromIndex: number; line: number } | null;
  users: Map<string, Array<ActorUserVersion & { fromIndex: number }>>;
  terminals: Map<string, Array<{ storeId: string; fromIndex: number }>>;
  quarantineMarks: Map<number, { reason: QuarantineReason; line: number }>;
  actorEvents: KeptEvent[];
  signOffs: KeptEvent[];
  resultBodies: Map<string, KeptEvent>;
  // While each event's log index is above the one before (the server's
  // layout), events are sorted by index and none repeats: the event at an
  // index is found by position, with no 100,000-entry map or set. Otherwise
  // the map of the first event read at each index is built and kept.
  areEventsIncreasing: boolean;
  eventAtIndex: Map<number, ReadEvent> | null;
  /** Proofs read so far: in the usual layout the next one's event sits at this position. */
  proofsRead: number;
};

function bundleHashes(crypto: BundleCrypto): BundleHashes {
  const { sha256 } = crypto;
  return {
    sha256Hex: crypto.sha256Hex ?? ((text) => bytesToHex(sha256(utf8.encode(text)))),
    leafHashHex: crypto.leafHashHex ?? ((entry) => bytesToHex(leafHash(hexToBytes(entry), sha256))),
    nodeHashHex:
      crypto.nodeHashHex ??
      ((left, right) => bytesToHex(nodeHash(hexToBytes(left), hexToBytes(right), sha256))),
  };
}

export function startReading(crypto: BundleCrypto): BundleReading {
  return {
    hashes: bundleHashes(crypto),
    header: null,
    treeHead: null,
    isTreeHeadUsable: false,
    devices: new Map(),
    events: [],
    checkpoints: [],
    proofs: new Map(),
    lastVerifiedPath: new LastVerifiedPath(),
    actorRule: null,
    users: new Map(),
    terminals: new Map(),
    quarantineMarks: new Map(),
    actorEvents: [],
    signOffs: [],
    resultBodies: new Map(),
    areEventsIncreasing: true,
    eventAtIndex: null,
    proofsRead: 0,
  };
}

/** Reads one line (text, or an already parsed object); throws a Failure at the first problem. */
export function readLine(r: BundleReading, raw: unknown, line: number): void {
  let obj: unknown = raw;
  if (typeof raw === 'string') {
    if (raw.startsWith(INCLUSION_LINE_HEAD) && readFastInclusion(r, raw, line)) return;
    if (raw.startsWith(EVENT_LINE_HEAD) && readFastEvent(r, raw, line)) return;
    if (raw.trim() === '') return;
    try {
      obj = JSON.parse(raw);
    } catch {
      throw new Failure(line, 'line is not valid JSON');
    }
  }
  if (!isObject(obj)) throw new Failure(line, 'line is not a JSON object');
  if (r.header === null && obj.kind !== 'header')
    throw new Failure(line, 'the bundle must start with a header line');
  // Only a string that names a kind: ["header"] would otherwise find the header step as a key.
  const step =
    typeof obj.kind === 'string' && Object.hasOwn(LINE_STEPS, obj.kind)
      ? LINE_STEPS[obj.kind as BundleLine['kind']]
      : undefined;
  if (step === undefined) throw new Failure(line, `unknown line kind ${JSON.stringify(obj.kind)}`);
  step(r, obj, line);
}

type LineStep = (r: BundleReading, obj: Record<string, unknown>, line: number) => void;

/** One step per line kind, for lines parsed as JSON (or given as objects). */
const LINE_STEPS: Record<BundleLine['kind'], LineStep> = {
  header: readHeader,
  device: readDevice,
  event: readEvent,
  'actor-rule': readActorRule,
  user: readUser,
  terminal: readTerminal,
  quarantine: readQuarantine,
  checkpoint: readCheckpoint,
  'tree-head': readTreeHead,
  inclusion: readInclusion,
};

function readHeader(r: BundleReading, obj: Record<string, unknown>, line: number): void {
  if (r.header !== null) throw new Failure(line, 'a second header');
  if (obj.v !== 1 || obj.format !== BUNDLE_FORMAT)
    throw new Failure(line, 'not a version 1 DearPOS audit bundle');
  if (
    typeof obj.logPublicKey !== 'string' ||
    typeof obj.logId !== 'string' ||
    (typeof obj.storeId !== 'string' && obj.storeId !== null)
  ) {
    throw new Failure(line, 'header lacks logId, logPublicKey or storeId');
  }
  r.header = obj as BundleHeader;
}

function readDevice(r: BundleReading, obj: Record<string, unknown>, line: number): void {
  const key = typeof obj.publicKey === 'string' ? base64ToBytes(obj.publicKey) : null;
  if (
    typeof obj.deviceId !== 'string' ||
    typeof obj.storeId !== 'string' ||
    !key ||
    key.length !== 32
  ) {
    throw new Failure(line, 'device line needs deviceId, storeId and a 32-byte base64 publicKey');
  }
  if (r.devices.has(obj.deviceId)) throw new Failure(line, `device ${obj.deviceId} listed twice`);
  r.devices.set(obj.deviceId, { key, storeId: obj.storeId });
}

function readEvent(r: BundleReading, obj: Record<string, unknown>, line: number): void {
  if (!Number.isSafeInteger(obj.index) || (obj.index as number) < 0 || !isObject(obj.event)) {
    throw new Failure(line, 'event line needs an index and an event');
  }
  const ev = (obj as BundleEvent).event;
  const e: ReadEvent = {
    index: obj.index as number,
    line,
    event: {
      id: ev.id,
      deviceId: ev.deviceId,
      seq: ev.seq,
      storeId: ev.storeId,
      prev: ev.prev,
      hash: ev.hash,
    },
    hashFailure: hashFailure(ev, r.hashes.sha256Hex),
  };
  recordEvent(r, e);
  keepBody(r, e, ev, ev.type);
}

/** An event line of the server's canonical layout, hashed as a slice of its text; false: not that layout. */
function readFastEvent(r: BundleReading, raw: string, line: number): boolean {
  const fast = readCanonicalEventLine(raw);
  if (!fast) return false;
  if (r.header === null) throw new Failure(line, 'the bundle must start with a header line');
  const e: ReadEvent = {
    index: fast.index,
    line,
    event: fast.event,
    // The slow path's messages (hashFailure), in its order.
    hashFailure:
      r.hashes.sha256Hex(fast.body) === fast.event.hash
        ? null
        : HEX64.test(fast.event.hash)
          ? `event ${fast.event.id} does not match its hash (altered)`
          : `event ${fast.event.id} has a malformed hash`,
  };
  recordEvent(r, e);
  keepBody(
    r,
    e,
    fast.body,
    fast.body.endsWith(DECISION_TAIL)
      ? 'decision.recorded'
      : fast.body.endsWith(RESULT_TAIL)
        ? 'checklist.result.recorded'
        : null,
  );
  return true;
}

function readActorRule(r: BundleReading, obj: Record<string, unknown>, line: number): void {
  if (r.actorRule !== null) throw new Failure(line, 'a second actor-rule line');
  if (obj.v !== 1 || !Number.isSafeInteger(obj.fromIndex) || (obj.fromIndex as number) < 0)
    throw new Failure(line, 'actor-rule line needs v 1 and a fromIndex');
  if (r.events.length > 0)
    throw new Failure(line, 'the actor-rule line must come before the events');
  r.actorRule = { fromIndex: obj.fromIndex as number, line };
}

function readUser(r: BundleReading, obj: Record<string, unknown>, line: number): void {
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
    throw new Failure(line, 'user line needs userId, fromIndex, role, storeIds and isRevoked');
  }
  const list = r.users.get(u.userId) ?? [];
  list.push({
    fromIndex: u.fromIndex as number,
    role: u.role!,
    storeIds: u.storeIds,
    isRevoked: u.isRevoked,
  });
  r.users.set(u.userId, list);
}

function readTerminal(r: BundleReading, obj: Record<string, unknown>, line: number): void {
  const t = obj as Partial<BundleTerminal>;
  if (
    typeof t.terminalId !== 'string' ||
    !Number.isSafeInteger(t.fromIndex) ||
    (t.fromIndex as number) < 0 ||
    typeof t.storeId !== 'string'
  ) {
    throw new Failure(line, 'terminal line needs terminalId, fromIndex and storeId');
  }
  const list = r.terminals.get(t.terminalId) ?? [];
  list.push({ fromIndex: t.fromIndex as number, storeId: t.storeId });
  r.terminals.set(t.terminalId, list);
}

function readQuarantine(r: BundleReading, obj: Record<string, unknown>, line: number): void {
  if (!Number.isSafeInteger(obj.index) || !isQuarantineReason(obj.reason))
    throw new Failure(line, 'quarantine line needs an index and a known reason');
  if (r.quarantineMarks.has(obj.index as number))
    throw new Failure(line, `a second quarantine line for index ${obj.index as number}`);
  r.quarantineMarks.set(obj.index as number, { reason: obj.reason, line });
}

function readCheckpoint(r: BundleReading, obj: Record<string, unknown>, line: number): void {
  r.checkpoints.push({ ...(obj as BundleCheckpoint), line });
}

function readTreeHead(r: BundleReading, obj: Record<string, unknown>, line: number): void {
  if (r.treeHead !== null) throw new Failure(line, 'a second tree head');
  if (!isObject(obj.treeHead) || typeof obj.signature !== 'string')
    throw new Failure(line, 'tree-head line needs treeHead and signature');
  const treeHead = { ...(obj as BundleTreeHead), line };
  r.treeHead = treeHead;
  r.isTreeHeadUsable =
    Number.isSafeInteger(treeHead.treeHead.size) &&
    typeof treeHead.treeHead.root === 'string' &&
    HEX64.test(treeHead.treeHead.root);
}

function readInclusion(r: BundleReading, obj: Record<string, unknown>, line: number): void {
  const p = obj as BundleInclusion;
  if (!Number.isSafeInteger(p.index) || !Array.isArray(p.path))
    throw new Failure(line, 'inclusion line needs index and path');
  if (r.proofs.has(p.index))
    throw new Failure(line, `a second inclusion proof for index ${p.index}`);
  r.proofs.set(p.index, {
    index: p.index,
    size: p.size,
    leafHash: p.leafHash,
    path: arrayPath(p.path),
    line,
  });
}

/** An inclusion line of the usual layout, read in place and settled at once; false: not that layout. */
function readFastInclusion(r: BundleReading, raw: string, line: number): boolean {
  const fast = fastInclusion(raw, line);
  if (!fast) return false;
  if (r.header === null) throw new Failure(line, 'the bundle must start with a header line');
  const count = r.proofs.size;
  r.proofs.set(fast.index, fast);
  // One map operation instead of has + set: on a repeat the bundle is refused here anyway.
  if (r.proofs.size === count)
    throw new Failure(line, `a second inclusion proof for index ${fast.index}`);
  settleEarly(r, fast);
  return true;
}

function keepBody(r: BundleReading, e: ReadEvent, body: string | object, type: unknown): void {
  if (r.actorRule !== null) r.actorEvents.push({ e, body });
  if (type === 'decision.recorded') r.signOffs.push({ e, body });
  else if (type === 'checklist.result.recorded') r.resultBodies.set(e.event.id, { e, body });
}

function recordEvent(r: BundleReading, e: ReadEvent): void {
  const { events } = r;
  const before = events[events.length - 1];
  if (r.areEventsIncreasing && before !== undefined && e.index <= before.index) {
    r.areEventsIncreasing = false;
    const eventAtIndex = new Map<number, ReadEvent>();
    for (const earlier of events)
      if (!eventAtIndex.has(earlier.index)) eventAtIndex.set(earlier.index, earlier);
    r.eventAtIndex = eventAtIndex;
  }
  events.push(e);
  if (r.eventAtIndex !== null && !r.eventAtIndex.has(e.index)) r.eventAtIndex.set(e.index, e);
}

/** The first event read so far at log index `index`: the one the checks pair with that index's proof. */
function firstEventAt(r: BundleReading, index: number): ReadEvent | undefined {
  if (r.eventAtIndex !== null) return r.eventAtIndex.get(index);
  const { events } = r;
  const guess = events[r.proofsRead];
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

/** What the checks conclude about `proof` for event `e` (its hash already checked). */
export function inclusionVerdict(
  r: BundleReading,
  proof: ParsedInclusion,
  e: ReadEvent,
  th: BundleTreeHead['treeHead'],
): InclusionVerdict {
  const leafHex = r.hashes.leafHashHex(e.event.hash);
  if (proof.size !== th.size || proof.leafHash !== leafHex) return 'for-another-leaf-or-size';
  return verifyInclusionCached(
    e.index,
    th.size,
    leafHex,
    proof.path,
    th.root,
    r.hashes.nodeHashHex,
    r.lastVerifiedPath,
  )
    ? 'included'
    : 'not-included';
}

/**
 * In the usual layout (events, tree head, then proofs) a proof read in place
 * can be checked at once: the later checks only report its verdict, and its
 * ~1 KB line need not stay in memory until then. The verdict is the same
 * whenever it is computed (the path cache only saves work).
 */
function settleEarly(r: BundleReading, proof: ParsedInclusion): void {
  const e = firstEventAt(r, proof.index);
  r.proofsRead += 1;
  // An event without a hash failure has a hash of 64 hex digits (it matched one).
  if (!r.isTreeHeadUsable || e === undefined || e.hashFailure !== null) return;
  proof.settled = { event: e, verdict: inclusionVerdict(r, proof, e, r.treeHead!.treeHead) };
  proof.path = NO_PATH;
  proof.leafHash = null;
}
