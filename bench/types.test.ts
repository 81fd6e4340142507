import { describe, expect, it } from 'vitest';
import { median, percentile, round } from './types.ts';

describe('benchmark statistics', () => {
  it('p95 is the nearest-rank 95th percentile, whatever the order of the samples', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(samples, 95)).toBe(95);
    expect(percentile([7], 95)).toBe(7);
    expect(median([3, 1, 2])).toBe(2);
    expect(round(1.26, 1)).toBe(1.3);
  });
});
