/**
 * The checklist score, defined once: the run screen, each terminal's tab,
 * the run list and the printed report all show this number, so a run and
 * its terminals can never disagree.
 *
 * score = passed ÷ counted, where
 * - counted = passed + failed + blocked + waived;
 * - a waived item counts as NOT passed: the manager's waiver lets the run
 *   pass without the item, it does not make the item pass;
 * - not-applicable items and items not answered yet are left out.
 *
 * A run's score is the same rule over the items of all its terminals
 * together (the counts add up), never an average of percentages.
 */
import type { ItemStatus } from './status.ts';

export type ScoreBasis = {
  /** Items that passed. */
  passed: number;
  /** Items the score is over: passed, failed, blocked or waived. */
  counted: number;
};

export type Score = ScoreBasis & {
  /** Whole percent, rounded down so that 100 % means every counted item passed; null before any counts. */
  percent: number | null;
};

/** Whether an item of this status is in the score's denominator. */
function isCountedInScore(status: ItemStatus): boolean {
  return status === 'passed' || status === 'failed' || status === 'blocked' || status === 'waived';
}

export function scoreOf(statuses: Iterable<ItemStatus>): Score {
  let passed = 0;
  let counted = 0;
  for (const status of statuses) {
    if (!isCountedInScore(status)) continue;
    counted += 1;
    if (status === 'passed') passed += 1;
  }
  return combineScores([{ passed, counted }]);
}

/** Adds the counts of several terminals (or runs) and scores the total. */
export function combineScores(parts: Iterable<ScoreBasis>): Score {
  let passed = 0;
  let counted = 0;
  for (const part of parts) {
    passed += part.passed;
    counted += part.counted;
  }
  return { passed, counted, percent: counted === 0 ? null : Math.floor((100 * passed) / counted) };
}

/** "91 % (10 of 11)", or "—" before any item counts. */
export function scoreText(score: Score): string {
  return score.percent === null ? '—' : `${score.percent} % (${score.passed} of ${score.counted})`;
}
