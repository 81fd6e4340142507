/**
 * The desk's KPI report: sums read from the maintained aggregates
 * (./migrations.ts) for the stores, release and period asked for, turned
 * into KPIs by the shared definitions (src/shared/kpis/definitions.ts).
 * Three grouped queries over the aggregates, never the log. The desk's scope
 * is checked on every call: a store or region outside it is 403
 * `scope_denied`; a bad or unknown filter is 400 naming it.
 */
import type { Kysely } from 'kysely';
import Papa from 'papaparse';
import { isRegionInScope } from '../../shared/desk/protocol.ts';
import {
  EMPTY_SUMS,
  computeKpis,
  kpiQuery,
  type KpiReport,
  type KpiSums,
} from '../../shared/kpis/definitions.ts';
import type { ServerSchema } from '../db/schema.ts';
import type { DeskPrincipal } from '../desk/queries.ts';
import { ServerError, parseInput } from '../errors.ts';
import type { KpiMetric } from './aggregate.ts';

type Db = Kysely<ServerSchema>;
type StoreData = { id: string; region: string; ring: string };

const DAY_MS = 86_400_000;

function denied(what: string): ServerError {
  return new ServerError('scope_denied', `${what} is outside this desk's scope.`);
}

/**
 * The stores the report covers, or null for "every store" (no store
 * predicate needed: an all-stores desk with no store, region or ring filter).
 */
async function storesOf(
  db: Db,
  principal: DeskPrincipal,
  q: { store?: string | undefined; region?: string | undefined; ring?: string | undefined },
): Promise<string[] | null> {
  if (q.region !== undefined && !isRegionInScope(principal.scope, q.region))
    throw denied(`Region "${q.region}"`);
  if (q.store !== undefined) {
    const row = await db
      .selectFrom('stores')
      .select('data')
      .where('id', '=', q.store)
      .executeTakeFirst();
    // An unknown store and one outside the scope answer alike.
    if (!row) throw denied(`Store ${q.store}`);
    const store = JSON.parse(row.data) as StoreData;
    if (!isRegionInScope(principal.scope, store.region)) throw denied(`Store ${q.store}`);
    const matches =
      (q.region === undefined || store.region === q.region) &&
      (q.ring === undefined || store.ring === q.ring);
    return matches ? [store.id] : [];
  }
  if (principal.scope.kind === 'all' && q.region === undefined && q.ring === undefined) return null;
  const region = q.region ?? (principal.scope.kind === 'region' ? principal.scope.region : null);
  const rows = await db.selectFrom('stores').select('data').execute();
  return rows
    .map((r) => JSON.parse(r.data) as StoreData)
    .filter(
      (s) =>
        (region === null || s.region === region) && (q.ring === undefined || s.ring === q.ring),
    )
    .map((s) => s.id);
}

/** The KPIs for the filters in `query` (unparsed: bad input is answered here, naming the field). */
export async function kpiReportOf(
  db: Db,
  principal: DeskPrincipal,
  query: unknown,
  now: Date,
): Promise<KpiReport> {
  const q = parseInput(kpiQuery, query, 'The KPI query');
  const to = q.to ?? now.toISOString().slice(0, 10);
  const from = q.from ?? new Date(Date.parse(to) - 29 * DAY_MS).toISOString().slice(0, 10);
  if (to < from)
    throw new ServerError(
      'invalid_input',
      'The KPI query is not valid at to: the period ends before it starts',
    );
  const stores = await storesOf(db, principal, q);
  const sums = await kpiSums(db, { stores, releaseId: q.release ?? null, from, to });
  return {
    filters: {
      release: q.release ?? null,
      ring: q.ring ?? null,
      region: q.region ?? null,
      store: q.store ?? null,
      from,
      to,
    },
    kpis: computeKpis(sums),
    asOf: now.toISOString(),
  };
}

/** The stores of a desk's scope (null: every store). */
export function storesInScope(db: Db, principal: DeskPrincipal): Promise<string[] | null> {
  return storesOf(db, principal, {});
}

/**
 * The sums behind every KPI for a set of stores (null: all), a release (null:
 * all) and a period of UTC days: three grouped queries over the aggregates.
 */
export async function kpiSums(
  db: Db,
  f: { stores: readonly string[] | null; releaseId: string | null; from: string; to: string },
): Promise<KpiSums> {
  const { stores, from, to } = f;
  const sums: KpiSums = {
    ...EMPTY_SUMS,
    days: Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS) + 1,
  };
  if (stores !== null && stores.length === 0) return sums;
  // Every store: the rollup without the store column (one row per day, release and metric).
  const daily =
    stores === null
      ? db
          .selectFrom('rm_kpi_daily_all')
          .select(['metric'])
          .select((eb) => [eb.fn.sum<number>('n').as('n'), eb.fn.sum<number>('total_ms').as('ms')])
          .where('day', '>=', from)
          .where('day', '<=', to)
          .$if(f.releaseId !== null, (q) => q.where('release_id', '=', f.releaseId!))
          .groupBy('metric')
      : db
          .selectFrom('rm_kpi_daily')
          .select(['metric'])
          .select((eb) => [eb.fn.sum<number>('n').as('n'), eb.fn.sum<number>('total_ms').as('ms')])
          .where('day', '>=', from)
          .where('day', '<=', to)
          .where('store_id', 'in', [...stores])
          .$if(f.releaseId !== null, (q) => q.where('release_id', '=', f.releaseId!))
          .groupBy('metric');
  let deployments = db
    .selectFrom('rm_kpi_deployments')
    .select(['outcome'])
    .select((eb) => [
      eb.fn.countAll<number>().as('n'),
      eb.fn.sum<number>('intervention_ms').as('intervention'),
      eb.fn.sum<number>('restore_ms').as('restore'),
    ])
    .where('day', '>=', from)
    .where('day', '<=', to);
  let pairs = db
    .selectFrom('rm_terminals')
    .select(['store_id', 'release_id'])
    .distinct()
    .where('release_id', 'is not', null);
  if (f.releaseId !== null) {
    deployments = deployments.where('release_id', '=', f.releaseId);
    pairs = pairs.where('release_id', '=', f.releaseId);
  }
  if (stores !== null) {
    deployments = deployments.where('store_id', 'in', [...stores]);
    pairs = pairs.where('store_id', 'in', [...stores]);
  }
  const [dailyRows, deploymentRows, pairCount] = await Promise.all([
    daily.execute(),
    deployments.groupBy('outcome').execute(),
    db
      .selectFrom(pairs.as('p'))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  const metric = new Map(dailyRows.map((r) => [r.metric as KpiMetric, r]));
  const n = (m: KpiMetric) => Number(metric.get(m)?.n ?? 0);
  sums.decisionsGo = n('decision_go');
  sums.decisionsNoGo = n('decision_no_go');
  sums.bugs = n('bug');
  sums.installs = n('install');
  sums.leadTimeMs = Number(metric.get('install')?.ms ?? 0);
  sums.results = n('result');
  sums.resultsPassed = n('result_pass');
  sums.itemsFirst = n('item_first');
  sums.itemsFirstPassed = n('item_first_pass');
  for (const r of deploymentRows) {
    const count = Number(r.n);
    sums.deploymentsFinished += count;
    sums.interventionMs += Number(r.intervention ?? 0);
    if (r.outcome === 'completed') sums.deploymentsCompleted += count;
    if (r.outcome === 'aborted') sums.deploymentsAborted += count;
    if (r.outcome === 'rolled_back') {
      sums.deploymentsRolledBack += count;
      sums.restoreMs += Number(r.restore ?? 0);
    }
  }
  sums.storeReleases = Number(pairCount.n);
  return sums;
}

/** The report as CSV: one row per KPI, the filters repeated on each row (papaparse quotes and escapes). */
export function kpiReportCsv(report: KpiReport): string {
  const f = report.filters;
  return Papa.unparse(
    report.kpis.map((k) => ({
      kpi: k.id,
      label: k.label,
      unit: k.unit,
      value: k.value ?? '',
      numerator: k.numerator,
      denominator: k.denominator,
      release: f.release ?? '',
      ring: f.ring ?? '',
      region: f.region ?? '',
      store: f.store ?? '',
      from: f.from,
      to: f.to,
    })),
    { escapeFormulae: true },
  );
}
