/**
 * Small pure helpers the checklist screens share: colours and words for
 * statuses, and the live judgement of a measured number while it is typed.
 * The back end judges again when the answer is recorded (the same rule, in
 * src/shared/checklists/answers.ts); this copy only avoids shipping zod to
 * the renderer for a comparison.
 */
import type { AnswerSpec } from '#shared/checklists/template.ts';
import type { ItemStatus, RunStatus } from '#shared/checklists/status.ts';
import type { ChecklistRunSummary } from '#shared/checklists/types.ts';
import { assertNever } from '#shared/errors.ts';
import type { Score } from '#shared/checklists/score.ts';
import { t } from '#renderer/i18n/index.ts';

type NumberSpec = Extract<AnswerSpec, { type: 'number' }>;

export type NumberJudgement =
  | { kind: 'empty' }
  | { kind: 'notWhole' }
  | { kind: 'outOfRange'; min: number; max: number }
  | { kind: 'pass' }
  | { kind: 'fail' };

export function judgeNumber(spec: NumberSpec, raw: string | number): NumberJudgement {
  if (raw === '' || raw === '-') return { kind: 'empty' };
  const value = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isFinite(value)) return { kind: 'empty' };
  if (!Number.isInteger(value)) return { kind: 'notWhole' };
  if (value < spec.min || value > spec.max)
    return { kind: 'outOfRange', min: spec.min, max: spec.max };
  const isMet =
    spec.threshold.op === '<=' ? value <= spec.threshold.value : value >= spec.threshold.value;
  return { kind: isMet ? 'pass' : 'fail' };
}

/** "≤ 2000 ms" */
export function thresholdText(spec: NumberSpec): string {
  return `${spec.threshold.op === '<=' ? '≤' : '≥'} ${spec.threshold.value} ${spec.unit}`;
}

export function runStatusColor(status: RunStatus): string {
  switch (status) {
    case 'not_started':
      return 'gray';
    case 'in_progress':
      return 'blue';
    case 'passed':
      return 'teal';
    case 'failed':
      return 'red';
    case 'blocked':
      return 'orange';
    case 'waived':
      return 'yellow';
    default:
      return assertNever(status, 'run status');
  }
}

export function itemStatusColor(status: ItemStatus): string {
  switch (status) {
    case 'not_started':
      return 'gray';
    case 'passed':
      return 'teal';
    case 'failed':
      return 'red';
    case 'na':
      return 'gray';
    case 'blocked':
      return 'orange';
    case 'waived':
      return 'yellow';
    default:
      return assertNever(status, 'item status');
  }
}

/** Items a manager may waive: not passed and not already waived. */
export function isWaivable(status: ItemStatus): boolean {
  return status === 'failed' || status === 'blocked' || status === 'not_started';
}

/** "83 % (5 of 6)" in the console's language; a dash when nothing counts yet. */
export function scoreText(score: Score): string {
  return score.percent === null
    ? t('common:dash')
    : t('domain:score', { percent: score.percent, passed: score.passed, counted: score.counted });
}

/** How the score counts, in words for the UI and the printed report. */
export function scoreRuleText(): string {
  return t('domain:scoreRule');
}

/**
 * The keyboard shortcut on a focused checklist item (issue 4, acceptance 5):
 * Enter passes, F fails, N marks not applicable. Only pass/fail items take them.
 */
export function shortcutAnswer(key: string): 'pass' | 'fail' | 'na' | null {
  switch (key) {
    case 'Enter':
      return 'pass';
    case 'f':
    case 'F':
      return 'fail';
    case 'n':
    case 'N':
      return 'na';
    default:
      return null;
  }
}

/**
 * Runs whose every terminal was run again later with the same checklist: the
 * verdict counts only the newest run per checklist and terminal, so these no
 * longer count. `runs` is newest first, as listRuns returns it.
 */
export function supersededRunIds(
  runs: readonly Pick<ChecklistRunSummary, 'id' | 'templateId' | 'startedAt' | 'terminals'>[],
): Set<string> {
  const result = new Set<string>();
  const ordered = [...runs].sort((a, b) =>
    a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : a.id < b.id ? 1 : -1,
  );
  const covered = new Set<string>();
  for (const run of ordered) {
    const keys = run.terminals.map((t) => `${run.templateId}\u0000${t.id}`);
    if (keys.length > 0 && keys.every((k) => covered.has(k))) result.add(run.id);
    for (const k of keys) covered.add(k);
  }
  return result;
}

/**
 * The item focus moves to after `answeredId` is answered: the next item
 * still visible in the terminal's new state (in template order), which is
 * the follow-up the answer revealed when there is one; null after the last.
 */
export function nextItemId(
  items: ReadonlyArray<{ itemId: string; isVisible: boolean }>,
  answeredId: string,
): string | null {
  const at = items.findIndex((i) => i.itemId === answeredId);
  if (at < 0) return null;
  return items.slice(at + 1).find((i) => i.isVisible)?.itemId ?? null;
}
