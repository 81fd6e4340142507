import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../shared/random.ts';
import { backoffDelayMs } from './backoff.ts';

describe('backoff with full jitter', () => {
  const policy = { baseMs: 1000, capMs: 60_000 };

  it('waits nothing before the first failure and grows the ceiling exponentially up to the cap', () => {
    expect(backoffDelayMs(0, () => 0.999, policy)).toBe(0);
    expect(backoffDelayMs(1, () => 0.999, policy)).toBe(999);
    expect(backoffDelayMs(3, () => 0.999, policy)).toBe(3996);
    expect(backoffDelayMs(50, () => 0.999, policy)).toBe(59_940);
  });

  it('spreads delays over the whole range (full jitter), so consoles do not retry in step', () => {
    const random = seededRandom(42);
    const delays = Array.from({ length: 1000 }, () => backoffDelayMs(6, random, policy));
    expect(Math.min(...delays)).toBeLessThan(2000);
    expect(Math.max(...delays)).toBeGreaterThan(30_000);
    expect(delays.every((d) => d >= 0 && d < 32_000)).toBe(true);
  });

  it('replays the same sequence from the same seed', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    expect(Array.from({ length: 5 }, a)).toEqual(Array.from({ length: 5 }, b));
  });
});
