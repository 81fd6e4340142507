import { describe, expect, it } from 'vitest';
import { eventOfAction, plannedEvent } from './events.ts';
import { metricsFromJournal, type JournalEventLike } from './metrics.ts';
import type { DeploymentAction, DeploymentPlan } from './stateMachine.ts';
import { clock, FROM, fixturePlan, IN_RING, MAYA, OPEN, T0, TARGET, TESS } from './testSupport.ts';

const MIN = 60_000;

function journalOf(
  plan: DeploymentPlan,
  plannedAt: number,
  actions: readonly DeploymentAction[],
): JournalEventLike[] {
  const planned = plannedEvent(plan);
  return [
    {
      type: planned.type,
      storeId: plan.storeId,
      at: new Date(plannedAt).toISOString(),
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
}

/** Canary first on lane 1: 25 minutes before anyone claims the intervention, the smoke test fails, rolled back. */
function rolledBack(): JournalEventLike[] {
  const at = clock();
  return journalOf(fixturePlan('canary_first'), T0, [
    at(TESS, {
      type: 'start',
      strategy: 'canary_first',
      canaryTerminalId: 't1',
      window: OPEN,
      ring: IN_RING,
    }), // +10
    at(MAYA, { type: 'claim_intervention' }, 25), // +35
    at(MAYA, { type: 'proceed_intervention', notes: 'Lane closed' }, 5), // +40
    at(TESS, { type: 'complete_step' }), // +50
    at(TESS, { type: 'record_version', terminalId: 't1', version: TARGET }), // +60
    at(TESS, { type: 'complete_step' }), // +70
    at(TESS, { type: 'record_smoke_result', runId: 'run-1', isPassed: false }), // +80
    at(TESS, { type: 'roll_back', reason: 'Card payments fail' }), // +90
    at(TESS, { type: 'complete_step' }), // +100
    at(TESS, { type: 'record_version', terminalId: 't1', version: FROM }), // +110
    at(TESS, { type: 'complete_step' }), // +120
  ]);
}

/** All at once on four lanes, lane 4 excluded, completed 40 minutes after the start. */
function completed(): JournalEventLike[] {
  const at = clock(T0 + 5 * MIN);
  return journalOf(fixturePlan('all_at_once'), T0 + 5 * MIN, [
    at(TESS, {
      type: 'start',
      strategy: 'all_at_once',
      canaryTerminalId: null,
      window: OPEN,
      ring: IN_RING,
    }), // +15
    at(TESS, { type: 'complete_step' }), // +25
    at(TESS, { type: 'exclude_terminal', terminalId: 't4', reason: 'Screen broken' }), // +35
    ...['t1', 't2', 't3'].map((t) =>
      at(TESS, { type: 'record_version', terminalId: t, version: TARGET }, 5),
    ), // +40 +45 +50
    at(TESS, { type: 'complete_step' }, 5), // +55
  ]);
}

/** Merges journals by time, as one console records them, with other features' events in between. */
function interleave(...journals: JournalEventLike[][]): JournalEventLike[] {
  const noise: JournalEventLike[] = [
    {
      type: 'checklist.result.recorded',
      at: new Date(T0 + 33 * MIN).toISOString(),
      actor: TESS,
      storeId: 'st-par-01',
      payload: { runId: 'run-1' },
    },
    {
      type: 'change_request.requested',
      at: new Date(T0 + 44 * MIN).toISOString(),
      actor: TESS,
      storeId: 'st-par-01',
      payload: { changeRequestId: 'cr-1' },
    },
    {
      type: 'session.signed_in',
      at: new Date(T0 + 1 * MIN).toISOString(),
      actor: TESS,
      storeId: 'st-par-01',
      payload: {},
    },
  ];
  return [...journals.flat(), ...noise].sort((a, b) => a.at.localeCompare(b.at));
}

describe('metricsFromJournal', () => {
  it('computes each deployment’s metrics from an interleaved journal: time to deploy with manual waiting, success, rollback', () => {
    const metrics = metricsFromJournal(interleave(rolledBack(), completed()));
    expect([...metrics.keys()].sort()).toEqual(['dep-all_at_once', 'dep-canary_first']);
    expect(metrics.get('dep-canary_first')).toEqual({
      outcome: 'rolled_back',
      timeToDeployMs: 110 * MIN,
      interventionMs: 30 * MIN,
      waitingForClaimMs: 25 * MIN,
      failedSteps: 1,
      isRolledBack: true,
      terminalsUpdated: 0,
      terminalsExcluded: 0,
    });
    expect(metrics.get('dep-all_at_once')).toEqual({
      outcome: 'completed',
      timeToDeployMs: 40 * MIN,
      interventionMs: 0,
      waitingForClaimMs: 0,
      failedSteps: 0,
      isRolledBack: false,
      terminalsUpdated: 3,
      terminalsExcluded: 1,
    });
  });

  it('a deployment still under way has no outcome and no time to deploy yet; a journal without deployments gives none', () => {
    const underway = rolledBack().slice(0, 4);
    expect(metricsFromJournal(underway).get('dep-canary_first')).toMatchObject({
      outcome: null,
      timeToDeployMs: null,
      waitingForClaimMs: 25 * MIN,
    });
    expect(metricsFromJournal([]).size).toBe(0);
  });

  it('refuses a journal the rules do not accept (an event missing) rather than report wrong numbers', () => {
    const journal = rolledBack();
    const withoutTheCapture = journal.filter((e) => e.type !== 'deployment.version.recorded');
    expect(() => metricsFromJournal(withoutTheCapture)).toThrow(/refused by the rules/);
    expect(() => metricsFromJournal(journal.slice(1))).toThrow(/start with deployment.planned/);
  });
});
