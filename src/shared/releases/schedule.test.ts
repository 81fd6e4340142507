import { describe, expect, it } from 'vitest';
import { checkSchedule, isWindowOrdered, storeLocalInstant, windowStatus } from './schedule.ts';

const paris = { id: 'S-1', timezone: 'Europe/Paris' };
const window = {
  releaseId: 'rel-2',
  storeId: 'S-1',
  start: '2026-03-28T22:00',
  end: '2026-03-29T04:00',
};

describe('scheduled deployment windows', () => {
  it('reads the window in store time across the spring DST change (6 wall hours, 5 real hours)', () => {
    const start = storeLocalInstant('Europe/Paris', window.start);
    const end = storeLocalInstant('Europe/Paris', window.end);
    expect(new Date(start).toISOString()).toBe('2026-03-28T21:00:00.000Z');
    expect(new Date(end).toISOString()).toBe('2026-03-29T02:00:00.000Z');
    expect(end - start).toBe(5 * 3600_000);
  });

  it('is upcoming, open, then expired; an expired window refuses with a clear message', () => {
    const t = (iso: string) => Date.parse(iso);
    expect(windowStatus(window, paris.timezone, t('2026-03-28T20:59:00Z'))).toBe('upcoming');
    expect(windowStatus(window, paris.timezone, t('2026-03-29T01:59:00Z'))).toBe('open');
    expect(windowStatus(window, paris.timezone, t('2026-03-29T02:00:00Z'))).toBe('expired');
    expect(checkSchedule([window], paris, 'rel-2', t('2026-03-29T01:00:00Z'))).toEqual({
      isAllowed: true,
    });
    const late = checkSchedule([window], paris, 'rel-2', t('2026-03-30T08:00:00Z'));
    expect(late).toMatchObject({ isAllowed: false, status: 'expired' });
    expect(late.isAllowed ? '' : late.message).toContain(
      'expired at 2026-03-29 04:00 (store time)',
    );
    const early = checkSchedule([window], paris, 'rel-2', t('2026-03-28T08:00:00Z'));
    expect(early).toMatchObject({ isAllowed: false, status: 'upcoming' });
  });

  it('no window for the release means no schedule to respect', () => {
    expect(checkSchedule([window], paris, 'rel-3', 0)).toEqual({ isAllowed: true });
  });

  it('a window inside the skipped hour does not end after it starts', () => {
    expect(
      isWindowOrdered({ start: '2026-03-29T02:10', end: '2026-03-29T02:50' }, 'Europe/Paris'),
    ).toBe(false);
    expect(isWindowOrdered(window, 'Europe/Paris')).toBe(true);
  });
});
