import { describe, expect, it } from 'vitest';
import { storeSpan } from './NewChangeRequestButton.tsx';

describe('a span typed on the store’s clock', () => {
  it('is converted with the store’s zone, not the console’s', () => {
    expect(storeSpan('Europe/Paris', '2026-11-25', '10:00', '12:00')).toEqual({
      from: Date.UTC(2026, 10, 25, 9, 0),
      to: Date.UTC(2026, 10, 25, 11, 0),
    });
    expect(storeSpan('America/New_York', '2026-07-01', '06:30', '07:00')).toEqual({
      from: Date.UTC(2026, 6, 1, 10, 30),
      to: Date.UTC(2026, 6, 1, 11, 0),
    });
  });

  it('an end at or before the start ends the next day, across the autumn daylight-saving change', () => {
    // Paris leaves summer time on 2026-10-25 at 03:00 CEST (01:00 UTC): the night is one hour longer.
    expect(storeSpan('Europe/Paris', '2026-10-24', '22:00', '04:00')).toEqual({
      from: Date.UTC(2026, 9, 24, 20, 0),
      to: Date.UTC(2026, 9, 25, 3, 0),
    });
  });

  it.each([
    ['', '10:00', '12:00'],
    ['2026-11-25', '', '12:00'],
    ['25/11/2026', '10:00', '12:00'],
    ['2026-11-25', '10:00', '12'],
  ])('incomplete (%s %s–%s) is null, so nothing can be sent', (day, from, until) => {
    expect(storeSpan('Europe/Paris', day, from, until)).toBeNull();
  });
});
