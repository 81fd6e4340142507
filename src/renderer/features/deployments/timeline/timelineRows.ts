/**
 * What each timeline row and the metrics strip say, as pure functions of the
 * deployment view (so they are tested without rendering): the outcome of a
 * step visit in plain words, who acted on it, and the metrics in words.
 */
import type { HistoryEntry } from '#shared/deployments/stateMachine.ts';
import type { DeploymentMetrics, TimelineStep } from '#shared/deployments/timeline.ts';
import type { DeploymentActionType } from '#shared/deployments/stateMachine.ts';
import { formatNumber } from '#renderer/i18n/format.ts';
import { t } from '#renderer/i18n/index.ts';
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
  if (entry.action === 'record_smoke_result') return t('timeline:smokeFailed');
  return entry.note ?? t('timeline:failed');
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
  return t(`timeline:action.${action}`);
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
      ? t('timeline:metrics.noIntervention')
      : t('timeline:metrics.waitingForClaim', {
          duration: formatDuration(metrics.waitingForClaimMs),
        });
  return [
    {
      key: 'time_to_deploy',
      label: t('timeline:metrics.timeToDeploy'),
      value:
        metrics.timeToDeployMs !== null
          ? formatDuration(metrics.timeToDeployMs)
          : elapsedMs !== null
            ? t('timeline:metrics.soFar', { duration: formatDuration(elapsedMs) })
            : t('timeline:metrics.notStarted'),
      hint: t('timeline:metrics.timeToDeployHint'),
    },
    {
      key: 'manual_waiting',
      label: t('timeline:metrics.manualWaiting'),
      value: formatDuration(metrics.interventionMs),
      hint: waitingHint,
    },
    {
      key: 'outcome',
      label: t('timeline:metrics.outcome'),
      value:
        metrics.outcome === null
          ? t('timeline:metrics.notFinished')
          : t(`timeline:metrics.finalOutcome.${metrics.outcome}`),
      hint:
        metrics.failedSteps === 0
          ? t('timeline:metrics.noStepFailed')
          : t('timeline:metrics.stepFailures', { count: metrics.failedSteps }),
    },
    {
      key: 'rollbacks',
      label: t('timeline:metrics.rollbacks'),
      value: formatNumber(rollbacks),
      hint:
        rollbacks === 0
          ? t('timeline:metrics.neverRolledBack')
          : t('timeline:metrics.walkedRollback'),
    },
    {
      key: 'terminals',
      label: t('timeline:metrics.terminals'),
      value: t('timeline:metrics.updated', { count: metrics.terminalsUpdated }),
      hint:
        metrics.terminalsExcluded === 0
          ? t('timeline:metrics.noneExcluded')
          : t('timeline:metrics.excluded', { count: metrics.terminalsExcluded }),
    },
  ];
}

/** How many times someone chose to roll back (a blue-green switch back is a step of that rollback, not another one). */
export function rollbackCount(history: readonly HistoryEntry[]): number {
  return history.filter((h) => h.action === 'roll_back').length;
}
