import { describe, expect, it } from 'vitest';
import type { RunStatus } from '../checklists/status.ts';
import {
  computeVerdict,
  currentRunTerminals,
  type VerdictInput,
  type VerdictRun,
} from './verdict.ts';

const SMOKE = { templateId: 'smoke', templateName: 'Smoke test', terminalCount: 2 };
const UAT = { templateId: 'uat', templateName: 'UAT', terminalCount: 1 };

function run(
  runId: string,
  templateId: string,
  startedAt: string,
  terminals: Array<[string, RunStatus, string[]?]>,
): VerdictRun {
  return {
    runId,
    templateId,
    templateName: templateId === 'smoke' ? 'Smoke test' : 'UAT',
    startedAt,
    terminals: terminals.map(([id, status, failed]) => ({
      terminalId: id,
      terminalName: `Lane ${id.slice(1)}`,
      status,
      failedMandatory: (failed ?? []).map((itemId) => ({
        itemId,
        itemTitle: itemId.toUpperCase(),
      })),
    })),
  };
}

const T0 = '2026-03-10T09:00:00.000Z';
const T1 = '2026-03-11T09:00:00.000Z';

type Row = {
  name: string;
  input: VerdictInput;
  verdict: 'go' | 'no-go';
  met: Record<string, boolean>;
  reasons?: Record<string, string>;
};

const TABLE: Row[] = [
  {
    name: 'every criterion met',
    input: {
      requirements: [SMOKE],
      runs: [
        run('r1', 'smoke', T0, [
          ['t1', 'passed'],
          ['t2', 'passed'],
        ]),
      ],
      openBlockers: [],
    },
    verdict: 'go',
    met: { 'checklist_passed:smoke': true, no_failed_mandatory: true, no_open_blocker: true },
    reasons: { 'checklist_passed:smoke': 'Smoke test passed on 2 of the 2 required terminals.' },
  },
  {
    name: 'required checklist never run',
    input: { requirements: [SMOKE], runs: [], openBlockers: [] },
    verdict: 'no-go',
    met: { 'checklist_passed:smoke': false, no_failed_mandatory: true, no_open_blocker: true },
    reasons: {
      'checklist_passed:smoke': 'Smoke test has not been run yet: it must pass on 2 terminals.',
    },
  },
  {
    name: 'passed on too few terminals (one still in progress)',
    input: {
      requirements: [SMOKE],
      runs: [
        run('r1', 'smoke', T0, [
          ['t1', 'passed'],
          ['t2', 'in_progress'],
        ]),
      ],
      openBlockers: [],
    },
    verdict: 'no-go',
    met: { 'checklist_passed:smoke': false, no_failed_mandatory: true, no_open_blocker: true },
    reasons: { 'checklist_passed:smoke': 'Smoke test passed on 1 of the 2 required terminals.' },
  },
  {
    name: 'a blocked terminal does not count as passed',
    input: {
      requirements: [SMOKE],
      runs: [
        run('r1', 'smoke', T0, [
          ['t1', 'passed'],
          ['t2', 'blocked'],
        ]),
      ],
      openBlockers: [],
    },
    verdict: 'no-go',
    met: { 'checklist_passed:smoke': false, no_failed_mandatory: true, no_open_blocker: true },
  },
  {
    name: 'waived items count as passed',
    input: {
      requirements: [SMOKE],
      runs: [
        run('r1', 'smoke', T0, [
          ['t1', 'waived'],
          ['t2', 'passed'],
        ]),
      ],
      openBlockers: [],
    },
    verdict: 'go',
    met: { 'checklist_passed:smoke': true, no_failed_mandatory: true, no_open_blocker: true },
  },
  {
    name: 'a failed mandatory item left unwaived',
    input: {
      requirements: [SMOKE],
      runs: [
        run('r1', 'smoke', T0, [
          ['t1', 'passed'],
          ['t2', 'failed', ['refund']],
        ]),
      ],
      openBlockers: [],
    },
    verdict: 'no-go',
    met: { 'checklist_passed:smoke': false, no_failed_mandatory: false, no_open_blocker: true },
    reasons: { no_failed_mandatory: '1 mandatory item has failed and is not waived.' },
  },
  {
    name: 'failure in a superseded run no longer counts once a later run passes on that terminal',
    input: {
      requirements: [SMOKE],
      runs: [
        run('r1', 'smoke', T0, [
          ['t1', 'passed'],
          ['t2', 'failed', ['refund']],
        ]),
        run('r2', 'smoke', T1, [['t2', 'passed']]),
      ],
      openBlockers: [],
    },
    verdict: 'go',
    met: { 'checklist_passed:smoke': true, no_failed_mandatory: true, no_open_blocker: true },
  },
  {
    name: 'a later failing run replaces an earlier pass',
    input: {
      requirements: [SMOKE],
      runs: [
        run('r1', 'smoke', T0, [
          ['t1', 'passed'],
          ['t2', 'passed'],
        ]),
        run('r2', 'smoke', T1, [['t2', 'failed', ['eod']]]),
      ],
      openBlockers: [],
    },
    verdict: 'no-go',
    met: { 'checklist_passed:smoke': false, no_failed_mandatory: false, no_open_blocker: true },
  },
  {
    name: 'an open blocker bug report',
    input: {
      requirements: [SMOKE],
      runs: [
        run('r1', 'smoke', T0, [
          ['t1', 'passed'],
          ['t2', 'passed'],
        ]),
      ],
      openBlockers: [{ id: 'b1', title: 'Printer cuts receipts short', terminalName: 'Lane 2' }],
    },
    verdict: 'no-go',
    met: { 'checklist_passed:smoke': true, no_failed_mandatory: true, no_open_blocker: false },
    reasons: { no_open_blocker: '1 blocker bug report is open for this release at this store.' },
  },
  {
    name: 'two requirements: UAT missing',
    input: {
      requirements: [SMOKE, UAT],
      runs: [
        run('r1', 'smoke', T0, [
          ['t1', 'passed'],
          ['t2', 'passed'],
        ]),
      ],
      openBlockers: [],
    },
    verdict: 'no-go',
    met: {
      'checklist_passed:smoke': true,
      'checklist_passed:uat': false,
      no_failed_mandatory: true,
      no_open_blocker: true,
    },
  },
  {
    name: 'a release without requirements needs only the other criteria',
    input: { requirements: [], runs: [], openBlockers: [] },
    verdict: 'go',
    met: { no_failed_mandatory: true, no_open_blocker: true },
  },
  {
    name: 'more terminals passed than required is fine',
    input: {
      requirements: [UAT],
      runs: [
        run('r1', 'uat', T0, [
          ['t1', 'passed'],
          ['t2', 'passed'],
          ['t3', 'passed'],
        ]),
      ],
      openBlockers: [],
    },
    verdict: 'go',
    met: { 'checklist_passed:uat': true, no_failed_mandatory: true, no_open_blocker: true },
    reasons: { 'checklist_passed:uat': 'UAT passed on 3 of the 1 required terminal.' },
  },
];

describe('computeVerdict', () => {
  it.each(TABLE)('$name → $verdict', ({ input, verdict, met, reasons }) => {
    const result = computeVerdict(input);
    expect(result.verdict).toBe(verdict);
    expect(Object.fromEntries(result.criteria.map((c) => [c.id, c.isMet]))).toEqual(met);
    for (const [id, reason] of Object.entries(reasons ?? {}))
      expect(result.criteria.find((c) => c.id === id)!.reason).toBe(reason);
    // Every unmet criterion explains itself.
    for (const c of result.criteria) if (!c.isMet) expect(c.reason.length).toBeGreaterThan(10);
  });

  it('lists which terminals and items are behind an unmet criterion', () => {
    const result = computeVerdict({
      requirements: [SMOKE],
      runs: [
        run('r1', 'smoke', T0, [
          ['t1', 'in_progress'],
          ['t2', 'failed', ['refund', 'eod']],
        ]),
      ],
      openBlockers: [{ id: 'b', title: 'Refund crashes', terminalName: 'Lane 2' }],
    });
    expect(result.criteria.map((c) => c.details)).toEqual([
      ['Lane 1: in progress', 'Lane 2: failed'],
      ['Smoke test, Lane 2: REFUND', 'Smoke test, Lane 2: EOD'],
      ['Refund crashes (Lane 2)'],
    ]);
  });

  it('picks the latest run per template and terminal, ties broken by run id', () => {
    const current = currentRunTerminals([
      run('b', 'smoke', T0, [['t1', 'failed']]),
      run('a', 'smoke', T0, [['t1', 'passed']]),
      run('c', 'uat', T0, [['t1', 'passed']]),
    ]);
    expect(current.map((c) => [c.templateId, c.runId])).toEqual([
      ['smoke', 'b'],
      ['uat', 'c'],
    ]);
  });
});
