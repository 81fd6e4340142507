import { describe, expect, it } from 'vitest';
import { judgeDecisionGate, type GateDecisionRow } from './decisionGate.ts';
import { actionOfEvent, eventOfAction } from './events.ts';
import { runbookRuleProblems, type RunbookStep } from './runbook.ts';
import { applyAll, planDeployment, type DeploymentPlan } from './stateMachine.ts';
import { clock, fixturePlan, IN_RING, OPEN, TESS } from './testSupport.ts';

const CONTEXT = { releaseVersion: '4.4.0', storeName: 'Paris Rivoli' };
const row = (id: string, decision: GateDecisionRow['decision'], signedAt: string) => ({
  id,
  decision,
  signedBy: 'u-maya',
  signedAt,
});

describe('the go gate', () => {
  it('waits with a reason while no decision exists, and while the latest one is no-go', () => {
    expect(judgeDecisionGate([], CONTEXT)).toMatchObject({ isOpen: false, code: 'no_decision' });
    const rows = [
      row('d1', 'go', '2026-12-01T10:00:00.000Z'),
      row('d2', 'no-go', '2026-12-02T10:00:00.000Z'),
    ];
    const gate = judgeDecisionGate(rows, CONTEXT);
    expect(gate).toMatchObject({ isOpen: false, code: 'latest_is_no_go' });
    expect(gate.isOpen || gate.message).toMatch(/latest decision on 4\.4\.0 at Paris Rivoli/);
  });

  it('opens on the latest decision when it is a go or a go with conditions, whatever order the rows come in', () => {
    const rows = [
      row('d3', 'go-with-conditions', '2026-12-03T10:00:00.000Z'),
      row('d1', 'no-go', '2026-12-01T10:00:00.000Z'),
    ];
    expect(judgeDecisionGate(rows, CONTEXT)).toMatchObject({ isOpen: true, decisionId: 'd3' });
    expect(judgeDecisionGate([...rows].reverse(), CONTEXT)).toMatchObject({ decisionId: 'd3' });
  });
});

const GATED: RunbookStep[] = [
  { kind: 'instruction', id: 'install', title: 'Install', instructions: '', mandatory: true },
  { kind: 'decision', id: 'store-go', title: "Manager's go", instructions: '', mandatory: true },
  { kind: 'version_capture', id: 'capture', title: 'Capture', instructions: '', mandatory: true },
];

function gatedPlan(): DeploymentPlan {
  const plan = fixturePlan('all_at_once');
  return { ...plan, runbook: { ...plan.runbook, steps: GATED } };
}

describe('a decision step in the state machine', () => {
  const at = clock();
  const started = applyAll(planDeployment(gatedPlan()), [
    at(TESS, {
      type: 'start',
      strategy: 'all_at_once',
      canaryTerminalId: null,
      window: OPEN,
      ring: IN_RING,
    }),
    at(TESS, { type: 'complete_step' }),
  ]);
  if (!started.ok) throw new Error(started.refusal.code);

  it('refuses to complete without the go decision that opens it', () => {
    const next = applyAll(started.state, [at(TESS, { type: 'complete_step' })]);
    expect(next).toMatchObject({ ok: false, refusal: { code: 'decision_required' } });
  });

  it('completes with a decision id, and the journaled event replays the same action', () => {
    const action = at(TESS, { type: 'complete_step', decisionId: 'dec-1' });
    const next = applyAll(started.state, [action]);
    expect(next.ok && next.state.stepIndex).toBe(2);
    const event = eventOfAction('dep-1', action);
    expect(event.payload).toEqual({ deploymentId: 'dep-1', decisionId: 'dec-1' });
    expect(
      actionOfEvent({
        ...event,
        at: new Date(action.at).toISOString(),
        actor: TESS,
        storeId: 'st-par-01',
      }),
    ).toEqual(action);
  });

  it('refuses a decision id on any other step', () => {
    const atInstall = applyAll(planDeployment(gatedPlan()), [
      at(TESS, {
        type: 'start',
        strategy: 'all_at_once',
        canaryTerminalId: null,
        window: OPEN,
        ring: IN_RING,
      }),
      at(TESS, { type: 'complete_step', decisionId: 'dec-1' }),
    ]);
    expect(atInstall).toMatchObject({ ok: false, refusal: { code: 'wrong_step' } });
  });

  it('is not allowed in a rollback runbook: a rollback is never held up', () => {
    const plan = gatedPlan();
    expect(
      runbookRuleProblems({
        strategies: ['all_at_once'],
        steps: plan.runbook.steps,
        rollbackSteps: [...plan.runbook.rollbackSteps, GATED[1]!],
      }),
    ).toContain(
      'the rollback runbook cannot wait for a go decision: a rollback must never be held up',
    );
  });
});
