/**
 * Numbers, relative times and store-clock times in the console's language,
 * through Intl. Intl formatters are costly to build (toLocaleString builds one
 * per call, which showed in profiles of the fleet matrix), so each is built
 * once per language (and zone) and kept.
 */
import { currentLanguage, type Language } from './index.ts';

function cached<T>(build: (language: Language, key: string) => T): (key?: string) => T {
  const byKey = new Map<string, T>();
  return (key = '') => {
    const language = currentLanguage();
    const id = `${language}|${key}`;
    let value = byKey.get(id);
    if (value === undefined) {
      value = build(language, key);
      byKey.set(id, value);
    }
    return value;
  };
}

const numberFormat = cached((language) => new Intl.NumberFormat(language));

/** "12,345" in English, "12.345" in German. */
export function formatNumber(n: number): string {
  return numberFormat().format(n);
}

const relativeFormat = cached(
  (language) => new Intl.RelativeTimeFormat(language, { numeric: 'auto', style: 'long' }),
);

const RELATIVE_STEPS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 30],
  ['month', 12],
  ['year', Number.POSITIVE_INFINITY],
];

/** "3 minutes ago" / "vor 3 Minuten"; a time in the future reads "now". */
export function formatRelative(epochMs: number, nowMs: number = Date.now()): string {
  let amount = Math.max(0, Math.round((nowMs - epochMs) / 1000));
  for (const [unit, size] of RELATIVE_STEPS) {
    if (amount < size || unit === 'year') return relativeFormat().format(-amount, unit);
    amount = Math.round(amount / size);
  }
  return relativeFormat().format(0, 'second');
}

const zoneFormat = cached((language, timeZone) => {
  const options: Intl.DateTimeFormatOptions = {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  };
  try {
    return new Intl.DateTimeFormat(language, { ...options, timeZone });
  } catch {
    // An unknown zone name in the catalog: the console's own clock, rather than nothing.
    return new Intl.DateTimeFormat(language, options);
  }
});

/** The parts of a moment on the store's clock, the zone's short name in the console's language. */
export function zoneParts(epochMs: number, timeZone: string): Partial<Record<string, string>> {
  const parts: Partial<Record<string, string>> = {};
  for (const part of zoneFormat(timeZone).formatToParts(new Date(epochMs)))
    parts[part.type] = part.value;
  return parts;
}
