/**
 * Channel and staged cohort. The store's ring decides the channel; whether
 * this console takes a version now is decided by a stable hash of the store
 * id and that version, so every console of one store moves together (a store
 * never runs two console versions because of the rollout), each version
 * draws its own cohort (the same stores are not always first), and raising
 * the percentage only adds stores.
 */
import { createHash } from 'node:crypto';
import type { Ring } from '../../shared/domain/releases.ts';
import type { ConsoleUpdatePolicy, UpdateChannel } from './policy.ts';

export type ConsoleStore = { id: string; ring: Ring };

export function channelFor(policy: ConsoleUpdatePolicy, ring: Ring): UpdateChannel {
  return policy.channels[ring];
}

/** Where this store falls in [0, 1) for this version: the first 32 bits of SHA-256("storeId\nversion"). */
export function cohortPoint(storeId: string, version: string): number {
  return createHash('sha256').update(`${storeId}\n${version}`).digest().readUInt32BE(0) / 2 ** 32;
}

/**
 * Whether the store's consoles take `version` now. `rolloutPercent` is the
 * release desk's staged percentage when it has one; otherwise the ring's.
 */
export function isStoreWithinRollout(
  policy: ConsoleUpdatePolicy,
  store: ConsoleStore,
  version: string,
  rolloutPercent?: number | null,
): boolean {
  const percent = rolloutPercent ?? policy.stagedPercent[store.ring];
  if (percent >= 100) return true;
  if (percent <= 0) return false;
  return cohortPoint(store.id, version) < percent / 100;
}
