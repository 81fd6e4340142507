/**
 * Staged rollout within a ring: a percentage of the ring's stores takes the
 * new target, chosen by a stable hash of release id and store id. Every
 * release draws its own cohort (the same stores are not always first), a
 * store's place never changes, so raising the percentage only adds stores;
 * stores outside the cohort keep the ring's previous target.
 */
import { sha256 } from '@noble/hashes/sha2.js';

const MIN_STAGE_PERCENT = 0;
const MAX_STAGE_PERCENT = 100;

/** Where a store falls for a release, in [0, 1): the first 32 bits of SHA-256("releaseId\nstoreId"). */
export function cohortPoint(releaseId: string, storeId: string): number {
  const digest = sha256(new TextEncoder().encode(`${releaseId}\n${storeId}`));
  const first = ((digest[0]! << 24) >>> 0) + (digest[1]! << 16) + (digest[2]! << 8) + digest[3]!;
  return first / 2 ** 32;
}

/** Whether the store is inside the release's cohort at `percent` (0–100). */
export function isInCohort(releaseId: string, storeId: string, percent: number): boolean {
  if (percent >= MAX_STAGE_PERCENT) return true;
  if (percent <= MIN_STAGE_PERCENT) return false;
  return cohortPoint(releaseId, storeId) < percent / 100;
}

/** A ring's staged rollout: the new target for the cohort, the previous one for everyone else. */
export type RingRollout = {
  ring: string;
  releaseId: string;
  /** The ring's target before this release; null when the ring had none. */
  previousReleaseId: string | null;
  percent: number;
};

/** The release a store of the ring should run now: the new target inside the cohort, the previous one outside. */
export function effectiveTarget(rollout: RingRollout, storeId: string): string | null {
  return isInCohort(rollout.releaseId, storeId, rollout.percent)
    ? rollout.releaseId
    : rollout.previousReleaseId;
}
