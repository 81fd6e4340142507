/**
 * `kpis.1m.postgres` (ms, p95 of a whole KPI report, so of its slowest KPI
 * too): every KPI over 1,000,000 central-log events on durable PostgreSQL
 * (5,000 stores in 10 regions, 20 releases, 90 days), for the filters a desk
 * uses (none, a release, a region, a ring, a store, a release in a region;
 * 90 and 30 days). The real path reads the maintained aggregates
 * (src/server/kpis), which the benchmark fills with the same code the push
 * and the rebuild use (aggregateKpis over the log, page by page). The naive
 * baseline recomputes the event-derived sums from the log for each report
 * (a scan of the period's entries, JSON parsed). Finished deployments are
 * seeded as their facts (30,000), read the same way by both.
 */
import { sql, type Kysely } from 'kysely';
import { openServerDb } from '../src/server/db/open.ts';
import type { ServerSchema } from '../src/server/db/schema.ts';
import type { DeskPrincipal } from '../src/server/desk/queries.ts';
import { aggregateKpis, type KpiEntry } from '../src/server/kpis/aggregate.ts';
import { kpiReportOf, kpiSums } from '../src/server/kpis/queries.ts';
import { startTestPostgres } from '../src/server/testing/postgres.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeKpis, EMPTY_SUMS, type KpiSums } from '../src/shared/kpis/definitions.ts';
import { percentile, round, type Benchmark, type BenchResult } from './types.ts';

const EVENTS = 1_000_000;
const STORES = 5_000;
const RELEASES = 20;
const RUNS = 50_000;
const ROUNDS = 15;
const BASELINE_ROUNDS = 2;

const DESK: DeskPrincipal = {
  kind: 'desk',
  deskId: 'bench',
  scope: { kind: 'all' },
  role: 'release',
  tokenHash: '',
};

async function seed(db: Kysely<ServerSchema>): Promise<void> {
  await sql`INSERT INTO stores (id, data)
    SELECT 'S-' || lpad(s::text, 4, '0'), json_build_object('id', 'S-' || lpad(s::text, 4, '0'), 'name', 'Store ' || s,
      'region', 'R' || (s % 10), 'ring', (ARRAY['lab','pilot','early','general'])[1 + s % 4], 'timezone', 'UTC')::text
    FROM generate_series(0, ${STORES - 1}) s`.execute(db);
  await sql`INSERT INTO rm_terminals (terminal_id, store_id, release_id, version, since, last_seen)
    SELECT 'T-' || t, 'S-' || lpad((t % ${STORES})::text, 4, '0'), 'rel-' || (t % ${RELEASES}), '1.' || (t % ${RELEASES}) || '.0', NULL, NULL
    FROM generate_series(0, 49999) t`.execute(db);
  await sql`INSERT INTO rm_checklist_runs (id, template_id, template_version, template_data, release_id, store_id, terminal_ids,
      is_paused, started_by, started_role, started_at, updated_at, event_id)
    SELECT 'run-' || r, 'tpl', 1, '{}', 'rel-' || (r % ${RELEASES}), 'S-' || lpad((r % ${STORES})::text, 4, '0'), '[]', 0, 'u', 'technician',
      '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 'e-' || r
    FROM generate_series(0, ${RUNS - 1}) r`.execute(db);
  await sql`INSERT INTO rm_kpi_deployments (deployment_id, store_id, release_id, day, outcome, time_to_deploy_ms, intervention_ms, restore_ms)
    SELECT 'dep-' || d, 'S-' || lpad((d % ${STORES})::text, 4, '0'), 'rel-' || (d % ${RELEASES}),
      to_char(date '2026-01-01' + (d % 90), 'YYYY-MM-DD'),
      CASE WHEN d % 10 = 0 THEN 'rolled_back' WHEN d % 25 = 1 THEN 'aborted' ELSE 'completed' END,
      3600000, (d % 60) * 60000, CASE WHEN d % 10 = 0 THEN 1800000 END
    FROM generate_series(0, 29999) d`.execute(db);
  // The log: decisions 5 %, bug reports 2 %, checklist results 63 %, sign-ins (not counted) the rest.
  await sql`INSERT INTO log_entries (idx, device_id, seq, store_id, at, type, hash, body)
    SELECT i, 'dev-' || (i % 10000), i, 'S-' || lpad((i % ${STORES})::text, 4, '0'), at, type, md5(i::text),
      CASE type
        WHEN 'decision.recorded' THEN json_build_object('id', 'e' || i, 'at', at, 'payload',
          json_build_object('releaseId', 'rel-' || (i % ${RELEASES}), 'decision', CASE WHEN i % 7 = 0 THEN 'no-go' ELSE 'go' END))
        WHEN 'feedback.bug_report.drafted' THEN json_build_object('id', 'e' || i, 'at', at, 'payload',
          json_build_object('releaseId', 'rel-' || (i % ${RELEASES}), 'severity', 'major'))
        WHEN 'checklist.result.recorded' THEN json_build_object('id', 'e' || i, 'at', at, 'payload',
          json_build_object('runId', 'run-' || (i % ${RUNS}), 'terminalId', 'T-' || (i % 3), 'itemId', 'item-' || (i % 11),
            'outcome', CASE WHEN i % 9 = 0 THEN 'fail' ELSE 'pass' END))
        ELSE json_build_object('id', 'e' || i, 'at', at, 'payload', json_build_object('userId', 'u'))
      END::text
    FROM (SELECT i,
        to_char(timestamp '2026-01-01' + (i % 90) * interval '1 day' + (i % 86400) * interval '1 second',
          'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at,
        CASE WHEN i % 20 = 0 THEN 'decision.recorded' WHEN i % 50 = 1 THEN 'feedback.bug_report.drafted'
          WHEN i % 10 < 7 THEN 'checklist.result.recorded' ELSE 'session.signed_in' END AS type
      FROM generate_series(0, ${EVENTS - 1}) i) s`.execute(db);
}

/** The maintained aggregates, filled by the code the push and the rebuild run, page by page. */
async function aggregate(db: Kysely<ServerSchema>): Promise<void> {
  let after = -1;
  for (;;) {
    const page = await db
      .selectFrom('log_entries')
      .select(['idx', 'type', 'store_id', 'body'])
      .where('idx', '>', after)
      .orderBy('idx')
      .limit(20_000)
      .execute();
    if (page.length === 0) return;
    after = Number(page[page.length - 1]!.idx);
    await db.transaction().execute((trx) => aggregateKpis(trx, page as KpiEntry[]));
  }
}

type Filter = {
  release?: string;
  region?: string;
  ring?: string;
  store?: string;
  from: string;
  to: string;
};

const FILTERS: Filter[] = [
  { from: '2026-01-01', to: '2026-03-31' },
  { release: 'rel-7', from: '2026-01-01', to: '2026-03-31' },
  { region: 'R3', from: '2026-01-01', to: '2026-03-31' },
  { ring: 'pilot', from: '2026-03-01', to: '2026-03-30' },
  { store: 'S-0042', from: '2026-01-01', to: '2026-03-31' },
  { release: 'rel-3', region: 'R5', from: '2026-03-01', to: '2026-03-30' },
];

/** The naive path: the event-derived sums recomputed from the log for this report. */
async function fromLog(db: Kysely<ServerSchema>, f: Filter): Promise<KpiSums> {
  const stores = await db.selectFrom('stores').select(['id', 'data']).execute();
  const inScope = new Set(
    stores
      .filter((s) => {
        const d = JSON.parse(s.data) as { region: string; ring: string };
        return (
          (f.store === undefined || s.id === f.store) &&
          (f.region === undefined || d.region === f.region) &&
          (f.ring === undefined || d.ring === f.ring)
        );
      })
      .map((s) => s.id),
  );
  const runs = new Map(
    (await db.selectFrom('rm_checklist_runs').select(['id', 'release_id']).execute()).map((r) => [
      r.id,
      r.release_id,
    ]),
  );
  const rows = await db
    .selectFrom('log_entries')
    .select(['type', 'store_id', 'at', 'body'])
    .where('type', 'in', [
      'decision.recorded',
      'feedback.bug_report.drafted',
      'checklist.result.recorded',
    ])
    // "First result of an item" is decided in log order over the whole log, so every result is read.
    .orderBy('idx')
    .execute();
  const sums: KpiSums = { ...EMPTY_SUMS };
  const firsts = new Set<string>();
  for (const r of rows) {
    const p = (JSON.parse(r.body) as { payload: Record<string, string> }).payload;
    const key = `${p['runId']}|${p['terminalId']}|${p['itemId']}`;
    const isFirst = r.type === 'checklist.result.recorded' && !firsts.has(key);
    if (isFirst) firsts.add(key);
    const day = r.at.slice(0, 10);
    if (day < f.from || day > f.to || !inScope.has(r.store_id)) continue;
    const release = r.type === 'checklist.result.recorded' ? runs.get(p['runId']!) : p['releaseId'];
    if (f.release !== undefined && release !== f.release) continue;
    if (r.type === 'decision.recorded') {
      if (p['decision'] === 'no-go') sums.decisionsNoGo++;
      else sums.decisionsGo++;
    } else if (r.type === 'feedback.bug_report.drafted') sums.bugs++;
    else {
      sums.results++;
      if (p['outcome'] === 'pass') sums.resultsPassed++;
      if (isFirst) {
        sums.itemsFirst++;
        if (p['outcome'] === 'pass') sums.itemsFirstPassed++;
      }
    }
  }
  // Deployment facts and (store, release) pairs: the same reads as the real path.
  const rest = await kpiSums(db, {
    stores: f.store || f.region || f.ring ? [...inScope] : null,
    releaseId: f.release ?? null,
    from: f.from,
    to: f.to,
  });
  return {
    ...rest,
    decisionsGo: sums.decisionsGo,
    decisionsNoGo: sums.decisionsNoGo,
    bugs: sums.bugs,
    results: sums.results,
    resultsPassed: sums.resultsPassed,
    itemsFirst: sums.itemsFirst,
    itemsFirstPassed: sums.itemsFirstPassed,
  };
}

export const kpis1mPostgres: Benchmark = {
  name: 'kpis.1m.postgres',
  description:
    'every KPI over 1,000,000 log events on PostgreSQL from maintained aggregates vs recomputed from the log',
  async run(): Promise<BenchResult> {
    const pg = await startTestPostgres({ durable: true });
    const dir = mkdtempSync(join(tmpdir(), 'dearpos-bench-kpis-'));
    const store = await openServerDb({ dataDir: dir, databaseUrl: await pg.createDatabase() });
    try {
      const { db } = store;
      const seeded = performance.now();
      await seed(db);
      const aggregated = performance.now();
      await aggregate(db);
      const aggregateMs = performance.now() - aggregated;
      await sql`ANALYZE`.execute(db);
      const seedMs = aggregated - seeded;
      const now = new Date('2026-04-01T00:00:00Z');
      const samples: number[] = [];
      const check: string[] = [];
      for (let round = 0; round < ROUNDS; round++)
        for (const f of FILTERS) {
          const started = performance.now();
          const report = await kpiReportOf(db, DESK, f, now);
          samples.push(performance.now() - started);
          if (round === 0) check.push(JSON.stringify(report.kpis));
        }
      const baseline: number[] = [];
      for (let round = 0; round < BASELINE_ROUNDS; round++)
        for (const [i, f] of FILTERS.entries()) {
          const started = performance.now();
          const sums = await fromLog(db, f);
          const kpis = computeKpis({
            ...sums,
            days: Math.round((Date.parse(f.to) - Date.parse(f.from)) / 86_400_000) + 1,
          });
          baseline.push(performance.now() - started);
          // Both paths must give the same KPIs, or the comparison means nothing.
          if (round === 0 && JSON.stringify(kpis) !== check[i])
            throw new Error(`filter ${JSON.stringify(f)}: the aggregates and the log disagree`);
        }
      const value = round(percentile(samples, 95));
      const base = round(percentile(baseline, 95));
      return {
        name: 'kpis.1m.postgres',
        value,
        unit: 'ms',
        baseline: base,
        ratio: round(base / value),
        target: '≤ 200 ms',
        isTargetMet: value <= 200,
        notes: `${FILTERS.length} filters × ${ROUNDS} rounds (baseline × ${BASELINE_ROUNDS}); seeding ${Math.round(seedMs / 1000)} s, aggregates built from the 1,000,000-entry log by aggregateKpis in ${Math.round(aggregateMs / 1000)} s; both paths give identical KPIs`,
      };
    } finally {
      await store.close();
      pg.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
