/**
 * Scheduled deployment: a window per store (or per cohort, applied to each of
 * its stores) in the store's local time, from a start to an expiry. A console
 * refuses to start a deployment outside its window with a clear message; an
 * expired window is shown as expired, never silently run later.
 *
 * Times are store-local wall-clock text (YYYY-MM-DDTHH:mm) read through the
 * store's IANA zone with the same daylight-saving rule as trading hours and
 * freezes (shared/deployments/windows.ts): a time the clock skips counts from
 * the jump, a time it shows twice from its first occurrence.
 */
import { z } from 'zod';
import { wallClockToInstant } from '../deployments/windows.ts';

export const storeLocalTime = z
  .string()
  .regex(
    /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d$/,
    'a store-local date and time is YYYY-MM-DDTHH:mm',
  );

export type DeploymentWindow = {
  releaseId: string;
  storeId: string;
  /** Store-local wall-clock start and expiry; the window is [start, end). */
  start: string;
  end: string;
};

/** Instant (ms) at which the store's clock first reads `text`. */
export function storeLocalInstant(timeZone: string, text: string): number {
  const [date, time] = text.split('T') as [string, string];
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [h, min] = time.split(':').map(Number) as [number, number];
  return wallClockToInstant(timeZone, y, m - 1, d, h, min);
}

export type WindowStatus = 'upcoming' | 'open' | 'expired';

/** Where `now` falls against the window, in the store's zone. */
export function windowStatus(
  window: DeploymentWindow,
  timeZone: string,
  now: number,
): WindowStatus {
  if (now < storeLocalInstant(timeZone, window.start)) return 'upcoming';
  if (now < storeLocalInstant(timeZone, window.end)) return 'open';
  return 'expired';
}

/** Whether a window ends after it starts, in the store's zone (a window across a DST change included). */
export function isWindowOrdered(
  window: Pick<DeploymentWindow, 'start' | 'end'>,
  timeZone: string,
): boolean {
  return storeLocalInstant(timeZone, window.end) > storeLocalInstant(timeZone, window.start);
}

export type ScheduleCheck =
  { isAllowed: true } | { isAllowed: false; status: 'upcoming' | 'expired'; message: string };

/**
 * Whether a deployment of the release may start now at the store: always when
 * no window is scheduled for it; inside the window only when one is.
 */
export function checkSchedule(
  windows: readonly DeploymentWindow[],
  store: { id: string; timezone: string },
  releaseId: string,
  now: number,
): ScheduleCheck {
  const mine = windows.filter((w) => w.storeId === store.id && w.releaseId === releaseId);
  if (mine.length === 0) return { isAllowed: true };
  const statuses = mine.map((w) => ({ w, status: windowStatus(w, store.timezone, now) }));
  if (statuses.some((s) => s.status === 'open')) return { isAllowed: true };
  const upcoming = statuses
    .filter((s) => s.status === 'upcoming')
    .sort((a, b) => (a.w.start < b.w.start ? -1 : 1))[0];
  if (upcoming)
    return {
      isAllowed: false,
      status: 'upcoming',
      message: `This deployment is scheduled from ${upcoming.w.start.replace('T', ' ')} to ${upcoming.w.end.replace('T', ' ')} (store time); it cannot start before then.`,
    };
  const last = statuses.sort((a, b) => (a.w.end < b.w.end ? 1 : -1))[0]!;
  return {
    isAllowed: false,
    status: 'expired',
    message: `The scheduled window for this deployment expired at ${last.w.end.replace('T', ' ')} (store time); ask the release desk for a new window.`,
  };
}
