import { describe, expect, it } from 'vitest';
import { EMPTY_SUMS, type KpiSums } from './definitions.ts';
import { healthVerdict } from './verdict.ts';

const none = { blocker: 0, major: 0, minor: 0 };
const sums = (s: Partial<KpiSums>): KpiSums => ({ ...EMPTY_SUMS, days: 1, ...s });

describe('release health verdict', () => {
  it('is healthy with no warning signal', () => {
    expect(
      healthVerdict({
        current: sums({ deploymentsFinished: 5, deploymentsCompleted: 5 }),
        previous: null,
        openBugs: none,
      }),
    ).toMatchObject({ verdict: 'healthy', rule: 'no_warning_signal' });
  });
  it('asks to act on an open blocker before anything else', () => {
    expect(
      healthVerdict({ current: sums({}), previous: null, openBugs: { ...none, blocker: 1 } }).rule,
    ).toBe('open_blocker_bug');
  });
  it('asks to act at a 30 % change failure rate over 3 changes, watches below 3 changes', () => {
    const bad = sums({ deploymentsFinished: 3, deploymentsRolledBack: 1 }); // 1 ÷ 3
    expect(healthVerdict({ current: bad, previous: null, openBugs: none })).toMatchObject({
      verdict: 'act',
      rule: 'change_failure_rate_high',
    });
    const few = sums({ deploymentsFinished: 2, deploymentsRolledBack: 1 });
    expect(healthVerdict({ current: few, previous: null, openBugs: none })).toMatchObject({
      verdict: 'watch',
      rule: 'failure_recorded',
    });
  });
  it('watches a release doing worse than the previous one at the same point', () => {
    const current = sums({ deploymentsFinished: 10, deploymentsRolledBack: 2 }); // 0.2
    const previous = sums({ deploymentsFinished: 10, deploymentsRolledBack: 0 });
    expect(healthVerdict({ current, previous, openBugs: none }).rule).toBe(
      'failure_rate_worse_than_previous',
    );
    const ftp = sums({ itemsFirst: 10, itemsFirstPassed: 7 });
    const ftpBefore = sums({ itemsFirst: 10, itemsFirstPassed: 9 });
    expect(healthVerdict({ current: ftp, previous: ftpBefore, openBugs: none })).toMatchObject({
      verdict: 'watch',
      rule: 'first_time_pass_rate_worse_than_previous',
    });
  });
  it('watches an open major bug', () => {
    expect(
      healthVerdict({ current: sums({}), previous: null, openBugs: { ...none, major: 2 } }).rule,
    ).toBe('open_major_bug');
  });
});
