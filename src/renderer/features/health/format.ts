/** A KPI's value in its unit, in the console's language: a share as a percentage, a duration in h / min / s. */
import type { KpiValue } from '#shared/kpis/definitions.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { t } from '../../i18n/index.ts';

function duration(ms: number): string {
  const language = currentLanguage();
  const unit = (value: number, u: 'hour' | 'minute' | 'second') =>
    new Intl.NumberFormat(language, { style: 'unit', unit: u, unitDisplay: 'short' }).format(value);
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return unit(seconds, 'second');
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return unit(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? unit(hours, 'hour') : `${unit(hours, 'hour')} ${unit(rest, 'minute')}`;
}

export function formatKpi(k: Pick<KpiValue, 'unit' | 'value'>): string {
  if (k.value === null) return t('health:noData');
  const language = currentLanguage();
  switch (k.unit) {
    case 'ratio':
      return new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 1 }).format(
        k.value,
      );
    case 'ms':
      return duration(k.value);
    case 'per_day':
      return t('health:unit.per_day', {
        value: new Intl.NumberFormat(language, { maximumFractionDigits: 2 }).format(k.value),
      });
    case 'count':
      return new Intl.NumberFormat(language, { maximumFractionDigits: 2 }).format(k.value);
  }
}

/** The number a chart draws: a share in percent, a duration in minutes, the rest as is. */
export function chartValue(k: Pick<KpiValue, 'unit' | 'value'>): number | null {
  if (k.value === null) return null;
  if (k.unit === 'ratio') return Math.round(k.value * 1000) / 10;
  if (k.unit === 'ms') return Math.round(k.value / 600) / 100;
  return k.value;
}
