import type { KpiTrend } from '#shared/contract/health.ts';
import type { ExportColumn } from '#shared/exports/toCsv.ts';

/** One row per (KPI, period): the whole period first, then each slice the charts show. */
export type KpiExportRow = {
  kpi: string;
  label: string;
  unit: string;
  from: string;
  to: string;
  value: number | null;
  numerator: number;
  denominator: number;
};

export function kpiExportRows(trend: KpiTrend): KpiExportRow[] {
  const periods = [
    { from: trend.report.filters.from, to: trend.report.filters.to, kpis: trend.report.kpis },
    ...trend.slices,
  ];
  return periods.flatMap((p) =>
    p.kpis.map((k) => ({
      kpi: k.id,
      label: k.label,
      unit: k.unit,
      from: p.from,
      to: p.to,
      value: k.value,
      numerator: k.numerator,
      denominator: k.denominator,
    })),
  );
}

/** Machine-readable headers, the same as the server's CSV (`GET /v1/desk/kpis/csv`). */
export const KPI_EXPORT_COLUMNS: readonly ExportColumn<KpiExportRow>[] = [
  { header: 'kpi', value: (r) => r.kpi },
  { header: 'label', value: (r) => r.label },
  { header: 'unit', value: (r) => r.unit },
  { header: 'from', value: (r) => r.from },
  { header: 'to', value: (r) => r.to },
  { header: 'value', value: (r) => r.value },
  { header: 'numerator', value: (r) => r.numerator },
  { header: 'denominator', value: (r) => r.denominator },
];
