/**
 * The release calendar: for a span of days, each release's plan per ring
 * next to what actually happened (when the ring's target moved to it, when
 * the first and the last store of the ring decided go), the freeze windows
 * and scheduled deployment windows of the stores in the desk's scope, and one
 * store's trading hours day by day.
 *
 * Plans are calendar dates (a ring's rollout is planned in days); freezes,
 * deployment windows and trading hours are store-local wall-clock times,
 * read through the store's IANA zone with the daylight-saving rule of
 * shared/deployments/windows.ts, so a day whose clock skips an hour shows
 * that its trading day is an hour shorter.
 */
import { z } from 'zod';
import { RINGS, type Ring } from '../domain/releases.ts';
import { WEEKDAYS, wallClockToInstant, type StoreWindows } from '../deployments/windows.ts';
import type { RouteAuth } from '../sync/protocol.ts';

export const CALENDAR_ROUTES = {
  setReleasePlan: { method: 'POST', url: '/v1/admin/release-plans', auth: 'admin' },
  deskCalendar: { method: 'GET', url: '/v1/desk/calendar', auth: 'desk' },
} as const satisfies Record<string, { method: 'GET' | 'POST'; url: string; auth: RouteAuth }>;

const idText = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'must be an identifier');

/** A calendar date, YYYY-MM-DD, that exists (no 31 April). */
const calendarDate = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'a date is YYYY-MM-DD')
  .refine((d) => new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'no such date');

/** One ring's planned rollout: from its first to its last day, both included. */
const ringPlan = z
  .object({
    ring: z.enum(RINGS, { message: `a ring is one of ${RINGS.join(', ')}` }),
    start: calendarDate,
    end: calendarDate,
  })
  .strict()
  .refine((p) => p.end >= p.start, {
    message: 'the planned range ends before it starts',
    path: ['end'],
  });

/** The admin's plan of a release: the rings named replace their earlier plan, the others keep theirs. */
export const releasePlanRequest = z
  .object({
    releaseId: idText,
    rings: z
      .array(ringPlan)
      .min(1, 'name at least one ring')
      .max(RINGS.length)
      .refine((rs) => new Set(rs.map((r) => r.ring)).size === rs.length, 'each ring once'),
  })
  .strict();
export type ReleasePlanRequest = z.infer<typeof releasePlanRequest>;
export const releasePlanResponse = z
  .object({ releaseId: idText, rings: z.array(ringPlan) })
  .strict();

/** The longest span one calendar read covers: a month view with its leading and trailing weeks. */
const MAX_CALENDAR_DAYS = 62;

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export const calendarQuery = z
  .object({ from: calendarDate, to: calendarDate, storeId: idText.optional() })
  .strict()
  .refine((q) => q.to >= q.from, { message: 'the range ends before it starts', path: ['to'] })
  .refine((q) => daysBetween(q.from, q.to) < MAX_CALENDAR_DAYS, {
    message: `a calendar covers at most ${MAX_CALENDAR_DAYS} days`,
    path: ['to'],
  });

const isoTime = z.iso.datetime({ offset: false });
const localTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);

/** One release in one ring: its plan and what happened. */
export const calendarRing = z
  .object({
    releaseId: idText,
    version: z.string(),
    ring: z.enum(RINGS),
    plannedStart: calendarDate.nullable(),
    plannedEnd: calendarDate.nullable(),
    /** When the ring's target first moved to this release (a promotion, gated or overridden). */
    targetAt: isoTime.nullable(),
    /** The first and the latest go decision of a store of this ring for the release. */
    firstGoAt: isoTime.nullable(),
    lastGoAt: isoTime.nullable(),
    goStores: z.number().int(),
    stores: z.number().int(),
  })
  .strict();
export type CalendarRing = z.infer<typeof calendarRing>;

/** A freeze as the stores publish it; the same freeze at several stores is one entry with their count. */
export const calendarFreeze = z
  .object({ name: z.string(), from: localTime, to: localTime, stores: z.number().int() })
  .strict();
export type CalendarFreeze = z.infer<typeof calendarFreeze>;

export const calendarDeploymentWindow = z
  .object({
    releaseId: idText,
    version: z.string(),
    start: localTime,
    end: localTime,
    stores: z.number().int(),
  })
  .strict();
export type CalendarDeploymentWindow = z.infer<typeof calendarDeploymentWindow>;

/** One store-local day of trading: closed (null times), or open from `open` to `close` on its clock. */
export const tradingDayEntry = z
  .object({
    date: calendarDate,
    open: z.string().nullable(),
    close: z.string().nullable(),
    /** Minutes the store is actually open that day: a daylight-saving night shows here. */
    minutes: z.number().int(),
  })
  .strict();
export type TradingDayEntry = z.infer<typeof tradingDayEntry>;

export const releaseCalendar = z
  .object({
    from: calendarDate,
    to: calendarDate,
    rings: z.array(calendarRing),
    freezes: z.array(calendarFreeze),
    deploymentWindows: z.array(calendarDeploymentWindow),
    /** The store asked for, with its trading days; null when none was asked for. */
    store: z
      .object({
        id: idText,
        name: z.string(),
        timezone: z.string(),
        /** False when the catalog publishes no trading hours for it. */
        hasTradingHours: z.boolean(),
        tradingDays: z.array(tradingDayEntry),
      })
      .strict()
      .nullable(),
    asOf: isoTime,
  })
  .strict();
export type ReleaseCalendar = z.infer<typeof releaseCalendar>;

/** Every date from `from` to `to`, both included. */
export function datesOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); ; t += 86_400_000) {
    const d = new Date(t).toISOString().slice(0, 10);
    if (d > to) return out;
    out.push(d);
  }
}

/**
 * The store's trading day for each date, in its zone: the minutes between the
 * instants its clock first reads the opening and the closing time (a closing
 * time at or before the opening runs past midnight; 24:00 is the next
 * midnight), so the spring night in Paris shortens a day open 00:00–24:00 to
 * 23 hours and the autumn night lengthens it to 25.
 */
export function tradingDaysOf(
  windows: Pick<StoreWindows, 'tradingHours'>,
  timeZone: string,
  from: string,
  to: string,
): TradingDayEntry[] {
  return datesOf(from, to).map((date) => {
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    const weekday = WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()]!;
    const day = windows.tradingHours[weekday];
    if (day === null) return { date, open: null, close: null, minutes: 0 };
    const [oh, om] = day.open.split(':').map(Number) as [number, number];
    const [ch, cm] = day.close.split(':').map(Number) as [number, number];
    const isOvernight = ch * 60 + cm <= oh * 60 + om;
    const open = wallClockToInstant(timeZone, y, m - 1, d, oh, om);
    const close = wallClockToInstant(timeZone, y, m - 1, d + (isOvernight ? 1 : 0), ch, cm);
    return { date, open: day.open, close: day.close, minutes: Math.round((close - open) / 60_000) };
  });
}

/** Whether [start, end] (dates or store-local times, compared as text) touches the days from..to. */
export function overlapsDays(start: string, end: string, from: string, to: string): boolean {
  return start.slice(0, 10) <= to && end.slice(0, 10) >= from;
}

/**
 * Days between the plan and what happened: positive when the ring's target
 * moved after its planned start (late), negative when before, null when one
 * of them is missing.
 */
export function startDriftDays(
  entry: Pick<CalendarRing, 'plannedStart' | 'targetAt'>,
): number | null {
  if (entry.plannedStart === null || entry.targetAt === null) return null;
  return daysBetween(entry.plannedStart, entry.targetAt.slice(0, 10));
}

/** The ring order the calendar lists them in. */
export function ringOrder(ring: Ring): number {
  return RINGS.indexOf(ring);
}
