/**
 * Status, score and completion of a checklist run, computed from the template,
 * the latest answer per item and the waivers: pure, so the console, the
 * printed report and the tests agree.
 *
 * Rules:
 * - an item is visible unless its `showWhen` names an earlier answer it did not get;
 *   hidden items are neither counted nor answerable;
 * - a failed mandatory item fails the terminal's run, a blocked one blocks it,
 *   unless a manager waived it (with a reason);
 * - failed optional items lower the score (score.ts) but do not fail the run;
 * - a terminal passes when every visible mandatory item passed, is n/a or waived;
 *   "waived" when at least one waiver was needed to get there.
 */
import { assertNever } from '../errors.ts';
import { answerKey, type Answer, type Outcome } from './answers.ts';
import { scoreOf, type Score } from './score.ts';
import { templateItems, type ChecklistTemplate } from './template.ts';

export const RUN_STATUSES = [
  'not_started',
  'in_progress',
  'passed',
  'failed',
  'blocked',
  'waived',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const ITEM_STATUSES = [
  'not_started',
  'passed',
  'failed',
  'na',
  'blocked',
  'waived',
] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export type ItemAnswer = { answer: Answer; outcome: Outcome };

export type ItemEvaluation = {
  itemId: string;
  sectionId: string;
  isMandatory: boolean;
  isVisible: boolean;
  status: ItemStatus;
};

export type Progress = {
  /** Passed out of counted items (score.ts says how waived and not-applicable items count). */
  score: Score;
  /** Whole percent of visible items that have an answer or a waiver (rounded down: 100 means done). */
  completion: number;
  counts: Record<ItemStatus, number> & { visible: number };
};

export type TerminalEvaluation = Progress & { status: RunStatus; items: ItemEvaluation[] };

function outcomeStatus(outcome: Outcome): ItemStatus {
  switch (outcome) {
    case 'pass':
      return 'passed';
    case 'fail':
      return 'failed';
    case 'na':
      return 'na';
    case 'blocked':
      return 'blocked';
    default:
      return assertNever(outcome, 'outcome');
  }
}

/** Which items are visible given the answers so far (a hidden item's own answer does not count). */
function visibleItemIds(
  template: Pick<ChecklistTemplate, 'sections'>,
  answers: ReadonlyMap<string, ItemAnswer>,
): Set<string> {
  const visible = new Set<string>();
  for (const item of templateItems(template)) {
    if (!item.showWhen) {
      visible.add(item.id);
      continue;
    }
    const earlier = answers.get(item.showWhen.itemId);
    if (
      visible.has(item.showWhen.itemId) &&
      earlier &&
      item.showWhen.answers.includes(answerKey(earlier.answer, earlier.outcome))
    ) {
      visible.add(item.id);
    }
  }
  return visible;
}

export function evaluateTerminal(
  template: Pick<ChecklistTemplate, 'sections'>,
  answers: ReadonlyMap<string, ItemAnswer>,
  waivedItemIds: ReadonlySet<string>,
): TerminalEvaluation {
  const visible = visibleItemIds(template, answers);
  const items: ItemEvaluation[] = templateItems(template).map((item) => {
    const isVisible = visible.has(item.id);
    const given = answers.get(item.id);
    let status: ItemStatus = 'not_started';
    if (isVisible && waivedItemIds.has(item.id)) status = 'waived';
    else if (isVisible && given) status = outcomeStatus(given.outcome);
    return {
      itemId: item.id,
      sectionId: item.sectionId,
      isMandatory: item.isMandatory,
      isVisible,
      status,
    };
  });
  const shown = items.filter((i) => i.isVisible);
  const progress = progressOf(shown);
  return { ...progress, status: terminalStatus(shown), items };
}

function terminalStatus(shown: ItemEvaluation[]): RunStatus {
  if (shown.every((i) => i.status === 'not_started')) return 'not_started';
  const mandatory = shown.filter((i) => i.isMandatory);
  if (mandatory.some((i) => i.status === 'failed')) return 'failed';
  if (mandatory.some((i) => i.status === 'blocked')) return 'blocked';
  if (mandatory.some((i) => i.status === 'not_started')) return 'in_progress';
  return mandatory.some((i) => i.status === 'waived') ? 'waived' : 'passed';
}

export function progressOf(shown: ReadonlyArray<Pick<ItemEvaluation, 'status'>>): Progress {
  const counts = {
    not_started: 0,
    passed: 0,
    failed: 0,
    na: 0,
    blocked: 0,
    waived: 0,
    visible: shown.length,
  };
  for (const i of shown) counts[i.status] += 1;
  return {
    score: scoreOf(shown.map((i) => i.status)),
    completion:
      shown.length === 0
        ? 100
        : Math.floor((100 * (shown.length - counts.not_started)) / shown.length),
    counts,
  };
}

/** A run over several terminals: the worst terminal decides (failed > blocked > in progress > waived > passed). */
export function combineRunStatus(statuses: readonly RunStatus[]): RunStatus {
  if (statuses.length === 0) return 'not_started';
  if (statuses.includes('failed')) return 'failed';
  if (statuses.includes('blocked')) return 'blocked';
  if (statuses.every((s) => s === 'not_started')) return 'not_started';
  if (statuses.some((s) => s === 'in_progress' || s === 'not_started')) return 'in_progress';
  return statuses.includes('waived') ? 'waived' : 'passed';
}

/** Passed for the go / no-go: passed outright, or passed with manager waivers. */
export function isPassingStatus(status: RunStatus): boolean {
  return status === 'passed' || status === 'waived';
}
