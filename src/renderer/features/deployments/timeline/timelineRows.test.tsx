import { describe, expect, it } from 'vitest';
import {
  applyAll,
  planDeployment,
  type DeploymentAction,
  type DeploymentState,
} from '#shared/deployments/stateMachine.ts';
import {
  clock,
  FROM,
  fixturePlan,
  IN_RING,
  MAYA,
  OPEN,
  TARGET,
  TESS,
} from '#shared/deployments/testSupport.ts';
import { deploymentMetrics, deploymentTimeline } from '#shared/deployments/timeline.ts';
import { actionVerb, metricTiles, rollbackCount, stepActors, stepOutcome } from './timelineRows.ts';
import { DEPLOYMENT_ACTION_TYPES } from '#shared/deployments/stateMachine.ts';

function walk(actions: DeploymentAction[]): DeploymentState {
  const result = applyAll(planDeployment(fixturePlan('canary_first')), actions);
  if (!result.ok) throw new Error(result.refusal.message);
  return result.state;
}

/** Canary first: Maya waits 25 min to claim the intervention, the canary's smoke test fails, Tess rolls back. */
function failedCanary(): DeploymentAction[] {
  const at = clock();
  return [
    at(TESS, {
      type: 'start',
      strategy: 'canary_first',
      canaryTerminalId: 't1',
      window: OPEN,
      ring: IN_RING,
    }),
    at(MAYA, { type: 'claim_intervention' }, 25),
    at(MAYA, { type: 'proceed_intervention', notes: 'Lane closed' }, 5),
    at(TESS, { type: 'complete_step' }),
    at(TESS, { type: 'record_version', terminalId: 't1', version: TARGET }),
    at(TESS, { type: 'complete_step' }),
    at(TESS, { type: 'record_smoke_result', runId: 'run-1', isPassed: false }),
    at(TESS, { type: 'roll_back', reason: 'Card payments fail' }),
    at(TESS, { type: 'complete_step' }),
    at(TESS, { type: 'record_version', terminalId: 't1', version: FROM }),
    at(TESS, { type: 'complete_step' }),
  ];
}

describe('timeline rows', () => {
  it('each step says how it ended, with the reason someone gave', () => {
    const timeline = deploymentTimeline(walk(failedCanary()));
    expect(timeline.map((s) => [s.stepId, stepOutcome(s).kind])).toEqual([
      ['confirm-closed', 'done'],
      ['install', 'done'],
      ['capture', 'done'],
      ['smoke', 'rolled_back'],
      ['rb-reinstall', 'done'],
      ['rb-capture', 'done'],
    ]);
    // The smoke step keeps both: why it was rolled back and that the smoke test failed first.
    expect(stepOutcome(timeline[3]!)).toEqual({
      kind: 'rolled_back',
      reason: 'Card payments fail',
      failuresBefore: ['Smoke test failed'],
    });
    expect(stepActors(timeline[0]!)).toEqual(['u-maya']);
  });

  it('a failed step still waiting for a decision shows failed with its reason; after a retry that succeeds it is done but remembers the failure', () => {
    const at = clock();
    const upToInstall = [
      at(TESS, {
        type: 'start',
        strategy: 'canary_first',
        canaryTerminalId: 't1',
        window: OPEN,
        ring: IN_RING,
      }),
      at(MAYA, { type: 'claim_intervention' }),
      at(MAYA, { type: 'proceed_intervention', notes: '' }),
      at(TESS, { type: 'fail_step', reason: 'USB key not readable' }),
    ];
    const failed = deploymentTimeline(walk(upToInstall));
    expect(failed.at(-1)!.stepId).toBe('install');
    expect(stepOutcome(failed.at(-1)!)).toEqual({
      kind: 'failed',
      reason: 'USB key not readable',
      failuresBefore: [],
    });

    const retried = deploymentTimeline(
      walk([...upToInstall, at(TESS, { type: 'retry_step' }), at(TESS, { type: 'complete_step' })]),
    );
    const install = retried.find((s) => s.stepId === 'install')!;
    expect(stepOutcome(install)).toEqual({
      kind: 'done',
      reason: null,
      failuresBefore: ['USB key not readable'],
    });
    expect(stepOutcome(retried.at(-1)!).kind).toBe('in_progress');
  });

  it('a skipped optional step and an aborted deployment say so with the reason', () => {
    const at = clock();
    const actions = [
      at(TESS, {
        type: 'start',
        strategy: 'all_at_once',
        canaryTerminalId: null,
        window: OPEN,
        ring: IN_RING,
      }),
      at(MAYA, { type: 'skip_step', reason: 'Staff already told', changeRequestId: null }),
    ];
    const plan = fixturePlan('canary_first');
    // An all-at-once runbook with an optional first step, so the manager may skip it without a change request.
    plan.runbook = {
      ...plan.runbook,
      strategies: ['all_at_once'],
      steps: [{ ...plan.runbook.steps[4]! }, ...plan.runbook.steps.slice(1, 3)],
    };
    const skipped = applyAll(planDeployment(plan), actions);
    if (!skipped.ok) throw new Error(skipped.refusal.message);
    expect(stepOutcome(deploymentTimeline(skipped.state)[0]!)).toMatchObject({
      kind: 'skipped',
      reason: 'Staff already told',
    });

    const aborted = applyAll(skipped.state, [
      at(TESS, { type: 'abort', isConfirmed: true, reason: 'Store lost power' }),
    ]);
    if (!aborted.ok) throw new Error(aborted.refusal.message);
    expect(stepOutcome(deploymentTimeline(aborted.state).at(-1)!)).toMatchObject({
      kind: 'aborted',
      reason: 'Store lost power',
    });
  });

  it('every action has words (a new action type fails here until it has them)', () => {
    for (const action of DEPLOYMENT_ACTION_TYPES) expect(actionVerb(action)).not.toBe('');
  });
});

describe('metrics strip', () => {
  it('says the time to deploy with manual waiting, the waiting, the outcome and the rollbacks', () => {
    const state = walk(failedCanary());
    const tiles = metricTiles(deploymentMetrics(state), rollbackCount(state.history), null);
    expect(tiles.map((t) => [t.key, t.value, t.hint])).toEqual([
      ['time_to_deploy', '1 h 50 min', 'From the start to the end, manual waiting included'],
      ['manual_waiting', '30 min 00 s', 'of which 25 min 00 s before someone claimed it'],
      ['outcome', 'Rolled back', '1 step failure'],
      ['rollbacks', '1', 'Walked the rollback runbook'],
      ['terminals', '0 updated', 'None excluded'],
    ]);
  });

  it('a deployment still going shows the time so far and no outcome', () => {
    const state = walk(failedCanary().slice(0, 4));
    const tiles = metricTiles(deploymentMetrics(state), rollbackCount(state.history), 40 * 60_000);
    expect(tiles.find((t) => t.key === 'time_to_deploy')!.value).toBe('40 min 00 s so far');
    expect(tiles.find((t) => t.key === 'outcome')!.value).toBe('Not finished');
    expect(tiles.find((t) => t.key === 'rollbacks')!.value).toBe('0');
  });
});
