import { describe, expect, it } from 'vitest';
import { lockedUntil } from './lockout.ts';

describe('lockout time', () => {
  it('reads the unlock time from the error details', () => {
    expect(lockedUntil({ lockedUntil: '2026-11-23T22:15:00.000Z' })?.toISOString()).toBe(
      '2026-11-23T22:15:00.000Z',
    );
    expect(lockedUntil({ until: '2026-11-23T22:15:00.000Z' })?.toISOString()).toBe(
      '2026-11-23T22:15:00.000Z',
    );
  });

  it('gives nothing when details are missing or not a time', () => {
    expect(lockedUntil(undefined)).toBeNull();
    expect(lockedUntil({ lockedUntil: 'soon' })).toBeNull();
  });
});
