import { format } from 'date-fns/format';
import { formatDistanceStrict } from 'date-fns/formatDistanceStrict';
import { parseISO } from 'date-fns/parseISO';
import { t } from '../i18n/index.ts';

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

/** "3 days ago"; the exact time goes in a tooltip. */
export function formatAgo(iso: string | null, now: Date = new Date()): string {
  if (!iso) return t('common:never');
  const date = parseISO(iso);
  if (Number.isNaN(date.getTime())) return t('common:dash');
  return date > now ? 'just now' : `${formatDistanceStrict(date, now)} ago`;
}

// One formatter for the app: toLocaleString builds a new one per call, which shows in profiles of the matrix.
const COUNT_FORMAT = new Intl.NumberFormat('en-US');

export function formatCount(n: number): string {
  return COUNT_FORMAT.format(n);
}
