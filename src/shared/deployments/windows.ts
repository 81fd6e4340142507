/**
 * When a deployment may start at a store: never during trading hours (a
 * manager can override with a recorded reason) and never in a freeze window
 * (only an approved change request allows it). Both are written in the
 * store's own wall-clock time and IANA zone, so "09:00" means nine on the
 * store's clock whatever the season.
 *
 * Daylight saving: a window starts or ends at the first moment the store's
 * clock reads that time or later. So a time the clock skips (02:30 on the
 * spring night in Paris) counts from the jump itself (03:00, when the clock
 * first reads past 02:30), and a time the clock shows twice (01:30 on the
 * autumn night in New York) counts from its first occurrence: a window that
 * ended at the first 01:30 does not come back when the clock shows 01:00 again.
 */
import { TZDate, tzOffset } from '@date-fns/tz';
// The function's own module: the package index re-exports ~250 modules, ~2 s per process start under Node.
import { format } from 'date-fns/format';
import { z } from 'zod';
import type { Role } from '../domain/roles.ts';
import { findApproval, type ChangeRequest } from './changeRequests.ts';
import type { WindowClearance } from './stateMachine.ts';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time is HH:mm, e.g. 09:00');
const closingTime = z
  .string()
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'a closing time is HH:mm, e.g. 21:00 or 24:00');
const wallClock = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d$/,
    'a store-local date and time is YYYY-MM-DDTHH:mm',
  );

/** Hours of one day; a closing time at or before the opening time runs past midnight. */
export const tradingDay = z.object({ open: clockTime, close: closingTime }).strict();
export type TradingDay = z.infer<typeof tradingDay>;

const freezeWindow = z
  .object({
    name: z.string().trim().min(1).max(120),
    /** Store-local wall-clock times; the freeze covers [from, to). */
    from: wallClock,
    to: wallClock,
  })
  .strict()
  .refine((f) => f.from < f.to, 'a freeze must end after it starts');

/** A store's trading hours (null: closed that day) and freeze windows, as the catalog publishes them. */
export const catalogStoreWindows = z
  .object({
    storeId: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9_.:-]+$/),
    tradingHours: z
      .object(
        Object.fromEntries(WEEKDAYS.map((d) => [d, tradingDay.nullable()])) as Record<
          Weekday,
          z.ZodNullable<typeof tradingDay>
        >,
      )
      .strict(),
    freezes: z.array(freezeWindow).max(200),
  })
  .strict();
export type StoreWindows = z.infer<typeof catalogStoreWindows>;

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** The first instant at which the store's clock reads this wall-clock time or later (see the daylight-saving note above). */
export function wallClockToInstant(
  timeZone: string,
  year: number,
  monthIndex: number,
  day: number,
  hour: number,
  minute: number,
): number {
  const wall = Date.UTC(year, monthIndex, day, hour, minute);
  const before = tzOffset(timeZone, new Date(wall - DAY));
  const after = tzOffset(timeZone, new Date(wall + DAY));
  const valid = [...new Set([before, after])]
    .map((offset) => wall - offset * MINUTE)
    .filter((instant) => tzOffset(timeZone, new Date(instant)) * MINUTE === wall - instant);
  if (valid.length > 0) return Math.min(...valid);
  // Skipped by the clock: the answer is the jump itself, the first minute on the new offset.
  let low = wall - before * MINUTE - DAY;
  let high = wall - before * MINUTE;
  while (high - low > MINUTE) {
    const middle = low + Math.floor((high - low) / 2 / MINUTE) * MINUTE;
    if (tzOffset(timeZone, new Date(middle)) === before) low = middle;
    else high = middle;
  }
  return high;
}

function parseWallClock(timeZone: string, text: string): number {
  const [date, time] = text.split('T') as [string, string];
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [h, min] = time.split(':').map(Number) as [number, number];
  return wallClockToInstant(timeZone, y, m - 1, d, h, min);
}

/** Store-local wording of an instant, for messages: "Sat 24 Dec 2026 20:00". */
function formatStoreTime(instant: number, timeZone: string): string {
  return format(new TZDate(instant, timeZone), 'EEE d MMM yyyy HH:mm');
}

export type WindowBlock =
  | { kind: 'trading_hours'; until: number; message: string }
  | { kind: 'freeze'; name: string; until: number; message: string };

/** The trading interval of the store-local day `offsetDays` from `local`'s day, as instants. */
function tradingInterval(
  timeZone: string,
  local: TZDate,
  offsetDays: number,
  windows: StoreWindows,
): { open: number; close: number; day: TradingDay } | null {
  const date = new Date(
    Date.UTC(local.getFullYear(), local.getMonth(), local.getDate() + offsetDays),
  );
  const day = windows.tradingHours[WEEKDAYS[date.getUTCDay()]!];
  if (day === null) return null;
  const [oh, om] = day.open.split(':').map(Number) as [number, number];
  const [ch, cm] = day.close.split(':').map(Number) as [number, number];
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth();
  const d = date.getUTCDate();
  const open = wallClockToInstant(timeZone, y, m, d, oh, om);
  const isOvernight = ch * 60 + cm <= oh * 60 + om;
  const close = wallClockToInstant(timeZone, y, m, d + (isOvernight ? 1 : 0), ch, cm);
  return { open, close, day };
}

/** What stands in the way of starting now: the trading hours in progress, and every freeze covering now. */
export function windowBlocks(
  now: number,
  store: { timezone: string },
  windows: StoreWindows | null,
): WindowBlock[] {
  if (windows === null) return [];
  const timeZone = store.timezone;
  const blocks: WindowBlock[] = [];
  const local = new TZDate(now, timeZone);
  // Yesterday's hours matter when they run past midnight.
  for (const offset of [-1, 0]) {
    const interval = tradingInterval(timeZone, local, offset, windows);
    if (interval !== null && now >= interval.open && now < interval.close) {
      blocks.push({
        kind: 'trading_hours',
        until: interval.close,
        message: `The store is trading (${interval.day.open}–${interval.day.close} store time): a deployment can start after ${formatStoreTime(interval.close, timeZone)}.`,
      });
    }
  }
  for (const freeze of windows.freezes) {
    const from = parseWallClock(timeZone, freeze.from);
    const to = parseWallClock(timeZone, freeze.to);
    if (now >= from && now < to) {
      blocks.push({
        kind: 'freeze',
        name: freeze.name,
        until: to,
        message: `In freeze "${freeze.name}" until ${formatStoreTime(to, timeZone)} (store time).`,
      });
    }
  }
  return blocks;
}

export type WindowCheck = { clearance: WindowClearance; blocks: WindowBlock[] };

/**
 * Whether a deployment may start now at this store. Outside trading hours and
 * freezes: open. During trading hours only: a store manager may override
 * with a reason. In a freeze (or with no override): only an approved
 * "deploy outside the window" change request for this store, release and
 * time allows it.
 */
export function canStartDeployment(
  now: number,
  store: { id: string; timezone: string },
  windows: StoreWindows | null,
  options: {
    releaseId: string;
    changeRequests?: readonly ChangeRequest[];
    override?: { reason: string; role: Role } | null;
  },
): WindowCheck {
  const blocks = windowBlocks(now, store, windows);
  if (blocks.length === 0) return { clearance: { basis: 'open' }, blocks };
  const approval = findApproval(options.changeRequests ?? [], {
    kind: 'deploy_outside_window',
    storeId: store.id,
    releaseId: options.releaseId,
    at: now,
  });
  if (approval !== null)
    return { clearance: { basis: 'change_request', changeRequestId: approval.id }, blocks };
  const freeze = blocks.find((b) => b.kind === 'freeze');
  const override = options.override ?? null;
  if (freeze !== undefined) {
    const message =
      override !== null
        ? `${freeze.message} A freeze cannot be overridden: it needs an approved change request.`
        : `${freeze.message} Starting now needs an approved change request.`;
    return { clearance: { basis: 'blocked', message }, blocks };
  }
  const trading = blocks[0]!;
  if (override === null)
    return {
      clearance: {
        basis: 'blocked',
        message: `${trading.message} A store manager can override with a reason.`,
      },
      blocks,
    };
  if (override.role !== 'manager')
    return {
      clearance: {
        basis: 'blocked',
        message: `${trading.message} Only a store manager can override trading hours.`,
      },
      blocks,
    };
  if (override.reason.trim().length === 0)
    return {
      clearance: {
        basis: 'blocked',
        message: 'Give the reason for overriding the trading hours: it is recorded.',
      },
      blocks,
    };
  return { clearance: { basis: 'override', reason: override.reason.trim() }, blocks };
}
