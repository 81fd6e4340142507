/**
 * The deployment state machine (issue 5), as pure functions: `applyAction`
 * takes a deployment's state and one action and returns the next state, or a
 * refusal with a stable code and plain words. Nothing else changes state, so
 * the console's service, the journal fold and the tests all run this code.
 *
 * How a deployment moves: the runbook's steps are walked in order. Canary
 * first walks them twice — once for the canary terminal (its smoke test must
 * pass), then for the others. Blue-green and all at once walk them once for
 * every terminal. A failed step waits for the technician's choice: retry,
 * skip (manager), exclude a terminal, roll back (walks the rollback runbook)
 * or abort. Completed, rolled back and aborted are final.
 */
import type { AuditActor } from '../audit/event.ts';
import { isValidVersion } from '../domain/releases.ts';
import type { Role } from '../domain/roles.ts';
import { assertNever } from '../errors.ts';
import { reasonProblem, type ReasonPurpose } from './reasons.ts';
import type { RunbookStep, Strategy } from './runbook.ts';

export const DEPLOYMENT_STATUSES = [
  'planned',
  'in_progress',
  'paused_at_intervention',
  'verifying',
  'completed',
  'rolled_back',
  'failed',
  'aborted',
] as const;
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

const DEPLOYMENT_STATUS_LABELS: Record<DeploymentStatus, string> = {
  planned: 'Planned',
  in_progress: 'In progress',
  paused_at_intervention: 'Paused at an intervention',
  verifying: 'Verifying',
  completed: 'Completed',
  rolled_back: 'Rolled back',
  failed: 'Step failed: waiting for a decision',
  aborted: 'Aborted',
};

/**
 * The words for where a deployment stands, as the screens show them: while
 * the rollback runbook is walked the deployment is rolling back, whatever the
 * kind of its current step, so nobody mistakes it for the forward run.
 */
export function deploymentStatusLabel(state: Pick<DeploymentState, 'status' | 'phase'>): string {
  if (state.phase !== 'rollback') return DEPLOYMENT_STATUS_LABELS[state.status];
  switch (state.status) {
    case 'in_progress':
    case 'verifying':
      return 'Rolling back';
    case 'paused_at_intervention':
      return 'Rolling back: paused at an intervention';
    case 'failed':
      return 'Rollback step failed: waiting for a decision';
    case 'planned':
    case 'completed':
    case 'rolled_back':
    case 'aborted':
      return DEPLOYMENT_STATUS_LABELS[state.status];
    default:
      return assertNever(state.status, 'deployment status');
  }
}

/** Final states: nothing moves a deployment out of them. */
export const FINISHED_STATUSES = [
  'completed',
  'rolled_back',
  'aborted',
] as const satisfies readonly DeploymentStatus[];

export function isFinished(status: DeploymentStatus): boolean {
  return (FINISHED_STATUSES as readonly DeploymentStatus[]).includes(status);
}

/** Where a terminal stands: still on the old release, on the new one, left out, or back on the old one after a rollback. */
export const TERMINAL_PROGRESS = ['old', 'new', 'excluded', 'rolled_back'] as const;
export type TerminalProgress = (typeof TERMINAL_PROGRESS)[number];

/** Blue-green slots: the old release active; the new one staged on standby; the new one active with the old kept for an instant switch back. */
export const SLOT_STATES = ['old_active', 'new_staged', 'new_active'] as const;
export type SlotState = (typeof SLOT_STATES)[number];

export type PlannedTerminal = {
  terminalId: string;
  name: string;
  /** The version recorded before the deployment; null when the terminal was never observed. */
  fromVersion: string | null;
};

/** What a deployment is about, fixed when it is planned: the runbook is copied so the journal shows what was followed. */
export type DeploymentPlan = {
  deploymentId: string;
  releaseId: string;
  storeId: string;
  targetVersion: string;
  terminals: PlannedTerminal[];
  runbook: {
    id: string;
    strategies: Strategy[];
    steps: RunbookStep[];
    rollbackSteps: RunbookStep[];
  };
};

export type TerminalState = PlannedTerminal & {
  progress: TerminalProgress;
  /** The last version recorded during this deployment. */
  version: string | null;
  /** Something was done to it (version recorded, staged, switched): a rollback must bring it back. */
  isTouched: boolean;
  /** Blue-green only; null for the other strategies. */
  slot: SlotState | null;
  excludedReason: string | null;
};

export const PHASES = ['forward', 'rollback'] as const;
export type Phase = (typeof PHASES)[number];
/** Canary first walks the runbook for the canary, then for the fleet; the other strategies have the fleet wave only. */
export const WAVES = ['canary', 'fleet'] as const;
export type Wave = (typeof WAVES)[number];

export type Intervention = {
  stepId: string;
  role: Role;
  reachedAt: number;
  claimant: AuditActor | null;
  claimedAt: number | null;
};

export type StepProgress = {
  startedAt: number;
  /** Terminals whose version was recorded during this step. */
  captured: string[];
};

export type HistoryEntry = {
  at: number;
  actor: AuditActor;
  action: DeploymentActionType;
  phase: Phase;
  wave: Wave;
  stepId: string | null;
  status: DeploymentStatus;
  terminalId: string | null;
  note: string | null;
};

export type DeploymentState = {
  plan: DeploymentPlan;
  status: DeploymentStatus;
  strategy: Strategy | null;
  phase: Phase;
  wave: Wave;
  canary: { terminalId: string; result: 'pending' | 'passed' | 'failed' } | null;
  /** Index into the current phase's steps; -1 before the start and after the end. */
  stepIndex: number;
  step: StepProgress | null;
  intervention: Intervention | null;
  failure: { code: string; message: string; at: number } | null;
  terminals: TerminalState[];
  startedAt: number | null;
  finishedAt: number | null;
  history: HistoryEntry[];
};

/** How the start was cleared against trading hours and freezes (computed by windows.ts). */
export type WindowClearance =
  | { basis: 'open' }
  | { basis: 'override'; reason: string }
  | { basis: 'change_request'; changeRequestId: string }
  | { basis: 'blocked'; message: string };

/** Whether the release may go to this store's ring (computed by changeRequests.ts). */
export type RingClearance =
  | { basis: 'in_ring' }
  | { basis: 'change_request'; changeRequestId: string }
  | { basis: 'blocked'; message: string };

type Base = { at: number; actor: AuditActor };
export type DeploymentAction = Base &
  (
    | {
        type: 'start';
        strategy: Strategy;
        canaryTerminalId: string | null;
        window: WindowClearance;
        ring: RingClearance;
        /** A store manager's emergency bypass of a release the release desk blocked, with the reason. */
        blockBypass?: { reason: string };
      }
    /**
     * At a decision step, the go decision that opens it: the console reads it
     * from its state (its own or one from the feed) and the journal keeps it,
     * so the fold replays the same gate.
     */
    | { type: 'complete_step'; decisionId?: string }
    | { type: 'fail_step'; reason: string }
    | { type: 'retry_step' }
    | { type: 'skip_step'; reason: string; changeRequestId: string | null }
    | { type: 'exclude_terminal'; terminalId: string; reason: string }
    | { type: 'roll_back'; reason: string }
    | { type: 'abort'; isConfirmed: boolean; reason: string }
    | { type: 'claim_intervention' }
    | { type: 'release_intervention' }
    | { type: 'proceed_intervention'; notes: string }
    | { type: 'abort_intervention'; notes: string }
    | { type: 'record_version'; terminalId: string; version: string }
    | { type: 'record_smoke_result'; runId: string; isPassed: boolean }
    | { type: 'stage_release'; terminalId: string }
    | { type: 'switch_slots' }
    | { type: 'switch_back' }
    | { type: 'resume' }
  );
export type DeploymentActionType = DeploymentAction['type'];

export const DEPLOYMENT_ACTION_TYPES = [
  'start',
  'complete_step',
  'fail_step',
  'retry_step',
  'skip_step',
  'exclude_terminal',
  'roll_back',
  'abort',
  'claim_intervention',
  'release_intervention',
  'proceed_intervention',
  'abort_intervention',
  'record_version',
  'record_smoke_result',
  'stage_release',
  'switch_slots',
  'switch_back',
  'resume',
] as const satisfies readonly DeploymentActionType[];

/** Every reason an action can be refused: stable codes the UI and tests rely on. */
export const REFUSAL_CODES = [
  'deployment_finished',
  'not_started',
  'already_started',
  'strategy_not_allowed',
  'canary_required',
  'unknown_terminal',
  'outside_window',
  'override_needs_manager',
  'reason_required',
  'ring_not_approved',
  'wrong_step',
  'step_failed',
  'step_incomplete',
  'wait_not_over',
  'intervention_pending',
  'not_failed',
  'needs_manager',
  'change_request_required',
  'canary_smoke_required',
  'terminal_excluded',
  'terminal_not_in_scope',
  'canary_not_passed',
  'already_rolling_back',
  'confirmation_required',
  'wrong_role',
  'already_claimed',
  'not_claimed',
  'not_the_claimant',
  'invalid_version',
  'unexpected_version',
  'already_staged',
  'not_staged',
  'not_switched',
  'terminals_not_updated',
  'terminals_not_rolled_back',
  'nothing_deployed',
  'decision_required',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

export type Refusal = { code: RefusalCode; message: string };
export type Transition = { ok: true; state: DeploymentState } | { ok: false; refusal: Refusal };

function refuse(code: RefusalCode, message: string): Transition {
  return { ok: false, refusal: { code, message } };
}

/** The state of a deployment just planned: every terminal still on the old release. */
export function planDeployment(plan: DeploymentPlan): DeploymentState {
  return {
    plan,
    status: 'planned',
    strategy: null,
    phase: 'forward',
    wave: 'fleet',
    canary: null,
    stepIndex: -1,
    step: null,
    intervention: null,
    failure: null,
    terminals: plan.terminals.map((t) => ({
      ...t,
      progress: 'old',
      version: t.fromVersion,
      isTouched: false,
      slot: null,
      excludedReason: null,
    })),
    startedAt: null,
    finishedAt: null,
    history: [],
  };
}

function currentSteps(state: DeploymentState): RunbookStep[] {
  return state.phase === 'forward' ? state.plan.runbook.steps : state.plan.runbook.rollbackSteps;
}

export function currentStep(state: DeploymentState): RunbookStep | null {
  return state.stepIndex < 0 ? null : (currentSteps(state)[state.stepIndex] ?? null);
}

/**
 * The terminals the current wave or the rollback works on (never the excluded
 * ones). A rollback works on every terminal something was done to, and on
 * every terminal of the wave it interrupted: an install that failed half way
 * leaves no version recorded, yet that terminal must be checked (version,
 * smoke test) after the rollback like the others.
 */
export function terminalsInScope(state: DeploymentState): TerminalState[] {
  const live = state.terminals.filter((t) => t.progress !== 'excluded');
  if (state.phase === 'rollback') {
    const interrupted = new Set(
      terminalsInScope({ ...state, phase: 'forward' }).map((t) => t.terminalId),
    );
    return live.filter((t) => t.isTouched || interrupted.has(t.terminalId));
  }
  if (state.strategy === 'canary_first' && state.canary !== null) {
    return state.wave === 'canary'
      ? live.filter((t) => t.terminalId === state.canary!.terminalId)
      : live.filter((t) => t.terminalId !== state.canary!.terminalId);
  }
  return live;
}

function statusForStep(step: RunbookStep): DeploymentStatus {
  switch (step.kind) {
    case 'intervention':
      return 'paused_at_intervention';
    case 'checklist':
      return 'verifying';
    case 'instruction':
    case 'version_capture':
    case 'wait':
    case 'stage':
    case 'switch':
    case 'decision':
      return 'in_progress';
    default:
      return assertNever(step, 'step kind');
  }
}

function names(terminals: readonly TerminalState[]): string {
  return terminals.map((t) => t.name).join(', ');
}

/** Puts the deployment on step `index` of the current phase, or finishes the wave or the phase when there is none. */
function enterStep(state: DeploymentState, index: number, at: number): Transition {
  const steps = currentSteps(state);
  const step = steps[index];
  if (step !== undefined) {
    const intervention: Intervention | null =
      step.kind === 'intervention'
        ? { stepId: step.id, role: step.role, reachedAt: at, claimant: null, claimedAt: null }
        : null;
    return {
      ok: true,
      state: {
        ...state,
        stepIndex: index,
        step: { startedAt: at, captured: [] },
        status: statusForStep(step),
        intervention,
        failure: null,
      },
    };
  }
  const live = state.terminals.filter((t) => t.progress !== 'excluded');
  if (state.phase === 'rollback') {
    const notBack = live.filter((t) => t.progress === 'new');
    if (notBack.length > 0) {
      return refuse(
        'terminals_not_rolled_back',
        `${names(notBack)} still run the new release: record their version after the rollback, or exclude them.`,
      );
    }
    return { ok: true, state: finish(state, 'rolled_back', at) };
  }
  if (state.wave === 'canary') {
    if (state.canary?.result !== 'passed')
      return refuse(
        'canary_not_passed',
        'The canary terminal must pass its smoke test before the others start.',
      );
    const canaryTerminal = findTerminal(state, state.canary.terminalId);
    if (canaryTerminal?.progress !== 'new') {
      return refuse(
        'terminals_not_updated',
        `The canary ${canaryTerminal?.name ?? ''} does not run ${state.plan.targetVersion}: record its version before the others start.`,
      );
    }
    const fleetWave: DeploymentState = { ...state, wave: 'fleet' };
    if (terminalsInScope(fleetWave).length === 0) return enterStep(fleetWave, steps.length, at);
    return enterStep(fleetWave, 0, at);
  }
  const notUpdated = live.filter((t) => t.progress !== 'new');
  if (notUpdated.length > 0) {
    return refuse(
      'terminals_not_updated',
      `${names(notUpdated)} do not run ${state.plan.targetVersion} yet: record their version, exclude them, or roll back.`,
    );
  }
  if (live.length === 0)
    return refuse(
      'nothing_deployed',
      'Every terminal is excluded: nothing was deployed. Abort the deployment instead.',
    );
  if (state.strategy === 'blue_green') {
    const notSwitched = live.filter((t) => t.slot !== 'new_active');
    if (notSwitched.length > 0)
      return refuse('not_switched', `${names(notSwitched)} have not switched to the new slot.`);
  }
  return { ok: true, state: finish(state, 'completed', at) };
}

function finish(state: DeploymentState, status: DeploymentStatus, at: number): DeploymentState {
  return {
    ...state,
    status,
    stepIndex: -1,
    step: null,
    intervention: null,
    failure: null,
    finishedAt: at,
  };
}

function fail(state: DeploymentState, code: string, message: string, at: number): DeploymentState {
  return { ...state, status: 'failed', intervention: null, failure: { code, message, at } };
}

function updateTerminal(
  state: DeploymentState,
  terminalId: string,
  change: (t: TerminalState) => TerminalState,
): DeploymentState {
  return {
    ...state,
    terminals: state.terminals.map((t) => (t.terminalId === terminalId ? change(t) : t)),
  };
}

function findTerminal(state: DeploymentState, terminalId: string): TerminalState | undefined {
  return state.terminals.find((t) => t.terminalId === terminalId);
}

/** Refuses a terminal that is unknown, excluded, or outside the current wave. */
function checkInScope(state: DeploymentState, terminalId: string): Refusal | null {
  const terminal = findTerminal(state, terminalId);
  if (terminal === undefined)
    return {
      code: 'unknown_terminal',
      message: `Terminal ${terminalId} is not part of this deployment.`,
    };
  if (terminal.progress === 'excluded')
    return {
      code: 'terminal_excluded',
      message: `${terminal.name} was excluded from this deployment.`,
    };
  if (terminalsInScope(state).some((t) => t.terminalId === terminalId)) return null;
  if (state.phase === 'forward' && state.wave === 'canary') {
    return {
      code: 'canary_not_passed',
      message: `${terminal.name} waits: the others start only after the canary is updated and passes its smoke test.`,
    };
  }
  return {
    code: 'terminal_not_in_scope',
    message: `${terminal.name} has nothing to do in this part of the deployment.`,
  };
}

/** Who runs a deployment; an intervention is acted on by whoever the runbook names, and anyone signed in may resume. */
export const FIELD_ROLES: readonly Role[] = ['technician', 'manager'];
const INTERVENTION_ACTIONS: readonly DeploymentActionType[] = [
  'claim_intervention',
  'release_intervention',
  'proceed_intervention',
  'abort_intervention',
  'resume',
];

/** Which statuses each action may start from; anything else is refused with `statusRefusal`. */
const ACTIVE: readonly DeploymentStatus[] = [
  'in_progress',
  'paused_at_intervention',
  'verifying',
  'failed',
];

function statusRefusal(state: DeploymentState, action: DeploymentAction): Refusal {
  if (isFinished(state.status)) {
    return {
      code: 'deployment_finished',
      message: `This deployment is ${DEPLOYMENT_STATUS_LABELS[state.status].toLowerCase()}: nothing more can be done on it.`,
    };
  }
  if (state.status === 'planned')
    return { code: 'not_started', message: 'Start the deployment first.' };
  if (state.status === 'failed') {
    return {
      code: 'step_failed',
      message: 'The step failed: retry it, skip it, exclude a terminal, roll back or abort.',
    };
  }
  if (state.status === 'paused_at_intervention') {
    return {
      code: 'intervention_pending',
      message:
        'The deployment waits at an intervention: it must be claimed, then proceeded or aborted.',
    };
  }
  return {
    code: 'wrong_step',
    message: `"${action.type.replace(/_/g, ' ')}" does not apply to the current step.`,
  };
}

function withHistory(
  before: DeploymentState,
  after: DeploymentState,
  action: DeploymentAction,
): DeploymentState {
  const step = currentStep(before);
  const terminalId = 'terminalId' in action ? action.terminalId : null;
  const note =
    'reason' in action
      ? action.reason
      : 'notes' in action
        ? action.notes
        : action.type === 'record_version'
          ? action.version
          : action.type === 'record_smoke_result'
            ? action.isPassed
              ? 'passed'
              : 'failed'
            : null;
  const entry: HistoryEntry = {
    at: action.at,
    actor: action.actor,
    action: action.type,
    phase: before.phase,
    wave: before.wave,
    stepId: step?.id ?? null,
    status: after.status,
    terminalId,
    note,
  };
  return { ...after, history: [...after.history, entry] };
}

/** Applies one action. A refusal leaves the state exactly as it was. */
export function applyAction(state: DeploymentState, action: DeploymentAction): Transition {
  const result = transition(state, action);
  return result.ok ? { ok: true, state: withHistory(state, result.state, action) } : result;
}

function transition(state: DeploymentState, action: DeploymentAction): Transition {
  if (isFinished(state.status)) {
    const refusal = statusRefusal(state, action);
    return refuse(refusal.code, refusal.message);
  }
  if (state.status === 'planned' && action.type !== 'start' && action.type !== 'abort')
    return refuse('not_started', 'Start the deployment first.');
  if (!INTERVENTION_ACTIONS.includes(action.type) && !FIELD_ROLES.includes(action.actor.role)) {
    return refuse('wrong_role', 'Deployments are run by field technicians and store managers.');
  }
  const step = currentStep(state);
  const wrong = (): Transition => {
    const refusal = statusRefusal(state, action);
    return refuse(refusal.code, refusal.message);
  };
  const needsReason = (text: string, purpose: ReasonPurpose): Transition | null => {
    const problem = reasonProblem(text, purpose);
    return problem === null ? null : refuse('reason_required', problem.message);
  };

  switch (action.type) {
    case 'start': {
      if (state.status !== 'planned')
        return refuse('already_started', 'This deployment has already started.');
      if (!state.plan.runbook.strategies.includes(action.strategy)) {
        return refuse(
          'strategy_not_allowed',
          `The runbook does not allow ${action.strategy.replace(/_/g, ' ')}; it allows ${state.plan.runbook.strategies.join(', ').replace(/_/g, ' ')}.`,
        );
      }
      if (action.window.basis === 'blocked') return refuse('outside_window', action.window.message);
      if (action.window.basis === 'override') {
        if (action.actor.role !== 'manager')
          return refuse(
            'override_needs_manager',
            'Only a store manager can override trading hours.',
          );
        const missing = needsReason(action.window.reason, 'start');
        if (missing) return missing;
      }
      if (action.ring.basis === 'blocked') return refuse('ring_not_approved', action.ring.message);
      let canary: DeploymentState['canary'] = null;
      if (action.strategy === 'canary_first') {
        if (action.canaryTerminalId === null)
          return refuse('canary_required', 'Choose the canary terminal.');
        if (findTerminal(state, action.canaryTerminalId) === undefined)
          return refuse(
            'unknown_terminal',
            `Terminal ${action.canaryTerminalId} is not part of this deployment.`,
          );
        canary = { terminalId: action.canaryTerminalId, result: 'pending' };
      } else if (action.canaryTerminalId !== null) {
        return refuse('canary_required', 'Only canary first names a canary terminal.');
      }
      const started: DeploymentState = {
        ...state,
        strategy: action.strategy,
        canary,
        wave: canary === null ? 'fleet' : 'canary',
        startedAt: action.at,
        terminals: state.terminals.map((t) => ({
          ...t,
          slot: action.strategy === 'blue_green' ? 'old_active' : null,
        })),
      };
      return enterStep(started, 0, action.at);
    }

    case 'complete_step': {
      if (step === null || (state.status !== 'in_progress' && state.status !== 'verifying'))
        return wrong();
      if (step.kind !== 'decision' && action.decisionId !== undefined)
        return refuse('wrong_step', 'Only a decision step is opened by a go decision.');
      switch (step.kind) {
        case 'instruction':
          return enterStep(state, state.stepIndex + 1, action.at);
        case 'decision':
          if (action.decisionId === undefined)
            return refuse(
              'decision_required',
              `"${step.title}" waits for the store manager's go decision for this release.`,
            );
          return enterStep(state, state.stepIndex + 1, action.at);
        case 'wait': {
          const endsAt = state.step!.startedAt + step.durationMs;
          if (action.at < endsAt)
            return refuse(
              'wait_not_over',
              `Wait ${Math.ceil((endsAt - action.at) / 1000)} s more before going on.`,
            );
          return enterStep(state, state.stepIndex + 1, action.at);
        }
        case 'version_capture': {
          const scope = terminalsInScope(state);
          if (scope.length === 0 && state.phase === 'rollback') {
            // A rollback that confirmed no terminal's version proves nothing was brought back.
            return refuse(
              'step_incomplete',
              'No terminal is left to record a version for: every terminal of the rollback is excluded. Abort the deployment instead.',
            );
          }
          const missing = scope.filter((t) => !state.step!.captured.includes(t.terminalId));
          if (missing.length > 0)
            return refuse('step_incomplete', `Record the version of ${names(missing)} first.`);
          return enterStep(state, state.stepIndex + 1, action.at);
        }
        case 'stage': {
          const missing = terminalsInScope(state).filter((t) => t.slot !== 'new_staged');
          if (missing.length > 0)
            return refuse('not_staged', `Stage the release on ${names(missing)} first.`);
          return enterStep(state, state.stepIndex + 1, action.at);
        }
        case 'switch':
          return refuse(
            'wrong_step',
            state.phase === 'forward'
              ? 'Switch the slots: that is this step.'
              : 'Switch back to the old slot: that is this step.',
          );
        case 'checklist':
          return refuse('step_incomplete', 'Record the smoke test result: it decides this step.');
        case 'intervention':
          return wrong();
        default:
          return assertNever(step, 'step kind');
      }
    }

    case 'fail_step': {
      if (state.status !== 'in_progress' && state.status !== 'verifying') return wrong();
      const missing = needsReason(action.reason, 'fail_step');
      if (missing) return missing;
      return { ok: true, state: fail(state, 'step_failed', action.reason, action.at) };
    }

    case 'retry_step': {
      if (state.status !== 'failed')
        return refuse('not_failed', 'Only a failed step can be retried.');
      const canary =
        state.canary !== null && state.wave === 'canary' && state.phase === 'forward'
          ? { ...state.canary, result: 'pending' as const }
          : state.canary;
      return enterStep({ ...state, canary }, state.stepIndex, action.at);
    }

    case 'skip_step': {
      if (!ACTIVE.includes(state.status) || step === null) return wrong();
      if (action.actor.role !== 'manager')
        return refuse('needs_manager', 'Skipping a step needs the store manager.');
      const missing = needsReason(action.reason, 'skip_step');
      if (missing) return missing;
      if (step.mandatory && action.changeRequestId === null) {
        return refuse(
          'change_request_required',
          `"${step.title}" is mandatory: skipping it needs an approved change request.`,
        );
      }
      if (step.kind === 'checklist' && state.phase === 'forward' && state.wave === 'canary') {
        return refuse(
          'canary_smoke_required',
          'The canary must pass its smoke test before the others start: roll back or abort instead.',
        );
      }
      return enterStep(state, state.stepIndex + 1, action.at);
    }

    case 'exclude_terminal': {
      if (
        state.status !== 'in_progress' &&
        state.status !== 'verifying' &&
        state.status !== 'failed'
      )
        return wrong();
      const terminal = findTerminal(state, action.terminalId);
      if (terminal === undefined)
        return refuse(
          'unknown_terminal',
          `Terminal ${action.terminalId} is not part of this deployment.`,
        );
      if (terminal.progress === 'excluded')
        return refuse('terminal_excluded', `${terminal.name} is already excluded.`);
      if (
        state.canary?.terminalId === action.terminalId &&
        state.phase === 'forward' &&
        state.wave === 'canary'
      ) {
        return refuse(
          'canary_required',
          'The canary cannot be excluded while it is being tested: roll back or abort instead.',
        );
      }
      const missing = needsReason(action.reason, 'exclude_terminal');
      if (missing) return missing;
      return {
        ok: true,
        state: updateTerminal(state, action.terminalId, (t) => ({
          ...t,
          progress: 'excluded',
          excludedReason: action.reason,
        })),
      };
    }

    case 'roll_back': {
      if (
        state.status !== 'in_progress' &&
        state.status !== 'verifying' &&
        state.status !== 'failed'
      )
        return wrong();
      if (state.phase === 'rollback')
        return refuse('already_rolling_back', 'The rollback runbook is already being walked.');
      const missing = needsReason(action.reason, 'roll_back');
      if (missing) return missing;
      const canary =
        state.canary !== null && state.wave === 'canary' && state.canary.result === 'pending'
          ? { ...state.canary, result: 'failed' as const }
          : state.canary;
      return enterStep(
        { ...state, phase: 'rollback', canary, intervention: null, failure: null },
        0,
        action.at,
      );
    }

    case 'abort': {
      if (!action.isConfirmed)
        return refuse('confirmation_required', 'Confirm that you want to abort this deployment.');
      const missing = needsReason(action.reason, 'abort');
      if (missing) return missing;
      return { ok: true, state: finish(state, 'aborted', action.at) };
    }

    case 'claim_intervention': {
      if (state.status !== 'paused_at_intervention' || state.intervention === null) return wrong();
      const { intervention } = state;
      if (intervention.claimant !== null) {
        return refuse(
          'already_claimed',
          intervention.claimant.userId === action.actor.userId
            ? 'You have already claimed this intervention.'
            : 'Someone else has claimed this intervention: one claimant at a time.',
        );
      }
      if (action.actor.role !== intervention.role)
        return refuse('wrong_role', `This intervention is for the ${intervention.role} role.`);
      return {
        ok: true,
        state: {
          ...state,
          intervention: { ...intervention, claimant: action.actor, claimedAt: action.at },
        },
      };
    }

    case 'release_intervention':
    case 'proceed_intervention':
    case 'abort_intervention': {
      if (state.status !== 'paused_at_intervention' || state.intervention === null) return wrong();
      const { intervention } = state;
      if (intervention.claimant === null)
        return refuse('not_claimed', 'Claim the intervention first ("assign to me").');
      if (intervention.claimant.userId !== action.actor.userId)
        return refuse(
          'not_the_claimant',
          'Only the person who claimed the intervention can act on it.',
        );
      if (action.type === 'release_intervention')
        return {
          ok: true,
          state: { ...state, intervention: { ...intervention, claimant: null, claimedAt: null } },
        };
      if (action.type === 'proceed_intervention')
        return enterStep(state, state.stepIndex + 1, action.at);
      const missing = needsReason(action.notes, 'abort_intervention');
      if (missing) return missing;
      return { ok: true, state: fail(state, 'intervention_aborted', action.notes, action.at) };
    }

    case 'record_version': {
      if (state.status !== 'in_progress' || step?.kind !== 'version_capture') {
        return state.status === 'in_progress'
          ? refuse('wrong_step', 'Versions are recorded at a version capture step.')
          : wrong();
      }
      const scope = checkInScope(state, action.terminalId);
      if (scope) return refuse(scope.code, scope.message);
      if (!isValidVersion(action.version))
        return refuse(
          'invalid_version',
          `"${action.version}" is not a version: type it as shown in Settings → About, e.g. 4.4.0.`,
        );
      const terminal = findTerminal(state, action.terminalId)!;
      const isNew = action.version === state.plan.targetVersion;
      const isOld =
        terminal.fromVersion === null ? !isNew : action.version === terminal.fromVersion;
      if (!isNew && !isOld) {
        return refuse(
          'unexpected_version',
          `${terminal.name} shows ${action.version}: this deployment moves it from ${terminal.fromVersion ?? 'an unknown version'} to ${state.plan.targetVersion}. Check the terminal, or fail the step.`,
        );
      }
      if (state.strategy === 'blue_green' && isNew && terminal.slot !== 'new_active') {
        return refuse(
          'not_switched',
          `${terminal.name} cannot show ${state.plan.targetVersion} before the switch: check the terminal.`,
        );
      }
      const progress: TerminalProgress = isNew
        ? 'new'
        : state.phase === 'rollback'
          ? 'rolled_back'
          : 'old';
      const recorded = updateTerminal(state, action.terminalId, (t) => ({
        ...t,
        version: action.version,
        progress,
        isTouched: true,
      }));
      const captured = state.step!.captured.includes(action.terminalId)
        ? state.step!.captured
        : [...state.step!.captured, action.terminalId];
      return { ok: true, state: { ...recorded, step: { ...state.step!, captured } } };
    }

    case 'record_smoke_result': {
      if (state.status !== 'verifying' || step?.kind !== 'checklist') return wrong();
      const isCanaryCheck =
        state.phase === 'forward' && state.wave === 'canary' && state.canary !== null;
      if (action.isPassed && state.phase === 'forward') {
        // A smoke test passed on a terminal still on the old release proves nothing about the new one.
        const behind = terminalsInScope(state).filter((t) => t.progress !== 'new');
        if (behind.length > 0) {
          return refuse(
            'terminals_not_updated',
            `${names(behind)} do not run ${state.plan.targetVersion}: a smoke test there proves nothing about it. Record the version again, or fail the step.`,
          );
        }
      }
      if (action.isPassed) {
        const canary = isCanaryCheck
          ? { ...state.canary!, result: 'passed' as const }
          : state.canary;
        return enterStep({ ...state, canary }, state.stepIndex + 1, action.at);
      }
      const canary = isCanaryCheck ? { ...state.canary!, result: 'failed' as const } : state.canary;
      return {
        ok: true,
        state: fail(
          { ...state, canary },
          'smoke_failed',
          `The smoke test failed (run ${action.runId}).`,
          action.at,
        ),
      };
    }

    case 'stage_release': {
      if (state.status !== 'in_progress' || step?.kind !== 'stage')
        return state.status === 'in_progress'
          ? refuse('wrong_step', 'The release is staged at the stage step.')
          : wrong();
      const scope = checkInScope(state, action.terminalId);
      if (scope) return refuse(scope.code, scope.message);
      const terminal = findTerminal(state, action.terminalId)!;
      if (terminal.slot !== 'old_active')
        return refuse(
          'already_staged',
          `${terminal.name} already has the release on its standby slot.`,
        );
      return {
        ok: true,
        state: updateTerminal(state, action.terminalId, (t) => ({
          ...t,
          slot: 'new_staged',
          isTouched: true,
        })),
      };
    }

    case 'switch_slots': {
      if (state.status !== 'in_progress' || step?.kind !== 'switch' || state.phase !== 'forward')
        return state.status === 'in_progress'
          ? refuse('wrong_step', 'The slots are switched at the switch step.')
          : wrong();
      const scope = terminalsInScope(state);
      const unstaged = scope.filter((t) => t.slot !== 'new_staged');
      if (unstaged.length > 0)
        return refuse(
          'not_staged',
          `${names(unstaged)} have nothing staged: the switch would leave them behind.`,
        );
      const ids = new Set(scope.map((t) => t.terminalId));
      const switched: DeploymentState = {
        ...state,
        terminals: state.terminals.map((t) =>
          ids.has(t.terminalId)
            ? { ...t, slot: 'new_active', progress: 'new', version: state.plan.targetVersion }
            : t,
        ),
      };
      return enterStep(switched, state.stepIndex + 1, action.at);
    }

    case 'switch_back': {
      if (state.status !== 'in_progress' || step?.kind !== 'switch' || state.phase !== 'rollback')
        return state.status === 'in_progress'
          ? refuse('wrong_step', 'Switching back is a step of the rollback runbook.')
          : wrong();
      // The old slot was kept: switching back is instant and needs no reinstall.
      const back: DeploymentState = {
        ...state,
        terminals: state.terminals.map((t) =>
          t.progress !== 'excluded' && (t.slot === 'new_active' || t.slot === 'new_staged')
            ? {
                ...t,
                slot: 'old_active',
                progress: t.progress === 'new' ? 'rolled_back' : t.progress,
                version: t.fromVersion,
              }
            : t,
        ),
      };
      return enterStep(back, state.stepIndex + 1, action.at);
    }

    case 'resume': {
      if (state.status === 'planned')
        return refuse('not_started', 'A planned deployment has nothing to resume: start it.');
      // Recorded so the timeline shows the gap; the state itself was rebuilt from the journal unchanged.
      return { ok: true, state };
    }

    default:
      return assertNever(action, 'deployment action');
  }
}

/** Applies actions in order, stopping at the first refusal (used by tests and the journal fold). */
export function applyAll(state: DeploymentState, actions: readonly DeploymentAction[]): Transition {
  let current = state;
  for (const action of actions) {
    const next = applyAction(current, action);
    if (!next.ok) return next;
    current = next.state;
  }
  return { ok: true, state: current };
}
