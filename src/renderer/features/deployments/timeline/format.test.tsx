import { describe, expect, it } from 'vitest';
import { formatDuration, formatStoreDateTime, storeTimeParts } from './format.ts';

describe('durations as a person reads them', () => {
  it.each([
    [null, '—'],
    [-5, '—'],
    [Number.NaN, '—'],
    [0, '< 1 s'],
    [999, '< 1 s'],
    [1_000, '1 s'],
    [59_999, '59 s'],
    [60_000, '1 min 00 s'],
    [3 * 60_000 + 5_000, '3 min 05 s'],
    [3_600_000 - 1, '59 min 59 s'],
    [3_600_000, '1 h 00 min'],
    [2 * 3_600_000 + 7 * 60_000 + 59_000, '2 h 07 min'],
    [27 * 3_600_000, '1 d 3 h'],
  ])('%s ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('times on the store’s clock', () => {
  it('uses the store’s zone, not the console’s, across the spring daylight-saving change', () => {
    // Paris went from 02:00 CET to 03:00 CEST on 2026-03-29 (01:00 UTC).
    expect(storeTimeParts(Date.UTC(2026, 2, 29, 0, 59, 30), 'Europe/Paris')).toMatchObject({
      date: '2026-03-29',
      time: '01:59:30',
    });
    expect(storeTimeParts(Date.UTC(2026, 2, 29, 1, 0, 0), 'Europe/Paris')).toMatchObject({
      date: '2026-03-29',
      time: '03:00:00',
    });
    expect(formatStoreDateTime(Date.UTC(2026, 2, 10, 23, 30), 'America/New_York')).toBe(
      '2026-03-10 19:30',
    );
  });

  it('the date is the store’s date when the day differs from UTC', () => {
    expect(storeTimeParts(Date.UTC(2026, 0, 1, 23, 30), 'Asia/Tokyo').date).toBe('2026-01-02');
  });

  it('an unknown zone name falls back to a clock rather than failing the screen', () => {
    expect(storeTimeParts(Date.UTC(2026, 0, 1, 12), 'Not/AZone').time).toMatch(/^\d\d:\d\d:\d\d$/);
  });
});
