/**
 * What each timeline row and the metrics strip say, as pure functions of the
 * deployment view (so they are tested without rendering): the outcome of a
 * step visit in plain words, who acted on it, and the metrics in words.
 */
import type { HistoryEntry } from '#shared/deployments/stateMachine.ts';
import type { DeploymentMetrics, TimelineStep } from '#shared/deployments/timeline.ts';
import type { DeploymentActionType } from '#shared/deployments/stateMachine.ts';
import { assertNever } from '#shared/errors.ts';
import { formatDuration } from './format.ts';

export const STEP_OUTCOMES = [
  'done',
  'failed',
  'skipped',
  'rolled_back',
  'aborted',
  'in_progress',
] as const;
export type StepOutcomeKind = (typeof STEP_OUTCOMES)[number];

/** The outcome of one visit of a step; `reason` is what the person wrote (or what failed). */
export type StepOutcome = {
  kind: StepOutcomeKind;
  reason: string | null;
  failuresBefore: string[];
};

/** "Install 4.4.0 … failed: card reader not found". A smoke result's note is passed / failed: say it as a sentence. */
function failureText(entry: HistoryEntry): string {
  if (entry.action === 'record_smoke_result') return 'Smoke test failed';
  return entry.note ?? 'Failed';
}

function isFailure(entry: HistoryEntry): boolean {
  return (
    entry.action === 'fail_step' ||
    (entry.action === 'record_smoke_result' && entry.note === 'failed')
  );
}

/**
 * A visit ends with the action that moved the deployment on. A failure
 * followed by a retry that then succeeded is "done", with the failures kept
 * so the row still tells that it failed first.
 */
export function stepOutcome(step: TimelineStep): StepOutcome {
  const failures = step.entries.filter(isFailure).map(failureText);
  const last = step.entries.at(-1);
  if (step.endedAt === null || last === undefined) {
    // Still at this step; it may already have failed and wait for a decision.
    const lastFailure =
      last !== undefined && last.status === 'failed' && isFailure(last) ? failureText(last) : null;
    return lastFailure === null
      ? { kind: 'in_progress', reason: null, failuresBefore: failures }
      : { kind: 'failed', reason: lastFailure, failuresBefore: failures.slice(0, -1) };
  }
  if (last.action === 'roll_back')
    return { kind: 'rolled_back', reason: last.note, failuresBefore: failures };
  if (last.action === 'abort' || last.action === 'abort_intervention')
    return { kind: 'aborted', reason: last.note, failuresBefore: failures };
  if (last.action === 'skip_step')
    return { kind: 'skipped', reason: last.note, failuresBefore: failures };
  if (last.status === 'failed' && isFailure(last))
    return { kind: 'failed', reason: failureText(last), failuresBefore: failures.slice(0, -1) };
  return { kind: 'done', reason: null, failuresBefore: failures };
}

export const OUTCOME_LABELS: Record<StepOutcomeKind, string> = {
  done: 'Done',
  failed: 'Failed',
  skipped: 'Skipped',
  rolled_back: 'Rolled back',
  aborted: 'Aborted',
  in_progress: 'In progress',
};

export const OUTCOME_COLORS: Record<StepOutcomeKind, string> = {
  done: 'teal',
  failed: 'red',
  skipped: 'yellow',
  rolled_back: 'orange',
  aborted: 'red',
  in_progress: 'blue',
};

/** What a person did, in the past tense, for the row's detail line. */
export function actionVerb(action: DeploymentActionType): string {
  switch (action) {
    case 'start':
      return 'started the deployment';
    case 'complete_step':
      return 'marked the step done';
    case 'fail_step':
      return 'reported a failure';
    case 'retry_step':
      return 'retried';
    case 'skip_step':
      return 'skipped the step';
    case 'exclude_terminal':
      return 'excluded a terminal';
    case 'roll_back':
      return 'chose to roll back';
    case 'abort':
      return 'aborted the deployment';
    case 'claim_intervention':
      return 'claimed it';
    case 'release_intervention':
      return 'released it';
    case 'proceed_intervention':
      return 'proceeded';
    case 'abort_intervention':
      return 'aborted at the intervention';
    case 'record_version':
      return 'recorded the version';
    case 'record_smoke_result':
      return 'recorded the smoke test';
    case 'stage_release':
      return 'staged the release';
    case 'switch_slots':
      return 'switched slots';
    case 'switch_back':
      return 'switched back';
    case 'resume':
      return 'resumed';
    default:
      return assertNever(action, 'deployment action');
  }
}

/** Everyone who acted on the step, in order of first action, once each. */
export function stepActors(step: TimelineStep): string[] {
  return [...new Set(step.entries.map((e) => e.actor.userId))];
}

export type MetricTile = {
  key: 'time_to_deploy' | 'manual_waiting' | 'outcome' | 'rollbacks' | 'terminals';
  label: string;
  value: string;
  hint: string;
};

const OUTCOME_WORDS: Record<NonNullable<DeploymentMetrics['outcome']>, string> = {
  completed: 'Completed',
  rolled_back: 'Rolled back',
  aborted: 'Aborted',
};

/**
 * The metrics strip, in words. `elapsedMs` is, for a deployment still going,
 * the time from its start to its last recorded action; the metrics' time to
 * deploy exists only once it is final.
 */
export function metricTiles(
  metrics: DeploymentMetrics,
  rollbacks: number,
  elapsedMs: number | null,
): MetricTile[] {
  const waitingHint =
    metrics.interventionMs === 0
      ? 'No intervention yet'
      : `of which ${formatDuration(metrics.waitingForClaimMs)} before someone claimed it`;
  return [
    {
      key: 'time_to_deploy',
      label: 'Time to deploy',
      value:
        metrics.timeToDeployMs !== null
          ? formatDuration(metrics.timeToDeployMs)
          : elapsedMs !== null
            ? `${formatDuration(elapsedMs)} so far`
            : 'Not started',
      hint: 'From the start to the end, manual waiting included',
    },
    {
      key: 'manual_waiting',
      label: 'Manual waiting',
      value: formatDuration(metrics.interventionMs),
      hint: waitingHint,
    },
    {
      key: 'outcome',
      label: 'Outcome',
      value: metrics.outcome === null ? 'Not finished' : OUTCOME_WORDS[metrics.outcome],
      hint:
        metrics.failedSteps === 0
          ? 'No step failed'
          : `${metrics.failedSteps} ${metrics.failedSteps === 1 ? 'step failure' : 'step failures'}`,
    },
    {
      key: 'rollbacks',
      label: 'Rollbacks',
      value: String(rollbacks),
      hint: rollbacks === 0 ? 'Never rolled back' : 'Walked the rollback runbook',
    },
    {
      key: 'terminals',
      label: 'Terminals',
      value: `${metrics.terminalsUpdated} updated`,
      hint:
        metrics.terminalsExcluded === 0 ? 'None excluded' : `${metrics.terminalsExcluded} excluded`,
    },
  ];
}

/** How many times someone chose to roll back (a blue-green switch back is a step of that rollback, not another one). */
export function rollbackCount(history: readonly HistoryEntry[]): number {
  return history.filter((h) => h.action === 'roll_back').length;
}
