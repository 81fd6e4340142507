import { describe, expect, it } from 'vitest';
import { describeGateReasons, evaluatePromotion, previousRing } from './gate.ts';

const base = {
  ring: 'early' as const,
  releaseId: 'rel-2',
  previousRing: 'pilot' as const,
  previousRingStores: 5,
  goStores: 4,
  openBlockers: [],
  minGoPercent: 80,
};

describe('promotion gate', () => {
  it('passes at exactly the policy share with no open blocker', () => {
    expect(evaluatePromotion(base)).toEqual({ isAllowed: true, reasons: [] });
  });

  it('names the go share and the open S1/S2 reports when refused', () => {
    const verdict = evaluatePromotion({
      ...base,
      goStores: 3,
      openBlockers: [{ reportId: 'bug-2', severity: 'S1', storeId: 'S-1', title: 'Pay fails' }],
    });
    expect(verdict.isAllowed).toBe(false);
    expect(verdict.reasons).toEqual([
      {
        code: 'go_share',
        ring: 'pilot',
        goStores: 3,
        stores: 5,
        actualPercent: 60,
        requiredPercent: 80,
      },
      { code: 'open_blockers', count: 1, reportIds: ['bug-2'] },
    ]);
    expect(describeGateReasons(verdict.reasons)).toContain('3 of 5 stores of the pilot ring');
  });

  it('the first ring has no previous ring, and an empty previous ring has nothing to wait for', () => {
    expect(previousRing('lab')).toBeNull();
    expect(previousRing('general')).toBe('early');
    expect(
      evaluatePromotion({ ...base, ring: 'lab', previousRing: null, goStores: 0 }).isAllowed,
    ).toBe(true);
    expect(evaluatePromotion({ ...base, previousRingStores: 0, goStores: 0 }).isAllowed).toBe(true);
  });
});
