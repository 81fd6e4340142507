import { describe, expect, it } from 'vitest';
import { channelFor, cohortPoint, isStoreWithinRollout } from './cohort.ts';
import { DEFAULT_UPDATE_POLICY, parseUpdatePolicy, type ConsoleUpdatePolicy } from './policy.ts';

const policy: ConsoleUpdatePolicy = {
  ...DEFAULT_UPDATE_POLICY,
  stagedPercent: { lab: 100, pilot: 100, early: 25, general: 0 },
};

describe('update channel and staged cohort', () => {
  it('the store’s ring decides the channel, as the catalog maps it', () => {
    expect(channelFor(policy, 'lab')).toBe('alpha');
    expect(channelFor(policy, 'pilot')).toBe('beta');
    expect(channelFor(policy, 'early')).toBe('latest');
    expect(channelFor(policy, 'general')).toBe('latest');
  });

  it('all consoles of one store decide the same, whatever their device', () => {
    // The decision reads only the store and the version: ask for 200 stores from 5 "consoles" each.
    for (let s = 0; s < 200; s++) {
      const store = { id: `store-${s}`, ring: 'early' as const };
      const answers = new Set(
        ['dev-a', 'dev-b', 'dev-c', 'dev-d', 'dev-e'].map(() =>
          isStoreWithinRollout(policy, { ...store }, '2.5.0'),
        ),
      );
      expect(answers.size).toBe(1);
    }
  });

  it('over 20,000 stores the share taking the update matches the staged percentage', () => {
    for (const percent of [1, 10, 25, 50, 90]) {
      let within = 0;
      for (let s = 0; s < 20_000; s++) {
        if (isStoreWithinRollout(policy, { id: `S${s}`, ring: 'early' }, '2.5.0', percent))
          within++;
      }
      // Binomial standard deviation at 20,000 draws is at most 0.35 points: allow 1.5.
      expect(Math.abs((within / 20_000) * 100 - percent)).toBeLessThan(1.5);
    }
  });

  it('raising the percentage only adds stores, and each version draws its own cohort', () => {
    const stores = Array.from({ length: 2000 }, (_, i) => ({
      id: `S${i}`,
      ring: 'early' as const,
    }));
    const at10 = stores.filter((s) => isStoreWithinRollout(policy, s, '2.5.0', 10));
    const at50 = new Set(stores.filter((s) => isStoreWithinRollout(policy, s, '2.5.0', 50)));
    expect(at10.every((s) => at50.has(s))).toBe(true);
    const next = stores.filter((s) => isStoreWithinRollout(policy, s, '2.6.0', 10));
    const overlap = next.filter((s) => at10.includes(s)).length;
    // Independent draws overlap by about 10% of 10%: far from the same stores.
    expect(overlap).toBeLessThan(at10.length / 2);
  });

  it('uses the ring’s percentage without a rollout, and 0 / 100 mean none / all', () => {
    expect(isStoreWithinRollout(policy, { id: 'S1', ring: 'general' }, '2.5.0')).toBe(false);
    expect(isStoreWithinRollout(policy, { id: 'S1', ring: 'lab' }, '2.5.0')).toBe(true);
    const point = cohortPoint('S1', '2.5.0');
    expect(point).toBeGreaterThanOrEqual(0);
    expect(point).toBeLessThan(1);
    expect(isStoreWithinRollout(policy, { id: 'S1', ring: 'early' }, '2.5.0')).toBe(point < 0.25);
  });

  it('a channel not ours, a bad percentage or version in the catalog is refused with each problem named', () => {
    expect(() =>
      parseUpdatePolicy({
        ...DEFAULT_UPDATE_POLICY,
        channels: { ...DEFAULT_UPDATE_POLICY.channels, pilot: 'nightly' },
        stagedPercent: { ...DEFAULT_UPDATE_POLICY.stagedPercent, early: 120 },
        pins: [{ scope: { ring: 'general' }, version: 'two', reason: 'x', by: 'admin' }],
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'invalid_input',
        message: expect.stringMatching(/channels\.pilot.*stagedPercent\.early.*pins\.0\.version/),
      }),
    );
    expect(parseUpdatePolicy(DEFAULT_UPDATE_POLICY)).toEqual(DEFAULT_UPDATE_POLICY);
  });
});
