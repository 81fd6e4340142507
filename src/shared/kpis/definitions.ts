/**
 * Release KPIs, each defined once: its name, unit and formula over the sums
 * the server's maintained aggregates hold (src/server/kpis). The same
 * formulas are written out in docs/kpis.md. A KPI whose denominator is zero
 * is null ("no data"), never 0, so a quiet period does not read as perfect.
 */
import { z } from 'zod';
import { RINGS } from '../domain/releases.ts';

/** What the aggregates sum for one filter (stores, release, period). */
export type KpiSums = {
  /** Days in the period (both ends included). */
  days: number;
  deploymentsFinished: number;
  deploymentsCompleted: number;
  deploymentsRolledBack: number;
  deploymentsAborted: number;
  /** Summed over rolled-back deployments: rollback started → rolled back. */
  restoreMs: number;
  /** Summed over finished deployments: time paused at manual interventions. */
  interventionMs: number;
  decisionsGo: number;
  decisionsNoGo: number;
  /** Terminals recorded on a release whose publish time is known, and their summed lead time. */
  installs: number;
  leadTimeMs: number;
  results: number;
  resultsPassed: number;
  itemsFirst: number;
  itemsFirstPassed: number;
  bugs: number;
  /** (store, release) pairs with at least one terminal on the release now. */
  storeReleases: number;
};

export const KPI_IDS = [
  'deployment_frequency',
  'lead_time',
  'change_failure_rate',
  'time_to_restore',
  'intervention_wait',
  'checklist_pass_rate',
  'first_time_pass_rate',
  'bugs_per_store_release',
] as const;
export type KpiId = (typeof KPI_IDS)[number];

export const KPI_UNITS = ['per_day', 'ms', 'ratio', 'count'] as const;
export type KpiUnit = (typeof KPI_UNITS)[number];

export type KpiDefinition = {
  label: string;
  unit: KpiUnit;
  /** The formula in words (docs/kpis.md says the same). */
  formula: string;
  /** Whether a larger value is better (charts colour by it; the health verdict compares by it). */
  isHigherBetter: boolean;
  numerator: (s: KpiSums) => number;
  denominator: (s: KpiSums) => number;
};

export const KPIS: Record<KpiId, KpiDefinition> = {
  deployment_frequency: {
    label: 'Deployment frequency',
    unit: 'per_day',
    formula: 'deployments completed ÷ days in the period',
    isHigherBetter: true,
    numerator: (s) => s.deploymentsCompleted,
    denominator: (s) => s.days,
  },
  lead_time: {
    label: 'Lead time, publish → installed',
    unit: 'ms',
    formula:
      'Σ (time a terminal was recorded on the release − time the release was published) ÷ terminals recorded',
    isHigherBetter: false,
    numerator: (s) => s.leadTimeMs,
    denominator: (s) => s.installs,
  },
  change_failure_rate: {
    label: 'Change failure rate',
    unit: 'ratio',
    formula:
      '(deployments rolled back + deployments aborted + no-go decisions) ÷ (deployments finished + go/no-go decisions)',
    isHigherBetter: false,
    numerator: (s) => s.deploymentsRolledBack + s.deploymentsAborted + s.decisionsNoGo,
    denominator: (s) => s.deploymentsFinished + s.decisionsGo + s.decisionsNoGo,
  },
  time_to_restore: {
    label: 'Time to restore',
    unit: 'ms',
    formula: 'Σ (rolled back − rollback started) ÷ deployments rolled back',
    isHigherBetter: false,
    numerator: (s) => s.restoreMs,
    denominator: (s) => s.deploymentsRolledBack,
  },
  intervention_wait: {
    label: 'Waiting at manual interventions',
    unit: 'ms',
    formula: 'Σ time paused at interventions ÷ deployments finished',
    isHigherBetter: false,
    numerator: (s) => s.interventionMs,
    denominator: (s) => s.deploymentsFinished,
  },
  checklist_pass_rate: {
    label: 'Checklist pass rate',
    unit: 'ratio',
    formula: 'checklist results recorded as pass ÷ checklist results recorded',
    isHigherBetter: true,
    numerator: (s) => s.resultsPassed,
    denominator: (s) => s.results,
  },
  first_time_pass_rate: {
    label: 'First-time pass rate',
    unit: 'ratio',
    formula: 'checklist items whose first result was pass ÷ checklist items with a result',
    isHigherBetter: true,
    numerator: (s) => s.itemsFirstPassed,
    denominator: (s) => s.itemsFirst,
  },
  bugs_per_store_release: {
    label: 'Bugs per store per release',
    unit: 'count',
    formula: 'bug reports filed ÷ (store, release) pairs with a terminal on the release',
    isHigherBetter: false,
    numerator: (s) => s.bugs,
    denominator: (s) => s.storeReleases,
  },
};

export type KpiValue = {
  id: KpiId;
  label: string;
  unit: KpiUnit;
  /** null when the denominator is zero. */
  value: number | null;
  numerator: number;
  denominator: number;
};

/** Every KPI from one set of sums; ratios and means are rounded to 4 decimals. */
export function computeKpis(sums: KpiSums): KpiValue[] {
  return KPI_IDS.map((id) => {
    const k = KPIS[id];
    const numerator = k.numerator(sums);
    const denominator = k.denominator(sums);
    return {
      id,
      label: k.label,
      unit: k.unit,
      value: denominator === 0 ? null : Math.round((numerator / denominator) * 10_000) / 10_000,
      numerator,
      denominator,
    };
  });
}

export const EMPTY_SUMS: KpiSums = {
  days: 0,
  deploymentsFinished: 0,
  deploymentsCompleted: 0,
  deploymentsRolledBack: 0,
  deploymentsAborted: 0,
  restoreMs: 0,
  interventionMs: 0,
  decisionsGo: 0,
  decisionsNoGo: 0,
  installs: 0,
  leadTimeMs: 0,
  results: 0,
  resultsPassed: 0,
  itemsFirst: 0,
  itemsFirstPassed: 0,
  bugs: 0,
  storeReleases: 0,
};

const day = z.iso.date();
const idText = z.string().min(1).max(64);

/** The desk's KPI query: every filter optional; the period defaults to the last 30 days. */
export const kpiQuery = z
  .object({
    release: idText.optional(),
    ring: z.enum(RINGS).optional(),
    region: z.string().min(1).max(60).optional(),
    store: idText.optional(),
    from: day.optional(),
    to: day.optional(),
  })
  .strict()
  .refine((q) => q.from === undefined || q.to === undefined || q.to >= q.from, {
    message: 'the period ends before it starts',
    path: ['to'],
  });

export const kpiValue = z
  .object({
    id: z.enum(KPI_IDS),
    label: z.string(),
    unit: z.enum(KPI_UNITS),
    value: z.number().nullable(),
    numerator: z.number(),
    denominator: z.number(),
  })
  .strict();

export const kpiReport = z
  .object({
    filters: z
      .object({
        release: z.string().nullable(),
        ring: z.string().nullable(),
        region: z.string().nullable(),
        store: z.string().nullable(),
        from: z.string(),
        to: z.string(),
      })
      .strict(),
    kpis: z.array(kpiValue),
    asOf: z.string(),
  })
  .strict();
export type KpiReport = z.infer<typeof kpiReport>;
