/**
 * What the diff panel shows of a line diff: every added and removed line
 * with a few unchanged lines around it, and each longer unchanged stretch
 * folded into one "N unchanged lines" row, so a one-line change in a
 * 300-line runbook is one screen, not six.
 */
import type { DiffLine } from '#shared/revisions/revisions.ts';

export type DiffRow =
  | { kind: 'line'; op: DiffLine['op']; text: string; key: number }
  | { kind: 'skip'; count: number; key: number };

export function diffRows(diff: readonly DiffLine[], context = 3): DiffRow[] {
  const isNear = diff.map(() => false);
  diff.forEach((line, i) => {
    if (line.op === ' ') return;
    for (let j = Math.max(0, i - context); j <= Math.min(diff.length - 1, i + context); j++)
      isNear[j] = true;
  });
  const rows: DiffRow[] = [];
  let skipped = 0;
  diff.forEach((line, i) => {
    if (isNear[i]) {
      if (skipped > 0) rows.push({ kind: 'skip', count: skipped, key: i - 1 });
      skipped = 0;
      rows.push({ kind: 'line', op: line.op, text: line.text, key: i });
    } else skipped++;
  });
  if (skipped > 0) rows.push({ kind: 'skip', count: skipped, key: diff.length });
  return rows;
}
