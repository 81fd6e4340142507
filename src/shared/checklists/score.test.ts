import { describe, expect, it } from 'vitest';
import { combineScores, scoreOf, scoreText } from './score.ts';
import type { ItemStatus } from './status.ts';

const times = (status: ItemStatus, n: number): ItemStatus[] => Array<ItemStatus>(n).fill(status);

describe('checklist score', () => {
  it('a waived failure counts as not passed, so a terminal with one never shows 100 %', () => {
    const lane1 = scoreOf([...times('passed', 10), 'waived']);
    expect(lane1).toEqual({ passed: 10, counted: 11, percent: 90 });
  });

  it('not-applicable and unanswered items are left out', () => {
    expect(scoreOf(['passed', 'na', 'na', 'not_started', 'failed'])).toEqual({
      passed: 1,
      counted: 2,
      percent: 50,
    });
    expect(scoreOf(['na', 'not_started']).percent).toBeNull();
  });

  it('a run scores the items of all its terminals together, so it lies between its terminals', () => {
    const lane1 = scoreOf([...times('passed', 10), 'waived']);
    const lane2 = scoreOf([...times('passed', 10), 'failed']);
    const lane3 = scoreOf(times('passed', 12));
    const run = combineScores([lane1, lane2, lane3]);
    expect(run).toEqual({ passed: 32, counted: 34, percent: 94 });
    expect(run.passed).toBe(lane1.passed + lane2.passed + lane3.passed);
  });

  it('100 % only when every counted item passed (rounded down)', () => {
    expect(scoreOf([...times('passed', 199), 'failed']).percent).toBe(99);
  });

  it('is shown with its counts', () => {
    expect(scoreText(scoreOf([...times('passed', 10), 'failed']))).toBe('90 % (10 of 11)');
    expect(scoreText(scoreOf([]))).toBe('—');
  });
});
