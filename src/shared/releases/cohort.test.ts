import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cohortPoint, effectiveTarget, isInCohort } from './cohort.ts';

const id = fc.stringMatching(/^[A-Za-z0-9_.:-]{1,20}$/);

describe('staged cohort', () => {
  it('raising the percentage only adds stores', () => {
    fc.assert(
      fc.property(
        id,
        fc.array(id, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        (releaseId, storeIds, a, b) => {
          const [low, high] = a <= b ? [a, b] : [b, a];
          for (const storeId of storeIds)
            if (isInCohort(releaseId, storeId, low))
              expect(isInCohort(releaseId, storeId, high)).toBe(true);
        },
      ),
    );
  });

  it('0 % holds no store, 100 % every store, and a store always falls in the same place', () => {
    fc.assert(
      fc.property(id, id, (releaseId, storeId) => {
        expect(isInCohort(releaseId, storeId, 0)).toBe(false);
        expect(isInCohort(releaseId, storeId, 100)).toBe(true);
        const p = cohortPoint(releaseId, storeId);
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThan(1);
        expect(cohortPoint(releaseId, storeId)).toBe(p);
      }),
    );
  });

  it('25 % takes about a quarter of 4,000 stores', () => {
    let inside = 0;
    for (let i = 0; i < 4000; i++) if (isInCohort('rel-5.1.0', `st-${i}`, 25)) inside++;
    expect(inside).toBeGreaterThan(900);
    expect(inside).toBeLessThan(1100);
  });

  it('a store outside the cohort keeps the previous target', () => {
    const rollout = { ring: 'early', releaseId: 'rel-2', previousReleaseId: 'rel-1', percent: 25 };
    for (let i = 0; i < 50; i++) {
      const storeId = `st-${i}`;
      expect(effectiveTarget(rollout, storeId)).toBe(
        isInCohort('rel-2', storeId, 25) ? 'rel-2' : 'rel-1',
      );
    }
  });
});
