/**
 * The benchmark interface. Each benchmark is a module exporting a `Benchmark`
 * (listed in bench/run.ts); `run()` measures the real path and a naive
 * baseline in the same run and returns both. The runner prints a table and,
 * with `--json FILE`, writes `BenchRecord`s.
 */

/** What `npm run bench -- --json FILE` writes, one per benchmark. */
export type BenchRecord = {
  name: string;
  value: number;
  unit: string;
  /** The naive baseline's figure, in the same unit, measured in the same run. */
  baseline: number;
  /** How many times better the real path is than the baseline (baseline / value for times). */
  ratio: number;
};

export type BenchResult = BenchRecord & {
  /** Human statement of the target, e.g. "≤ 1500 ms and ≥ 50×". */
  target: string;
  isTargetMet: boolean;
  /** How value and baseline were measured (runs, percentile, extrapolation). */
  notes: string;
};

export type Benchmark = {
  name: string;
  /** One line: what the real path and the baseline are. */
  description: string;
  run(): Promise<BenchResult>;
};

/** Rounds for display and JSON: 0.1 ms resolution is as much as these timings carry. */
export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}
