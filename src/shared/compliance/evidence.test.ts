import { describe, expect, it } from 'vitest';
import type { ChecklistTemplate } from '../checklists/template.ts';
import { computeVerdict } from '../decisions/verdict.ts';
import {
  checksMissingFromEvidence,
  emptyEvidence,
  evidenceRuns,
  foldEvidence,
  type EvidenceEvent,
} from './evidence.ts';
import type { ComplianceRequirement } from './rules.ts';

const RELEASE = 'rel-4.4.0';
const TEMPLATE: ChecklistTemplate = {
  id: 'tpl-fiscal',
  name: 'Fiscal printer certification',
  kind: 'uat',
  version: 1,
  description: '',
  sections: [
    {
      id: 's',
      title: 'Fiscal printer',
      items: [
        {
          id: 'footer',
          title: 'Certified footer',
          instructions: '',
          isMandatory: true,
          answer: { type: 'passFail' },
        },
        {
          id: 'note',
          title: 'Remarks',
          instructions: '',
          isMandatory: false,
          answer: { type: 'passFail' },
        },
      ],
    },
  ],
};
const REQUIREMENT: ComplianceRequirement = {
  ruleId: 'fr-nf525',
  ruleName: 'NF525',
  checks: [
    { kind: 'checklist', templateId: 'tpl-fiscal', templateName: 'Fiscal', terminalCount: 2 },
  ],
};

function started(
  runId: string,
  terminalIds: string[],
  at: string,
  releaseId = RELEASE,
): EvidenceEvent {
  return {
    type: 'checklist.run.started',
    at,
    payload: { runId, releaseId, terminalIds, template: TEMPLATE },
  };
}
function answered(
  runId: string,
  terminalId: string,
  outcome: 'pass' | 'fail',
  itemId = 'footer',
): EvidenceEvent {
  return {
    type: 'checklist.result.recorded',
    at: '2026-12-01T10:00:00.000Z',
    payload: {
      runId,
      terminalId,
      itemId,
      answer: { type: 'passFail', value: outcome },
      outcome,
      note: null,
      evidence: [],
    },
  };
}
function waived(runId: string, terminalId: string): EvidenceEvent {
  return {
    type: 'checklist.item.waived',
    at: '2026-12-01T10:00:00.000Z',
    payload: { runId, terminalId, itemId: 'footer', reason: 'printer swapped, certified on paper' },
  };
}

function fold(events: EvidenceEvent[]) {
  const evidence = emptyEvidence();
  for (const e of events) foldEvidence(evidence, e);
  return evidence;
}

describe("compliance evidence folded from a store's checklist events", () => {
  it('backs a check only when the current run passed on its terminal count', () => {
    expect(checksMissingFromEvidence(REQUIREMENT, fold([]), RELEASE)).toHaveLength(1);
    const one = fold([
      started('r1', ['t1', 't2'], '2026-12-01T09:00:00.000Z'),
      answered('r1', 't1', 'pass'),
    ]);
    expect(checksMissingFromEvidence(REQUIREMENT, one, RELEASE)).toHaveLength(1);
    const both = fold([
      started('r1', ['t1', 't2'], '2026-12-01T09:00:00.000Z'),
      answered('r1', 't1', 'pass'),
      answered('r1', 't2', 'pass'),
    ]);
    expect(checksMissingFromEvidence(REQUIREMENT, both, RELEASE)).toEqual([]);
    // Another release's runs are no evidence for this one.
    expect(checksMissingFromEvidence(REQUIREMENT, both, 'rel-5.0.0')).toHaveLength(1);
  });

  it('takes the latest answer, counts a waiver, and drops the waiver when a new answer comes', () => {
    const base = [
      started('r1', ['t1', 't2'], '2026-12-01T09:00:00.000Z'),
      answered('r1', 't1', 'pass'),
    ];
    const failed = fold([...base, answered('r1', 't2', 'fail')]);
    expect(checksMissingFromEvidence(REQUIREMENT, failed, RELEASE)).toHaveLength(1);
    const fixed = fold([...base, answered('r1', 't2', 'fail'), answered('r1', 't2', 'pass')]);
    expect(checksMissingFromEvidence(REQUIREMENT, fixed, RELEASE)).toEqual([]);
    const waivedRun = fold([...base, answered('r1', 't2', 'fail'), waived('r1', 't2')]);
    expect(evidenceRuns(waivedRun, RELEASE)[0]!.terminals[1]!.status).toBe('waived');
    expect(checksMissingFromEvidence(REQUIREMENT, waivedRun, RELEASE)).toEqual([]);
    const reFailed = fold([
      ...base,
      answered('r1', 't2', 'fail'),
      waived('r1', 't2'),
      answered('r1', 't2', 'fail'),
    ]);
    expect(checksMissingFromEvidence(REQUIREMENT, reFailed, RELEASE)).toHaveLength(1);
  });

  it('judges only the current run per terminal: a later failing re-run undoes an earlier pass', () => {
    const rerun = fold([
      started('r1', ['t1', 't2'], '2026-12-01T09:00:00.000Z'),
      answered('r1', 't1', 'pass'),
      answered('r1', 't2', 'pass'),
      started('r2', ['t2'], '2026-12-01T11:00:00.000Z'),
      answered('r2', 't2', 'fail'),
    ]);
    expect(checksMissingFromEvidence(REQUIREMENT, rerun, RELEASE)).toHaveLength(1);
  });

  it("agrees with the console's go / no-go criterion on the same runs", () => {
    const evidence = fold([
      started('r1', ['t1', 't2'], '2026-12-01T09:00:00.000Z'),
      answered('r1', 't1', 'pass'),
      answered('r1', 't2', 'pass'),
    ]);
    const verdict = computeVerdict({
      requirements: [],
      runs: evidenceRuns(evidence, RELEASE),
      openBlockers: [],
      compliance: [REQUIREMENT],
    });
    expect(verdict.criteria.find((c) => c.id === 'compliance:fr-nf525')?.isMet).toBe(true);
  });
});
