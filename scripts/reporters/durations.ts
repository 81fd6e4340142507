/**
 * Where the test reporters leave each test file's wall time, so `npm test`
 * can print the ten slowest files of the whole run at its end
 * (scripts/test.mjs). One JSON file per runner: {files: {file: milliseconds}, counts}.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

export const DURATIONS_DIR = join(import.meta.dirname, '../../test-output/durations');

export type TestCounts = { passed: number; failed: number; skipped: number };

export function writeDurations(
  runner: 'vitest' | 'playwright',
  byFile: Map<string, number>,
  counts: TestCounts,
): void {
  const root = join(import.meta.dirname, '../..');
  const files: Record<string, number> = {};
  for (const [file, ms] of byFile) files[relative(root, file)] = Math.round(ms);
  const out = { files, counts };
  const target = join(DURATIONS_DIR, `${runner}.json`);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, JSON.stringify(out, null, 1));
}
