import { describe, expect, it } from 'vitest';
import {
  decideChangeRequest,
  requestChange,
  type ChangeRequest,
  type Deviation,
} from './changeRequests.ts';
import { ADA, MAYA, TESS } from './testSupport.ts';
import {
  canStartDeployment,
  catalogStoreWindows,
  wallClockToInstant,
  type StoreWindows,
  type TradingDay,
} from './windows.ts';

const utc = (iso: string) => Date.parse(iso);

function week(
  weekday: TradingDay | null,
  sunday: TradingDay | null = null,
): StoreWindows['tradingHours'] {
  return {
    mon: weekday,
    tue: weekday,
    wed: weekday,
    thu: weekday,
    fri: weekday,
    sat: weekday,
    sun: sunday,
  };
}
const nineToNine = { open: '09:00', close: '21:00' };
const shop = (storeId: string, freezes: StoreWindows['freezes'] = []): StoreWindows => ({
  storeId,
  tradingHours: week(nineToNine),
  freezes,
});

describe('wall-clock times in a store zone, across daylight saving', () => {
  const cases: [
    zone: string,
    wall: [number, number, number, number, number],
    expected: string,
    why: string,
  ][] = [
    ['Europe/Paris', [2026, 0, 15, 9, 0], '2026-01-15T08:00:00.000Z', 'winter, UTC+1'],
    ['Europe/Paris', [2026, 6, 1, 9, 0], '2026-07-01T07:00:00.000Z', 'summer, UTC+2'],
    [
      'Europe/Paris',
      [2026, 2, 29, 2, 30],
      '2026-03-29T01:00:00.000Z',
      'skipped: the jump to 03:00',
    ],
    [
      'Europe/Paris',
      [2026, 9, 25, 2, 30],
      '2026-10-25T00:30:00.000Z',
      'repeated: first occurrence (summer time)',
    ],
    [
      'America/New_York',
      [2026, 2, 8, 2, 30],
      '2026-03-08T07:00:00.000Z',
      'skipped: the jump to 03:00',
    ],
    [
      'America/New_York',
      [2026, 10, 1, 1, 30],
      '2026-11-01T05:30:00.000Z',
      'repeated: first occurrence (EDT)',
    ],
    [
      'Australia/Sydney',
      [2026, 9, 4, 2, 30],
      '2026-10-03T16:00:00.000Z',
      'skipped (southern spring)',
    ],
    [
      'Australia/Sydney',
      [2026, 3, 5, 2, 30],
      '2026-04-04T15:30:00.000Z',
      'repeated (southern autumn): AEDT first',
    ],
    [
      'Asia/Kolkata',
      [2026, 2, 29, 2, 30],
      '2026-03-28T21:00:00.000Z',
      'UTC+5:30, no daylight saving',
    ],
    ['Asia/Tokyo', [2026, 9, 25, 2, 30], '2026-10-24T17:30:00.000Z', 'UTC+9, no daylight saving'],
  ];
  for (const [zone, [y, m, d, h, min], expected, why] of cases) {
    it(`${zone} ${y}-${m + 1}-${d} ${h}:${String(min).padStart(2, '0')} → ${expected} (${why})`, () => {
      expect(new Date(wallClockToInstant(zone, y, m, d, h, min)).toISOString()).toBe(expected);
    });
  }
});

describe('trading hours block the start of a deployment, in store time', () => {
  type Row = [
    zone: string,
    now: string,
    hours: StoreWindows['tradingHours'],
    expected: 'open' | 'blocked',
    why: string,
  ];
  const night = week(null, { open: '01:00', close: '02:30' });
  const rows: Row[] = [
    ['Europe/Paris', '2026-07-01T06:59:00Z', week(nineToNine), 'open', '08:59 before opening'],
    ['Europe/Paris', '2026-07-01T07:00:00Z', week(nineToNine), 'blocked', '09:00 opening'],
    ['Europe/Paris', '2026-07-01T18:59:00Z', week(nineToNine), 'blocked', '20:59 still trading'],
    ['Europe/Paris', '2026-07-01T19:00:00Z', week(nineToNine), 'open', '21:00 closed'],
    [
      'Europe/Paris',
      '2026-01-15T07:30:00Z',
      week(nineToNine),
      'open',
      '08:30 in winter (07:30Z would be 09:30 in summer)',
    ],
    ['Europe/Paris', '2026-07-05T10:00:00Z', week(nineToNine), 'open', 'Sunday: closed all day'],
    ['America/New_York', '2026-07-01T13:30:00Z', week(nineToNine), 'blocked', '09:30 EDT'],
    ['America/New_York', '2026-07-01T12:30:00Z', week(nineToNine), 'open', '08:30 EDT'],
    ['America/New_York', '2026-01-14T13:30:00Z', week(nineToNine), 'open', '08:30 EST'],
    [
      'Australia/Sydney',
      '2026-07-01T00:00:00Z',
      week(nineToNine),
      'blocked',
      '10:00 AEST (southern winter)',
    ],
    [
      'Australia/Sydney',
      '2026-01-13T21:30:00Z',
      week(nineToNine),
      'open',
      '08:30 AEDT (southern summer)',
    ],
    ['Australia/Sydney', '2026-01-13T22:30:00Z', week(nineToNine), 'blocked', '09:30 AEDT'],
    ['Asia/Kolkata', '2026-07-01T03:29:00Z', week(nineToNine), 'open', '08:59 IST'],
    ['Asia/Kolkata', '2026-07-01T03:30:00Z', week(nineToNine), 'blocked', '09:00 IST'],
    [
      'Asia/Tokyo',
      '2026-06-30T16:30:00Z',
      week({ open: '10:00', close: '02:00' }),
      'blocked',
      '01:30 Wednesday: Tuesday trades past midnight',
    ],
    [
      'Asia/Tokyo',
      '2026-06-30T17:00:00Z',
      week({ open: '10:00', close: '02:00' }),
      'open',
      '02:00 closed',
    ],
    // The spring night: Sunday trading 01:00–02:30, a closing time the clock skips.
    ['Europe/Paris', '2026-03-29T00:30:00Z', night, 'blocked', '01:30 CET'],
    [
      'Europe/Paris',
      '2026-03-29T01:00:00Z',
      night,
      'open',
      '03:00 CEST: the clock jumped past 02:30',
    ],
    ['America/New_York', '2026-03-08T06:45:00Z', night, 'blocked', '01:45 EST'],
    ['America/New_York', '2026-03-08T07:00:00Z', night, 'open', '03:00 EDT: past 02:30'],
    ['Australia/Sydney', '2026-10-03T15:45:00Z', night, 'blocked', '01:45 AEST'],
    ['Australia/Sydney', '2026-10-03T16:00:00Z', night, 'open', '03:00 AEDT'],
    // The autumn night: 02:30 happens twice; the store closes at the first one and does not reopen.
    ['Europe/Paris', '2026-10-25T00:15:00Z', night, 'blocked', '02:15 CEST, first time'],
    ['Europe/Paris', '2026-10-25T00:45:00Z', night, 'open', '02:45 CEST'],
    [
      'Europe/Paris',
      '2026-10-25T01:15:00Z',
      night,
      'open',
      '02:15 CET, second time: already closed',
    ],
    [
      'America/New_York',
      '2026-11-01T05:15:00Z',
      week(null, { open: '00:30', close: '01:30' }),
      'blocked',
      '01:15 EDT',
    ],
    [
      'America/New_York',
      '2026-11-01T06:15:00Z',
      week(null, { open: '00:30', close: '01:30' }),
      'open',
      '01:15 EST, repeated',
    ],
    ['Australia/Sydney', '2026-04-04T15:15:00Z', night, 'blocked', '02:15 AEDT'],
    ['Australia/Sydney', '2026-04-04T16:15:00Z', night, 'open', '02:15 AEST, repeated'],
  ];
  for (const [zone, now, hours, expected, why] of rows) {
    it(`${zone} at ${now} (${why}) → ${expected}`, () => {
      const windows: StoreWindows = { storeId: 'st-x', tradingHours: hours, freezes: [] };
      const check = canStartDeployment(utc(now), { id: 'st-x', timezone: zone }, windows, {
        releaseId: 'rel-4.4.0',
      });
      expect(check.clearance.basis).toBe(expected);
      if (expected === 'blocked')
        expect(check.clearance).toMatchObject({
          message: expect.stringMatching(/trading .* can start after .* manager can override/),
        });
    });
  }

  it('says until when, in store time', () => {
    const check = canStartDeployment(
      utc('2026-03-29T00:30:00Z'),
      { id: 'st-x', timezone: 'Europe/Paris' },
      { storeId: 'st-x', tradingHours: week(null, { open: '01:00', close: '02:30' }), freezes: [] },
      { releaseId: 'r' },
    );
    expect(check.blocks).toEqual([
      expect.objectContaining({ kind: 'trading_hours', until: utc('2026-03-29T01:00:00Z') }),
    ]);
    expect(check.clearance).toMatchObject({
      message: expect.stringContaining('Sun 29 Mar 2026 03:00'),
    });
  });

  it('a store manager overrides trading hours with a recorded reason; nobody else, and never without a reason', () => {
    const now = utc('2026-07-01T10:00:00Z');
    const store = { id: 'st-par-01', timezone: 'Europe/Paris' };
    const check = (override: { reason: string; role: 'manager' | 'technician' } | null) =>
      canStartDeployment(now, store, shop('st-par-01'), { releaseId: 'rel-4.4.0', override })
        .clearance;
    expect(check({ reason: 'Card payments are down on every lane', role: 'manager' })).toEqual({
      basis: 'override',
      reason: 'Card payments are down on every lane',
    });
    expect(check({ reason: 'Card payments are down', role: 'technician' })).toMatchObject({
      basis: 'blocked',
      message: expect.stringContaining('Only a store manager'),
    });
    expect(check({ reason: '   ', role: 'manager' })).toMatchObject({
      basis: 'blocked',
      message: expect.stringContaining('reason'),
    });
    expect(check(null).basis).toBe('blocked');
  });

  it('no windows in the catalog: the store never blocks', () => {
    expect(
      canStartDeployment(utc('2026-07-01T10:00:00Z'), { id: 's', timezone: 'Europe/Paris' }, null, {
        releaseId: 'r',
      }).clearance,
    ).toEqual({ basis: 'open' });
  });
});

describe('freezes: only an approved change request lets a deployment start', () => {
  const store = { id: 'st-par-01', timezone: 'Europe/Paris' };
  const windows = shop('st-par-01', [
    { name: 'Christmas trading', from: '2026-12-14T00:00', to: '2027-01-04T06:00' },
  ]);
  const now = utc('2026-12-20T03:00:00Z'); // 04:00 in Paris: outside trading hours, inside the freeze

  function changeRequest(deviation: Deviation, approver = MAYA, isApproved = true): ChangeRequest {
    const requested = requestChange({
      id: 'cr-1',
      deviation,
      impactNote: 'Lane 2 cannot take cards until the fix is installed',
      risk: 'medium',
      actor: TESS,
      at: now - 3_600_000,
    });
    if (!requested.ok) throw new Error(requested.refusal.message);
    const decided = decideChangeRequest(requested.changeRequest, {
      isApproved,
      actor: approver,
      at: now - 1_800_000,
      note: isApproved ? '' : 'Wait for January',
    });
    if (!decided.ok) throw new Error(decided.refusal.message);
    return decided.changeRequest;
  }
  const outsideWindow = (
    over: Partial<Extract<Deviation, { kind: 'deploy_outside_window' }>> = {},
  ): Deviation => ({
    kind: 'deploy_outside_window',
    storeId: 'st-par-01',
    releaseId: 'rel-4.2.1',
    from: now - 3_600_000,
    to: now + 3_600_000,
    ...over,
  });

  it('blocks with the freeze name and its end in store time', () => {
    const check = canStartDeployment(now, store, windows, { releaseId: 'rel-4.2.1' });
    expect(check.clearance).toEqual({
      basis: 'blocked',
      message:
        'In freeze "Christmas trading" until Mon 4 Jan 2027 06:00 (store time). Starting now needs an approved change request.',
    });
  });

  it('a manager override does not lift a freeze', () => {
    const check = canStartDeployment(now, store, windows, {
      releaseId: 'rel-4.2.1',
      override: { reason: 'Urgent', role: 'manager' },
    });
    expect(check.clearance).toMatchObject({
      basis: 'blocked',
      message: expect.stringContaining('cannot be overridden'),
    });
  });

  it('an approved change request for this store, release and time lets it start; nothing else does', () => {
    const allow = (requests: ChangeRequest[]) =>
      canStartDeployment(now, store, windows, { releaseId: 'rel-4.2.1', changeRequests: requests })
        .clearance;
    expect(allow([changeRequest(outsideWindow())])).toEqual({
      basis: 'change_request',
      changeRequestId: 'cr-1',
    });
    expect(allow([changeRequest(outsideWindow(), MAYA, false)]).basis, 'rejected').toBe('blocked');
    expect(
      allow([changeRequest(outsideWindow({ storeId: 'st-lyo-01' }))]).basis,
      'another store',
    ).toBe('blocked');
    expect(
      allow([changeRequest(outsideWindow({ releaseId: 'rel-4.4.0' }))]).basis,
      'another release',
    ).toBe('blocked');
    expect(
      allow([changeRequest(outsideWindow({ from: now + 60_000, to: now + 3_600_000 }))]).basis,
      'later time span',
    ).toBe('blocked');
    const pending = requestChange({
      id: 'cr-2',
      deviation: outsideWindow(),
      impactNote: 'Lane 2 cannot take cards',
      risk: 'low',
      actor: TESS,
      at: now,
    });
    expect(pending.ok && allow([pending.changeRequest]).basis, 'pending').toBe('blocked');
    expect(
      allow([
        changeRequest(
          { kind: 'release_not_approved_for_ring', storeId: 'st-par-01', releaseId: 'rel-4.2.1' },
          ADA,
        ),
      ]).basis,
      'another kind',
    ).toBe('blocked');
  });

  it('freeze bounds follow the store clock across daylight saving', () => {
    const paris = { id: 'st-par-01', timezone: 'Europe/Paris' };
    const springFreeze = {
      storeId: 'st-par-01',
      tradingHours: week(null),
      freezes: [{ name: 'Spring stock count', from: '2026-03-29T02:30', to: '2026-03-29T12:00' }],
    };
    expect(
      canStartDeployment(utc('2026-03-29T00:59:00Z'), paris, springFreeze, { releaseId: 'r' })
        .clearance.basis,
      '01:59 CET',
    ).toBe('open');
    expect(
      canStartDeployment(utc('2026-03-29T01:00:00Z'), paris, springFreeze, { releaseId: 'r' })
        .clearance.basis,
      '03:00 CEST',
    ).toBe('blocked');
    const autumnFreeze = {
      storeId: 'st-par-01',
      tradingHours: week(null),
      freezes: [{ name: 'Night inventory', from: '2026-10-24T22:00', to: '2026-10-25T02:30' }],
    };
    expect(
      canStartDeployment(utc('2026-10-25T00:15:00Z'), paris, autumnFreeze, { releaseId: 'r' })
        .clearance.basis,
      '02:15 CEST',
    ).toBe('blocked');
    expect(
      canStartDeployment(utc('2026-10-25T01:15:00Z'), paris, autumnFreeze, { releaseId: 'r' })
        .clearance.basis,
      '02:15 CET (repeated)',
    ).toBe('open');
  });
});

describe('store windows in the catalog', () => {
  it('refuses bad times and a freeze that ends before it starts, with a clear message', () => {
    const good = {
      storeId: 'st-1',
      tradingHours: week(nineToNine),
      freezes: [{ name: 'Sale', from: '2026-12-01T00:00', to: '2026-12-02T00:00' }],
    };
    expect(catalogStoreWindows.safeParse(good).success).toBe(true);
    const badTime = catalogStoreWindows.safeParse({
      ...good,
      tradingHours: week({ open: '9:00', close: '21:00' }),
    });
    expect(badTime.error?.issues[0]?.message).toContain('HH:mm');
    const backwards = catalogStoreWindows.safeParse({
      ...good,
      freezes: [{ name: 'Sale', from: '2026-12-02T00:00', to: '2026-12-01T00:00' }],
    });
    expect(backwards.error?.issues[0]?.message).toBe('a freeze must end after it starts');
    expect(
      catalogStoreWindows.safeParse({ ...good, tradingHours: { mon: nineToNine } }).success,
      'every weekday is listed',
    ).toBe(false);
  });
});
