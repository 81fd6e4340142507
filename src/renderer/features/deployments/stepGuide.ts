/**
 * What the deployment screen offers, decided from the deployment's state and
 * who is looking: the actions of the current step (and why one is greyed
 * out), the choices after a failed step, and how each step of the runbook
 * stands. Pure, so the rules are tested without a browser. The back end runs
 * the state machine again on every action: these rules only decide what to
 * show, they never allow anything.
 */
import type { Role } from '#shared/domain/roles.ts';
import { assertNever } from '#shared/errors.ts';
import type { RunbookStep } from '#shared/deployments/runbook.ts';
import {
  currentStep,
  FIELD_ROLES,
  isFinished,
  terminalsInScope,
  type DeploymentActionType,
  type DeploymentState,
  type Phase,
  type TerminalState,
  type Wave,
} from '#shared/deployments/stateMachine.ts';
import type { TimelineStep } from '#shared/deployments/timeline.ts';
import { waitDuration } from './text.ts';
import { t } from '../../i18n/index.ts';

export type Viewer = { userId: string; role: Role };

/** One action the screen shows; `whyNot` is null when it can be used, otherwise the plain reason it is greyed out. */
export type ActionOffer = { type: DeploymentActionType; whyNot: string | null };

function offer(type: DeploymentActionType, whyNot: string | null = null): ActionOffer {
  return { type, whyNot };
}

function isFieldRole(viewer: Viewer): boolean {
  return FIELD_ROLES.includes(viewer.role);
}

function names(terminals: readonly TerminalState[]): string {
  return terminals.map((t) => t.name).join(', ');
}

/** The wait step's end, or null when the deployment is not at a wait. */
export function waitEndsAt(state: DeploymentState): number | null {
  const step = currentStep(state);
  if (step?.kind !== 'wait' || state.step === null) return null;
  return state.step.startedAt + step.durationMs;
}

/**
 * The actions of the current step, in the order the screen shows them (the
 * main one first). Abort is offered in every unfinished state; the choices
 * after a failure come from `failureOptions`.
 */
export function stepActions(state: DeploymentState, viewer: Viewer, now: number): ActionOffer[] {
  if (isFinished(state.status)) return [];
  const fieldOnly = isFieldRole(viewer) ? null : t('deployments:fieldRolesOnly');
  if (state.status === 'planned') return [offer('start', fieldOnly), offer('abort', fieldOnly)];
  if (state.status === 'failed') return [];
  const step = currentStep(state);
  if (step === null) return [];

  if (state.status === 'paused_at_intervention') {
    const intervention = state.intervention;
    if (intervention === null) return [];
    if (intervention.claimant === null) {
      const wrongRole =
        viewer.role === intervention.role
          ? null
          : t('deployments:interventionForRole', {
              role: t(`domain:roleIndefinite.${intervention.role}`),
            });
      return [offer('claim_intervention', wrongRole), offer('abort', fieldOnly)];
    }
    if (intervention.claimant.userId !== viewer.userId) return [offer('abort', fieldOnly)];
    return [
      offer('proceed_intervention'),
      offer('release_intervention'),
      offer('abort_intervention'),
      offer('abort', fieldOnly),
    ];
  }

  const scope = terminalsInScope(state);
  const captured = state.step?.captured ?? [];
  const main: ActionOffer[] = [];
  switch (step.kind) {
    case 'instruction':
      main.push(offer('complete_step', fieldOnly));
      break;
    case 'version_capture': {
      const missing = scope.filter((t) => !captured.includes(t.terminalId));
      main.push(offer('record_version', fieldOnly));
      main.push(
        offer(
          'complete_step',
          fieldOnly ??
            (missing.length > 0
              ? t('deployments:recordVersionsFirst', { names: names(missing) })
              : null),
        ),
      );
      break;
    }
    case 'checklist':
      main.push(offer('record_smoke_result', fieldOnly));
      break;
    case 'wait': {
      const endsAt = waitEndsAt(state)!;
      main.push(
        offer(
          'complete_step',
          fieldOnly ??
            (now < endsAt
              ? t('deployments:waitNotOver', { duration: waitDuration(endsAt - now) })
              : null),
        ),
      );
      break;
    }
    case 'stage': {
      const unstaged = scope.filter((t) => t.slot !== 'new_staged');
      main.push(offer('stage_release', fieldOnly));
      main.push(
        offer(
          'complete_step',
          fieldOnly ??
            (unstaged.length > 0 ? t('deployments:stageFirst', { names: names(unstaged) }) : null),
        ),
      );
      break;
    }
    case 'switch':
      main.push(offer(state.phase === 'forward' ? 'switch_slots' : 'switch_back', fieldOnly));
      break;
    case 'decision':
      // Whether a go decision opens it is the back end's answer (the view's gate), shown by the step card.
      main.push(offer('complete_step', fieldOnly));
      break;
    case 'intervention':
      // Reached only through paused_at_intervention, handled above.
      break;
    default:
      return assertNever(step, 'step kind');
  }
  return [...main, offer('fail_step', fieldOnly), offer('abort', fieldOnly)];
}

/** The choices after a failed step, each with why it cannot be used (if so) and what it needs. */
export type FailureOptions = {
  retry: ActionOffer;
  skip: ActionOffer & { needsChangeRequest: boolean };
  /** Terminals that can be left out of the rest of this deployment. */
  exclude: ActionOffer & { terminals: TerminalState[] };
  rollBack: ActionOffer;
  abort: ActionOffer;
};

export function failureOptions(state: DeploymentState, viewer: Viewer): FailureOptions | null {
  if (state.status !== 'failed') return null;
  const step = currentStep(state);
  const fieldOnly = isFieldRole(viewer) ? null : t('deployments:fieldRolesOnly');
  const isCanaryCheck = state.phase === 'forward' && state.wave === 'canary';
  const canaryId = isCanaryCheck ? (state.canary?.terminalId ?? null) : null;
  const excludable = state.terminals.filter(
    (t) => t.progress !== 'excluded' && t.terminalId !== canaryId,
  );

  let skipWhyNot: string | null = null;
  if (viewer.role !== 'manager') skipWhyNot = t('deployments:skipNeedsManager');
  else if (step?.kind === 'checklist' && isCanaryCheck)
    skipWhyNot = t('deployments:canarySmokeCannotBeSkipped');

  return {
    retry: offer('retry_step', fieldOnly),
    skip: { ...offer('skip_step', skipWhyNot), needsChangeRequest: step?.mandatory ?? false },
    exclude: {
      ...offer(
        'exclude_terminal',
        fieldOnly ?? (excludable.length === 0 ? t('deployments:nothingToExclude') : null),
      ),
      terminals: excludable,
    },
    rollBack: offer(
      'roll_back',
      fieldOnly ?? (state.phase === 'rollback' ? t('deployments:alreadyRollingBack') : null),
    ),
    abort: offer('abort', fieldOnly),
  };
}

export const STEP_STANDINGS = ['done', 'current', 'failed', 'skipped', 'pending'] as const;
export type StepStanding = (typeof STEP_STANDINGS)[number];

/** One part of the runbook as the screen lists it: the canary wave, the other terminals, or the rollback. */
export type RunbookSection = {
  phase: Phase;
  wave: Wave;
  /** `isHere`: the step the deployment is at (current, or failed and waiting for a decision). */
  steps: Array<{ step: RunbookStep; standing: StepStanding; isHere: boolean }>;
};

/**
 * How each step stands in each part of the deployment, from the state and its
 * timeline: the step the deployment is at is current (or failed), a visit
 * that ended with a skip is skipped, one that ended on a failure followed by a
 * rollback or an abort is failed, any other finished visit is done.
 */
export function runbookSections(
  state: DeploymentState,
  timeline: readonly TimelineStep[],
): RunbookSection[] {
  const parts: Array<{ phase: Phase; wave: Wave }> =
    state.strategy === 'canary_first'
      ? [
          { phase: 'forward', wave: 'canary' },
          { phase: 'forward', wave: 'fleet' },
        ]
      : [{ phase: 'forward', wave: 'fleet' }];
  // While rolling back, the rollback runbook is what the technician follows: it comes first.
  if (state.phase === 'rollback') parts.unshift({ phase: 'rollback', wave: state.wave });
  const current = currentStep(state);
  return parts.map(({ phase, wave }) => {
    const steps = phase === 'forward' ? state.plan.runbook.steps : state.plan.runbook.rollbackSteps;
    return {
      phase,
      wave,
      steps: steps.map((step) => {
        const isHere =
          !isFinished(state.status) &&
          current?.id === step.id &&
          state.phase === phase &&
          state.wave === wave;
        if (isHere)
          return { step, standing: state.status === 'failed' ? 'failed' : 'current', isHere };
        const visits = timeline.filter(
          (v) =>
            v.phase === phase && v.wave === wave && v.stepId === step.id && v.entries.length > 0,
        );
        const last = visits.at(-1)?.entries.at(-1);
        if (last === undefined) return { step, standing: 'pending', isHere };
        if (last.action === 'skip_step') return { step, standing: 'skipped', isHere };
        const hasFailed = visits.some((v) => v.entries.some((e) => e.status === 'failed'));
        if (hasFailed && (last.action === 'roll_back' || last.action === 'abort'))
          return { step, standing: 'failed', isHere };
        if (last.action === 'abort') return { step, standing: 'failed', isHere };
        return { step, standing: 'done', isHere };
      }),
    };
  });
}

/**
 * The checklist run a smoke step should use: the newest run of the step's
 * template for this deployment's store and release that covers every
 * terminal in scope; null when one must be started.
 */
export function pickSmokeRun<
  R extends {
    id: string;
    templateId: string;
    storeId: string;
    releaseId: string;
    startedAt: string;
    terminals: Array<{ id: string }>;
  },
>(state: DeploymentState, runs: readonly R[], since: number): R | null {
  const step = currentStep(state);
  if (step?.kind !== 'checklist') return null;
  const scope = terminalsInScope(state).map((t) => t.terminalId);
  const fitting = runs.filter(
    (r) =>
      r.templateId === step.templateId &&
      r.storeId === state.plan.storeId &&
      r.releaseId === state.plan.releaseId &&
      Date.parse(r.startedAt) >= since &&
      scope.every((id) => r.terminals.some((t) => t.id === id)),
  );
  return fitting.reduce<R | null>(
    (newest, r) =>
      newest === null || Date.parse(r.startedAt) > Date.parse(newest.startedAt) ? r : newest,
    null,
  );
}
