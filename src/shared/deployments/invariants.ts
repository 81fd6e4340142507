/**
 * What must hold in every deployment state, whatever happened before: the
 * property test checks these after every action, and the console checks them
 * after rebuilding a deployment from the journal. Each problem in plain words.
 */
import { currentStep, isFinished, type DeploymentState } from './stateMachine.ts';

export function deploymentInconsistencies(state: DeploymentState): string[] {
  const problems: string[] = [];
  const step = currentStep(state);
  const live = state.terminals.filter((t) => t.progress !== 'excluded');
  const target = state.plan.targetVersion;

  if (state.status === 'planned' || isFinished(state.status)) {
    if (state.stepIndex !== -1 || state.intervention !== null)
      problems.push(`${state.status} but still at a step`);
  } else if (step === null) {
    problems.push(`${state.status} without a current step`);
  }
  if (state.status === 'completed') {
    if (state.phase !== 'forward') problems.push('completed during a rollback');
    const behind = live.filter((t) => t.progress !== 'new');
    if (behind.length > 0)
      problems.push(
        `completed with ${behind.map((t) => t.terminalId).join(', ')} not on the new release and not excluded`,
      );
    if (live.length === 0) problems.push('completed with every terminal excluded');
  }
  if (state.status === 'rolled_back') {
    if (state.phase !== 'rollback') problems.push('rolled back without a rollback');
    if (live.some((t) => t.progress === 'new'))
      problems.push('rolled back with a terminal still on the new release');
  }
  if ((state.status === 'paused_at_intervention') !== (state.intervention !== null))
    problems.push('paused without an intervention, or an intervention while not paused');
  if (state.intervention !== null) {
    if (step?.kind !== 'intervention' || step.id !== state.intervention.stepId)
      problems.push('the intervention is not the current step');
    if (
      state.intervention.claimant !== null &&
      state.intervention.claimant.role !== state.intervention.role
    )
      problems.push('claimed by the wrong role');
    if ((state.intervention.claimant === null) !== (state.intervention.claimedAt === null))
      problems.push('claimant and claim time disagree');
  }
  if (state.status === 'verifying' && step?.kind !== 'checklist')
    problems.push('verifying outside a checklist step');
  if (
    state.status === 'in_progress' &&
    (step?.kind === 'checklist' || step?.kind === 'intervention')
  )
    problems.push(`in progress at a ${step.kind} step`);
  if ((state.status === 'failed') !== (state.failure !== null))
    problems.push('failed without a failure, or a failure while not failed');

  for (const t of state.terminals) {
    if (t.progress === 'new' && t.version !== target)
      problems.push(`${t.terminalId} counted as new but shows ${t.version ?? 'nothing'}`);
    if (t.progress === 'rolled_back' && !state.history.some((h) => h.action === 'roll_back'))
      problems.push(`${t.terminalId} rolled back without a rollback`);
    if (t.progress === 'excluded' && (t.excludedReason === null || t.excludedReason.trim() === ''))
      problems.push(`${t.terminalId} excluded without a reason`);
  }

  if (state.strategy === 'canary_first') {
    if (state.canary === null) problems.push('canary first without a canary');
    else {
      const othersTouched = state.terminals.some(
        (t) => t.terminalId !== state.canary!.terminalId && t.isTouched,
      );
      if ((othersTouched || state.wave === 'fleet') && state.canary.result !== 'passed')
        problems.push('other terminals started before the canary passed');
    }
  } else if (state.canary !== null || state.wave === 'canary') {
    problems.push(`a canary without canary first`);
  }

  if (state.strategy === 'blue_green') {
    for (const t of live) {
      if (t.slot === null) problems.push(`${t.terminalId} has no slot in a blue-green deployment`);
      if (t.progress === 'new' && t.slot !== 'new_active')
        problems.push(`${t.terminalId} counted as new but its new slot is not active`);
      if (
        t.slot === 'new_active' &&
        !state.history.some((h) => h.action === 'stage_release' && h.terminalId === t.terminalId)
      ) {
        problems.push(`${t.terminalId} switched before it was staged`);
      }
    }
  } else if (state.terminals.some((t) => t.slot !== null)) {
    problems.push('slots outside blue-green');
  }
  return problems;
}
