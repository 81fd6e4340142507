/**
 * journal.append100k: 100,000 audit events appended through the real journal
 * (validation, RFC 8785, SHA-256 chain, insert; one transaction, WAL with
 * synchronous=FULL) into a fresh database. Baseline, same run: the same
 * journal committing one transaction per event (one fsync each), measured on
 * a sample and scaled to 100,000 (its cost per event is flat: an fsync).
 * The figure is the median of 5 runs after one uncounted warm-up run, whose
 * time is printed beside them.
 *
 * The WAL checkpoint is not inside the timed append: the console runs it on a
 * background thread after the commit (src/main/db/walCheckpointer.ts). Closing
 * the database waits for it; that wait is printed beside the figures.
 *
 * Run alone: npx node bench/journalAppend.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJournal, type Change } from '../src/main/audit/journal.ts';
import { openDatabase } from '../src/main/db/open.ts';
import { createLogger } from '../src/main/log.ts';
import { median, round, type Benchmark, type BenchResult } from './types.ts';

const EVENTS = 100_000;
// One warm-up run first (not counted): the process's first 100k batch pays for
// JIT compilation and heap growth (1.6–2.7 s of CPU here), which a console that
// has been running does not; then the median of the measured runs.
const WARMUP_RUNS = 1;
const RUNS = 5;
const BASELINE_SAMPLE = 3_000;
const TARGET_MS = 1500;
const TARGET_RATIO = 50;

function changes(count: number): Array<Change<'fleet.version.recorded', void>> {
  return Array.from({ length: count }, (_, n) => ({
    type: 'fleet.version.recorded',
    storeId: `s-${String(n % 1000).padStart(5, '0')}`,
    actor: { userId: 'u-tech-1', role: 'technician' },
    payload: {
      terminalId: `s-${String(n % 1000).padStart(5, '0')}-t${(n % 7) + 1}`,
      version: `5.${n % 12}.0`,
      releaseId: `r-${(n % 12) + 1}`,
      previousVersion: `5.${(n + 11) % 12}.0`,
      source: n % 3 === 0 ? 'scanned' : 'typed',
    },
    tables: [],
    apply: () => undefined,
  }));
}

// How long each db.close() took: it waits for the background WAL checkpoint.
const closeMs: number[] = [];

async function withJournal<T>(fn: (journal: ReturnType<typeof createJournal>) => T): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-journal-'));
  const db = await openDatabase(join(dir, 'console.sqlite'), {
    log: createLogger({ level: 'silent' }),
  });
  try {
    return fn(createJournal(db));
  } finally {
    const start = performance.now();
    db.close();
    closeMs.push(performance.now() - start);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runJournalAppend(): Promise<BenchResult> {
  const batch = changes(EVENTS);
  closeMs.length = 0;
  const runsMs: number[] = [];
  const cpuMs: number[] = [];
  for (let run = 0; run < WARMUP_RUNS + RUNS; run++) {
    runsMs.push(
      await withJournal((journal) => {
        const start = performance.now();
        const cpu = process.cpuUsage();
        journal.recordMany(batch);
        const ms = performance.now() - start;
        const used = process.cpuUsage(cpu);
        // CPU time says what the run costs when other processes compete for the cores.
        cpuMs.push((used.user + used.system) / 1000);
        if (journal.head().seq !== EVENTS) throw new Error('the journal did not take every event');
        return ms;
      }),
    );
  }
  const warmupMs = runsMs.splice(0, WARMUP_RUNS);
  const warmupCpuMs = cpuMs.splice(0, WARMUP_RUNS);
  const appendCloseMs = closeMs.splice(WARMUP_RUNS);
  const sample = changes(BASELINE_SAMPLE);
  const sampleMs = await withJournal((journal) => {
    const start = performance.now();
    for (const change of sample) journal.record(change);
    return performance.now() - start;
  });
  const value = round(median(runsMs));
  const baseline = round((sampleMs / BASELINE_SAMPLE) * EVENTS);
  const ratio = round(baseline / value);
  return {
    name: 'journal.append100k',
    value,
    unit: 'ms',
    baseline,
    ratio,
    target: `≤ ${TARGET_MS} ms and ≥ ${TARGET_RATIO}×`,
    isTargetMet: value <= TARGET_MS && ratio >= TARGET_RATIO,
    notes: `warm-up ${warmupMs.map((m) => round(m, 0)).join(', ')} ms wall / ${warmupCpuMs.map((m) => round(m, 0)).join(', ')} ms CPU (not counted), then median of ${RUNS} runs (${runsMs.map((m) => round(m, 0)).join(', ')} ms wall; ${cpuMs.map((m) => round(m, 0)).join(', ')} ms CPU; then close, waiting for the background checkpoint: ${appendCloseMs.map((m) => round(m, 0)).join(', ')} ms); baseline: ${BASELINE_SAMPLE} single-event transactions took ${round(sampleMs, 0)} ms, scaled to ${EVENTS}`,
  };
}

export const journalAppend: Benchmark = {
  name: 'journal.append100k',
  description: '100,000 events through journal.recordMany vs one transaction (fsync) per event',
  run: runJournalAppend,
};

if (import.meta.main) {
  const r = await runJournalAppend();
  process.stdout.write(
    `${r.name}: ${r.value} ${r.unit} · baseline ${r.baseline} ${r.unit} · ${r.ratio}× · ${r.notes}\n`,
  );
}
