/**
 * Time shown to people in a store: on the store's own clock (its time zone,
 * daylight saving included), not the console's, because that is the clock on
 * the wall and in the store's trading hours.
 */
import { zoneParts } from '#renderer/i18n/format.ts';
import { t } from '#renderer/i18n/index.ts';

export type StoreTime = { date: string; time: string; zone: string };

/** `{date: '2026-03-29', time: '02:30:00', zone: 'GMT+2'}` on the store's clock. */
export function storeTimeParts(epochMs: number, timeZone: string): StoreTime {
  const parts = zoneParts(epochMs, timeZone);
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}:${parts.second}`,
    zone: parts.timeZoneName ?? '',
  };
}

/** "2026-03-29 14:05" on the store's clock (no seconds: for sentences). */
export function formatStoreDateTime(epochMs: number, timeZone: string): string {
  const t = storeTimeParts(epochMs, timeZone);
  return `${t.date} ${t.time.slice(0, 5)}`;
}

/**
 * A duration as a person reads it: "45 s", "3 min 05 s", "2 h 07 min",
 * "1 d 3 h". Below a second: "< 1 s" (a step recorded in the same second
 * took no time anybody waited for). Negative or non-finite: a dash.
 */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return t('common:dash');
  if (ms < 1_000) return t('domain:duration.lessThanSecond');
  const totalSeconds = Math.floor(ms / 1_000);
  const days = Math.floor(totalSeconds / 86_400);
  const hours = Math.floor((totalSeconds % 86_400) / 3_600);
  const minutes = Math.floor((totalSeconds % 3_600) / 60);
  const seconds = totalSeconds % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (days > 0) return t('domain:duration.days', { d: days, h: hours });
  if (hours > 0) return t('domain:duration.hours', { h: hours, m: pad(minutes) });
  if (minutes > 0) return t('domain:duration.minutes', { m: minutes, s: pad(seconds) });
  return t('domain:duration.seconds', { s: seconds });
}
