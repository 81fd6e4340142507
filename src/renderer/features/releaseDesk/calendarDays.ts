/**
 * What the month view shows on each day: the calendar read (server) turned
 * into one list per date. Ranges (a ring's planned days, a freeze, a
 * deployment window) appear on every day they cover; moments (a ring's target
 * moved, its first and last go) on the day the console's clock reads them.
 */
import { format } from 'date-fns/format';
import { parseISO } from 'date-fns/parseISO';
import { datesOf, type ReleaseCalendar } from '#shared/releases/calendar.ts';
import type { Ring } from '#shared/domain/releases.ts';

export const DAY_ITEM_KINDS = [
  'planned',
  'target',
  'firstGo',
  'lastGo',
  'freeze',
  'window',
  'trading',
] as const;
export type DayItemKind = (typeof DAY_ITEM_KINDS)[number];

export type DayItem =
  | { kind: 'planned' | 'target' | 'firstGo' | 'lastGo'; version: string; ring: Ring }
  | { kind: 'freeze'; name: string; from: string; to: string; stores: number }
  | { kind: 'window'; version: string; start: string; end: string; stores: number }
  | { kind: 'trading'; open: string | null; close: string | null; minutes: number };

/** The console-local day of an instant, YYYY-MM-DD. */
function localDay(iso: string): string {
  return format(parseISO(iso), 'yyyy-MM-dd');
}

/** Every date of `from`..`to` with what happens on it, in the order a release manager reads a day. */
export function itemsByDay(calendar: ReleaseCalendar): Map<string, DayItem[]> {
  const days = new Map<string, DayItem[]>(datesOf(calendar.from, calendar.to).map((d) => [d, []]));
  const add = (day: string, item: DayItem) => days.get(day)?.push(item);
  const addRange = (start: string, end: string, item: DayItem) => {
    const from = start.slice(0, 10) < calendar.from ? calendar.from : start.slice(0, 10);
    const to = end.slice(0, 10) > calendar.to ? calendar.to : end.slice(0, 10);
    if (from <= to) for (const d of datesOf(from, to)) add(d, item);
  };
  for (const r of calendar.rings) {
    const who = { version: r.version, ring: r.ring };
    if (r.plannedStart !== null && r.plannedEnd !== null)
      addRange(r.plannedStart, r.plannedEnd, { kind: 'planned', ...who });
    if (r.targetAt !== null) add(localDay(r.targetAt), { kind: 'target', ...who });
    if (r.firstGoAt !== null) add(localDay(r.firstGoAt), { kind: 'firstGo', ...who });
    // One go at the ring is its first and its last: the day shows it once.
    if (r.lastGoAt !== null && r.lastGoAt !== r.firstGoAt)
      add(localDay(r.lastGoAt), { kind: 'lastGo', ...who });
  }
  for (const f of calendar.freezes) addRange(f.from, f.to, { kind: 'freeze', ...f });
  for (const w of calendar.deploymentWindows)
    addRange(w.start, w.end, {
      kind: 'window',
      version: w.version,
      start: w.start,
      end: w.end,
      stores: w.stores,
    });
  for (const d of calendar.store?.tradingDays ?? [])
    add(d.date, { kind: 'trading', open: d.open, close: d.close, minutes: d.minutes });
  return days;
}

/** The first and last day of the month holding `day` (YYYY-MM-DD). */
export function monthOf(day: string): { from: string; to: string } {
  const [y, m] = day.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const mm = String(m).padStart(2, '0');
  return { from: `${y}-${mm}-01`, to: `${y}-${mm}-${String(last).padStart(2, '0')}` };
}

/** The first day of the month `delta` months from the one holding `day`. */
export function shiftMonth(day: string, delta: number): string {
  const [y, m] = day.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + delta, 1));
  return d.toISOString().slice(0, 10);
}
