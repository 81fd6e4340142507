import { describe, expect, it } from 'vitest';
import { computeVerdict } from '../decisions/verdict.ts';
import { DECISIONS, signableDecisions, signingProblems } from '../decisions/signing.ts';
import { EVENT_TYPES } from '../audit/eventTypes.ts';
import {
  catalogReleaseRisk,
  decisionRisks,
  openRisksOf,
  type CatalogReleaseRisk,
} from './risks.ts';

const risk = (id: string, over: Partial<CatalogReleaseRisk> = {}): CatalogReleaseRisk => ({
  id,
  releaseId: 'rel-1',
  title: `Risk ${id}`,
  likelihood: 'low',
  impact: 'low',
  owner: 'Payments team',
  mitigation: 'Tested in the lab.',
  contingency: 'Roll back.',
  rollbackStepId: null,
  status: 'open',
  ...over,
});

const EMPTY = { requirements: [], runs: [], openBlockers: [] };

describe('the go / no-go risk criterion', () => {
  it('is absent without a register or without open risks, so older verdicts are unchanged', () => {
    expect(computeVerdict(EMPTY).criteria.map((c) => c.id)).toEqual([
      'no_failed_mandatory',
      'no_open_blocker',
    ]);
    const none = computeVerdict({ ...EMPTY, risks: { open: [], acknowledgedIds: [] } });
    expect(none.criteria.map((c) => c.id)).not.toContain('risks_acknowledged');
    expect(none.verdict).toBe('go');
  });

  it('is unmet, and the verdict no-go, until every open risk is acknowledged', () => {
    const open = [
      { id: 'a', title: 'Card reader' },
      { id: 'b', title: 'Printer' },
    ];
    const some = computeVerdict({ ...EMPTY, risks: { open, acknowledgedIds: ['a', 'zzz'] } });
    expect(some.verdict).toBe('no-go');
    expect(some.criteria.at(-1)).toEqual({
      id: 'risks_acknowledged',
      kind: 'risks_acknowledged',
      isMet: false,
      reason: 'Open risks not acknowledged yet: 1 of 2.',
      reasonWords: { code: 'risks_not_acknowledged', params: { missing: 1, count: 2 } },
      details: ['Printer'],
    });
    const all = computeVerdict({ ...EMPTY, risks: { open, acknowledgedIds: ['b', 'a'] } });
    expect(all.verdict).toBe('go');
    expect(all.criteria.at(-1)).toMatchObject({
      isMet: true,
      reason: 'Every open risk of this release is acknowledged (2).',
    });
  });

  it('reviews open risks of the release only, worst first (likelihood × impact, then id)', () => {
    const risks = [
      risk('low'),
      risk('closed', { likelihood: 'high', impact: 'high', status: 'closed' }),
      risk('other-release', { releaseId: 'rel-2', likelihood: 'high', impact: 'high' }),
      risk('b-high', { likelihood: 'high', impact: 'medium' }),
      risk('a-high', { likelihood: 'medium', impact: 'high' }),
    ];
    expect(openRisksOf(risks, 'rel-1').map((r) => r.id)).toEqual(['a-high', 'b-high', 'low']);
  });
});

describe('signing over open risks', () => {
  const signer = { userId: 'u-maya', role: 'manager' as const, storeIds: [] };
  const base = {
    signer,
    storeId: 's',
    conditions: [],
    verdict: 'no-go' as const,
    deployerUserIds: [],
  };

  it('refuses every decision, no-go included, while a risk is not acknowledged', () => {
    for (const decision of DECISIONS) {
      const problems = signingProblems({
        ...base,
        decision,
        conditions: decision === 'go-with-conditions' ? ['Watch the close'] : [],
        unacknowledgedRisks: 2,
      });
      expect(problems.map((p) => p.code)).toContain('risks_not_acknowledged');
    }
    expect(
      signingProblems({ ...base, decision: 'no-go', unacknowledgedRisks: 0 }).map((p) => p.code),
    ).toEqual([]);
    expect(signableDecisions({ ...base, unacknowledgedRisks: 1 })['no-go'][0]).toEqual({
      code: 'risks_not_acknowledged',
      message: 'Acknowledge each open risk of this release before signing: 1 not acknowledged yet.',
      params: { missing: '1' },
    });
  });
});

describe('risk formats', () => {
  it('a risk names its owner: missing or blank is refused at the owner field', () => {
    const { owner: _owner, ...withoutOwner } = risk('a');
    for (const bad of [withoutOwner, { ...risk('a'), owner: '  ' }]) {
      const parsed = catalogReleaseRisk.safeParse(bad);
      expect(parsed.success).toBe(false);
      if (!parsed.success) expect(parsed.error.issues.map((i) => i.path)).toEqual([['owner']]);
    }
  });

  it('a decision event carrying an open risk it did not acknowledge is not a valid payload', () => {
    const open = [{ id: 'a', title: 'Card reader', likelihood: 'low', impact: 'high', owner: 'P' }];
    expect(decisionRisks.safeParse({ open, acknowledged: ['a'] }).success).toBe(true);
    expect(decisionRisks.safeParse({ open, acknowledged: [] }).success).toBe(false);
    const spec = EVENT_TYPES['decision.recorded'].payload;
    const shape = spec.safeParse({ risks: { open, acknowledged: [] } });
    expect(shape.success).toBe(false);
    if (!shape.success)
      expect(shape.error.issues.some((i) => i.path.join('.') === 'risks.acknowledged')).toBe(true);
  });
});
