import { formatRelative } from '../../i18n/format.ts';

/** "3 minutes ago" from an ISO time, in the console's language. */
export function ageOf(iso: string, now: number = Date.now()): string {
  return formatRelative(Date.parse(iso), now);
}
