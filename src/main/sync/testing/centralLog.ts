/**
 * Reads the whole central log back (GET /v1/log/entries, auditor token) and
 * checks it the way an auditor would: per device, a gapless seq from 1 with no
 * duplicates and a verifying hash chain; the Merkle root of every leaf equals
 * the signed tree head's root. Test-only code.
 */
import { createHash } from 'node:crypto';
import { canonicalBody, treeHeadText, verifyChainTexts } from '#shared/audit/event.ts';
import { eventLeafHashHex, rootOfLeafHashes, type Sha256 } from '#shared/audit/merkle.ts';
import { bytesToHex, hexToBytes } from '#shared/audit/hex.ts';
import {
  logEntriesResponse,
  logKeyResponse,
  signedTreeHead,
  type WireEvent,
} from '#shared/sync/protocol.ts';
import { sha256Hex } from '../../audit/journal.ts';
import { publicKeyFromRawBase64, verifyEd25519 } from '../deviceKey.ts';

const nodeSha256: Sha256 = (data) => createHash('sha256').update(data).digest();

export type CentralLogReport = {
  size: number;
  root: string;
  perDevice: Map<string, WireEvent[]>;
  /** Log index of each event, by event hash. */
  indexOf: Map<string, number>;
  problems: string[];
};

export async function readCentralLog(
  serverUrl: string,
  auditorToken: string,
): Promise<CentralLogReport> {
  const problems: string[] = [];
  const get = async (path: string, token?: string) => {
    const res = await fetch(`${serverUrl}${path}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
    return await res.json();
  };
  const key = logKeyResponse.parse(await get('/v1/log/key'));
  const head = signedTreeHead.parse(await get('/v1/log/tree-head'));
  if (
    !verifyEd25519(
      publicKeyFromRawBase64(key.publicKey),
      treeHeadText(head.treeHead),
      head.signature,
    )
  ) {
    problems.push('the tree head signature does not verify');
  }
  const size = head.treeHead.size;
  const leaves: Uint8Array[] = [];
  const perDevice = new Map<string, WireEvent[]>();
  const indexOf = new Map<string, number>();
  for (let start = 0; start < size; start += 1000) {
    const page = logEntriesResponse.parse(
      await get(`/v1/log/entries?start=${start}&end=${Math.min(size, start + 1000)}`, auditorToken),
    );
    for (const entry of page.entries) {
      if (entry.index !== leaves.length)
        problems.push(`entry ${entry.index} out of order (expected ${leaves.length})`);
      leaves.push(hexToBytes(eventLeafHashHex(entry.event.hash, nodeSha256)));
      indexOf.set(entry.event.hash, entry.index);
      const list = perDevice.get(entry.event.deviceId) ?? [];
      list.push(entry.event);
      perDevice.set(entry.event.deviceId, list);
    }
  }
  if (leaves.length !== size)
    problems.push(`read ${leaves.length} entries, tree head says ${size}`);
  const root = bytesToHex(rootOfLeafHashes(leaves, nodeSha256));
  if (root !== head.treeHead.root)
    problems.push(
      `Merkle root of the entries ${root} differs from the signed root ${head.treeHead.root}`,
    );
  for (const [deviceId, events] of perDevice) {
    const texts = events.map((e) => {
      const { hash, ...body } = e;
      return { seq: e.seq, body: canonicalBody(body), hash };
    });
    const chain = verifyChainTexts(texts, sha256Hex, { deviceId });
    if (!chain.ok) problems.push(`device ${deviceId}: ${chain.reason}`);
  }
  return { size, root: head.treeHead.root, perDevice, indexOf, problems };
}
