/**
 * Promotion gated by evidence: a ring's target may move to release R only
 * when the previous ring has at least the policy's share of stores with a
 * `go` for R and no open S1/S2 bug report against R. An administrator may
 * override with a reason, which is then its own audited event.
 */
import { RINGS, type Ring } from '../domain/releases.ts';

/** Default share of the previous ring's stores that must have decided go. */
export const DEFAULT_MIN_GO_PERCENT = 80;

/** The ring before `ring` in promotion order; null for the first ring (lab), which nothing gates. */
export function previousRing(ring: Ring): Ring | null {
  const i = RINGS.indexOf(ring);
  return i > 0 ? RINGS[i - 1]! : null;
}

/** An open bug report that blocks promotion (severity S1 or S2, or the older `blocker`/`major`). */
export type OpenBlocker = { reportId: string; severity: string; storeId: string; title: string };

export type GateEvidence = {
  ring: Ring;
  releaseId: string;
  previousRing: Ring | null;
  /** Stores of the previous ring. */
  previousRingStores: number;
  /** Of those, stores whose latest decision for the release is go (or go with conditions). */
  goStores: number;
  openBlockers: readonly OpenBlocker[];
  minGoPercent: number;
};

export type GateReason =
  | {
      code: 'go_share';
      ring: Ring;
      goStores: number;
      stores: number;
      /** Whole percent, rounded down. */
      actualPercent: number;
      requiredPercent: number;
    }
  | { code: 'open_blockers'; count: number; reportIds: string[] };

export type GateVerdict = { isAllowed: boolean; reasons: GateReason[] };

/**
 * Whether the evidence allows the promotion, with every reason it does not.
 * The share is compared in integers (go·100 ≥ required·stores), so 4 of 5
 * stores meets 80 % exactly; an empty previous ring has nothing to wait for.
 */
export function evaluatePromotion(evidence: GateEvidence): GateVerdict {
  const reasons: GateReason[] = [];
  if (evidence.previousRing !== null) {
    const { goStores, previousRingStores: stores, minGoPercent } = evidence;
    if (goStores * 100 < minGoPercent * stores)
      reasons.push({
        code: 'go_share',
        ring: evidence.previousRing,
        goStores,
        stores,
        actualPercent: stores === 0 ? 0 : Math.floor((goStores * 100) / stores),
        requiredPercent: minGoPercent,
      });
  }
  if (evidence.openBlockers.length > 0)
    reasons.push({
      code: 'open_blockers',
      count: evidence.openBlockers.length,
      reportIds: evidence.openBlockers.map((b) => b.reportId).sort(),
    });
  return { isAllowed: reasons.length === 0, reasons };
}

/** The reasons in words, for the 409 message and the CLI. */
export function describeGateReasons(reasons: readonly GateReason[]): string {
  return reasons
    .map((r) =>
      r.code === 'go_share'
        ? `${r.goStores} of ${r.stores} stores of the ${r.ring} ring decided go (${r.actualPercent} %; the policy needs ${r.requiredPercent} %)`
        : `${r.count} open S1/S2 bug report(s) against the release (${r.reportIds.slice(0, 5).join(', ')}${r.count > 5 ? ', …' : ''})`,
    )
    .join('; ');
}
