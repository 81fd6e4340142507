import { format } from 'date-fns/format';
import { parseISO } from 'date-fns/parseISO';
import { formatNumber, formatRelative } from '../i18n/format.ts';
import { currentLanguage, t } from '../i18n/index.ts';

/** "2026-03-14" — dates in lists are compact and sort by eye. */
export function formatDate(iso: string | null): string {
  if (!iso) return t('common:dash');
  const date = parseISO(iso);
  return Number.isNaN(date.getTime()) ? t('common:dash') : format(date, 'yyyy-MM-dd');
}

export function formatDateTime(iso: string | null): string {
  if (!iso) return t('common:dash');
  const date = parseISO(iso);
  return Number.isNaN(date.getTime()) ? t('common:dash') : format(date, 'yyyy-MM-dd HH:mm');
}

/** "3 days ago" in the console's language; the exact time goes in a tooltip. */
export function formatAgo(iso: string | null, now: Date = new Date()): string {
  if (!iso) return t('common:never');
  const date = parseISO(iso);
  if (Number.isNaN(date.getTime())) return t('common:dash');
  return formatRelative(date.getTime(), now.getTime());
}

/** A count in the console's language ("12,345" / "12.345"). */
export function formatCount(n: number): string {
  return formatNumber(n);
}

/** "France (FR)": an ISO 3166-1 alpha-2 code named in the console's language, the code kept beside it. */
export function formatCountry(code: string): string {
  const name = new Intl.DisplayNames([currentLanguage()], { type: 'region', fallback: 'none' }).of(
    code,
  );
  return name === undefined ? code : `${name} (${code})`;
}
