import { describe, expect, it } from 'vitest';
import {
  applyAll,
  planDeployment,
  type DeploymentAction,
  type DeploymentState,
} from '#shared/deployments/stateMachine.ts';
import {
  clock,
  fixturePlan,
  IN_RING,
  LEO,
  MAYA,
  OPEN,
  SAM,
  TESS,
} from '#shared/deployments/testSupport.ts';
import { deploymentTimeline } from '#shared/deployments/timeline.ts';
import { deploymentReturnPath } from './returnPath.ts';
import {
  failureOptions,
  pickSmokeRun,
  runbookSections,
  stepActions,
  waitEndsAt,
} from './stepGuide.ts';
import { waitDuration } from './text.ts';
import { t } from '../../i18n/index.ts';

const tess = { userId: TESS.userId, role: TESS.role };
const leo = { userId: LEO.userId, role: LEO.role };
const maya = { userId: MAYA.userId, role: MAYA.role };
const sam = { userId: SAM.userId, role: SAM.role };

function walk(
  strategy: Parameters<typeof fixturePlan>[0],
  steps: (at: ReturnType<typeof clock>) => DeploymentAction[],
): DeploymentState {
  const result = applyAll(planDeployment(fixturePlan(strategy)), steps(clock()));
  if (!result.ok) throw new Error(result.refusal.message);
  return result.state;
}

const startCanary = (at: ReturnType<typeof clock>) =>
  at(TESS, {
    type: 'start',
    strategy: 'canary_first',
    canaryTerminalId: 't1',
    window: OPEN,
    ring: IN_RING,
  });

/** Canary first, at the canary's smoke test: the manager's intervention passed, the canary installed and captured on 4.4.0. */
function atCanarySmoke(at: ReturnType<typeof clock>): DeploymentAction[] {
  return [
    startCanary(at),
    at(MAYA, { type: 'claim_intervention' }),
    at(MAYA, { type: 'proceed_intervention', notes: 'Lane closed' }),
    at(TESS, { type: 'complete_step' }),
    at(TESS, { type: 'record_version', terminalId: 't1', version: '4.4.0' }),
    at(TESS, { type: 'complete_step' }),
  ];
}

function types(offers: ReturnType<typeof stepActions>) {
  return offers.map((o) => [o.type, o.whyNot]);
}

describe('actions offered at each point of a deployment', () => {
  it('a planned deployment offers start and abort to field roles only', () => {
    const planned = planDeployment(fixturePlan('canary_first'));
    expect(types(stepActions(planned, tess, 0))).toEqual([
      ['start', null],
      ['abort', null],
    ]);
    expect(types(stepActions(planned, sam, 0))).toEqual([
      ['start', t('deployments:fieldRolesOnly')],
      ['abort', t('deployments:fieldRolesOnly')],
    ]);
  });

  it('an intervention is claimed by its role only, then only the claimant may proceed, release or abort it', () => {
    const waiting = walk('canary_first', (at) => [startCanary(at)]);
    expect(types(stepActions(waiting, tess, 0))[0]).toEqual([
      'claim_intervention',
      t('deployments:interventionForRole', { role: t('domain:roleIndefinite.manager') }),
    ]);
    expect(types(stepActions(waiting, maya, 0))[0]).toEqual(['claim_intervention', null]);

    const claimed = walk('canary_first', (at) => [
      startCanary(at),
      at(MAYA, { type: 'claim_intervention' }),
    ]);
    expect(stepActions(claimed, maya, 0).map((o) => o.type)).toEqual([
      'proceed_intervention',
      'release_intervention',
      'abort_intervention',
      'abort',
    ]);
    // Someone else sees who holds it, and no button that the back end would refuse.
    expect(stepActions(claimed, leo, 0).map((o) => o.type)).toEqual(['abort']);
  });

  it('a version capture cannot be marked done until every terminal in scope has its version', () => {
    const capture = walk('canary_first', (at) => atCanarySmoke(at).slice(0, 4));
    const before = stepActions(capture, tess, 0);
    expect(before.map((o) => o.type)).toEqual([
      'record_version',
      'complete_step',
      'fail_step',
      'abort',
    ]);
    expect(before[1]!.whyNot).toBe(t('deployments:recordVersionsFirst', { names: 'Lane 1' }));
    const recorded = walk('canary_first', (at) => atCanarySmoke(at).slice(0, 5));
    expect(stepActions(recorded, tess, 0)[1]).toEqual({ type: 'complete_step', whyNot: null });
  });

  it('a smoke step is decided by recording the checklist result, never by a Done button', () => {
    const smoke = walk('canary_first', atCanarySmoke);
    expect(smoke.status).toBe('verifying');
    expect(stepActions(smoke, tess, 0).map((o) => o.type)).toEqual([
      'record_smoke_result',
      'fail_step',
      'abort',
    ]);
  });

  it('a wait can be ended only once its time is over', () => {
    const waiting = walk('blue_green', (at) => [
      at(TESS, {
        type: 'start',
        strategy: 'blue_green',
        canaryTerminalId: null,
        window: OPEN,
        ring: IN_RING,
      }),
      ...['t1', 't2', 't3', 't4'].map((terminalId) =>
        at(TESS, { type: 'stage_release', terminalId }),
      ),
      at(TESS, { type: 'complete_step' }),
    ]);
    const endsAt = waitEndsAt(waiting)!;
    expect(endsAt - waiting.step!.startedAt).toBe(15 * 60_000);
    expect(stepActions(waiting, tess, endsAt - 61_000)[0]).toEqual({
      type: 'complete_step',
      whyNot: t('deployments:waitNotOver', { duration: waitDuration(61_000) }),
    });
    expect(stepActions(waiting, tess, endsAt)[0]).toEqual({ type: 'complete_step', whyNot: null });
  });
});

describe('choices after a failed step', () => {
  const failedCanary = () =>
    walk('canary_first', (at) => [
      ...atCanarySmoke(at),
      at(TESS, { type: 'record_smoke_result', runId: 'run-1', isPassed: false }),
    ]);

  it('a technician may retry, exclude or roll back; skipping says it needs the manager', () => {
    const state = failedCanary();
    expect(stepActions(state, tess, 0)).toEqual([]);
    const options = failureOptions(state, tess)!;
    expect(options.retry.whyNot).toBeNull();
    expect(options.rollBack.whyNot).toBeNull();
    expect(options.skip.whyNot).toBe(t('deployments:skipNeedsManager'));
    expect(options.skip.needsChangeRequest).toBe(true);
    // The canary under test cannot be left out; the others can.
    expect(options.exclude.terminals.map((t) => t.terminalId)).toEqual(['t2', 't3', 't4']);
  });

  it('even the manager cannot skip the canary smoke test', () => {
    expect(failureOptions(failedCanary(), maya)!.skip.whyNot).toBe(
      t('deployments:canarySmokeCannotBeSkipped'),
    );
  });

  it('a deployment that has not failed offers no failure choices', () => {
    expect(failureOptions(walk('canary_first', atCanarySmoke), tess)).toBeNull();
  });

  it('during the rollback, rolling back again is not offered', () => {
    const state = walk('canary_first', (at) => [
      ...atCanarySmoke(at),
      at(TESS, { type: 'record_smoke_result', runId: 'run-1', isPassed: false }),
      at(TESS, { type: 'roll_back', reason: 'Receipts unreadable' }),
      at(TESS, { type: 'fail_step', reason: 'USB key missing' }),
    ]);
    expect(failureOptions(state, tess)!.rollBack.whyNot).toBe(t('deployments:alreadyRollingBack'));
  });
});

describe('the runbook as the screen lists it', () => {
  it('after a failed canary smoke test and a rollback: the rollback first and current, then the canary steps done then failed, the others pending', () => {
    const state = walk('canary_first', (at) => [
      ...atCanarySmoke(at),
      at(TESS, { type: 'record_smoke_result', runId: 'run-1', isPassed: false }),
      at(TESS, { type: 'roll_back', reason: 'Receipts unreadable' }),
    ]);
    const sections = runbookSections(state, deploymentTimeline(state));
    expect(sections.map((s) => `${s.phase}/${s.wave}`)).toEqual([
      'rollback/canary',
      'forward/canary',
      'forward/fleet',
    ]);
    expect(sections[0]!.steps.map((s) => s.standing)).toEqual(['current', 'pending']);
    expect(sections[1]!.steps.map((s) => s.standing)).toEqual([
      'done',
      'done',
      'done',
      'failed',
      'pending',
    ]);
    expect(sections[2]!.steps.every((s) => s.standing === 'pending')).toBe(true);
    // Only the rollback step the deployment is at is "here": the failed forward step is history.
    expect(
      sections.flatMap((s) =>
        s.steps.filter((x) => x.isHere).map((x) => `${s.phase}/${x.step.id}`),
      ),
    ).toEqual(['rollback/rb-reinstall']);
  });

  it('a skipped step shows as skipped', () => {
    const state = walk('all_at_once', (at) => [
      at(TESS, {
        type: 'start',
        strategy: 'all_at_once',
        canaryTerminalId: null,
        window: OPEN,
        ring: IN_RING,
      }),
      at(TESS, { type: 'fail_step', reason: 'No USB key' }),
      at(MAYA, { type: 'skip_step', reason: 'Installed remotely', changeRequestId: 'cr-1' }),
    ]);
    expect(
      runbookSections(state, deploymentTimeline(state))[0]!.steps.map((s) => s.standing),
    ).toEqual(['skipped', 'current']);
  });
});

describe('which checklist run a smoke step uses', () => {
  const run = (
    id: string,
    startedAt: number,
    over: Partial<{ templateId: string; storeId: string; terminals: string[] }> = {},
  ) => ({
    id,
    templateId: over.templateId ?? 'tpl-smoke',
    storeId: over.storeId ?? 'st-par-01',
    releaseId: 'rel-4.4.0',
    startedAt: new Date(startedAt).toISOString(),
    terminals: (over.terminals ?? ['t1']).map((tid) => ({ id: tid })),
  });

  it('the newest run of the step’s template, in the store, covering the terminals, started during this step', () => {
    const state = walk('canary_first', atCanarySmoke);
    const since = state.step!.startedAt;
    const runs = [
      run('older-visit', since - 1),
      run('fits', since + 1_000),
      run('newest-fits', since + 2_000, { terminals: ['t1', 't2'] }),
      run('other-template', since + 3_000, { templateId: 'tpl-uat' }),
      run('other-store', since + 3_000, { storeId: 'st-lyo-01' }),
      run('misses-canary', since + 3_000, { terminals: ['t2'] }),
    ];
    expect(pickSmokeRun(state, runs, since)?.id).toBe('newest-fits');
    expect(pickSmokeRun(state, runs.slice(0, 1), since)).toBeNull();
  });
});

describe('the way back from a smoke test run to its deployment', () => {
  it('accepts a deployment path only', () => {
    expect(deploymentReturnPath('?store=st-lil-01&returnTo=%2Fdeployments%2Fdep-1')).toBe(
      '/deployments/dep-1',
    );
    expect(deploymentReturnPath('?returnTo=https%3A%2F%2Fevil.example')).toBeNull();
    expect(deploymentReturnPath('?returnTo=%2Fdeployments%2F..%2Fsync%2Fx')).toBeNull();
    expect(deploymentReturnPath('?store=st-lil-01')).toBeNull();
  });
});
