/**
 * The checks across lines, run once every line was read, in this order: the
 * log key and its signed tree head; for a complete-log bundle, that its
 * entries are the whole log in order; every event's hash, store, device and
 * inclusion under the signed root; each device's chain; each checkpoint.
 */
import { checkpointText, treeHeadText, GENESIS_PREV } from '../event.ts';
import { leafHash, rootOfLeafHashes } from '../merkle.ts';
import { assertNever } from '../../errors.ts';
import { base64ToBytes, bytesToHex, equalBytes, HEX64, hexToBytes, utf8 } from './bytes.ts';
import type { ReadEvent } from './canonicalLine.ts';
import { SERVER_DEVICE_ID } from '../serverEntry.ts';
import { Failure } from './failure.ts';
import type { BundleCrypto, BundleHeader, BundleTreeHead, VerifyBundleOptions } from './format.ts';
import { inclusionVerdict, type BundleReading } from './read.ts';

type TreeHeadLine = BundleTreeHead & { line: number };

/** The log's key (pinned or the header's), the header's logId, and the tree head's form, signature and age. */
export function checkTreeHead(
  header: BundleHeader,
  treeHead: TreeHeadLine,
  crypto: BundleCrypto,
  options: VerifyBundleOptions,
): void {
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
  const logId = bytesToHex(crypto.sha256(logKey));
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
}

/** A complete-log bundle: no proofs, and its entries are log indexes 0..size−1 in order. */
export function checkCompleteLogLayout(r: BundleReading, treeHead: TreeHeadLine): void {
  const th = treeHead.treeHead;
  const { events, proofs } = r;
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

/**
 * Events: hash, store, device, and inclusion under the signed root (a
 * complete log: the root recomputed from every entry). Returns each device's
 * events, in bundle order.
 */
export function checkEvents(
  r: BundleReading,
  treeHead: TreeHeadLine,
  crypto: BundleCrypto,
  options: VerifyBundleOptions,
): Map<string, ReadEvent[]> {
  const header = r.header!;
  const th = treeHead.treeHead;
  const isComplete = header.storeId === null;
  const byDevice = new Map<string, ReadEvent[]>();
  // Needed only when an index may repeat (see recordEvent in read.ts).
  const seenIndexes = r.areEventsIncreasing ? null : new Set<number>();
  const leaves: Uint8Array[] = [];
  for (const e of r.events) {
    const ev = e.event;
    if (e.hashFailure !== null) throw new Failure(e.line, e.hashFailure);
    if (!isComplete && ev.storeId !== header.storeId)
      throw new Failure(
        e.line,
        `event ${ev.id} belongs to store ${ev.storeId}, not ${header.storeId}`,
      );
    const device = r.devices.get(ev.deviceId);
    if (!device)
      throw new Failure(
        e.line,
        `event ${ev.id} is from device ${ev.deviceId}, which has no device line`,
      );
    if (seenIndexes !== null) {
      if (seenIndexes.has(e.index)) throw new Failure(e.line, `log index ${e.index} appears twice`);
      seenIndexes.add(e.index);
    }
    // A server entry names the store it concerns (or none): the log key vouches for it, not an enrolment.
    if (device.storeId !== ev.storeId && ev.deviceId !== SERVER_DEVICE_ID)
      throw new Failure(
        e.line,
        `event ${ev.id} is for store ${ev.storeId} but its device is enrolled for ${device.storeId}`,
      );
    const list = byDevice.get(ev.deviceId) ?? [];
    list.push(e);
    byDevice.set(ev.deviceId, list);
    if (isComplete) {
      leaves.push(leafHash(hexToBytes(ev.hash), crypto.sha256));
      continue;
    }
    const proof = r.proofs.get(e.index);
    if (!proof)
      throw new Failure(e.line, `event ${ev.id} (log index ${e.index}) has no inclusion proof`);
    const verdict =
      proof.settled?.event === e ? proof.settled.verdict : inclusionVerdict(r, proof, e, th);
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
  if (isComplete) checkCompleteRoot(leaves, treeHead, crypto, options);
  if (!isComplete && r.proofs.size !== r.events.length) {
    const indexes = seenIndexes ?? new Set(r.events.map((e) => e.index));
    const orphan = [...r.proofs.values()].find((p) => !indexes.has(p.index))!;
    throw new Failure(orphan.line, `inclusion proof for index ${orphan.index} has no event`);
  }
  return byDevice;
}

/** A complete log's entries reproduce the signed root, and their prefix the last verified one. */
function checkCompleteRoot(
  leaves: Uint8Array[],
  treeHead: TreeHeadLine,
  crypto: BundleCrypto,
  options: VerifyBundleOptions,
): void {
  const th = treeHead.treeHead;
  const known = options.knownTreeHead;
  if (!equalBytes(rootOfLeafHashes(leaves, crypto.sha256), hexToBytes(th.root))) {
    throw new Failure(
      treeHead.line,
      'the entries do not reproduce the signed root: rows were edited, deleted, inserted or reordered',
    );
  }
  if (
    known &&
    known.size < th.size &&
    bytesToHex(rootOfLeafHashes(leaves.slice(0, known.size), crypto.sha256)) !== known.root
  ) {
    throw new Failure(
      treeHead.line,
      `the first ${known.size} entries do not reproduce the last verified root: the history was rewritten`,
    );
  }
}

/** Each device's chain: consecutive seq and prev links (the first event's prev is taken as given unless seq = 1). */
export function checkChains(byDevice: Map<string, ReadEvent[]>, isComplete: boolean): void {
  for (const [deviceId, list] of byDevice) {
    list.sort((a, b) => a.event.seq - b.event.seq);
    // A store's bundle holds only the server entries about that store, each vouched for by its
    // own checkpoint (checkServerEntries): the links in between belong to other stores.
    if (!isComplete && deviceId === SERVER_DEVICE_ID) continue;
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
}

/** Checkpoints: the device's signature, and the head it vouches for (the chains are checked by now). */
export function checkCheckpoints(
  r: BundleReading,
  byDevice: Map<string, ReadEvent[]>,
  crypto: BundleCrypto,
): void {
  for (const c of r.checkpoints) {
    const device = r.devices.get(c.deviceId);
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
    // The device's events are consecutive by now (checked above): seq n sits at n − first seq;
    // only a store bundle's server entries may skip seqs, so those are looked for by seq.
    const list = byDevice.get(c.deviceId);
    const atOffset = list?.[c.seq - list[0]!.event.seq];
    const stored =
      atOffset?.event.seq === c.seq
        ? atOffset.event.hash
        : list?.find((e) => e.event.seq === c.seq)?.event.hash;
    if (stored !== undefined && stored !== c.head)
      throw new Failure(
        c.line,
        `device ${c.deviceId} signed a different event at seq ${c.seq} than the log holds`,
      );
  }
}
