/**
 * A deployment's timeline and metrics, derived from its state's history
 * alone — which is itself the fold of the journal — so the console's
 * timeline, the central KPIs and an auditor's script agree.
 */
import type { RunbookStep } from './runbook.ts';
import {
  currentStep,
  isFinished,
  type DeploymentState,
  type HistoryEntry,
  type Phase,
  type Wave,
} from './stateMachine.ts';

export type TimelineStep = {
  phase: Phase;
  wave: Wave;
  stepId: string;
  title: string;
  kind: RunbookStep['kind'];
  startedAt: number;
  /** Null while the deployment is still at this step. */
  endedAt: number | null;
  durationMs: number | null;
  /** For an intervention: how long it waited before someone claimed it (the manual waiting time). */
  waitedForClaimMs: number | null;
  /** Everything done at this step, in order: who, when, what. */
  entries: HistoryEntry[];
};

function stepKey(entry: { phase: Phase; wave: Wave; stepId: string | null }): string {
  return `${entry.phase}|${entry.wave}|${entry.stepId ?? ''}`;
}

function findStep(state: DeploymentState, phase: Phase, stepId: string): RunbookStep | undefined {
  return (phase === 'forward' ? state.plan.runbook.steps : state.plan.runbook.rollbackSteps).find(
    (s) => s.id === stepId,
  );
}

/**
 * Each visit of a step, in order. A step starts with the action that moved
 * the deployment onto it and ends with the action that moved it on.
 */
export function deploymentTimeline(state: DeploymentState): TimelineStep[] {
  const steps: TimelineStep[] = [];
  const history = state.history;
  let previousAt: number | null = null;
  let previousKey: string | null = null;
  for (const entry of history) {
    const key = stepKey(entry);
    if (entry.stepId !== null) {
      const open = steps.at(-1);
      if (open !== undefined && previousKey === key) {
        open.entries.push(entry);
      } else {
        const step = findStep(state, entry.phase, entry.stepId);
        steps.push({
          phase: entry.phase,
          wave: entry.wave,
          stepId: entry.stepId,
          title: step?.title ?? entry.stepId,
          kind: step?.kind ?? 'instruction',
          startedAt: previousAt ?? entry.at,
          endedAt: null,
          durationMs: null,
          waitedForClaimMs: null,
          entries: [entry],
        });
      }
    }
    previousAt = entry.at;
    previousKey = key;
  }
  // Close every visit but the one the deployment is still at.
  const current = currentStep(state);
  const currentKey =
    current === null ? null : stepKey({ phase: state.phase, wave: state.wave, stepId: current.id });
  steps.forEach((step, i) => {
    const isOpen =
      i === steps.length - 1 && !isFinished(state.status) && currentKey === stepKey(step);
    if (!isOpen) {
      step.endedAt = step.entries.at(-1)!.at;
      step.durationMs = step.endedAt - step.startedAt;
    }
    if (step.kind === 'intervention') {
      const claim = step.entries.find((e) => e.action === 'claim_intervention');
      step.waitedForClaimMs = claim === undefined ? null : claim.at - step.startedAt;
    }
  });
  // The step the deployment has just reached, where nothing was done yet.
  if (
    current !== null &&
    state.step !== null &&
    (steps.length === 0 || stepKey(steps.at(-1)!) !== currentKey)
  ) {
    steps.push({
      phase: state.phase,
      wave: state.wave,
      stepId: current.id,
      title: current.title,
      kind: current.kind,
      startedAt: state.step.startedAt,
      endedAt: null,
      durationMs: null,
      waitedForClaimMs: null,
      entries: [],
    });
  }
  return steps;
}

export type DeploymentMetrics = {
  outcome: 'completed' | 'rolled_back' | 'aborted' | null;
  /** From the start to the final state, manual waiting included; null until it is final. */
  timeToDeployMs: number | null;
  /** Time spent paused at interventions (waiting for a claim, then for the claimant). */
  interventionMs: number;
  /** Of which: waiting for someone to claim. */
  waitingForClaimMs: number;
  failedSteps: number;
  isRolledBack: boolean;
  terminalsUpdated: number;
  terminalsExcluded: number;
};

export function deploymentMetrics(state: DeploymentState): DeploymentMetrics {
  const timeline = deploymentTimeline(state);
  const interventions = timeline.filter((s) => s.kind === 'intervention' && s.durationMs !== null);
  const started = state.history.find((h) => h.action === 'start');
  const outcome =
    state.status === 'completed' || state.status === 'rolled_back' || state.status === 'aborted'
      ? state.status
      : null;
  return {
    outcome,
    timeToDeployMs:
      outcome !== null && started !== undefined && state.finishedAt !== null
        ? state.finishedAt - started.at
        : null,
    interventionMs: interventions.reduce((sum, s) => sum + s.durationMs!, 0),
    waitingForClaimMs: timeline.reduce((sum, s) => sum + (s.waitedForClaimMs ?? 0), 0),
    failedSteps: state.history.filter(
      (h) => h.status === 'failed' && h.action !== 'exclude_terminal' && h.action !== 'resume',
    ).length,
    isRolledBack: state.history.some((h) => h.action === 'roll_back'),
    terminalsUpdated: state.terminals.filter((t) => t.progress === 'new').length,
    terminalsExcluded: state.terminals.filter((t) => t.progress === 'excluded').length,
  };
}
