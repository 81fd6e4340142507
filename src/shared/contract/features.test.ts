import { describe, expect, it } from 'vitest';
import { CHANNELS, contract, FEATURE_CONTRACTS } from './index.ts';

describe('one contract file per feature', () => {
  it('declares in each feature contract only channels named after that feature', () => {
    const strays = Object.entries(FEATURE_CONTRACTS).flatMap(([feature, calls]) =>
      Object.keys(calls)
        .filter((channel) => !channel.startsWith(`${feature}:`))
        .map((channel) => `${feature} declares ${channel}`),
    );
    expect(strays).toEqual([]);
  });

  it('combines exactly the feature contracts, each channel once', () => {
    const declared = Object.values(FEATURE_CONTRACTS).flatMap((calls) => Object.keys(calls));
    expect(new Set(declared).size).toBe(declared.length);
    expect([...declared].sort()).toEqual([...CHANNELS].sort());
    expect(Object.keys(contract).length).toBe(declared.length);
  });
});
