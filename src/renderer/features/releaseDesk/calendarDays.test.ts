import { describe, expect, it } from 'vitest';
import type { ReleaseCalendar } from '#shared/releases/calendar.ts';
import { itemsByDay, monthOf, shiftMonth } from './calendarDays.ts';

const base: ReleaseCalendar = {
  from: '2026-12-01',
  to: '2026-12-31',
  rings: [],
  freezes: [],
  deploymentWindows: [],
  store: null,
  asOf: '2026-12-07T10:00:00.000Z',
};

describe('calendar days', () => {
  it('puts a range on every day it covers inside the month, a moment on its day', () => {
    const days = itemsByDay({
      ...base,
      rings: [
        {
          releaseId: 'rel-2',
          version: '2.0.0',
          ring: 'pilot',
          plannedStart: '2026-11-29',
          plannedEnd: '2026-12-02',
          targetAt: '2026-12-05T12:00:00.000Z',
          firstGoAt: '2026-12-06T12:00:00.000Z',
          lastGoAt: '2026-12-06T12:00:00.000Z',
          goStores: 1,
          stores: 3,
        },
      ],
      freezes: [{ name: 'Xmas', from: '2026-12-30T00:00', to: '2027-01-02T00:00', stores: 2 }],
    });
    expect(days.size).toBe(31);
    expect(days.get('2026-12-01')!.map((i) => i.kind)).toEqual(['planned']);
    expect(days.get('2026-12-02')!.map((i) => i.kind)).toEqual(['planned']);
    expect(days.get('2026-12-03')).toEqual([]);
    expect(days.get('2026-12-05')!.map((i) => i.kind)).toEqual(['target']);
    // One go is the first and the last: shown once.
    expect(days.get('2026-12-06')!.map((i) => i.kind)).toEqual(['firstGo']);
    expect(days.get('2026-12-31')!.map((i) => i.kind)).toEqual(['freeze']);
    expect(days.has('2027-01-01')).toBe(false);
  });

  it("adds the chosen store's trading day to each date", () => {
    const days = itemsByDay({
      ...base,
      store: {
        id: 'P-1',
        name: 'Store P-1',
        timezone: 'Europe/Paris',
        hasTradingHours: true,
        tradingDays: [{ date: '2026-12-01', open: '08:00', close: '20:00', minutes: 720 }],
      },
    });
    expect(days.get('2026-12-01')).toEqual([
      { kind: 'trading', open: '08:00', close: '20:00', minutes: 720 },
    ]);
  });

  it('moves by months across a year end and knows each month length', () => {
    expect(shiftMonth('2026-12-01', 1)).toBe('2027-01-01');
    expect(shiftMonth('2026-01-31', -1)).toBe('2025-12-01');
    expect(monthOf('2028-02-10')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
  });
});
