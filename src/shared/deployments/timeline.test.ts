import { describe, expect, it } from 'vitest';
import {
  eventOfAction,
  foldDeploymentEvents,
  plannedEvent,
  type DeploymentEvent,
} from './events.ts';
import { applyAll, planDeployment, type DeploymentAction } from './stateMachine.ts';
import { clock, FROM, fixturePlan, IN_RING, MAYA, OPEN, T0, TARGET, TESS } from './testSupport.ts';
import { deploymentMetrics, deploymentTimeline } from './timeline.ts';

const MIN = 60_000;

/** The canary-first fixture: the canary fails its smoke test and is rolled back. Actions 10 minutes apart unless said. */
function failedCanary(): DeploymentAction[] {
  const at = clock();
  return [
    at(TESS, {
      type: 'start',
      strategy: 'canary_first',
      canaryTerminalId: 't1',
      window: OPEN,
      ring: IN_RING,
    }), // T0+10
    at(MAYA, { type: 'claim_intervention' }, 25), // +35: waited 25 min for a claim
    at(MAYA, { type: 'proceed_intervention', notes: 'Lane closed' }, 5), // +40
    at(TESS, { type: 'complete_step' }), // +50 install done
    at(TESS, { type: 'record_version', terminalId: 't1', version: TARGET }), // +60
    at(TESS, { type: 'complete_step' }), // +70 capture done
    at(TESS, { type: 'record_smoke_result', runId: 'run-1', isPassed: false }), // +80
    at(TESS, { type: 'roll_back', reason: 'Card payments fail' }), // +90
    at(TESS, { type: 'complete_step' }), // +100
    at(TESS, { type: 'record_version', terminalId: 't1', version: FROM }), // +110
    at(TESS, { type: 'complete_step' }), // +120 rolled back
  ];
}

describe('deployment timeline and metrics', () => {
  it('shows every step, who did it, when, and how long, with the wait at the intervention', () => {
    const result = applyAll(planDeployment(fixturePlan('canary_first')), failedCanary());
    if (!result.ok) throw new Error(result.refusal.message);
    const timeline = deploymentTimeline(result.state);
    expect(
      timeline.map((s) => [
        s.phase,
        s.stepId,
        (s.startedAt - T0) / MIN,
        s.durationMs === null ? null : s.durationMs / MIN,
      ]),
    ).toEqual([
      ['forward', 'confirm-closed', 10, 30],
      ['forward', 'install', 40, 10],
      ['forward', 'capture', 50, 20],
      ['forward', 'smoke', 70, 20],
      ['rollback', 'rb-reinstall', 90, 10],
      ['rollback', 'rb-capture', 100, 20],
    ]);
    expect(timeline[0]!.waitedForClaimMs).toBe(25 * MIN);
    expect(timeline[0]!.entries.map((e) => [e.action, e.actor.userId])).toEqual([
      ['claim_intervention', 'u-maya'],
      ['proceed_intervention', 'u-maya'],
    ]);
    expect(timeline[3]!.entries.map((e) => [e.action, e.status])).toEqual([
      ['record_smoke_result', 'failed'],
      ['roll_back', 'in_progress'],
    ]);
  });

  it('metrics come from the journal alone: time to deploy with manual waiting, failure, rollback', () => {
    const plan = fixturePlan('canary_first');
    const actions = failedCanary();
    const planned = plannedEvent(plan);
    const journal: DeploymentEvent[] = [
      {
        type: planned.type,
        storeId: plan.storeId,
        at: new Date(T0).toISOString(),
        actor: TESS,
        payload: planned.payload,
      },
      ...actions.map((a) => ({
        ...eventOfAction(plan.deploymentId, a),
        storeId: plan.storeId,
        at: new Date(a.at).toISOString(),
        actor: a.actor,
      })),
    ];
    expect(deploymentMetrics(foldDeploymentEvents(journal))).toEqual({
      outcome: 'rolled_back',
      timeToDeployMs: 110 * MIN,
      interventionMs: 30 * MIN,
      waitingForClaimMs: 25 * MIN,
      failedSteps: 1,
      isRolledBack: true,
      terminalsUpdated: 0,
      terminalsExcluded: 0,
    });
  });

  it('a deployment in progress shows the step it waits at, open-ended, and no time to deploy yet', () => {
    const result = applyAll(
      planDeployment(fixturePlan('canary_first')),
      failedCanary().slice(0, 4),
    );
    if (!result.ok) throw new Error(result.refusal.message);
    const timeline = deploymentTimeline(result.state);
    expect(timeline.at(-1)).toMatchObject({
      stepId: 'capture',
      startedAt: T0 + 50 * MIN,
      endedAt: null,
      durationMs: null,
      entries: [],
    });
    expect(deploymentMetrics(result.state)).toMatchObject({ outcome: null, timeToDeployMs: null });
  });
});
