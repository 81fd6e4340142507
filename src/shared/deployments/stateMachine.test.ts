import { describe, expect, it } from 'vitest';
import { deploymentInconsistencies } from './invariants.ts';
import {
  applyAction,
  applyAll,
  currentStep,
  DEPLOYMENT_ACTION_TYPES,
  DEPLOYMENT_STATUSES,
  deploymentStatusLabel,
  planDeployment,
  terminalsInScope,
  type DeploymentAction,
  type DeploymentActionType,
  type DeploymentState,
  type DeploymentStatus,
  type RefusalCode,
} from './stateMachine.ts';
import {
  clock,
  FROM,
  fixturePlan,
  IN_RING,
  LEO,
  MAYA,
  OPEN,
  SAM,
  T0,
  TARGET,
  TESS,
} from './testSupport.ts';

function run(state: DeploymentState, actions: DeploymentAction[]): DeploymentState {
  const result = applyAll(state, actions);
  if (!result.ok)
    throw new Error(`setup refused: ${result.refusal.code} ${result.refusal.message}`);
  expect(deploymentInconsistencies(result.state)).toEqual([]);
  return result.state;
}

/**
 * One representative state per status (and the intervention both unclaimed
 * and claimed), all in a canary-first deployment of 4.4.0 on four lanes.
 */
function representativeStates(): Record<string, DeploymentState> {
  const at = clock();
  const planned = planDeployment(fixturePlan('canary_first'));
  const pausedUnclaimed = run(planned, [
    at(TESS, {
      type: 'start',
      strategy: 'canary_first',
      canaryTerminalId: 't1',
      window: OPEN,
      ring: IN_RING,
    }),
  ]);
  const pausedClaimed = run(pausedUnclaimed, [at(MAYA, { type: 'claim_intervention' })]);
  const inProgress = run(pausedClaimed, [
    at(MAYA, { type: 'proceed_intervention', notes: 'Lane 1 closed' }),
  ]);
  const verifying = run(inProgress, [
    at(TESS, { type: 'complete_step' }),
    at(TESS, { type: 'record_version', terminalId: 't1', version: TARGET }),
    at(TESS, { type: 'complete_step' }),
  ]);
  const failed = run(verifying, [
    at(TESS, { type: 'record_smoke_result', runId: 'run-1', isPassed: false }),
  ]);
  const rolledBack = run(failed, [
    at(TESS, { type: 'roll_back', reason: 'Card payments fail on the canary' }),
    at(TESS, { type: 'complete_step' }),
    at(TESS, { type: 'record_version', terminalId: 't1', version: FROM }),
    at(TESS, { type: 'complete_step' }),
  ]);
  const aborted = run(inProgress, [
    at(TESS, { type: 'abort', isConfirmed: true, reason: 'The store must reopen' }),
  ]);
  const fleetWave = (s: DeploymentState) =>
    run(s, [
      at(MAYA, { type: 'claim_intervention' }),
      at(MAYA, { type: 'proceed_intervention', notes: 'Other lanes closed' }),
      at(TESS, { type: 'complete_step' }),
      at(TESS, { type: 'record_version', terminalId: 't2', version: TARGET }),
      at(TESS, { type: 'record_version', terminalId: 't3', version: TARGET }),
      at(TESS, { type: 'record_version', terminalId: 't4', version: TARGET }),
      at(TESS, { type: 'complete_step' }),
      at(TESS, { type: 'record_smoke_result', runId: 'run-3', isPassed: true }),
      at(TESS, { type: 'complete_step' }),
    ]);
  const completed = fleetWave(
    run(verifying, [
      at(TESS, { type: 'record_smoke_result', runId: 'run-2', isPassed: true }),
      at(TESS, { type: 'complete_step' }),
    ]),
  );
  return {
    planned,
    in_progress: inProgress,
    'paused_at_intervention (unclaimed)': pausedUnclaimed,
    'paused_at_intervention (claimed by the manager)': pausedClaimed,
    verifying,
    failed,
    completed,
    rolled_back: rolledBack,
    aborted,
  };
}

/** A representative action of each type; intervention actions come from the manager the runbook names. */
function representativeAction(type: DeploymentActionType, at: number): DeploymentAction {
  switch (type) {
    case 'start':
      return {
        type,
        at,
        actor: TESS,
        strategy: 'canary_first',
        canaryTerminalId: 't1',
        window: OPEN,
        ring: IN_RING,
      };
    case 'complete_step':
    case 'retry_step':
    case 'switch_slots':
    case 'switch_back':
    case 'resume':
      return { type, at, actor: TESS };
    case 'fail_step':
      return { type, at, actor: TESS, reason: 'The installer stopped at 40%' };
    case 'skip_step':
      return { type, at, actor: MAYA, reason: 'Done by head office', changeRequestId: 'cr-1' };
    case 'exclude_terminal':
      return { type, at, actor: TESS, terminalId: 't3', reason: 'Lane 3 is out of order' };
    case 'roll_back':
      return { type, at, actor: TESS, reason: 'Receipts do not print' };
    case 'abort':
      return { type, at, actor: TESS, isConfirmed: true, reason: 'The store must reopen' };
    case 'claim_intervention':
    case 'release_intervention':
      return { type, at, actor: MAYA };
    case 'proceed_intervention':
    case 'abort_intervention':
      return { type, at, actor: MAYA, notes: 'Checked with the lane staff' };
    case 'record_version':
      return { type, at, actor: TESS, terminalId: 't1', version: TARGET };
    case 'record_smoke_result':
      return { type, at, actor: TESS, runId: 'run-9', isPassed: true };
    case 'stage_release':
      return { type, at, actor: TESS, terminalId: 't1' };
    default:
      throw new Error(`no representative for ${String(type)}`);
  }
}

type Expected = DeploymentStatus | `refused:${RefusalCode}`;

const F = 'refused:deployment_finished' as const;
const finishedRow = Object.fromEntries(DEPLOYMENT_ACTION_TYPES.map((a) => [a, F])) as Record<
  DeploymentActionType,
  Expected
>;

/** Every state × every action: the resulting status, or the refusal code. */
const TABLE: Record<string, Record<DeploymentActionType, Expected>> = {
  planned: {
    start: 'paused_at_intervention',
    complete_step: 'refused:not_started',
    fail_step: 'refused:not_started',
    retry_step: 'refused:not_started',
    skip_step: 'refused:not_started',
    exclude_terminal: 'refused:not_started',
    roll_back: 'refused:not_started',
    abort: 'aborted',
    claim_intervention: 'refused:not_started',
    release_intervention: 'refused:not_started',
    proceed_intervention: 'refused:not_started',
    abort_intervention: 'refused:not_started',
    record_version: 'refused:not_started',
    record_smoke_result: 'refused:not_started',
    stage_release: 'refused:not_started',
    switch_slots: 'refused:not_started',
    switch_back: 'refused:not_started',
    resume: 'refused:not_started',
  },
  in_progress: {
    start: 'refused:already_started',
    complete_step: 'in_progress',
    fail_step: 'failed',
    retry_step: 'refused:not_failed',
    skip_step: 'in_progress',
    exclude_terminal: 'in_progress',
    roll_back: 'in_progress',
    abort: 'aborted',
    claim_intervention: 'refused:wrong_step',
    release_intervention: 'refused:wrong_step',
    proceed_intervention: 'refused:wrong_step',
    abort_intervention: 'refused:wrong_step',
    record_version: 'refused:wrong_step',
    record_smoke_result: 'refused:wrong_step',
    stage_release: 'refused:wrong_step',
    switch_slots: 'refused:wrong_step',
    switch_back: 'refused:wrong_step',
    resume: 'in_progress',
  },
  'paused_at_intervention (unclaimed)': {
    start: 'refused:already_started',
    complete_step: 'refused:intervention_pending',
    fail_step: 'refused:intervention_pending',
    retry_step: 'refused:not_failed',
    skip_step: 'in_progress',
    exclude_terminal: 'refused:intervention_pending',
    roll_back: 'refused:intervention_pending',
    abort: 'aborted',
    claim_intervention: 'paused_at_intervention',
    release_intervention: 'refused:not_claimed',
    proceed_intervention: 'refused:not_claimed',
    abort_intervention: 'refused:not_claimed',
    record_version: 'refused:intervention_pending',
    record_smoke_result: 'refused:intervention_pending',
    stage_release: 'refused:intervention_pending',
    switch_slots: 'refused:intervention_pending',
    switch_back: 'refused:intervention_pending',
    resume: 'paused_at_intervention',
  },
  'paused_at_intervention (claimed by the manager)': {
    start: 'refused:already_started',
    complete_step: 'refused:intervention_pending',
    fail_step: 'refused:intervention_pending',
    retry_step: 'refused:not_failed',
    skip_step: 'in_progress',
    exclude_terminal: 'refused:intervention_pending',
    roll_back: 'refused:intervention_pending',
    abort: 'aborted',
    claim_intervention: 'refused:already_claimed',
    release_intervention: 'paused_at_intervention',
    proceed_intervention: 'in_progress',
    abort_intervention: 'failed',
    record_version: 'refused:intervention_pending',
    record_smoke_result: 'refused:intervention_pending',
    stage_release: 'refused:intervention_pending',
    switch_slots: 'refused:intervention_pending',
    switch_back: 'refused:intervention_pending',
    resume: 'paused_at_intervention',
  },
  verifying: {
    start: 'refused:already_started',
    complete_step: 'refused:step_incomplete',
    fail_step: 'failed',
    retry_step: 'refused:not_failed',
    skip_step: 'refused:canary_smoke_required',
    exclude_terminal: 'verifying',
    roll_back: 'in_progress',
    abort: 'aborted',
    claim_intervention: 'refused:wrong_step',
    release_intervention: 'refused:wrong_step',
    proceed_intervention: 'refused:wrong_step',
    abort_intervention: 'refused:wrong_step',
    record_version: 'refused:wrong_step',
    record_smoke_result: 'in_progress',
    stage_release: 'refused:wrong_step',
    switch_slots: 'refused:wrong_step',
    switch_back: 'refused:wrong_step',
    resume: 'verifying',
  },
  failed: {
    start: 'refused:already_started',
    complete_step: 'refused:step_failed',
    fail_step: 'refused:step_failed',
    retry_step: 'verifying',
    skip_step: 'refused:canary_smoke_required',
    exclude_terminal: 'failed',
    roll_back: 'in_progress',
    abort: 'aborted',
    claim_intervention: 'refused:step_failed',
    release_intervention: 'refused:step_failed',
    proceed_intervention: 'refused:step_failed',
    abort_intervention: 'refused:step_failed',
    record_version: 'refused:step_failed',
    record_smoke_result: 'refused:step_failed',
    stage_release: 'refused:step_failed',
    switch_slots: 'refused:step_failed',
    switch_back: 'refused:step_failed',
    resume: 'failed',
  },
  completed: finishedRow,
  rolled_back: finishedRow,
  aborted: finishedRow,
};

describe('deployment state machine: every state × every action', () => {
  const states = representativeStates();

  it('covers every status and every action type', () => {
    expect(new Set(Object.values(states).map((s) => s.status))).toEqual(
      new Set(DEPLOYMENT_STATUSES),
    );
    expect(Object.keys(TABLE)).toEqual(Object.keys(states));
    for (const row of Object.values(TABLE))
      expect(Object.keys(row).sort()).toEqual([...DEPLOYMENT_ACTION_TYPES].sort());
  });

  for (const [name, row] of Object.entries(TABLE)) {
    for (const [type, expected] of Object.entries(row) as [DeploymentActionType, Expected][]) {
      it(`${name} + ${type} → ${expected}`, () => {
        const before = states[name]!;
        const snapshot = structuredClone(before);
        const result = applyAction(
          before,
          representativeAction(type, (before.history.at(-1)?.at ?? T0) + 3_600_000),
        );
        expect(before, 'the input state is never changed').toEqual(snapshot);
        if (expected.startsWith('refused:')) {
          expect(result.ok).toBe(false);
          if (!result.ok) {
            expect(result.refusal.code).toBe(expected.slice('refused:'.length));
            expect(
              result.refusal.message.length,
              'a refusal says why in plain words',
            ).toBeGreaterThan(10);
          }
        } else {
          expect(
            result.ok,
            result.ok ? '' : `${result.refusal.code}: ${result.refusal.message}`,
          ).toBe(true);
          if (result.ok) {
            expect(result.state.status).toBe(expected);
            expect(result.state.history).toHaveLength(before.history.length + 1);
            expect(result.state.history.at(-1)!.action).toBe(type);
            expect(deploymentInconsistencies(result.state)).toEqual([]);
          }
        }
      });
    }
  }
});

describe('deployment rules in detail', () => {
  it('the canary is updated and smoke-tested before the others may start', () => {
    const at = clock();
    const s = run(planDeployment(fixturePlan('canary_first')), [
      at(TESS, {
        type: 'start',
        strategy: 'canary_first',
        canaryTerminalId: 't1',
        window: OPEN,
        ring: IN_RING,
      }),
      at(MAYA, { type: 'claim_intervention' }),
      at(MAYA, { type: 'proceed_intervention', notes: '' }),
      at(TESS, { type: 'complete_step' }),
    ]);
    const other = applyAction(
      s,
      at(TESS, { type: 'record_version', terminalId: 't2', version: TARGET }),
    );
    expect(other.ok ? null : other.refusal.code).toBe('canary_not_passed');
    const missing = applyAction(s, at(TESS, { type: 'complete_step' }));
    expect(missing.ok ? null : missing.refusal).toMatchObject({
      code: 'step_incomplete',
      message: expect.stringContaining('Lane 1'),
    });
    const canaryOld = run(s, [
      at(TESS, { type: 'record_version', terminalId: 't1', version: FROM }),
      at(TESS, { type: 'complete_step' }),
    ]);
    // The smoke test passed, but the canary still shows the old version: the others must not start.
    const passed = applyAction(
      canaryOld,
      at(TESS, { type: 'record_smoke_result', runId: 'r', isPassed: true }),
    );
    expect(passed.ok ? null : passed.refusal.code).toBe('terminals_not_updated');
  });

  it('a failed canary smoke test, a rollback, and a second attempt that completes', () => {
    const at = clock();
    const first = run(planDeployment(fixturePlan('canary_first')), [
      at(TESS, {
        type: 'start',
        strategy: 'canary_first',
        canaryTerminalId: 't2',
        window: OPEN,
        ring: IN_RING,
      }),
      at(MAYA, { type: 'claim_intervention' }),
      at(MAYA, { type: 'proceed_intervention', notes: '' }),
      at(TESS, { type: 'complete_step' }),
      at(TESS, { type: 'record_version', terminalId: 't2', version: TARGET }),
      at(TESS, { type: 'complete_step' }),
      at(TESS, { type: 'record_smoke_result', runId: 'run-1', isPassed: false }),
    ]);
    expect(first.canary).toEqual({ terminalId: 't2', result: 'failed' });
    expect(first.failure?.code).toBe('smoke_failed');
    const rolledBack = run(first, [
      at(TESS, { type: 'roll_back', reason: 'Card payments fail' }),
      at(TESS, { type: 'complete_step' }),
      at(TESS, { type: 'record_version', terminalId: 't2', version: FROM }),
      at(TESS, { type: 'complete_step' }),
    ]);
    expect(rolledBack.status).toBe('rolled_back');
    expect(rolledBack.terminals.map((t) => [t.terminalId, t.progress, t.version])).toEqual([
      ['t1', 'old', FROM],
      ['t2', 'rolled_back', FROM],
      ['t3', 'old', FROM],
      ['t4', 'old', FROM],
    ]);
    // Only the touched terminal was in the rollback's scope: the others never left the old release.
    expect(
      rolledBack.history
        .filter((h) => h.action === 'record_version')
        .map((h) => [h.phase, h.terminalId, h.note]),
    ).toEqual([
      ['forward', 't2', TARGET],
      ['rollback', 't2', FROM],
    ]);
  });

  it('a rollback after a failed canary install checks the canary: its version must be recorded, and the smoke test runs on it', () => {
    const at = clock();
    // The install fails before any version is recorded: nothing marks the canary as touched.
    const failedInstall = run(planDeployment(fixturePlan('canary_first')), [
      at(TESS, {
        type: 'start',
        strategy: 'canary_first',
        canaryTerminalId: 't2',
        window: OPEN,
        ring: IN_RING,
      }),
      at(MAYA, { type: 'claim_intervention' }),
      at(MAYA, { type: 'proceed_intervention', notes: '' }),
      at(TESS, { type: 'fail_step', reason: 'The installer stopped at 40 %' }),
      at(TESS, { type: 'roll_back', reason: 'The installer stopped at 40 %' }),
    ]);
    expect(failedInstall.terminals.find((t) => t.terminalId === 't2')!.isTouched).toBe(false);
    expect(deploymentStatusLabel(failedInstall)).toBe('Rolling back');
    expect(terminalsInScope(failedInstall).map((t) => t.terminalId)).toEqual(['t2']);
    const atCapture = run(failedInstall, [at(TESS, { type: 'complete_step' })]);
    expect(currentStep(atCapture)?.kind).toBe('version_capture');
    // Done with nothing recorded is refused, with the lane to record.
    const empty = applyAction(atCapture, at(TESS, { type: 'complete_step' }));
    expect(empty.ok ? null : empty.refusal).toEqual({
      code: 'step_incomplete',
      message: 'Record the version of Lane 2 first.',
    });
    // Only the canary: the other lanes never left the old release.
    const other = applyAction(
      atCapture,
      at(TESS, { type: 'record_version', terminalId: 't1', version: FROM }),
    );
    expect(other.ok ? null : other.refusal.code).toBe('terminal_not_in_scope');
    const back = run(atCapture, [
      at(TESS, { type: 'record_version', terminalId: 't2', version: FROM }),
      at(TESS, { type: 'complete_step' }),
    ]);
    expect(back.status).toBe('rolled_back');
    expect(back.terminals.map((t) => [t.terminalId, t.progress])).toEqual([
      ['t1', 'old'],
      ['t2', 'rolled_back'],
      ['t3', 'old'],
      ['t4', 'old'],
    ]);
  });

  it('a rollback whose terminals are all excluded cannot record its versions as done', () => {
    const at = clock();
    const s = run(planDeployment(fixturePlan('canary_first')), [
      at(TESS, {
        type: 'start',
        strategy: 'canary_first',
        canaryTerminalId: 't1',
        window: OPEN,
        ring: IN_RING,
      }),
      at(MAYA, { type: 'claim_intervention' }),
      at(MAYA, { type: 'proceed_intervention', notes: '' }),
      at(TESS, { type: 'fail_step', reason: 'USB key unreadable' }),
      at(TESS, { type: 'roll_back', reason: 'USB key unreadable' }),
      at(TESS, { type: 'complete_step' }),
      at(TESS, { type: 'exclude_terminal', terminalId: 't1', reason: 'Sent for repair' }),
    ]);
    const done = applyAction(s, at(TESS, { type: 'complete_step' }));
    expect(done.ok ? null : done.refusal).toMatchObject({
      code: 'step_incomplete',
      message: expect.stringContaining('Abort the deployment instead'),
    });
  });

  it('a rollback cannot finish while a touched terminal still runs the new release', () => {
    const at = clock();
    const s = run(planDeployment(fixturePlan('all_at_once')), [
      at(TESS, {
        type: 'start',
        strategy: 'all_at_once',
        canaryTerminalId: null,
        window: OPEN,
        ring: IN_RING,
      }),
      at(TESS, { type: 'complete_step' }),
      at(TESS, { type: 'record_version', terminalId: 't1', version: TARGET }),
      at(TESS, { type: 'roll_back', reason: 'Wrong build' }),
      at(TESS, { type: 'complete_step' }),
      at(TESS, { type: 'record_version', terminalId: 't1', version: TARGET }),
    ]);
    // The other lanes were in the interrupted wave: their versions are checked after the rollback too.
    const others = (['t2', 't3', 't4'] as const).map((id) =>
      at(TESS, { type: 'record_version', terminalId: id, version: FROM }),
    );
    const done = applyAction(run(s, others), at(TESS, { type: 'complete_step' }));
    expect(done.ok ? null : done.refusal.code).toBe('terminals_not_rolled_back');
    expect(
      run(s, [
        ...others,
        at(TESS, { type: 'exclude_terminal', terminalId: 't1', reason: 'Sent for repair' }),
        at(TESS, { type: 'complete_step' }),
      ]).status,
    ).toBe('rolled_back');
  });

  it('completion needs every terminal on the new release or excluded, and at least one updated', () => {
    const at = clock();
    const s = run(planDeployment(fixturePlan('all_at_once')), [
      at(TESS, {
        type: 'start',
        strategy: 'all_at_once',
        canaryTerminalId: null,
        window: OPEN,
        ring: IN_RING,
      }),
      at(TESS, { type: 'complete_step' }),
      at(TESS, { type: 'record_version', terminalId: 't1', version: TARGET }),
      at(TESS, { type: 'record_version', terminalId: 't2', version: TARGET }),
      at(TESS, { type: 'record_version', terminalId: 't3', version: TARGET }),
      at(TESS, { type: 'record_version', terminalId: 't4', version: FROM }),
    ]);
    const early = applyAction(s, at(TESS, { type: 'complete_step' }));
    expect(early.ok ? null : early.refusal).toMatchObject({
      code: 'terminals_not_updated',
      message: expect.stringContaining('Lane 4'),
    });
    const done = run(s, [
      at(TESS, { type: 'exclude_terminal', terminalId: 't4', reason: 'Update failed twice' }),
      at(TESS, { type: 'complete_step' }),
    ]);
    expect(done.status).toBe('completed');

    const allOut = run(planDeployment(fixturePlan('all_at_once')), [
      at(TESS, {
        type: 'start',
        strategy: 'all_at_once',
        canaryTerminalId: null,
        window: OPEN,
        ring: IN_RING,
      }),
      at(TESS, { type: 'complete_step' }),
      ...(['t1', 't2', 't3', 't4'] as const).map((id) =>
        at(TESS, { type: 'exclude_terminal', terminalId: id, reason: 'Closed lane' }),
      ),
    ]);
    const nothing = applyAction(allOut, at(TESS, { type: 'complete_step' }));
    expect(nothing.ok ? null : nothing.refusal.code).toBe('nothing_deployed');
  });

  it('blue-green: staged on the standby slot, switched in one step, switched back instantly', () => {
    const at = clock();
    const started = run(planDeployment(fixturePlan('blue_green')), [
      at(TESS, {
        type: 'start',
        strategy: 'blue_green',
        canaryTerminalId: null,
        window: OPEN,
        ring: IN_RING,
      }),
    ]);
    expect(started.terminals.every((t) => t.slot === 'old_active')).toBe(true);
    const early = applyAction(started, at(TESS, { type: 'switch_slots' }));
    expect(early.ok ? null : early.refusal.code).toBe('wrong_step');
    const staged = run(
      started,
      (['t1', 't2', 't3'] as const).map((id) =>
        at(TESS, { type: 'stage_release', terminalId: id }),
      ),
    );
    const partial = applyAction(staged, at(TESS, { type: 'complete_step' }));
    expect(partial.ok ? null : partial.refusal).toMatchObject({
      code: 'not_staged',
      message: expect.stringContaining('Lane 4'),
    });
    const twice = applyAction(staged, at(TESS, { type: 'stage_release', terminalId: 't1' }));
    expect(twice.ok ? null : twice.refusal.code).toBe('already_staged');
    const waiting = run(staged, [
      at(TESS, { type: 'stage_release', terminalId: 't4' }),
      at(TESS, { type: 'complete_step' }),
    ]);
    const tooSoon = applyAction(waiting, at(TESS, { type: 'complete_step' }, 5));
    expect(tooSoon.ok ? null : tooSoon.refusal.code).toBe('wait_not_over');
    const versionEarly = applyAction(
      waiting,
      at(TESS, { type: 'record_version', terminalId: 't1', version: TARGET }),
    );
    expect(versionEarly.ok ? null : versionEarly.refusal.code).toBe('wrong_step');
    const switched = run(waiting, [
      at(TESS, { type: 'complete_step' }, 15),
      at(TESS, { type: 'switch_slots' }),
    ]);
    expect(switched.terminals.map((t) => [t.slot, t.progress])).toEqual(
      Array(4).fill(['new_active', 'new']),
    );
    const back = run(switched, [
      at(TESS, { type: 'fail_step', reason: 'Lane 2 crashes on start' }),
      at(TESS, { type: 'roll_back', reason: 'Lane 2 crashes on start' }),
      at(TESS, { type: 'switch_back' }),
    ]);
    expect(back.terminals.map((t) => [t.slot, t.progress, t.version])).toEqual(
      Array(4).fill(['old_active', 'rolled_back', FROM]),
    );
    const done = run(
      back,
      (['t1', 't2', 't3', 't4'] as const)
        .map((id) => at(TESS, { type: 'record_version', terminalId: id, version: FROM }))
        .concat([at(TESS, { type: 'complete_step' })]),
    );
    expect(done.status).toBe('rolled_back');
  });

  it('an intervention is claimed by its role, one claimant at a time, and only the claimant acts on it', () => {
    const at = clock();
    const paused = run(planDeployment(fixturePlan('canary_first')), [
      at(TESS, {
        type: 'start',
        strategy: 'canary_first',
        canaryTerminalId: 't1',
        window: OPEN,
        ring: IN_RING,
      }),
    ]);
    const byTechnician = applyAction(paused, at(TESS, { type: 'claim_intervention' }));
    expect(byTechnician.ok ? null : byTechnician.refusal).toMatchObject({
      code: 'wrong_role',
      message: expect.stringContaining('manager'),
    });
    const claimed = run(paused, [at(MAYA, { type: 'claim_intervention' })]);
    const second = applyAction(
      claimed,
      at({ userId: 'u-other-manager', role: 'manager' }, { type: 'claim_intervention' }),
    );
    expect(second.ok ? null : second.refusal.code).toBe('already_claimed');
    const notClaimant = applyAction(
      claimed,
      at(
        { userId: 'u-other-manager', role: 'manager' },
        { type: 'proceed_intervention', notes: '' },
      ),
    );
    expect(notClaimant.ok ? null : notClaimant.refusal.code).toBe('not_the_claimant');
    const abortNoNotes = applyAction(claimed, at(MAYA, { type: 'abort_intervention', notes: ' ' }));
    expect(abortNoNotes.ok ? null : abortNoNotes.refusal.code).toBe('reason_required');
    const released = run(claimed, [at(MAYA, { type: 'release_intervention' })]);
    expect(released.intervention?.claimant).toBeNull();
    expect(
      run(released, [
        at({ userId: 'u-other-manager', role: 'manager' }, { type: 'claim_intervention' }),
      ]).intervention?.claimant?.userId,
    ).toBe('u-other-manager');
  });

  it('skip needs the manager and a reason; a mandatory step also needs a change request', () => {
    const at = clock();
    const s = run(planDeployment(fixturePlan('all_at_once')), [
      at(TESS, {
        type: 'start',
        strategy: 'all_at_once',
        canaryTerminalId: null,
        window: OPEN,
        ring: IN_RING,
      }),
    ]);
    const cases: [DeploymentAction, RefusalCode][] = [
      [
        at(TESS, { type: 'skip_step', reason: 'Already installed', changeRequestId: 'cr-1' }),
        'needs_manager',
      ],
      [at(MAYA, { type: 'skip_step', reason: '  ', changeRequestId: 'cr-1' }), 'reason_required'],
      [
        at(MAYA, { type: 'skip_step', reason: 'Already installed', changeRequestId: null }),
        'change_request_required',
      ],
    ];
    for (const [action, code] of cases) {
      const result = applyAction(s, action);
      expect(result.ok ? null : result.refusal.code).toBe(code);
    }
    expect(
      currentStep(
        run(s, [
          at(MAYA, { type: 'skip_step', reason: 'Already installed', changeRequestId: 'cr-1' }),
        ]),
      )?.id,
    ).toBe('capture');
  });

  it('the start checks strategy, canary, window and ring; an override needs the manager and a reason', () => {
    const planned = planDeployment(fixturePlan('canary_first'));
    const start = (
      actor = TESS,
      over: Partial<Extract<DeploymentAction, { type: 'start' }>> = {},
    ): DeploymentAction => ({
      type: 'start',
      at: 1,
      actor,
      strategy: 'canary_first',
      canaryTerminalId: 't1',
      window: OPEN,
      ring: IN_RING,
      ...over,
    });
    const cases: [DeploymentAction, RefusalCode][] = [
      [start(TESS, { strategy: 'blue_green', canaryTerminalId: null }), 'strategy_not_allowed'],
      [start(TESS, { canaryTerminalId: null }), 'canary_required'],
      [start(TESS, { canaryTerminalId: 't9' }), 'unknown_terminal'],
      [
        start(TESS, { window: { basis: 'blocked', message: 'In freeze "Christmas" until …' } }),
        'outside_window',
      ],
      [
        start(TESS, { window: { basis: 'override', reason: 'Urgent fix' } }),
        'override_needs_manager',
      ],
      [start(MAYA, { window: { basis: 'override', reason: ' ' } }), 'reason_required'],
      [
        start(TESS, { ring: { basis: 'blocked', message: 'not for this ring' } }),
        'ring_not_approved',
      ],
      [start(SAM), 'wrong_role'],
    ];
    for (const [action, code] of cases) {
      const result = applyAction(planned, action);
      expect(result.ok ? null : result.refusal.code, code).toBe(code);
    }
    expect(
      applyAction(planned, start(MAYA, { window: { basis: 'override', reason: 'Urgent fix' } })).ok,
    ).toBe(true);
    expect(
      applyAction(
        planned,
        start(LEO, { window: { basis: 'change_request', changeRequestId: 'cr-7' } }),
      ).ok,
    ).toBe(true);
  });

  it('versions: a typo or a version that is neither the old nor the new release is refused', () => {
    const at = clock();
    const s = run(planDeployment(fixturePlan('all_at_once')), [
      at(TESS, {
        type: 'start',
        strategy: 'all_at_once',
        canaryTerminalId: null,
        window: OPEN,
        ring: IN_RING,
      }),
      at(TESS, { type: 'complete_step' }),
    ]);
    for (const [version, code] of [
      ['v4.4.0', 'invalid_version'],
      ['4.4', 'invalid_version'],
      ['4.3.0', 'unexpected_version'],
    ] as const) {
      const result = applyAction(
        s,
        at(TESS, { type: 'record_version', terminalId: 't1', version }),
      );
      expect(result.ok ? null : result.refusal.code, version).toBe(code);
    }
    const unknown = applyAction(
      s,
      at(TESS, { type: 'record_version', terminalId: 't9', version: TARGET }),
    );
    expect(unknown.ok ? null : unknown.refusal.code).toBe('unknown_terminal');
  });

  it('abort asks for a confirmation and a reason', () => {
    const planned = planDeployment(fixturePlan('all_at_once'));
    const unconfirmed = applyAction(planned, {
      type: 'abort',
      at: 1,
      actor: TESS,
      isConfirmed: false,
      reason: 'Store reopens',
    });
    expect(unconfirmed.ok ? null : unconfirmed.refusal.code).toBe('confirmation_required');
    const noReason = applyAction(planned, {
      type: 'abort',
      at: 1,
      actor: TESS,
      isConfirmed: true,
      reason: '',
    });
    expect(noReason.ok ? null : noReason.refusal.code).toBe('reason_required');
  });
});
