/**
 * fleet.summary50k and fleet.matrix50k: the release summary (terminals per
 * release) and the full store × release matrix over 50,000 terminals, read
 * through the real repository functions: the summary from the maintained
 * `terminal_current` projection, the matrix from the maintained
 * `store_release_counts` (one row per store, release, region and ring, kept
 * by triggers on `terminal_current`).
 *
 * Baseline, same run: no maintained table; the current release of each
 * terminal is derived from a history of 1,000,000 install events (20 per
 * terminal, the last one being the terminal's current release), with the
 * index a careful engineer would add (terminal_id, seq): latest event per
 * terminal, then the same GROUP BY.
 *
 * Run alone: npx node bench/fleet.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../src/main/db/open.ts';
import { getFleetMatrix, getReleaseSummary } from '../src/main/fleet/repository.ts';
import { seedSyntheticFleet } from '../src/main/fleet/seed.ts';
import { createLogger } from '../src/main/log.ts';
import { median, percentile, round, type Benchmark, type BenchResult } from './types.ts';

const STORES = 1_000; // the same fleet shape as web.fleetReady50k
const TERMINALS_PER_STORE = 50;
const RELEASES = 12;
const HISTORY_PER_TERMINAL = 20; // 50,000 × 20 = 1,000,000 install events
const SUMMARY_RUNS = 300;
const MATRIX_RUNS = 40;
const BASELINE_RUNS = 3;

type Fixture = { db: Db; dir: string; terminals: number; historyRows: number };

let fixture: Promise<Fixture> | null = null;

/** One 50,000-terminal database with its 1,000,000-event history, shared by both fleet benchmarks. */
function fleetFixture(): Promise<Fixture> {
  fixture ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-fleet-'));
    const db = await openDatabase(join(dir, 'console.sqlite'), {
      log: createLogger({ level: 'silent' }),
    });
    const seeded = seedSyntheticFleet(db, {
      stores: STORES,
      terminalsPerStore: TERMINALS_PER_STORE,
      releases: RELEASES,
      seed: 42,
    });
    // The naive design's only table: every install ever observed, in order.
    db.sqlite.exec(`
      CREATE TABLE bench_install_events (
        seq INTEGER PRIMARY KEY,
        terminal_id TEXT NOT NULL,
        store_id TEXT NOT NULL,
        release_id TEXT,
        at TEXT NOT NULL
      ) STRICT;
      WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < ${HISTORY_PER_TERMINAL})
      INSERT INTO bench_install_events (terminal_id, store_id, release_id, at)
      SELECT t.id, t.store_id,
             CASE WHEN k.n = ${HISTORY_PER_TERMINAL} THEN c.release_id
                  ELSE 'r-' || (1 + abs(random()) % ${RELEASES}) END,
             strftime('%Y-%m-%dT%H:%M:%fZ', '2026-01-01', '+' || (k.n * 7) || ' days')
      FROM k CROSS JOIN terminals t JOIN terminal_current c ON c.terminal_id = t.id
      ORDER BY k.n, t.id;
      CREATE INDEX bench_install_events_by_terminal ON bench_install_events (terminal_id, seq);
      ANALYZE;
    `);
    const historyRows = db.sqlite
      .prepare('SELECT count(*) FROM bench_install_events')
      .pluck()
      .get() as number;
    return { db, dir, terminals: seeded.terminals, historyRows };
  })();
  return fixture;
}

export async function closeFleetFixture(): Promise<void> {
  if (fixture === null) return;
  const { db, dir } = await fixture;
  db.close();
  rmSync(dir, { recursive: true, force: true });
  fixture = null;
}

/** The textbook derivation: number each terminal's installs newest first, keep the first. */
const LATEST = `WITH latest AS (
    SELECT terminal_id, store_id, release_id FROM (
      SELECT terminal_id, store_id, release_id,
             row_number() OVER (PARTITION BY terminal_id ORDER BY seq DESC) AS rn
      FROM bench_install_events
    ) WHERE rn = 1
  )`;

/** A tuned derivation (max(seq) per terminal over the index), reported beside the baseline for transparency. */
const LATEST_TUNED = `WITH latest AS (
    SELECT e.terminal_id, e.store_id, e.release_id
    FROM bench_install_events e
    JOIN (SELECT terminal_id, max(seq) AS seq FROM bench_install_events GROUP BY terminal_id) m ON m.seq = e.seq
  )`;

function naiveSummary(db: Db, latest = LATEST): Array<{ releaseId: string | null; count: number }> {
  const rows = db.sqlite
    .prepare(`${latest} SELECT release_id, count(*) AS n FROM latest GROUP BY release_id`)
    .all() as Array<{
    release_id: string | null;
    n: number;
  }>;
  return rows.map((r) => ({ releaseId: r.release_id, count: r.n }));
}

function naiveMatrix(
  db: Db,
  latest = LATEST,
): Array<{ storeId: string; releaseId: string | null; count: number; driftCount: number }> {
  const rows = db.sqlite
    .prepare(
      `${latest}
       SELECT l.store_id, l.release_id, count(*) AS n,
              sum(CASE WHEN l.release_id IS t.release_id THEN 0 ELSE 1 END) AS d
       FROM latest l JOIN stores s ON s.id = l.store_id JOIN ring_targets t ON t.ring = s.ring
       GROUP BY l.store_id, l.release_id`,
    )
    .all() as Array<{ store_id: string; release_id: string | null; n: number; d: number }>;
  return rows.map((r) => ({
    storeId: r.store_id,
    releaseId: r.release_id,
    count: r.n,
    driftCount: r.d,
  }));
}

/** CPU milliseconds per call of `fn` over `runs` calls: what a call costs when other processes compete for the cores. */
function cpuPerCall(fn: () => unknown, runs: number): number {
  const start = process.cpuUsage();
  for (let i = 0; i < runs; i++) fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / runs;
}

function time<T>(fn: () => T): { ms: number; value: T } {
  const start = performance.now();
  const value = fn();
  return { ms: performance.now() - start, value };
}

function sameCounts(
  a: Array<{ releaseId: string | null; count: number }>,
  b: Array<{ releaseId: string | null; count: number }>,
): boolean {
  const key = (r: { releaseId: string | null; count: number }) => `${r.releaseId}:${r.count}`;
  return JSON.stringify(a.map(key).sort()) === JSON.stringify(b.map(key).sort());
}

async function runFleetSummary(): Promise<BenchResult> {
  const { db, terminals, historyRows } = await fleetFixture();
  // Both sides must give the same answer, or the comparison means nothing.
  if (
    !sameCounts(getReleaseSummary(db), naiveSummary(db)) ||
    !sameCounts(getReleaseSummary(db), naiveSummary(db, LATEST_TUNED))
  ) {
    throw new Error('the naive summary disagrees with the maintained table');
  }
  for (let i = 0; i < 20; i++) getReleaseSummary(db); // warm the statement cache and pages
  const runs = Array.from({ length: SUMMARY_RUNS }, () => time(() => getReleaseSummary(db)).ms);
  const cpu = cpuPerCall(() => getReleaseSummary(db), SUMMARY_RUNS);
  const baselineRuns = Array.from({ length: BASELINE_RUNS }, () => time(() => naiveSummary(db)).ms);
  const tuned = median(
    Array.from({ length: BASELINE_RUNS }, () => time(() => naiveSummary(db, LATEST_TUNED)).ms),
  );
  const value = round(percentile(runs, 95), 2);
  const baseline = round(percentile(baselineRuns, 95), 1);
  const ratio = round(baseline / value);
  return {
    name: 'fleet.summary50k',
    value,
    unit: 'ms',
    baseline,
    ratio,
    target: '≤ 10 ms p95 and ≥ 100×',
    isTargetMet: value <= 10 && ratio >= 100,
    notes: `p95 of ${SUMMARY_RUNS} calls over ${terminals} terminals (median ${round(median(runs), 2)} ms, CPU ${round(cpu, 2)} ms per call); baseline (row_number per terminal) p95 of ${BASELINE_RUNS} over ${historyRows} install events; a tuned max(seq) derivation takes ${round(tuned, 0)} ms (${round(tuned / value)}×)`,
  };
}

async function runFleetMatrix(): Promise<BenchResult> {
  const { db, terminals, historyRows } = await fleetFixture();
  const real = getFleetMatrix(db, {});
  const naive = naiveMatrix(db);
  if (naiveMatrix(db, LATEST_TUNED).length !== naive.length)
    throw new Error('the two naive matrices disagree');
  // Every cell (counts and drift) must agree, or the comparison means nothing.
  const cellKey = (c: {
    storeId: string;
    releaseId: string | null;
    count: number;
    driftCount: number;
  }) => `${c.storeId}:${c.releaseId}:${c.count}:${c.driftCount}`;
  if (
    JSON.stringify(real.cells.map(cellKey).sort()) !== JSON.stringify(naive.map(cellKey).sort())
  ) {
    throw new Error('the naive matrix disagrees with the maintained table');
  }
  for (let i = 0; i < 5; i++) getFleetMatrix(db, {});
  const runs = Array.from({ length: MATRIX_RUNS }, () => time(() => getFleetMatrix(db, {})).ms);
  const cpu = cpuPerCall(() => getFleetMatrix(db, {}), MATRIX_RUNS);
  const baselineRuns = Array.from({ length: BASELINE_RUNS }, () => time(() => naiveMatrix(db)).ms);
  const tuned = median(
    Array.from({ length: BASELINE_RUNS }, () => time(() => naiveMatrix(db, LATEST_TUNED)).ms),
  );
  const value = round(median(runs), 2);
  const baseline = round(median(baselineRuns), 1);
  const ratio = round(baseline / value);
  return {
    name: 'fleet.matrix50k',
    value,
    unit: 'ms',
    baseline,
    ratio,
    target: '≤ 60 ms and ≥ 100×',
    isTargetMet: value <= 60 && ratio >= 100,
    notes: `median of ${MATRIX_RUNS} full matrices (${real.stores.length} stores × ${real.releases.length} releases, ${real.cells.length} cells, ${terminals} terminals, read from store_release_counts; p95 ${round(percentile(runs, 95), 2)} ms, CPU ${round(cpu, 2)} ms per matrix); baseline (row_number per terminal) median of ${BASELINE_RUNS} over ${historyRows} install events; a tuned max(seq) derivation takes ${round(tuned, 0)} ms (${round(tuned / value)}×)`,
  };
}

export const fleetSummary: Benchmark = {
  name: 'fleet.summary50k',
  description:
    'terminals per release from terminal_current vs derived from 1,000,000 install events',
  run: runFleetSummary,
};

export const fleetMatrix: Benchmark = {
  name: 'fleet.matrix50k',
  description:
    'store × release matrix from the maintained store_release_counts vs derived from 1,000,000 install events',
  run: runFleetMatrix,
};

if (import.meta.main) {
  try {
    for (const r of [await runFleetSummary(), await runFleetMatrix()]) {
      process.stdout.write(
        `${r.name}: ${r.value} ${r.unit} · baseline ${r.baseline} ${r.unit} · ${r.ratio}× · ${r.notes}\n`,
      );
    }
  } finally {
    await closeFleetFixture();
  }
}
