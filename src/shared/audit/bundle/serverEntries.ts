/**
 * Server entries (../serverEntry.ts): events of the reserved device `server`
 * count only when that device's key is the log's own key and a checkpoint
 * (its signature verified by checkCheckpoints) covers each of them. Anything
 * else claiming to be the server is refused. Runs after the chains and
 * checkpoints were checked.
 */
import { SERVER_DEVICE_ID } from '../serverEntry.ts';
import { base64ToBytes, equalBytes } from './bytes.ts';
import type { ReadEvent } from './canonicalLine.ts';
import { Failure } from './failure.ts';
import type { BundleHeader } from './format.ts';
import type { BundleReading } from './read.ts';

export function checkServerEntries(
  r: BundleReading,
  header: BundleHeader,
  byDevice: ReadonlyMap<string, ReadEvent[]>,
): void {
  const entries = byDevice.get(SERVER_DEVICE_ID);
  if (!entries || entries.length === 0) return;
  const device = r.devices.get(SERVER_DEVICE_ID)!;
  const logKey = base64ToBytes(header.logPublicKey);
  if (!logKey || !equalBytes(device.key, logKey))
    throw new Failure(
      entries[0]!.line,
      `event ${entries[0]!.event.id} claims to be a server entry, but device "${SERVER_DEVICE_ID}" does not carry the log key`,
    );
  if (header.storeId !== null) {
    // A store's bundle: the entries skip the other stores' seqs, so each needs its own checkpoint
    // (checkCheckpoints has already matched each checkpoint's head against the entry at its seq).
    const signed = new Set<number>();
    for (const c of r.checkpoints) if (c.deviceId === SERVER_DEVICE_ID) signed.add(c.seq);
    const unsignedEntry = entries.find((e) => !signed.has(e.event.seq));
    if (unsignedEntry)
      throw new Failure(
        unsignedEntry.line,
        `server entry ${unsignedEntry.event.id} (log index ${unsignedEntry.index}) has no checkpoint signed with the log key`,
      );
    return;
  }
  // Chains are consecutive by now: the highest signed checkpoint vouches for every entry up to it.
  let signedUpTo = 0;
  for (const c of r.checkpoints)
    if (c.deviceId === SERVER_DEVICE_ID && c.seq > signedUpTo) signedUpTo = c.seq;
  const unsigned = entries.find((e) => e.event.seq > signedUpTo);
  if (unsigned)
    throw new Failure(
      unsigned.line,
      `server entry ${unsigned.event.id} (log index ${unsigned.index}) is not covered by a checkpoint signed with the log key`,
    );
}
